"""`metadata`, the API endpoint settings of `vpc`, `cloudWatch` and `secretsEncryption` become
`aws:region` and `eks-platform:cluster`.
"""

from __future__ import annotations

from settings.problems import key_path

from . import eksctl_defaults as default
from . import refusals
from .lifecycle import map_cluster_lifecycle
from .outcome import Outcome
from .reader import Fields


def map_cluster(top: Fields, meta: Fields, vpc: Fields, out: Outcome) -> str | None:
    """Writes `aws:region` and `eks-platform:cluster`; returns the region (for eksctl's AZ default)."""
    cluster: dict = {}
    name, region = meta.string("name"), meta.string("region")
    for key, value in (("name", name), ("region", region)):
        if value is None and meta.value.get(key) is None:
            out.problem(meta.at(key), "is required (eksctl refuses a ClusterConfig without it)")
    if region is not None:
        out.config["aws:region"] = region
        out.trace("aws:region", meta.at("region"))
    if name is not None:
        cluster["name"] = name
        out.trace(key_path("cluster", "name"), meta.at("name"))

    version = meta.string("version")
    if version is None and meta.value.get("version") is None:
        cluster["version"] = default.KUBERNETES_VERSION
        out.trace(
            key_path("cluster", "version"),
            f"{meta.at('version')} (eksctl's default: {default.KUBERNETES_VERSION})",
            same_shape=False,
        )
    elif version is not None:
        cluster["version"] = version
        out.trace(key_path("cluster", "version"), meta.at("version"))

    endpoints = vpc.fields("clusterEndpoints")
    for key, stack_key, fallback in (
        ("publicAccess", "endpointPublicAccess", default.ENDPOINT_PUBLIC_ACCESS),
        ("privateAccess", "endpointPrivateAccess", default.ENDPOINT_PRIVATE_ACCESS),
    ):
        given = endpoints.boolean(key)
        cluster[stack_key] = fallback if given is None else given
        source = (
            endpoints.at(key)
            if given is not None
            else f"{endpoints.at(key)} (eksctl's default: {str(fallback).lower()})"
        )
        out.trace(key_path("cluster", stack_key), source, same_shape=given is not None)
    endpoints.leave_behind({})

    cidrs = vpc.strings("publicAccessCIDRs")
    if cidrs:
        cluster["publicAccessCidrs"] = cidrs
        out.trace(key_path("cluster", "publicAccessCidrs"), vpc.at("publicAccessCIDRs"))

    _logging(top, cluster, out)
    _secrets_encryption(top, cluster, out)
    map_cluster_lifecycle(top, cluster, out)

    tags = meta.string_map("tags")
    if tags:
        cluster["tags"] = tags
        out.trace(key_path("cluster", "tags"), meta.at("tags"))
    meta.leave_behind(refusals.METADATA)

    top.fields("kubernetesNetworkConfig").leave_behind(refusals.KUBERNETES_NETWORK)
    out.config[key_path("cluster")] = cluster
    out.trace(key_path("cluster"), "metadata", same_shape=False)
    return region


def _logging(top: Fields, cluster: dict, out: Outcome) -> None:
    cloudwatch = top.fields("cloudWatch")
    logging = cloudwatch.fields("clusterLogging")
    types = logging.strings("enableTypes")
    if types:
        wildcard = any(t in default.LOG_TYPE_WILDCARDS for t in types)
        cluster["logTypes"] = list(default.ALL_LOG_TYPES) if wildcard else types
        out.trace(key_path("cluster", "logTypes"), logging.at("enableTypes"), same_shape=not wildcard)
    else:
        out.note(
            logging.at("enableTypes"),
            "not set, so eksctl would turn on no control-plane logs; the stack keeps the platform's default "
            "(api, audit, authenticator)",
        )
    logging.leave_behind(refusals.CLOUDWATCH_LOGGING)
    cloudwatch.leave_behind({})


def _secrets_encryption(top: Fields, cluster: dict, out: Outcome) -> None:
    encryption = top.fields("secretsEncryption")
    key_arn = encryption.string("keyARN")
    if key_arn:
        cluster["secretsEncryption"] = True
        out.trace(key_path("cluster", "secretsEncryption"), encryption.at("keyARN"), same_shape=False)
        out.note(
            encryption.at("keyARN"),
            f"Secrets are envelope-encrypted, but with a KMS key the platform creates (with rotation); {key_arn} "
            "is not used",
        )
    else:
        out.note(
            encryption.at("keyARN"),
            "not set, so eksctl would add no KMS envelope encryption; the stack keeps the platform's default "
            "(its own rotating KMS key)",
        )
    encryption.leave_behind({})
