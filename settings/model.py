"""The typed, immutable shape of a stack's `eks-platform:*` config, with its defaults.

Field-level rules (types, ranges, enums, syntax) live here, expressed with pydantic; rules
that relate several fields live in `rules.py`. Config keys are camelCase as users write
them; attributes are snake_case.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import Field

from . import syntax
from .fields import TAINT_EFFECTS, LabelValue, NodeLabelKey, Section, TaintEffect, checked, one_of
from .instance_sizes import size_error
from .instance_types import AMI_TYPES, instance_type_error
from .lifecycle import (
    DEFAULT_UPDATE_STRATEGY,
    ControlPlaneScalingConfig,
    NodeRepairConfig,
    UpdateStrategy,
    UpgradePolicy,
    ZonalShiftConfig,
)
from .versions import DEFAULT_VERSION, version_syntax_error

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
DEFAULT_LOG_TYPES = ("api", "audit", "authenticator")

ClusterName = Annotated[str, checked(syntax.cluster_name_error)]
Cidr = Annotated[str, checked(syntax.ipv4_cidr_error)]
InstanceType = Annotated[str, checked(instance_type_error), checked(size_error)]
TaintKey = Annotated[str, checked(syntax.qualified_name_error)]
NodeGroupName = Annotated[str, checked(syntax.node_group_name_error)]
KubernetesVersion = Annotated[str, checked(version_syntax_error)]
LogType = Annotated[str, one_of(LOG_TYPES)]
AmiType = Annotated[str, one_of(tuple(AMI_TYPES))]
VpcId = Annotated[str, checked(syntax.vpc_id_error)]
SubnetId = Annotated[str, checked(syntax.subnet_id_error)]


class ClusterConfig(Section):
    name: ClusterName | None = None
    version: KubernetesVersion = DEFAULT_VERSION
    endpoint_public_access: bool = True
    endpoint_private_access: bool = True
    public_access_cidrs: tuple[Cidr, ...] = ()
    log_types: tuple[LogType, ...] = DEFAULT_LOG_TYPES
    secrets_encryption: bool = True
    deletion_protection: bool = False
    tags: dict[str, str] = Field(default_factory=dict)
    # How the platform's controllers (Cluster Autoscaler, EBS CSI driver) get IAM roles: EKS Pod
    # Identity, or IAM roles for service accounts through the cluster's OIDC provider.
    service_account_roles: Annotated[str, one_of(("podIdentity", "irsa"))] = "podIdentity"
    # What happens when the version's standard support ends, ARC zonal shift, the control plane tier
    # (settings/lifecycle.py).
    upgrade_policy: UpgradePolicy = Field(default_factory=UpgradePolicy)
    zonal_shift_config: ZonalShiftConfig = Field(default_factory=ZonalShiftConfig)
    control_plane_scaling_config: ControlPlaneScalingConfig = Field(default_factory=ControlPlaneScalingConfig)


class NetworkConfig(Section):
    """Either the platform creates the VPC (the first three keys) or uses yours (the rest)."""

    vpc_cidr: Cidr = "10.0.0.0/16"
    availability_zones: int = Field(default=2, ge=2, le=6)
    nat_gateways: Annotated[str, one_of(("single", "perAz"))] = "single"
    vpc_id: VpcId | None = None
    private_subnet_ids: tuple[SubnetId, ...] = ()
    public_subnet_ids: tuple[SubnetId, ...] = ()

    @property
    def creates_vpc(self) -> bool:
        return self.vpc_id is None and not self.private_subnet_ids and not self.public_subnet_ids


class Taint(Section):
    key: TaintKey
    value: LabelValue = ""
    effect: TaintEffect

    @property
    def eks_effect(self) -> str:
        """The spelling of the EKS API (NO_SCHEDULE); `effect` keeps Kubernetes' (NoSchedule)."""
        return TAINT_EFFECTS[self.effect]


class NodeGroupConfig(Section):
    name: NodeGroupName
    instance_types: tuple[InstanceType, ...] = Field(default=("t3.medium",), min_length=1)
    capacity_type: Annotated[str, one_of(("ON_DEMAND", "SPOT"))] = "ON_DEMAND"
    ami_type: AmiType = "AL2023_x86_64_STANDARD"
    disk_size: int = Field(default=20, ge=20, le=16384)
    min_size: int = Field(default=1, ge=0)
    max_size: int = Field(default=2, ge=1)
    desired_size: int | None = Field(default=None, ge=0)
    labels: dict[NodeLabelKey, LabelValue] = Field(default_factory=dict)
    taints: tuple[Taint, ...] = ()
    max_unavailable: int = Field(default=1, ge=1)
    # How an update replaces nodes (DEFAULT: new ones first; MINIMAL: old ones first), and auto repair.
    update_strategy: UpdateStrategy = DEFAULT_UPDATE_STRATEGY
    node_repair_config: NodeRepairConfig = Field(default_factory=NodeRepairConfig)
    subnets: Annotated[str, one_of(("private", "public"))] = "private"
    ignore_scaling_changes: bool = False
    # On the node group and its instances and volumes, after the cluster's tags.
    tags: dict[str, str] = Field(default_factory=dict)

    @property
    def desired(self) -> int:
        return self.min_size if self.desired_size is None else self.desired_size


class StorageConfig(Section):
    """The encrypted gp3 StorageClass: Retain keeps a volume (and its data) after its claim is deleted."""

    reclaim_policy: Annotated[str, one_of(("Delete", "Retain"))] = "Delete"


def node_role_name(cluster_name: str, node_group: str) -> str:
    """`<cluster>-<group>-node`; IAM allows 64 characters, so a longer name is cut and a hash of
    the full name keeps it unique."""
    name = f"{cluster_name}-{node_group}-node"
    if len(name) <= 64:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: 64 - len(digest) - 6]}-{digest}-node"
