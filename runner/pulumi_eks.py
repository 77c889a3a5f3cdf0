"""What pulumi-eks' `eks:index:Cluster` creates inside itself, from the inputs the program sends it.

Under the mock engine a multi-language component is one opaque resource: its TypeScript never runs,
so nothing it creates would reach a render. This module is the render's account of those children,
written from pulumi-eks' source at the pinned version (github.com/pulumi/pulumi-eks, nodejs/eks/
cluster/cluster.ts `createCore` and `createCluster`, authenticationMode.ts `createAwsAuthData`;
commit 7bf0c1b, the 4.4.0 line) and checked against that TypeScript run under Pulumi's Node mock
engine on dev's and prod's inputs (the procedure: docs/pulumi-eks.md, "Re-checking after a
pulumi-eks version bump").

The program turns off every child pulumi-eks lets it skip or supply (security groups, service role,
OIDC provider, add-ons, default node group). What remains — the cluster itself, a Kubernetes
provider, the aws-auth ConfigMap in the ConfigMap modes — is modelled here with the values the
program decides. An input that would make pulumi-eks create anything else fails the run: a render
that silently missed a resource would break the render's promise.

The program's resource transforms on the component (ResourceOptions.transforms) run on every child, as
the engine runs them on the children a multi-language component registers: the same functions, so what
they add (the cluster's zonalShiftConfig, controlPlaneScalingConfig) shows as the child's inputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc
from pulumi.runtime.sync_await import _sync_await

# The pulumi-eks release this model was read from and checked against; tests/test_pulumi_eks.py
# fails when requirements.txt pins another, so a version bump forces a fresh reading.
VERIFIED_VERSION = "4.4.0"
# The provider plugins pulumi-eks registers its own children with: its Node SDK's dependencies, pinned
# exactly (nodejs/eks/package.json "@pulumi/aws": "7.25.0", "@pulumi/kubernetes": "4.19.0"; resolved
# so in nodejs/eks/yarn.lock, commit 7bf0c1b). `pulumi up` loads them beside the program's own.
PLUGINS = {"aws": "7.25.0", "kubernetes": "4.19.0"}

CONFIG_MAP_MODES = (None, "CONFIG_MAP", "API_AND_CONFIG_MAP")
CLUSTER = "aws:eks/cluster:Cluster"
PROVIDER = "pulumi:providers:kubernetes"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}"
NODE_GROUPS = ("system:bootstrappers", "system:nodes")

# Inputs that, as the program sets them, keep pulumi-eks from creating more children
# (input -> (value that skips, what pulumi-eks would otherwise create)).
_MUST_SKIP: Mapping[str, tuple[Any, str]] = {
    "skipDefaultSecurityGroups": (True, "a cluster and a node security group with six rules"),
    "createOidcProvider": (False, "an OIDC provider (with a live TLS thumbprint fetch)"),
    "useDefaultVpcCni": (True, "a vpc-cni add-on at its most recent version"),
    "skipDefaultNodeGroup": (True, "a self-managed default node group"),
}
_ABSENT = {
    "fargate": "a Fargate profile and its role",
    "autoMode": "the EKS Auto Mode node role",
    "accessEntries": "access entries of its own",
    "storageClasses": "StorageClasses",
    "instanceRole": "an instance role and profile",
}


# What the engine sends for a value not known until `pulumi up` (pulumi.runtime.rpc.UNKNOWN). In a
# first preview, a value pulumi-eks derives (`apply`, `pulumi.all`) from an unknown is unknown too.
UNKNOWN = rpc.UNKNOWN


def _unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_unknown(v) for v in value)
    return value == UNKNOWN


def _derived(compute: Callable[[], Any], *sources: Any) -> Any:
    """`pulumi.all(sources).apply(compute)`: unknown while any source is."""
    return UNKNOWN if any(_unknown(s) for s in sources) else compute()


def plugin_package(type_: str) -> str:
    """The provider plugin a resource of `type_` belongs to (`pulumi:providers:kubernetes` -> kubernetes)."""
    return type_.rsplit(":", 1)[-1] if type_.startswith("pulumi:providers:") else type_.split(":", 1)[0]


class UnmodelledChildren(Exception):
    """pulumi-eks would create children this model does not describe."""


@dataclass(frozen=True)
class Child:
    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)
    provider: str | None = None  # the name of the sibling provider it uses, if not the default
    # Which of the child's input properties read which inputs of `eks:index:Cluster` (the child then
    # depends on whatever those inputs were computed from) and which sibling children's outputs.
    reads_inputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reads_siblings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def property_dependencies(
        self, component: Mapping[str, list[str]], siblings: Mapping[str, str]
    ) -> dict[str, list[str]]:
        """Input property -> URNs it depends on, given the component's own property dependencies and
        the URNs of the siblings (by name)."""
        found = {
            key: sorted(
                {u for source in self.reads_inputs.get(key, ()) for u in component.get(source, ())}
                | {siblings[name] for name in self.reads_siblings.get(key, ())}
            )
            for key in sorted({*self.reads_inputs, *self.reads_siblings})
        }
        return {key: urns for key, urns in found.items() if urns}


class _Dumper(yaml.SafeDumper):
    """js-yaml's dump style (what pulumi-eks writes): block lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True)


