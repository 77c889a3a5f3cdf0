"""eksctl's lifecycle fields: `upgradePolicy`, `zonalShiftConfig` and `controlPlaneScalingConfig` become
`eks-platform:cluster`'s keys of the same names, `managedNodeGroups[].nodeRepairConfig` each group's.

eksctl's schema (pkg/apis/eksctl.io/v1alpha5/types.go @ 99984adb): UpgradePolicy{supportType},
ZonalShiftConfig{enabled}, ControlPlaneScalingConfig{tier}, NodeGroupNodeRepairConfig{enabled,
maxUnhealthyNodeThreshold{Count,Percentage}, maxParallelNodesRepaired{Count,Percentage},
nodeRepairConfigOverrides}. Its NodeGroupUpdateConfig has no updateStrategy: an imported group updates
with the platform's default, DEFAULT (as eksctl's would: EKS's default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from settings.problems import key_path

from . import eksctl_defaults as default
from . import refusals
from .outcome import Outcome
from .reader import Fields

REPAIR_LIMITS = (
    "maxUnhealthyNodeThresholdCount",
    "maxUnhealthyNodeThresholdPercentage",
    "maxParallelNodesRepairedCount",
    "maxParallelNodesRepairedPercentage",
)


def map_cluster_lifecycle(top: Fields, cluster: dict, out: Outcome) -> None:
    policy = top.fields("upgradePolicy")
    support_type = policy.string("supportType")
    stack = key_path("cluster", "upgradePolicy", "supportType")
    if support_type is not None:
        cluster["upgradePolicy"] = {"supportType": support_type}
        out.trace(stack, policy.at("supportType"))
    elif policy.value.get("supportType") is None:
        # eksctl sends no upgradePolicy then, and EKS makes the cluster EXTENDED: written out, so the stack
        # says what it gets and a reviewer can choose STANDARD.
        cluster["upgradePolicy"] = {"supportType": default.SUPPORT_TYPE}
        out.trace(stack, f"{policy.at('supportType')} (EKS's default: {default.SUPPORT_TYPE})", same_shape=False)
    policy.leave_behind({})

    _one_field(top.fields("zonalShiftConfig"), "enabled", Fields.boolean, cluster, out)
    _one_field(top.fields("controlPlaneScalingConfig"), "tier", Fields.string, cluster, out)


def _one_field(block: Fields, key: str, read: Callable[[Fields, str], Any], cluster: dict, out: Outcome) -> None:
    """A block of one field, carried to the cluster key of the same name when the file sets it."""
    value = read(block, key)
    section = block.path  # a top-level block: its path is its name
    if value is not None:
        cluster[section] = {key: value}
        out.trace(key_path("cluster", section, key), block.at(key))
    block.leave_behind({})


def map_node_repair(ng: Fields, group: dict, index: int, out: Outcome) -> None:
    repair = ng.fields("nodeRepairConfig")
    stack = key_path("nodeGroups", index, "nodeRepairConfig")
    enabled = repair.boolean("enabled")
    config: dict = {}
    if enabled is not None:
        config["enabled"] = enabled
        out.trace(f"{stack}.enabled", repair.at("enabled"))
    elif repair.value.get("enabled") is None:
        out.note(
            repair.at("enabled"),
            "not set, so eksctl's group would not repair its nodes; the stack keeps the platform's default "
            "(node auto repair on, with the EKS node monitoring agent)",
        )
    for key in REPAIR_LIMITS:
        value = repair.integer(key)
        if value is not None:
            config[key] = value
            out.trace(f"{stack}.{key}", repair.at(key))
    repair.leave_behind(refusals.NODE_REPAIR)
    if config:
        group["nodeRepairConfig"] = config
