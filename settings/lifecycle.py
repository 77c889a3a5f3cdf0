"""How a cluster lives on after `pulumi up`: its support policy, zonal shift, control plane tier, and how
its node groups repair and update themselves. The config shapes (under `eks-platform:cluster` and
`eks-platform:nodeGroups[]`), each with its default.

The valid values are the EKS API's (components/lifecycle.py; in NodeRepairConfig a count is a
NonZeroInteger, 1 or more, a percentage a PercentCapacity, 1 to 100), as pulumi-aws 7.51's aws.eks.Cluster
and aws.eks.NodeGroup take them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from eks_platform.components.lifecycle import SUPPORT_TYPES, TIERS, UPDATE_STRATEGIES

from .addons import NODE_MONITORING_AGENT
from .fields import Section, one_of

if TYPE_CHECKING:
    from .model import NodeGroupConfig


class UpgradePolicy(Section):
    # None: the stack leaves it to EKS (EXTENDED for a new cluster: pricing/support.py EKS_DEFAULT_SUPPORT_TYPE).
    # Not sent then, so a cluster keeps what it has: the AWS provider reads upgradePolicy back (Optional +
    # Computed), removing the key changes nothing.
    support_type: Annotated[str, one_of(SUPPORT_TYPES)] | None = None


class ZonalShiftConfig(Section):
    enabled: bool = False


class ControlPlaneScalingConfig(Section):
    tier: Annotated[str, one_of(TIERS)] = TIERS[0]  # standard


class NodeRepairConfig(Section):
    """EKS node auto repair: an unhealthy node (kubelet not Ready, or a condition of the node monitoring
    agent) is replaced or rebooted. On by default: it costs nothing and EKS halts it by itself when too many
    nodes are unhealthy or a zonal shift is active."""

    enabled: bool = True
    # Above this many (or this share of) unhealthy nodes repair stops; EKS's own default when unset.
    max_unhealthy_node_threshold_count: int | None = Field(default=None, ge=1)
    max_unhealthy_node_threshold_percentage: int | None = Field(default=None, ge=1, le=100)
    # At most this many (or this share of the) unhealthy nodes are repaired at once.
    max_parallel_nodes_repaired_count: int | None = Field(default=None, ge=1)
    max_parallel_nodes_repaired_percentage: int | None = Field(default=None, ge=1, le=100)


UpdateStrategy = Annotated[str, one_of(UPDATE_STRATEGIES)]
DEFAULT_UPDATE_STRATEGY = UPDATE_STRATEGIES[0]


def needs_monitoring(groups: Sequence[NodeGroupConfig]) -> bool:
    """The EKS node monitoring agent runs where some node group has auto repair on (settings/addons.py)."""
    return any(g.node_repair_config.enabled for g in groups)


def unneeded_addons(groups: Sequence[NodeGroupConfig]) -> tuple[str, ...]:
    return () if needs_monitoring(groups) else (NODE_MONITORING_AGENT,)
