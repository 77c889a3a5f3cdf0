"""What render prints (a tree like `pulumi preview`, counts per type) and graph.md (Mermaid)."""

from __future__ import annotations

import json
from collections import Counter

from eks_platform.runner.engine import RunResult

from .access import access_review, access_text
from .addons import addon_review, addons_text
from .helm import helm_review, helm_text
from .identities import identities_text, service_account_roles
from .placement import placement_review, placement_text
from .plan import children_map, mask, tree_order
from .teardown import teardown_review, teardown_text

STACK_TYPE = "pulumi:pulumi:Stack"


def preview_text(result: RunResult) -> str:
    children = children_map(result)
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

    counts = Counter(r.type for r in result.resources)
    lines += ["", "Resources:", f"    + {len(result.resources) + 1} to create", "", "By type:"]
    lines += [f"    {n:>4}  {t}" for t, n in sorted(counts.items())]
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
    for _, resource in tree_order(result):
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
    return "\n".join(lines) + "\n"
