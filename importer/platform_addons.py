"""eksctl's day-one add-ons become `eks-platform:platformAddons`: a node group's
`iam.withAddonPolicies.awsLoadBalancerController` (or the older `albIngress`), `externalDNS` and
`certManager`, and the `addons` entries `metrics-server`, `cert-manager` and `external-dns`.

eksctl gives such an add-on a policy on the node role (pkg/cfn/builder/iam_helper.go: every pod on the node
acts with it, in every hosted zone for ExternalDNS and cert-manager) and installs none of the controllers;
the platform installs them, each with a role of its own through EKS Pod Identity, limited to the hosted
zones the stack lists. ExternalDNS cannot run without those zones (hostedZoneIds), which an eksctl file does
not name: it is left behind, saying which keys to set.
"""

from __future__ import annotations

from typing import Any

from settings.problems import key_path

from . import refusals
from .outcome import Outcome
from .reader import Fields

SECTION = "platformAddons"
NODE_ROLE_POLICY = "the platform runs it with a role of its own (EKS Pod Identity), not a policy on the node role"
EXTERNAL_DNS = (
    "ExternalDNS: the platform runs it (eks-platform:platformAddons.externalDns) with a role limited to the Route 53 "
    "hosted zones listed in hostedZoneIds, which eksctl's file does not name (eksctl's policy allows every zone): "
    "set enabled: true and hostedZoneIds"
)
CERT_MANAGER_ZONES = (
    "its Route 53 access covers only the hosted zones in eks-platform:platformAddons.certManager.hostedZoneIds "
    "(eksctl's policy allows every zone): list yours for DNS-01 challenges"
)


def _addon(out: Outcome, name: str) -> dict[str, Any]:
    section = out.config.setdefault(key_path(SECTION), {})
    return section.setdefault(name, {})


def map_addon_policies(policies: Fields, out: Outcome) -> None:
    """A node group's `iam.withAddonPolicies`: read the day-one add-ons' switches; the rest is left to the caller."""
    for key in ("awsLoadBalancerController", "albIngress"):
        if policies.boolean(key):
            _addon(out, "awsLoadBalancerController")["enabled"] = True
            out.trace(key_path(SECTION, "awsLoadBalancerController", "enabled"), policies.at(key))
            out.note(policies.at(key), f"the AWS Load Balancer Controller: {NODE_ROLE_POLICY}")
    if policies.boolean("certManager"):
        _addon(out, "certManager")["enabled"] = True
        out.trace(key_path(SECTION, "certManager", "enabled"), policies.at("certManager"))
        out.note(policies.at("certManager"), f"cert-manager: {NODE_ROLE_POLICY}; {CERT_MANAGER_ZONES}")
    if policies.boolean("externalDNS"):
        out.leave(policies.at("externalDNS"), refusals.IAM, EXTERNAL_DNS)


def map_platform_addon(item: Fields, name: str, version: str | None, values: dict | None, out: Outcome) -> bool:
    """An `addons` entry the platform runs as a day-one add-on; False: not one of them."""
    if name == "external-dns":
        out.leave(item.path, refusals.SOFTWARE, EXTERNAL_DNS)
        return True
    key = {"metrics-server": "metricsServer", "cert-manager": "certManager"}.get(name)
    if key is None:
        return False
    addon = _addon(out, key)
    addon["enabled"] = True
    out.trace(key_path(SECTION, key), item.path, same_shape=False)
    if version == "latest":
        out.note(item.at("version"), "latest: the platform installs EKS's default version for the cluster version")
    elif version is not None:
        addon["version"] = version
        out.trace(key_path(SECTION, key, "version"), item.at("version"))
    if values and key == "metricsServer":
        addon["configurationValues"] = values
        out.trace(key_path(SECTION, key, "configurationValues"), item.at("configurationValues"), same_shape=False)
    elif values:
        out.leave(item.at("configurationValues"), refusals.SOFTWARE, "cert-manager's configuration: not set here")
    if key == "certManager":
        out.note(item.path, f"cert-manager: {CERT_MANAGER_ZONES}")
    return True
