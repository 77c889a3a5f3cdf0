"""Rules and warnings of the cluster's lifecycle settings (settings/lifecycle.py): node auto repair limits,
the update strategy, and what zonal shift asks of the workloads.

Sources: EKS API NodeRepairConfig ("When using this, you cannot also set ... at the same time"),
NodegroupUpdateConfig.updateStrategy (MINIMAL "terminates the old instances before launching the new
instances"); Amazon EKS User Guide, "Learn about ARC Zonal Shift in Amazon EKS" (zone-shift.adoc @ 4d52b4d0):
"Spread multiple Pod replicas across all AZs", with topology spread constraints on topology.kubernetes.io/zone.
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import ClusterConfig, NodeGroupConfig
from .problems import Problem, key_path
from .rules import Parsed, rule
from .scheduling import samples
from .workloads import WorkloadsConfig

ZONE_KEY = "topology.kubernetes.io/zone"
# (count key, percentage key): EKS takes one of each pair.
_EITHER = (
    ("maxUnhealthyNodeThresholdCount", "maxUnhealthyNodeThresholdPercentage"),
    ("maxParallelNodesRepairedCount", "maxParallelNodesRepairedPercentage"),
)


def _limits(group: NodeGroupConfig) -> dict[str, int]:
    """The repair limits the stack sets, by config key."""
    repair = group.node_repair_config
    return {
        field.alias or name: value
        for name, field in type(repair).model_fields.items()
        if name != "enabled" and (value := getattr(repair, name)) is not None
    }


@rule
def repair_limits_one_of_each(p: Parsed) -> Iterator[Problem]:
    for i, group in p.node_groups:
        given = _limits(group)
        for count, percentage in _EITHER:
            if count in given and percentage in given:
                yield Problem(
                    key_path("nodeGroups", i, "nodeRepairConfig", percentage),
                    f"{given[percentage]} is set beside {count} {given[count]}; EKS takes one of them (remove one)",
                )


def lifecycle_warnings(p: Parsed) -> list[str]:
    found = []
    for i, group in p.node_groups:
        if group.update_strategy == "MINIMAL" and 0 < group.desired <= group.max_unavailable:
            found.append(
                f"{key_path('nodeGroups', i, 'updateStrategy')}: MINIMAL terminates nodes before their replacements "
                f"launch, and maxUnavailable {group.max_unavailable} covers all {group.desired} node(s): during an "
                "update the group runs no node at all; use DEFAULT, or more nodes than maxUnavailable"
            )
        if not group.node_repair_config.enabled and _limits(group):
            found.append(
                f"{key_path('nodeGroups', i, 'nodeRepairConfig')}: its limits do nothing while enabled is false"
            )
    return found


def zonal_spread_warnings(cluster: ClusterConfig | None, workloads: WorkloadsConfig) -> list[str]:
    """With zonal shift on, ARC cordons a whole zone: a Deployment or StatefulSet of several replicas that is
    not spread over zones may have all of them there. "Prod" is known by zonal shift being on: a stack that
    asks to survive a zone's impairment is the one whose workloads must be spread."""
    if cluster is None or not cluster.zonal_shift_config.enabled:
        return []
    found = []
    for subject in samples(workloads):
        if subject.kind not in ("Deployment", "StatefulSet") or (subject.pods or 0) < 2:
            continue
        if any(t.topology_key == ZONE_KEY for t in subject.workload.topology_spread):
            continue
        found.append(
            f"{subject.path}: {subject.pods} replicas not spread over zones while cluster.zonalShiftConfig.enabled "
            f"is true; a zonal shift cordons a whole zone and they may all be there; add topologySpread "
            f"{{topologyKey: {ZONE_KEY}, maxSkew: 1}}"
        )
    return found