def unmodelled(inputs: Mapping[str, Any]) -> list[str]:
    found = [
        f"{key} is {json.dumps(inputs.get(key))}, so pulumi-eks creates {what}"
        for key, (skips, what) in _MUST_SKIP.items()
        if inputs.get(key) != skips
    ]
    if not inputs.get("serviceRole"):
        found.append("no serviceRole is given, so pulumi-eks creates the cluster's IAM role")
    if (inputs.get("kubeProxyAddonOptions") or {}).get("enabled") is not False:
        found.append("kubeProxyAddonOptions.enabled is not false, so pulumi-eks creates a kube-proxy add-on")
    coredns = inputs.get("corednsAddonOptions") or {}
    if coredns.get("enabled") is True or coredns.get("configurationValues"):
        found.append("corednsAddonOptions enables coredns, so pulumi-eks creates a coredns add-on")
    found += [f"{key} is set, so pulumi-eks creates {what}" for key, what in _ABSENT.items() if inputs.get(key)]
    return found


def aws_auth_data(inputs: Mapping[str, Any], role_arn: Callable[[str], str]) -> dict[str, str]:
    """The aws-auth ConfigMap's data: mapRoles (the role mappings, then one entry per instance role)
    and, when user mappings are given, mapUsers (createAwsAuthData)."""
    mappings, instance_roles = inputs.get("roleMappings") or [], inputs.get("instanceRoles") or []

    def map_roles() -> str:
        roles = [{"rolearn": m["roleArn"], "username": m["username"], "groups": list(m["groups"])} for m in mappings]
        roles += [
            {"rolearn": role_arn(r), "username": NODE_USERNAME, "groups": list(NODE_GROUPS)} for r in instance_roles
        ]
        return _yaml(roles)

    data = {"mapRoles": _derived(map_roles, mappings, instance_roles)}
    users = inputs.get("userMappings")
    if users is not None:
        data["mapUsers"] = _derived(
            lambda: _yaml(
                [{"userarn": m["userArn"], "username": m["username"], "groups": list(m["groups"])} for m in users]
            ),
            users,
        )
    return data


