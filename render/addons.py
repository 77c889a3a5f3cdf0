"""The add-on review: each EKS add-on the stack runs, its version and where that version comes from.

A pinned version (`eks-platform:addons.<name>.version`) changes only when the stack file does; an
unpinned one is EKS's default for the cluster's Kubernetes version, looked up at preview (offline
the render shows a placeholder that names the lookup), so it changes with the cluster version.
"""

from __future__ import annotations

from typing import Any

from eks_platform.runner.engine import RunResult

ADDON = "aws:eks/addon:Addon"
LOOKUP = "aws:eks/getAddonVersion:getAddonVersion"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def addon_review(result: RunResult) -> list[dict[str, Any]]:
    looked_up = {i.args.get("addonName"): i.args for i in result.invokes if i.token == LOOKUP}
    node_groups = {r.urn for r in result.of_type(NODE_GROUP)}
    parents = {r.urn: r for r in result.resources}

    def waits_for_nodes(urn: str | None) -> bool:
        while urn in parents:
            if node_groups & set(parents[urn].dependencies):
                return True
            urn = parents[urn].parent
        return False

    rows = []
    for addon in result.of_type(ADDON):
        name = addon.inputs["addonName"]
        lookup = looked_up.get(name)
        if lookup is None:
            source = f"pinned in eks-platform:addons.{name}.version"
        elif lookup.get("mostRecent"):
            source = f"the most recent build for Kubernetes {lookup.get('kubernetesVersion')} (changes without notice)"
        else:
            source = f"EKS default for Kubernetes {lookup.get('kubernetesVersion')} (looked up at preview)"
        rows.append(
            {
                "name": name,
                "version": addon.inputs.get("addonVersion"),
                "source": source,
                "created": "after the node groups" if waits_for_nodes(addon.urn) else "before the node groups",
            }
        )
    return sorted(rows, key=lambda r: (r["created"] != "before the node groups", r["name"]))


def addons_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    width = max(len(r["name"]) for r in rows)
    lines = ["Add-ons:"]
    for r in rows:
        version = f"{r['version']}, {r['source']}" if r["source"].startswith("pinned") else r["source"]
        lines.append(f"    {r['name']:<{width}}  {version}; {r['created']}")
    return "\n".join(lines) + "\n"
