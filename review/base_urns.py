"""The base side of a review with the engine's URNs, whatever runner rendered it.

A base commit from before the runner made URNs as the engine does (components/urns.py) rendered them
as Python's mock monitor does: only the parent's last type, and `pulumi:pulumi:Stack$` before every
top-level resource. Compared as they are, every resource below the top would look deleted and
created again. Each URN is rebuilt here from the plan's own parent chain, types and names, by the one
rule; a plan that already has the engine's URNs comes back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eks_platform.components.urns import parts, resource_urn


def with_engine_urns(plan: Mapping[str, Any]) -> dict[str, Any]:
    entries = list(plan.get("resources") or [])
    by_urn = {e["urn"]: e for e in entries}
    fixed: dict[str, str] = {}

    def urn_of(entry: Mapping[str, Any]) -> str:
        if entry["urn"] not in fixed:
            parent = by_urn.get(entry.get("parent") or "")
            stack, project, _, _ = parts(entry["urn"])
            parent_urn = urn_of(parent) if parent else entry.get("parent")
            fixed[entry["urn"]] = resource_urn(stack, project, entry["type"], entry["name"], parent_urn)
        return fixed[entry["urn"]]

    for entry in entries:
        urn_of(entry)

    def remap(urn: str | None) -> str | None:
        return fixed.get(urn, urn) if urn else urn

    resources = [
        {
            **e,
            "urn": fixed[e["urn"]],
            "parent": remap(e.get("parent")),
            "provider": remap(e.get("provider")),
            "dependsOn": [remap(u) for u in e.get("dependsOn") or []],
        }
        for e in entries
    ]
    return {**plan, "resources": resources}
