"""Addons: EKS add-ons as `aws.eks.Addon` resources, each at a pinned version or at the version EKS
marks as default for the cluster's Kubernetes version — never "the most recent build", which would
change a preview whenever AWS published one.

The program creates two of these: the add-ons every node needs from its first minute (vpc-cni,
kube-proxy, eks-pod-identity-agent) before the node groups, and those whose pods need nodes to run
on (coredns, ...) after them — an add-on without running pods stays DEGRADED and `pulumi up` would
wait for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

# Adopt what is on the cluster at creation and bring drift back on every update: the add-on's
# configuration is what the stack says, not what someone edited by hand.
RESOLVE_CONFLICTS = "OVERWRITE"


@dataclass(frozen=True)
class AddonSpec:
    """One add-on. `version` None: EKS's default for `kubernetes_version`, looked up at preview."""

    name: str
    """The EKS add-on (vpc-cni, kube-proxy, coredns, eks-pod-identity-agent, aws-ebs-csi-driver, ...)."""
    version: str | None = None
    """v1.19.2-eksbuild.1 style; None: EKS's default for the cluster's Kubernetes version."""
    configuration: Mapping[str, Any] = field(default_factory=dict)
    """The add-on's configurationValues (its own schema: `aws eks describe-addon-configuration`)."""
    preserve: bool = False
    """Leave the software on the cluster when the add-on resource is deleted."""
    service_account_role_arn: pulumi.Input[str] | None = None
    """An IRSA role for the add-on's service account."""
    previous: pulumi.Alias | None = None
    """Where the resource lived before (an alias keeps the cloud add-on instead of creating it again)."""

    def __post_init__(self):
        if self.version is not None and not re.match(r"^v\d+\.\d+\.\d+-eksbuild\.\d+$", self.version):
            raise ValueError(f"AddonSpec {self.name}: version {self.version!r} is not like v1.19.2-eksbuild.1")


@dataclass(frozen=True)
class AddonsArgs:
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    """The cluster's version: unpinned add-ons get EKS's default version for it."""
    addons: Sequence[AddonSpec]
    """Each add-on once."""
    tags: Mapping[str, str] = field(default_factory=dict)
    depends_on: Sequence[pulumi.Resource] = ()
    """Created first, on each add-on itself (not only on this component): e.g. the node groups."""

    def __post_init__(self):
        names = [a.name for a in self.addons]
        if len(names) != len(set(names)):
            raise ValueError(f"Addons: args.addons names an add-on twice ({', '.join(sorted(names))})")


def addon_version(name: str, kubernetes_version: str, pinned: str | None, parent: pulumi.Resource) -> pulumi.Input[str]:
    if pinned:
        return pinned
    return aws.eks.get_addon_version_output(
        addon_name=name,
        kubernetes_version=kubernetes_version,
        most_recent=False,  # EKS's default version, the one `aws eks create-addon` would pick
        opts=pulumi.InvokeOutputOptions(parent=parent),
    ).version


class Addons(pulumi.ComponentResource):
    by_name: dict[str, aws.eks.Addon]

    def __init__(self, name: str, args: AddonsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:Addons", name, None, opts)
        self.by_name = {}
        for spec in args.addons:
            self.by_name[spec.name] = aws.eks.Addon(
                spec.name,
                cluster_name=args.cluster_name,
                addon_name=spec.name,
                addon_version=addon_version(spec.name, args.kubernetes_version, spec.version, self),
                configuration_values=json.dumps(spec.configuration, sort_keys=True) if spec.configuration else None,
                service_account_role_arn=spec.service_account_role_arn,
                resolve_conflicts_on_create=RESOLVE_CONFLICTS,
                resolve_conflicts_on_update=RESOLVE_CONFLICTS,
                preserve=spec.preserve,
                tags=dict(args.tags),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    depends_on=list(args.depends_on),
                    aliases=[spec.previous] if spec.previous else None,
                ),
            )
        self.register_outputs({"addons": sorted(self.by_name)})
