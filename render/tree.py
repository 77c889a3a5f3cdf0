"""What render prints (a tree like `pulumi preview`, counts per type) and graph.md (Mermaid)."""

from __future__ import annotations

import json
from collections import Counter

from eks_platform.runner.engine import STACK_TYPE, Resource, RunResult
from eks_platform.runner.plugins import plugins
from eks_platform.runner.records import children_map, tree_order

from .access import access_review, access_text
from .addons import addon_review, addons_text
from .helm import helm_review, helm_text
from .identities import identities_text, service_account_roles
from .lifecycle import lifecycle_review, lifecycle_text
from .placement import placement_review, placement_text
from .plan import mask, summary
from .teardown import teardown_review, teardown_text


def preview_text(result: RunResult) -> str:
    children = children_map(result.resources)
    rows = [(STACK_TYPE, f"{result.project}-{result.stack}")]

    def walk(parent: str | None, prefix: str) -> None:
        kids = children.get(parent, [])
        for i, kid in enumerate(kids):
            last = i == len(kids) - 1
            note = f"   (created inside by {kid.created_by})" if kid.created_by else ""
            rows.append((prefix + ("└─ " if last else "├─ ") + kid.type, kid.name + note))
            walk(kid.urn, prefix + ("   " if last else "│  "))

    walk(None, "")
    width = max(len(t) for t, _ in rows) + 3
    lines = [f"Previewing {result.project}/{result.stack} (offline: mock engine, no cloud credentials)", ""]
    lines.append(f"     {'Type':<{width}}Name")
    lines += [f" +   {t:<{width}}{n}" for t, n in rows]

    for section in (
        lifecycle_text(lifecycle_review(result)),
        addons_text(addon_review(result)),
        helm_text(helm_review(result)),
        identities_text(service_account_roles(result)),
        access_text(access_review(result)),
        placement_text(placement_review(result)),
        teardown_text(teardown_review(result)),
    ):
        if section:
            lines += ["", section.rstrip("\n")]

    lines += ["", "Outputs:"]
    for name, value in sorted(mask(result.outputs).items()):
        text = json.dumps(value, sort_keys=True)
        lines.append(f"    {name}: {text if len(text) <= 100 else text[:97] + '...'}")

    lines += ["", "Plugins `pulumi up` loads (install them beforehand where there is no internet):"]
    lines += [f"    {p['name']:<12}{p['version']:<10}for {p['loadedFor']}" for p in plugins(result)]

    counts = summary(result)
    lines += ["", "Resources:", f"    + {counts['create']} to create", "", "By type:"]
    lines += [f"    {n:>4}  {t}" for t, n in counts["byType"].items()]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"    - {w}" for w in sorted(result.warnings)]
    return "\n".join(lines) + "\n"


def mermaid(result: RunResult) -> str:
    """Components as nodes; under each, its resources grouped by type with a count."""
    ids: dict[str, str] = {}
    components = 0
    lines = ["# Component tree", "", "```mermaid", "graph TD"]
    root = "stack"
    lines.append(f'    {root}["{result.project}-{result.stack}<br/>{STACK_TYPE}"]')
    grouped: dict[str, Counter] = {}
    for _, resource in tree_order(result.resources):
        parent_id = ids.get(resource.parent or "", root)
        if resource.custom or resource.remote:
            grouped.setdefault(parent_id, Counter())[resource.type] += 1
            if resource.remote:
                ids[resource.urn] = parent_id
            continue
        components += 1
        node = f"c{components}"
        ids[resource.urn] = node
        lines.append(f'    {node}["{resource.name}<br/>{resource.type}"]')
        lines.append(f"    {parent_id} --> {node}")
    for parent_id, counts in grouped.items():
        for index, (type_token, count) in enumerate(sorted(counts.items())):
            node = f"{parent_id}_t{index + 1}"
            label = f"{type_token} ×{count}" if count > 1 else type_token
            lines.append(f'    {node}(["{label}"])')
            lines.append(f"    {parent_id} --> {node}")
    lines.append("```")
    return "\n".join(lines + _inside_pulumi_eks(result)) + "\n"


def _inside_pulumi_eks(result: RunResult) -> list[str]:
    """What pulumi-eks creates inside itself and what each of those waits for (the dependencies
    runner/pulumi_eks.py models): the order `pulumi up` creates them in."""
    inside = _creation_order([r for r in result.resources if r.created_by])
    if not inside:
        return []
    by_urn = {r.urn: r for r in result.resources}
    ids: dict[str, str] = {}
    lines = ["", f"# Inside {inside[0].created_by}: what each resource waits for", "", "```mermaid", "graph LR"]

    def node(urn: str) -> str:
        if urn not in ids:
            ids[urn] = f"r{len(ids) + 1}"
            r = by_urn[urn]
            lines.append(f'    {ids[urn]}["{r.name}<br/>{r.type}"]')
        return ids[urn]

    for r in inside:
        child = node(r.urn)
        lines += [f"    {node(d)} --> {child}" for d in r.dependencies if d in by_urn]
        if r.provider in by_urn:
            lines.append(f"    {node(r.provider)} -. provider .-> {child}")
    lines.append("```")
    return lines


def _creation_order(resources: list[Resource]) -> list[Resource]:
    """Each resource after those of the list it waits for (its dependencies and its provider), the others in
    the order given: the order `pulumi up` creates them in."""
    pending, ordered = list(resources), []
    while pending:
        waiting = {r.urn for r in pending}
        ready = next((r for r in pending if not {*r.dependencies, r.provider} & waiting), pending[0])
        pending.remove(ready)
        ordered.append(ready)
    return ordered