def cluster_inputs(name: str, inputs: Mapping[str, Any], role_arn: Callable[[str], str]) -> dict[str, Any]:
    """The `aws:eks/cluster:Cluster` as createCore registers it."""
    public, private = inputs.get("publicSubnetIds") or [], inputs.get("privateSubnetIds") or []
    vpc: dict[str, Any] = {"subnetIds": _derived(lambda: [*public, *private], public, private)}
    for key in ("endpointPrivateAccess", "endpointPublicAccess", "publicAccessCidrs"):
        if inputs.get(key) is not None:
            vpc[key] = inputs[key]
    tags, cluster_tags = inputs.get("tags") or {}, inputs.get("clusterTags") or {}
    result: dict[str, Any] = {
        "name": inputs.get("name"),
        "roleArn": _derived(lambda: role_arn(inputs["serviceRole"]), inputs["serviceRole"]),
        "bootstrapSelfManagedAddons": inputs.get("bootstrapSelfManagedAddons", True),
        "vpcConfig": vpc,
        "version": inputs.get("version"),
        "enabledClusterLogTypes": inputs.get("enabledClusterLogTypes"),
        "tags": _derived(lambda: {"Name": f"{name}-eksCluster", **cluster_tags, **tags}, tags, cluster_tags),
        "deletionProtection": inputs.get("deletionProtection"),
        "upgradePolicy": inputs.get("upgradePolicy"),
    }
    if key_arn := inputs.get("encryptionConfigKeyArn"):
        result["encryptionConfig"] = _derived(
            lambda: {"provider": {"keyArn": key_arn}, "resources": ["secrets"]}, key_arn
        )
    if inputs.get("authenticationMode"):
        # Always true in pulumi-eks: EKS gives the identity running `pulumi up` cluster-admin.
        result["accessConfig"] = {
            "authenticationMode": inputs["authenticationMode"],
            "bootstrapClusterCreatorAdminPermissions": True,
        }
    return {k: v for k, v in result.items() if v is not None}


def provider_kubeconfig(cluster: Mapping[str, Any], region: str, profile: str | None) -> str:
    """generateKubeconfig(includeProfile=true): what pulumi-eks' own Kubernetes provider runs."""
    args = ["--region", region, "eks", "get-token", "--cluster-name", cluster["name"], "--output", "json"]
    if profile:
        args += ["--profile", profile]
    config = {
        "apiVersion": "v1",
        "clusters": [
            {
                "cluster": {
                    "server": cluster["endpoint"],
                    "certificate-authority-data": cluster["certificateAuthority"]["data"],
                },
                "name": "kubernetes",
            }
        ],
        "contexts": [{"context": {"cluster": "kubernetes", "user": "aws"}, "name": "aws"}],
        "current-context": "aws",
        "kind": "Config",
        "users": [
            {
                "name": "aws",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "aws",
                        "args": args,
                        "env": [
                            {
                                "name": "KUBERNETES_EXEC_INFO",
                                "value": '{"apiVersion": "client.authentication.k8s.io/v1beta1"}',
                            }
                        ],
                    }
                },
            }
        ],
    }
    return json.dumps(config, separators=(",", ":"))  # JSON.stringify


def transformed(type_: str, name: str, props: dict[str, Any], transforms: Sequence[Callable]) -> dict[str, Any]:
    """A child's inputs after the component's transforms, in order (a transform returning None keeps them)."""
    for transform in transforms:
        args = pulumi.ResourceTransformArgs(True, type_, name, dict(props), pulumi.ResourceOptions())
        result = transform(args)
        if hasattr(result, "__await__"):
            result = _sync_await(result)
        if result is not None:
            props = dict(result.props)
    return props


def children(
    name: str,
    inputs: Mapping[str, Any],
    cluster_outputs: Mapping[str, Any],
    region: str,
    role_arn: Callable[[str], str],
    transforms: Sequence[Callable] = (),
) -> list[Child]:
    """Every resource `eks:index:Cluster` named `name` registers for these inputs, in creation order.

    `cluster_outputs` are the mock's outputs of the `aws:eks/cluster:Cluster` (endpoint, CA, ...);
    `role_arn` turns a role id the program passed into its ARN; `transforms` are the program's on the
    component."""
    problems = unmodelled(inputs)
    if problems:
        raise UnmodelledChildren("; ".join(problems))
    cluster = _cluster(name, inputs, cluster_outputs, role_arn, transforms)
    found = [cluster, _provider(name, inputs, cluster, region, transforms)]
    if inputs.get("authenticationMode") in CONFIG_MAP_MODES:
        found.append(_aws_auth(name, inputs, role_arn, transforms))
    return found


