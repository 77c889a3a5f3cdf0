"""`eks-platform:addons`: the EKS add-ons every cluster runs, each pinned or at EKS's default version.

The platform owns all five as `aws.eks.Addon` resources (pulumi-eks would otherwise create vpc-cni
and kube-proxy itself at the *most recent* version, so previews changed whenever AWS shipped a
build). An add-on without a pinned `version` gets the version EKS marks as default for the
cluster's Kubernetes version (`aws eks describe-addon-versions`, `defaultVersion: true`): it
changes in a preview when the cluster version changes, not when AWS publishes a newer build.

`configurationValues` is the add-on's own configuration schema
(`aws eks describe-addon-configuration`), merged over the platform's defaults below.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field

from .fields import Section, checked

NODE_MONITORING_AGENT = "eks-node-monitoring-agent"


@dataclass(frozen=True)
class AddonDefaults:
    # DaemonSets every node needs from its first minute are installed before the node groups;
    # add-ons whose pods are Deployments wait for nodes (their status stays DEGRADED without them,
    # and `pulumi up` would wait for it).
    needs_nodes: bool
    # Keep the software on the cluster when the add-on resource is deleted: removing networking
    # from a running cluster must be a deliberate act on the cluster, not a side effect.
    preserve: bool
    configuration: Mapping[str, Any] = field(default_factory=dict)
    why: str = ""


ADDONS: Mapping[str, AddonDefaults] = {
    "vpc-cni": AddonDefaults(
        needs_nodes=False,
        preserve=True,
        # NetworkPolicies are enforced only with the network policy agent on; the CNI's own log
        # level defaults to DEBUG, too loud for a cluster that runs for years.
        configuration={
            "enableNetworkPolicy": "true",
            "env": {"AWS_VPC_K8S_CNI_LOGLEVEL": "INFO", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL": "INFO"},
        },
        why="pod networking (VPC IPs), network policy agent on",
    ),
    "kube-proxy": AddonDefaults(needs_nodes=False, preserve=True, why="Service routing on every node"),
    "eks-pod-identity-agent": AddonDefaults(needs_nodes=False, preserve=False, why="EKS Pod Identity credentials"),
    "coredns": AddonDefaults(needs_nodes=True, preserve=True, why="cluster DNS"),
    "aws-ebs-csi-driver": AddonDefaults(needs_nodes=True, preserve=False, why="EBS volumes for PersistentVolumeClaims"),
    # A DaemonSet, there from a node's first minute like the Pod Identity agent. Installed only where a node
    # group has auto repair on (plan_addons' `without`): its node conditions (KernelReady, NetworkingReady,
    # StorageReady, ...) are what repair acts on beyond the kubelet's Ready, and it runs privileged with the
    # host's PID and network namespaces, a cost a stack that repairs nothing need not carry.
    NODE_MONITORING_AGENT: AddonDefaults(
        needs_nodes=False, preserve=False, why="node health conditions for node auto repair"
    ),
}

_VERSION = re.compile(r"^v\d+\.\d+\.\d+-eksbuild\.\d+$")


def addon_version_error(version: str) -> str | None:
    if not _VERSION.match(version):
        return "is not an EKS add-on version like v1.19.2-eksbuild.1 (aws eks describe-addon-versions)"
    return None


class AddonConfig(Section):
    version: Annotated[str, checked(addon_version_error)] | None = None
    configuration_values: dict[str, Any] = Field(default_factory=dict)


class AddonsConfig(Section):
    vpc_cni: AddonConfig = Field(default_factory=AddonConfig, alias="vpc-cni")
    kube_proxy: AddonConfig = Field(default_factory=AddonConfig, alias="kube-proxy")
    coredns: AddonConfig = Field(default_factory=AddonConfig, alias="coredns")
    eks_pod_identity_agent: AddonConfig = Field(default_factory=AddonConfig, alias="eks-pod-identity-agent")
    aws_ebs_csi_driver: AddonConfig = Field(default_factory=AddonConfig, alias="aws-ebs-csi-driver")
    eks_node_monitoring_agent: AddonConfig = Field(default_factory=AddonConfig, alias=NODE_MONITORING_AGENT)

    def of(self, name: str) -> AddonConfig:
        return getattr(self, name.replace("-", "_"))


@dataclass(frozen=True)
class Addon:
    """One add-on as the cluster will run it."""

    name: str
    version: str | None  # None: EKS's default for the cluster's Kubernetes version
    configuration: Mapping[str, Any]
    needs_nodes: bool
    preserve: bool

    @property
    def source(self) -> str:
        return "pinned" if self.version else "EKS default"


def merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` over `base`, mappings merged key by key (so one env variable keeps the others)."""
    result = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def plan_addons(config: AddonsConfig, without: Collection[str] = ()) -> tuple[Addon, ...]:
    """Every add-on the stack runs: all of ADDONS but those in `without` (not needed by this stack)."""
    return tuple(
        Addon(
            name,
            config.of(name).version,
            merged(defaults.configuration, config.of(name).configuration_values),
            defaults.needs_nodes,
            defaults.preserve,
        )
        for name, defaults in ADDONS.items()
        if name not in without
    )
