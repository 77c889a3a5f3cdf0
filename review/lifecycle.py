"""What a change does to the cluster's life after `pulumi up`: a new support policy or version moves the day
EKS upgrades the control plane (or the day it starts billing extended support), a new tier changes the
hourly price, zonal shift and node auto repair turn on or off, a node group's update strategy changes how
its nodes are replaced. Each is a note under "Lifecycle" in the review; one is a danger:

EKS sets a cluster's support policy only while its version is in standard support (Amazon EKS User Guide,
view-upgrade-policy.adoc: "Once the version enters extended support, you will not be able to change this
setting until you are running on a version in standard support"). The AWS provider updates the version
before the policy (terraform-provider-aws internal/service/eks cluster.go resourceClusterUpdate: "Do any
version update first"), so the head's version is the one EKS judges.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pricing.cost import region_of
from pricing.report import plan_resources
from pricing.support import EKS_DEFAULT_SUPPORT_TYPE, lifecycle_line, support_of
from pricing.support import today as render_day
from pricing.table import STANDARD_TIER, load_prices
from render.lifecycle import STRATEGY, tier_text

from .changes import ResourceChange
from .dangers import CLUSTER, NODE_GROUP, Danger


def _inputs(side: dict | None) -> Mapping[str, Any]:
    return (side or {}).get("inputs") or {}


def _support(inputs: Mapping[str, Any]) -> str | None:
    return (inputs.get("upgradePolicy") or {}).get("supportType")


def _region(plan: Mapping[str, Any]) -> str:
    return str((plan.get("outputs") or {}).get("region") or region_of(plan_resources(plan.get("resources") or [])))


def _updated(changes: list[ResourceChange], type_: str) -> list[ResourceChange]:
    return [c for c in changes if c.type == type_ and c.action == "update" and c.base and c.head]


def _cluster_notes(c: ResourceChange, region: str, day: date) -> list[str]:
    old, new = _inputs(c.base), _inputs(c.head)
    version, support = str(new.get("version") or ""), _support(new)
    notes = []
    if (old.get("version"), _support(old)) != (version, support):
        what = []
        if old.get("version") != version:
            what.append(f"version {old.get('version')} → {version}")
        if _support(old) != support:
            what.append(f"supportType {_support(old) or 'unset'} → {support or 'unset'}")
        notes.append(f"{', '.join(what)}: {lifecycle_line(version, support, day, region, load_prices())}")
        if _support(old) and not support:
            notes.append(
                f"upgradePolicy.supportType removed: the cluster keeps {_support(old)} (the AWS provider reads it "
                f"back); EKS's default {EKS_DEFAULT_SUPPORT_TYPE} applies only to a new cluster"
            )
    old_tier = (old.get("controlPlaneScalingConfig") or {}).get("tier") or STANDARD_TIER
    tier = (new.get("controlPlaneScalingConfig") or {}).get("tier") or STANDARD_TIER
    if old_tier != tier:
        notes.append(f"control plane tier {old_tier} → {tier_text(tier, region, load_prices())}")
    shift = [bool((i.get("zonalShiftConfig") or {}).get("enabled")) for i in (old, new)]
    if shift == [True, False]:
        notes.append("zonal shift turned off: ARC no longer moves traffic away from an impaired zone")
    elif shift == [False, True]:
        notes.append(
            "zonal shift turned on: ARC may cordon a whole zone's nodes and move traffic to the others; "
            "workloads must be spread over zones (the render warns of those that are not)"
        )
    return notes


def _node_group_notes(c: ResourceChange) -> list[str]:
    old, new = _inputs(c.base), _inputs(c.head)
    notes = []
    repair = [bool((i.get("nodeRepairConfig") or {}).get("enabled")) for i in (old, new)]
    if repair == [True, False]:
        notes.append(f"node group {c.name}: auto repair turned off: an unhealthy node stays until someone replaces it")
    elif repair == [False, True]:
        notes.append(f"node group {c.name}: auto repair turned on: EKS replaces or reboots unhealthy nodes")
    strategies = [(i.get("updateConfig") or {}).get("updateStrategy", "DEFAULT") for i in (old, new)]
    if strategies[0] != strategies[1]:
        notes.append(
            f"node group {c.name}: updates {strategies[0]} → {strategies[1]} ({STRATEGY.get(strategies[1], '?')})"
        )
    return notes


def lifecycle_notes(
    changes: list[ResourceChange], head_plan: Mapping[str, Any], today: date | None = None
) -> list[str]:
    day, region = today or render_day(), _region(head_plan)
    notes = [n for c in _updated(changes, CLUSTER) for n in _cluster_notes(c, region, day)]
    return notes + [n for c in _updated(changes, NODE_GROUP) for n in _node_group_notes(c)]


def lifecycle_dangers(changes: list[ResourceChange], today: date | None = None) -> list[Danger]:
    day = today or render_day()
    found = []
    for c in _updated(changes, CLUSTER):
        old, new = _inputs(c.base), _inputs(c.head)
        version = str(new.get("version") or "")
        before, after = _support(old), _support(new)
        # Unset sends nothing (no update); the head's version past standard support is what EKS refuses.
        if after and before != after and support_of(version, EKS_DEFAULT_SUPPORT_TYPE, day) == "extended":
            found.append(
                Danger(
                    "change EKS refuses",
                    f"upgradePolicy.supportType {before or 'unset'} → {after} on Kubernetes {version}",
                    f"EKS sets the support policy only while the version is in standard support, and {version}'s "
                    "has ended: `pulumi up` fails half-way; upgrade to the next version first",
                )
            )
    return found
