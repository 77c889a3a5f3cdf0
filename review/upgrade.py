"""The upgrade review: what a change of `cluster.version` will do, in the order `pulumi up` does it.

EKS upgrades a control plane one minor version at a time, never down. Nodes follow the control
plane: a kubelet may be up to three minor versions older than the API server, never newer (the
Kubernetes version skew policy, since 1.28). The program's dependencies give `pulumi up` the order
EKS's upgrade guide asks for: control plane, then the add-ons nodes need, then the node groups
(rolling, `maxUnavailable` nodes at a time, in the order its update strategy sets), then the add-ons
that run on nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from render.lifecycle import STRATEGY

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
KUBELET_SKEW = 3
PODS = {
    "kubernetes:apps/v1:Deployment": "replicas",
    "kubernetes:apps/v1:StatefulSet": "replicas",
    "kubernetes:core/v1:Pod": None,
}
DAEMONSET = "kubernetes:apps/v1:DaemonSet"


@dataclass
class UpgradeReview:
    old: str
    new: str
    problems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def _minor(version: str) -> int:
    return int(str(version).split(".")[1])


def _of(plan: Mapping[str, Any], type_: str) -> list[dict]:
    return [r for r in plan.get("resources", []) if r["type"] == type_]


def cluster_version(plan: Mapping[str, Any]) -> str | None:
    clusters = _of(plan, CLUSTER)
    return clusters[0]["inputs"].get("version") if clusters else None


def _pods_on(plan: Mapping[str, Any], node_group_urn: str) -> tuple[int, int]:
    """(pods of Deployments, StatefulSets and Pods that wait for this group, DaemonSets on it)."""
    pods = daemonsets = 0
    for r in plan.get("resources", []):
        if node_group_urn not in r.get("dependsOn", []):
            continue
        if r["type"] in PODS:
            field_ = PODS[r["type"]]
            pods += int((r["inputs"].get("spec") or {}).get(field_, 1)) if field_ else 1
        elif r["type"] == DAEMONSET:
            daemonsets += 1
    return pods, daemonsets


def upgrade_review(
    base: Mapping[str, Any], head: Mapping[str, Any], manifest_problems: Mapping[str, list[str]] | None = None
) -> UpgradeReview | None:
    """None when the control plane's version does not change. `manifest_problems` maps a manifest
    to what the target version's schemas refuse in it (removed APIs)."""
    old, new = cluster_version(base), cluster_version(head)
    if not old or not new or old == new:
        return None
    return UpgradeReview(old, new, _problems(old, new, head, manifest_problems or {}), _steps(old, new, head))


def _problems(old: str, new: str, head: Mapping[str, Any], manifest_problems: Mapping[str, list[str]]) -> list[str]:
    """What EKS or the version skew policy refuses: a downgrade, a skipped version, a kubelet too new or too old,
    and the target version's removed APIs."""
    problems = []
    step = _minor(new) - _minor(old)
    if step < 0:
        problems.append(f"{old} → {new} is a downgrade; EKS cannot downgrade a control plane")
    elif step > 1:
        between = ", ".join(f"1.{m}" for m in range(_minor(old) + 1, _minor(new)))
        problems.append(
            f"{old} → {new} skips {between}: EKS upgrades one minor version at a time; "
            f"set cluster.version to 1.{_minor(old) + 1}, `pulumi up`, then go on"
        )
    for group in _of(head, NODE_GROUP):
        version = group["inputs"].get("version") or new
        if _minor(version) > _minor(new):
            problems.append(f"node group {group['name']} would run {version}, newer than the control plane {new}")
        elif _minor(new) - _minor(version) > KUBELET_SKEW:
            problems.append(
                f"node group {group['name']} would run {version}, more than {KUBELET_SKEW} minor versions "
                f"behind the control plane {new}"
            )
    for manifest, found in sorted(manifest_problems.items()):
        problems += [f"{manifest}: {p} (Kubernetes {new})" for p in found]
    return problems


def _steps(old: str, new: str, head: Mapping[str, Any]) -> list[str]:
    """The order `pulumi up` takes: the control plane, the add-ons every node needs, each node group (rolling,
    in the order of its update strategy), then the add-ons that run on nodes."""
    addons = {a["inputs"]["addonName"]: a for a in _of(head, ADDON)}
    groups = _of(head, NODE_GROUP)
    group_urns = {g["urn"] for g in groups}

    def after_nodes(addon: dict) -> bool:
        return bool(group_urns & set(addon.get("dependsOn", [])))

    def addon_line(name: str) -> str:
        return f"{name} {addons[name]['inputs'].get('addonVersion')}"

    early = sorted(n for n, a in addons.items() if not after_nodes(a))
    late = sorted(n for n, a in addons.items() if after_nodes(a))
    steps = [f"control plane {old} → {new} (in place; the API stays up, workloads keep running)"]
    if early:
        steps.append("add-ons every node needs: " + "; ".join(addon_line(n) for n in early))
    for group in sorted(groups, key=lambda g: g["name"]):
        inputs = group["inputs"]
        scaling, update = inputs.get("scalingConfig") or {}, inputs.get("updateConfig") or {}
        pods, daemonsets = _pods_on(head, group["urn"])
        strategy = update.get("updateStrategy", "DEFAULT")
        steps.append(
            f"node group {group['name']} to {inputs.get('version', new)}: rolling, {update.get('maxUnavailable', 1)} "
            f"of {scaling.get('desiredSize', '?')} node(s) at a time (max {scaling.get('maxSize', '?')}), "
            f"{strategy}: {STRATEGY.get(strategy, '?')}; "
            f"{pods} pod(s) move" + (f", {daemonsets} DaemonSet(s) restart on each node" if daemonsets else "")
        )
    if late:
        steps.append("add-ons that run on nodes: " + "; ".join(addon_line(n) for n in late))
    return steps
