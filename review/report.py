"""The review of a change: dangers first, then counts, then each resource's changes grouped under the
component it belongs to, the access changes, the upgrade steps and the policy verdict — as text for
a terminal and as markdown for the pull-request comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pricing.report import CostChange, cost_changes

from .base_urns import with_engine_urns
from .changes import PropertyChange, ResourceChange, counts, diff_plans, is_component, property_changes
from .dangers import Danger, access_dangers, detach_dangers, resource_dangers, vpc_dangers
from .lifecycle import lifecycle_dangers, lifecycle_notes
from .load_balancers import load_balancer_dangers
from .ripple import paths_text, ripple
from .rollouts import rollouts
from .scaling import stale_desired_size
from .upgrade import UpgradeReview, upgrade_review

SYMBOL = {"create": "+", "update": "~", "replace": "±", "delete": "-"}
SECRETS_NOTE = "Secret values are masked on both sides: a changed secret cannot be seen in a review."


@dataclass
class Group:
    """A top-level component (or a resource outside any) and every change under it."""

    type: str
    name: str
    action: str | None  # the component's own create/delete, None when it stays
    changes: list[ResourceChange] = field(default_factory=list)


@dataclass
class Review:
    stack: str
    base: str
    head: str
    counts: dict[str, int]
    groups: list[Group]
    dangers: list[Danger]
    upgrade: UpgradeReview | None
    policy: list[dict[str, str]]
    outputs: list[PropertyChange] = field(default_factory=list)
    cost: list[CostChange] = field(default_factory=list)  # the total last (pricing/report.py)
    rollouts: list[str] = field(default_factory=list)  # node groups whose every node is replaced
    lifecycle: list[str] = field(default_factory=list)  # review/lifecycle.py

    @property
    def dangerous(self) -> bool:
        return bool(self.dangers)

    @property
    def refused(self) -> bool:
        return bool(self.upgrade and self.upgrade.problems)

    @property
    def unchanged(self) -> bool:
        return not self.groups and not self.dangers and self.upgrade is None and not self.outputs


def _top_level(urn: str, entries: Mapping[str, dict]) -> str:
    while (parent := entries.get(urn, {}).get("parent")) in entries:
        urn = parent
    return urn


def _node_role_owner(entries: Mapping[str, dict]) -> dict[str, str]:
    """A node group's IAM role lives in a component of its own (pulumi-eks needs every node role
    before any node group exists); a review shows it with the node group that runs as it."""
    role_arns = {
        e["urn"]: (e.get("inputs") or {}).get("name") for e in entries.values() if e["type"] == "aws:iam/role:Role"
    }
    owners = {}
    for entry in entries.values():
        if entry["type"] != "aws:eks/nodeGroup:NodeGroup":
            continue
        arn = str((entry.get("inputs") or {}).get("nodeRoleArn", ""))
        for role_urn, role_name in role_arns.items():
            if role_name and arn.endswith(f":role/{role_name}"):
                owners[_top_level(role_urn, entries)] = _top_level(entry["urn"], entries)
    return owners


def group_changes(changes: list[ResourceChange], base: Mapping[str, Any], head: Mapping[str, Any]) -> list[Group]:
    """Changes under their top-level component. A component's own input changes are not listed:
    what they change shows on the resources under it."""
    entries = {r["urn"]: r for r in base.get("resources", [])}
    entries.update({r["urn"]: r for r in head.get("resources", [])})
    owners = _node_role_owner(entries)
    groups: dict[str, Group] = {}
    for change in changes:
        top = _top_level(change.urn, entries)
        top = owners.get(top, top)
        group = groups.setdefault(top, Group(entries[top]["type"], entries[top]["name"], None))
        if not is_component(change.entry):
            group.changes.append(change)
        elif change.urn == top and change.action in ("create", "delete"):
            group.action = change.action
    return sorted((g for g in groups.values() if g.changes or g.action), key=lambda g: (g.type, g.name))


def build_review(
    stack: str,
    base_plan: Mapping[str, Any],
    head_plan: Mapping[str, Any],
    base_label: str,
    head_label: str = "working tree",
    manifest_problems: Mapping[str, list[str]] | None = None,
) -> Review:
    # The base may come from a runner older than the engine's URN rule; its own chain rebuilds them.
    base_plan = with_engine_urns(base_plan)
    changes = ripple(diff_plans(base_plan, head_plan), base_plan, head_plan)
    dangers = (
        resource_dangers(changes)
        + vpc_dangers(changes)
        + detach_dangers(changes, head_plan)
        + access_dangers(base_plan.get("access") or {}, head_plan.get("access") or {})
        + stale_desired_size(changes)
        + lifecycle_dangers(changes)
        + load_balancer_dangers(changes)
    )
    old_outputs, new_outputs = base_plan.get("outputs") or {}, head_plan.get("outputs") or {}
    # Stack outputs are the contract StackReference consumers read: one that goes away breaks them.
    dangers += [
        Danger("stack output removed", name, "projects reading it through a StackReference fail at their next update")
        for name in sorted(set(old_outputs) - set(new_outputs))
        if base_plan.get("resources")
    ]
    upgrade = upgrade_review(base_plan, head_plan, manifest_problems)
    return Review(
        stack=stack,
        base=base_label,
        head=head_label,
        counts=counts(changes),
        groups=group_changes(changes, base_plan, head_plan),
        dangers=dangers,
        upgrade=upgrade,
        policy=list(head_plan.get("policy") or []),
        outputs=list(property_changes(old_outputs, new_outputs)),
        cost=_cost(base_plan, head_plan),
        rollouts=rollouts(changes, upgrading=upgrade is not None),
        lifecycle=lifecycle_notes(changes, head_plan),
    )


def _cost(base_plan: Mapping[str, Any], head_plan: Mapping[str, Any]) -> list[CostChange]:
    changes, total = cost_changes(base_plan, head_plan)
    return [*changes, total] if total else []


def _counts_line(review: Review) -> str:
    c = review.counts
    return (
        f"+ {c['create']} to create, ~ {c['update']} to update, ± {c['replace']} to replace, - {c['delete']} to delete"
    )


def _resource_lines(change: ResourceChange, indent: str) -> list[str]:
    head = f"{indent}{SYMBOL[change.action]} {change.type} {change.name}"
    if change.action == "replace" and change.forced_by:
        head += f"   replaced: {paths_text(change.forced_by)} cannot change in place"
    elif change.action == "replace":
        head += "   replaced with its provider"
    if change.because:
        head += f" — {change.because}"
    if change.entry.get("createdBy"):
        head += f"   (inside pulumi-eks: {change.entry['createdBy']})"
    return [head] + [f"{indent}    {line}" for p in change.properties for line in str(p).splitlines()]


def review_text(review: Review) -> str:
    lines = [f"Review of {review.stack}: {review.base} → {review.head}", ""]
    if review.unchanged:
        return "\n".join([*lines, "No changes."]) + "\n"
    if review.dangers:
        lines.append(f"DANGER ({len(review.dangers)}):")
        lines += [f"  ! {d}" for d in review.dangers]
        lines.append("")
    if review.cost:
        lines += ["Cost (per month):", *[f"  {c}" for c in review.cost], ""]
    if review.rollouts:
        lines.append("Nodes replaced by a rolling update:")
        lines += [f"  ~ {r}" for r in review.rollouts]
        lines.append("")
    if review.lifecycle:
        lines += ["Lifecycle:", *[f"  {n}" for n in review.lifecycle], ""]
    if review.upgrade:
        u = review.upgrade
        lines.append(f"Upgrade {u.old} → {u.new}:")
        lines += [f"  refused: {p}" for p in u.problems]
        lines += [f"  {i}. {s}" for i, s in enumerate(u.steps, 1)] if not u.problems else []
        lines.append("")
    lines += [f"Changes: {_counts_line(review)}", ""]
    for group in review.groups:
        mark = f"{SYMBOL[group.action]} " if group.action else ""
        lines.append(f"{mark}{group.type} {group.name}" + (" (new)" if group.action == "create" else ""))
        for change in group.changes:
            lines += _resource_lines(change, "  ")
        lines.append("")
    if review.outputs:
        lines.append("Stack outputs:")
        lines += [f"  {line}" for change in review.outputs for line in str(change).splitlines()]
        lines.append("")
    lines.append(SECRETS_NOTE)
    if review.policy:
        lines += ["", "Policy (this change):"]
        lines += [f"  [{v['enforcement']}] {v['policy']} {v['resource']}: {v['message']}" for v in review.policy]
    return "\n".join(lines) + "\n"


def _diff_line(line: str) -> str:
    """A `+`/`-` line with its sign in the first column, where a ```diff block colours it."""
    stripped = line.lstrip(" ")
    if stripped[:1] in ("+", "-") and len(stripped) < len(line):
        return stripped[0] + line[: len(line) - len(stripped) - 1] + " " + stripped[1:]
    return line


def review_markdown(review: Review) -> str:
    """One stack's section of the pull-request comment: dangers, counts, changes per component,
    access changes, policy verdict."""
    out = [f"### `{review.stack}` — {_counts_line(review) if not review.unchanged else 'no changes'}", ""]
    if review.dangers:
        out += ["**Dangers**", ""]
        out += [f"- :warning: **{d.kind}**: `{d.subject}` — {d.consequence}" for d in review.dangers]
        out.append("")
    if review.cost:
        out += ["**Cost per month**", "", *[f"- {c}" for c in review.cost], ""]
    if review.rollouts:
        out += ["**Nodes replaced by a rolling update**", ""]
        out += [f"- :arrows_counterclockwise: {r}" for r in review.rollouts]
        out.append("")
    if review.lifecycle:
        out += ["**Lifecycle**", "", *[f"- {n}" for n in review.lifecycle], ""]
    if review.upgrade:
        u = review.upgrade
        out += [f"**Upgrade {u.old} → {u.new}**", ""]
        out += [f"- :no_entry: {p}" for p in u.problems] or [f"{i}. {s}" for i, s in enumerate(u.steps, 1)]
        out.append("")
    if review.groups:
        out += ["<details><summary>Changes per component</summary>", "", "```diff"]
        for group in review.groups:
            mark = f"{SYMBOL[group.action]} " if group.action else "  "
            out.append(f"{mark}{group.type} {group.name}")
            for change in group.changes:
                out += [_diff_line(line) for line in _resource_lines(change, "    ")]
        out += ["```", "", "</details>", ""]
    access = [d for d in review.dangers if d.kind.startswith("access")]
    out += [
        "**Access changes**: "
        + ("none" if not access else "; ".join(f"`{d.subject}` {d.consequence}" for d in access)),
        "",
    ]
    mandatory = [v for v in review.policy if v["enforcement"] == "mandatory"]
    advisory = len(review.policy) - len(mandatory)
    out.append(
        "**Policy**: " + (f"{len(mandatory)} mandatory, {advisory} advisory" if review.policy else "no violations")
    )
    out += [f"- `[{v['enforcement']}]` {v['policy']} on `{v['resource']}`: {v['message']}" for v in review.policy]
    return "\n".join(out).rstrip() + "\n"
