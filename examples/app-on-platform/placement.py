"""Where the app's pods go, from the platform's `nodeGroups` output: {name: {roleArn, labels, taints}}."""

from __future__ import annotations

from typing import Any


class NoNodeGroup(Exception):
    pass


def placement(node_groups: dict[str, Any], wanted: str = "") -> dict[str, Any]:
    """nodeSelector (the group's labels) and tolerations (its taints) for the named node group,
    or for the first untainted one with labels when no name is given."""
    if wanted:
        if wanted not in node_groups:
            raise NoNodeGroup(
                f"node group {wanted!r} is not in the platform's nodeGroups ({', '.join(sorted(node_groups))})"
            )
        group = node_groups[wanted]
    else:
        candidates = [
            n for n in sorted(node_groups) if node_groups[n].get("labels") and not node_groups[n].get("taints")
        ]
        if not candidates:
            raise NoNodeGroup(
                f"no untainted node group with labels among {', '.join(sorted(node_groups))}; set nodeGroup"
            )
        group = node_groups[candidates[0]]
    if not group.get("labels"):
        raise NoNodeGroup(f"node group {wanted!r} has no labels to select it by")
    tolerations = [
        {"key": t["key"], "operator": "Equal", "value": t.get("value", ""), "effect": t["effect"]}
        for t in group.get("taints") or []
    ]
    return {"nodeSelector": dict(group["labels"]), **({"tolerations": tolerations} if tolerations else {})}
