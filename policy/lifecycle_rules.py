"""The guardrails on a cluster's life after `pulumi up` (production): its support policy is the stack's own
decision, ARC zonal shift is on, every managed node group repairs its nodes, and no node group's update
takes all its nodes away at once. Registered in policy/rules.py's
RULES on import.

They judge the real resources: pulumi-eks' `aws:eks/cluster:Cluster` (its upgradePolicy comes from pulumi-eks'
own input, zonalShiftConfig from the program's transform on the component) and each `aws:eks/nodeGroup:NodeGroup`.
"""

from __future__ import annotations

if __package__:  # imported as policy.lifecycle_rules (tests, render)
    from .rules import AWS_EKS_CLUSTER, NODE_GROUP, _number, rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import AWS_EKS_CLUSTER, NODE_GROUP, _number, rule


@rule(
    "eks-support-type-explicit",
    "The cluster's support policy (upgradePolicy.supportType) is set, not left to EKS's default (production).",
    "medium",
    AWS_EKS_CLUSTER,
)
def support_type_explicit(type_, props, config):
    # Unset, EKS applies EXTENDED to a new cluster: it enters extended support, at the extended price, on a date
    # nobody chose; STANDARD lets EKS upgrade it on that date instead. Either is a decision the stack states.
    support_type = (props.get("upgradePolicy") or {}).get("supportType")
    if not support_type:
        yield (
            "upgradePolicy.supportType is not set, so EKS's default (EXTENDED) decides what happens when the "
            "version's standard support ends; set cluster.upgradePolicy.supportType to STANDARD or EXTENDED"
        )


@rule(
    "eks-zonal-shift-enabled",
    "ARC zonal shift is on, so traffic can move away from an impaired Availability Zone (production).",
    "medium",
    AWS_EKS_CLUSTER,
)
def zonal_shift_enabled(type_, props, config):
    if (props.get("zonalShiftConfig") or {}).get("enabled") is not True:
        yield "zonal shift is off; set cluster.zonalShiftConfig.enabled: true (and spread workloads over zones)"


@rule(
    "node-group-auto-repair",
    "Every managed node group has node auto repair on (production).",
    "medium",
    NODE_GROUP,
)
def node_group_auto_repair(type_, props, config):
    if (props.get("nodeRepairConfig") or {}).get("enabled") is not True:
        yield "node auto repair is off; set nodeGroups[].nodeRepairConfig.enabled: true"


@rule(
    "node-group-update-keeps-nodes",
    "A node group's update never takes away all its nodes at once: MINIMAL terminates nodes before their "
    "replacements launch, so maxUnavailable must stay below desiredSize.",
    "medium",
    NODE_GROUP,
)
def node_group_update_keeps_nodes(type_, props, config):
    update = props.get("updateConfig") or {}
    desired = (props.get("scalingConfig") or {}).get("desiredSize")
    unavailable = update.get("maxUnavailable")
    if update.get("updateStrategy") != "MINIMAL" or not isinstance(desired, int | float) or not unavailable:
        return
    if 0 < desired <= unavailable:
        yield (
            f"updateStrategy MINIMAL with maxUnavailable {_number(unavailable)} and desiredSize {_number(desired)}: an "
            "update terminates every node before a replacement launches; use DEFAULT or a smaller maxUnavailable"
        )