def _cluster(
    name: str,
    inputs: Mapping[str, Any],
    cluster_outputs: Mapping[str, Any],
    role_arn: Callable[[str], str],
    transforms: Sequence[Callable],
) -> Child:
    cluster_in = transformed(CLUSTER, f"{name}-eksCluster", cluster_inputs(name, inputs, role_arn), transforms)
    return Child(
        CLUSTER,
        f"{name}-eksCluster",
        cluster_in,
        {**cluster_in, **cluster_outputs},
        # Kept by pulumi-eks so upgrades from its older versions do not replace the cluster.
        {"ignoreChanges": ["accessConfig.bootstrapClusterCreatorAdminPermissions", "bootstrapSelfManagedAddons"]},
        # createCore: roleArn from the service role, vpcConfig.subnetIds from the subnets,
        # encryptionConfig from the KMS key's ARN.
        reads_inputs={
            "roleArn": ("serviceRole",),
            "vpcConfig": ("publicSubnetIds", "privateSubnetIds"),
            "encryptionConfig": ("encryptionConfigKeyArn",),
            "tags": ("tags", "clusterTags"),
        },
    )


def _provider(
    name: str, inputs: Mapping[str, Any], cluster: Child, region: str, transforms: Sequence[Callable]
) -> Child:
    """The Kubernetes provider pulumi-eks writes aws-auth with, on a kubeconfig of the cluster's endpoint and CA."""
    profile = (inputs.get("providerCredentialOpts") or {}).get("profileName")
    known = cluster.outputs
    kubeconfig = (
        provider_kubeconfig(known, region, profile) if {"endpoint", "certificateAuthority"} <= set(known) else UNKNOWN
    )
    # The Kubernetes provider's schema marks kubeconfig secret, so the engine keeps it secret.
    provider_inputs = {"kubeconfig": rpc.wrap_rpc_secret(kubeconfig)}
    if inputs.get("enableConfigMapMutable") is not None:
        provider_inputs["enableConfigMapMutable"] = inputs["enableConfigMapMutable"]
    # The kubeconfig is the cluster's endpoint and CA.
    return _child(
        PROVIDER, f"{name}-eks-k8s", provider_inputs, transforms, reads_siblings={"kubeconfig": (cluster.name,)}
    )


def _aws_auth(
    name: str, inputs: Mapping[str, Any], role_arn: Callable[[str], str], transforms: Sequence[Callable]
) -> Child:
    """The aws-auth ConfigMap of the ConfigMap modes."""
    config_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "immutable": False,
        # Server-side apply with force: it takes over an aws-auth that EKS or someone else wrote.
        "metadata": {
            "name": "aws-auth",
            "namespace": "kube-system",
            "annotations": {"pulumi.com/patchForce": "true"},
        },
        "data": aws_auth_data(inputs, role_arn),
    }
    return _child(
        CONFIG_MAP,
        f"{name}-nodeAccess",
        config_map,
        transforms,
        provider=f"{name}-eks-k8s",
        # mapRoles names the node roles' ARNs (and the mapped roles and users).
        reads_inputs={"data": ("instanceRoles", "roleMappings", "userMappings")},
    )


def _child(type_: str, name: str, props: dict[str, Any], transforms: Sequence[Callable], **more: Any) -> Child:
    """A child whose outputs are its inputs after the component's transforms (the provider, the ConfigMap)."""
    props = transformed(type_, name, props, transforms)
    return Child(type_, name, props, dict(props), **more)
