"""The lifecycle review: what happens to the cluster after `pulumi up` — on the day its version's standard
support ends (pricing/support.py's lifecycle line), what its control plane tier costs, whether ARC zonal
shift may move traffic away from a zone, and how each node group repairs and updates its nodes.

Read from the resources themselves (pulumi-eks' `aws:eks/cluster:Cluster` with the program's transform
applied, the program's `aws:eks/nodeGroup:NodeGroup`s): what `pulumi up` would send, not what the
stack file says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pricing.support import lifecycle_line, today
from pricing.table import HOURS_PER_MONTH, STANDARD_TIER, PriceTable, load_prices

if TYPE_CHECKING:
    from eks_platform.runner.engine import RunResult

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
# NodegroupUpdateConfig.updateStrategy (EKS API): what each batch of a node group's update does.
STRATEGY = {
    "DEFAULT": "new nodes launch before old ones are drained",
    "MINIMAL": "old nodes are terminated before their replacements launch",
}


def tier_text(tier: str, region: str, prices: PriceTable) -> str:
    if tier == STANDARD_TIER:
        return f"{STANDARD_TIER} (no charge beyond the cluster hour)"
    regional = prices.regions.get(region)
    price = regional.tiers.get(tier) if regional else None
    if price is None:
        return f"{tier}: price unknown, pricing/prices.json has no {tier} price for {region}"
    source = prices.sources.get(price.source)
    cited = f"{source.key}, published {source.published}" if source else price.source
    return (
        f"{tier}: USD {price.usd:.2f} an hour on top of the cluster hour, +USD {price.usd * HOURS_PER_MONTH:,.2f} "
        f"a month (price table: {cited})"
    )


def _repair(config: dict[str, Any]) -> str:
    if not config.get("enabled"):
        return "auto repair off"
    limits = [f"{k} {v}" for k, v in sorted(config.items()) if k != "enabled"]
    return "auto repair on" + (f" ({', '.join(limits)})" if limits else "")


def lifecycle_review(result: RunResult) -> dict[str, Any] | None:
    clusters = result.of_type(CLUSTER)
    if not clusters:
        return None
    inputs = clusters[0].inputs
    region = str((result.config.values.get("aws:region") if result.config else None) or "unknown")
    prices, day = load_prices(), today()
    version = str(inputs.get("version") or "")
    support_type = (inputs.get("upgradePolicy") or {}).get("supportType")
    tier = (inputs.get("controlPlaneScalingConfig") or {}).get("tier") or STANDARD_TIER
    groups = []
    for group in sorted(result.of_type(NODE_GROUP), key=lambda g: g.name):
        update = group.inputs.get("updateConfig") or {}
        groups.append(
            {
                "group": group.name,
                "repair": _repair(group.inputs.get("nodeRepairConfig") or {}),
                "updateStrategy": update.get("updateStrategy", "DEFAULT"),
                "maxUnavailable": update.get("maxUnavailable"),
            }
        )
    return {
        "asOf": day.isoformat(),
        "version": version,
        "supportType": support_type,
        "support": lifecycle_line(version, support_type, day, region, prices),
        "tier": tier_text(tier, region, prices),
        "zonalShift": bool((inputs.get("zonalShiftConfig") or {}).get("enabled")),
        "nodeGroups": groups,
    }


def lifecycle_text(review: dict[str, Any] | None) -> str:
    if not review:
        return ""
    shift = (
        "on: ARC zonal autoshift may move traffic away from an impaired zone and cordon its nodes; workloads "
        "must be spread over zones"
        if review["zonalShift"]
        else "off"
    )
    lines = [
        f"Lifecycle (as of {review['asOf']}):",
        f"    support: {review['support']}",
        f"    control plane tier: {review['tier']}",
        f"    zonal shift: {shift}",
    ]
    for g in review["nodeGroups"]:
        lines.append(
            f"    node group {g['group']}: {g['repair']}; updates {g['updateStrategy']}, "
            f"{g['maxUnavailable']} node(s) at a time ({STRATEGY.get(g['updateStrategy'], '?')})"
        )
    return "\n".join(lines) + "\n"
