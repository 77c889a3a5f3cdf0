"""Node groups whose every node is replaced by a rolling update (not the group itself).

EKS rolls a managed node group's nodes when what they boot from changes: its Kubernetes `version`,
its AMI `releaseVersion`, or the launch template version it runs — which moves whenever the template's
data changes (review/ripple.py). EKS starts new nodes, then cordons and drains the old ones, at most
`updateConfig.maxUnavailable` (or `maxUnavailablePercentage`) at a time, respecting
PodDisruptionBudgets (EKS User Guide, "Understand each phase of node updates").
"""

from __future__ import annotations

from .changes import ResourceChange

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ROLLS = ("version", "releaseVersion", "launchTemplate.version")


def _at_a_time(update: dict) -> str:
    if "maxUnavailablePercentage" in update:
        return f"{update['maxUnavailablePercentage']}% of the nodes at a time (updateConfig.maxUnavailablePercentage)"
    if "maxUnavailable" in update:
        return f"{update['maxUnavailable']} node(s) at a time (updateConfig.maxUnavailable)"
    return "1 node at a time (updateConfig.maxUnavailable unset: EKS's default, 1)"


def rollouts(changes: list[ResourceChange], upgrading: bool = False) -> list[str]:
    """One line per node group rolled. `upgrading`: the upgrade review already says how a new
    Kubernetes version rolls each group."""
    rolls = tuple(r for r in ROLLS if not (upgrading and r == "version"))
    found = []
    for c in changes:
        rolled = [p.path for p in c.properties if p.path in rolls]
        if c.type != NODE_GROUP or c.action != "update" or not rolled:
            continue
        inputs = (c.head or {}).get("inputs") or {}
        scaling = inputs.get("scalingConfig") or {}
        why = c.because or f"its {', '.join(rolled)} changes"
        found.append(
            f"node group {c.name}: every node ({scaling.get('desiredSize', '?')} now, at most "
            f"{scaling.get('maxSize', '?')}) is replaced by a rolling update, "
            f"{_at_a_time(inputs.get('updateConfig') or {})}; pods are drained onto the new nodes — {why}"
        )
    return found
