"""A node group's size range changes while the autoscaler owns its desiredSize: what `pulumi up` then sends.

With the autoscaler on, the program marks `scalingConfig.desiredSize` ignoreChanges, so Pulumi keeps the
value its state holds (Pulumi docs, resource option ignoreChanges: "the old value is used"). Changing
minSize or maxSize updates the node group's scalingConfig, and the AWS provider sends the whole block
(terraform-provider-aws internal/service/eks node_group.go: UpdateNodegroupConfig with min, max and
desired). The desired size in state is the one of the last `pulumi up` that set it — the group's initial
size — not what the autoscaler made of it, unless a refresh read the live value. So:
- outside the new range, EKS refuses the update (EKS API UpdateNodegroupConfig: minSize <= desiredSize <=
  maxSize), and `pulumi up` fails half-way;
- inside it, EKS sets the group back to that old size: nodes the autoscaler added are drained.
`pulumi up --refresh` reads the group's live size into the state first.
"""

from __future__ import annotations

from .changes import ResourceChange
from .dangers import NODE_GROUP, Danger

DESIRED = "scalingConfig.desiredSize"


def stale_desired_size(changes: list[ResourceChange]) -> list[Danger]:
    found = []
    for c in changes:
        if c.type != NODE_GROUP or c.action != "update" or c.base is None or c.head is None:
            continue
        if DESIRED not in ((c.head.get("options") or {}).get("ignoreChanges") or ()):
            continue
        old = c.base.get("inputs", {}).get("scalingConfig") or {}
        new = c.head.get("inputs", {}).get("scalingConfig") or {}
        low, high = new.get("minSize"), new.get("maxSize")
        if (old.get("minSize"), old.get("maxSize")) == (low, high):
            continue
        stored = old.get("desiredSize")
        ranged = f"minSize {old.get('minSize')} → {low}, maxSize {old.get('maxSize')} → {high}"
        if stored is not None and not low <= stored <= high:
            what = f"EKS refuses it (desiredSize must lie within {low}..{high}) and `pulumi up` fails half-way"
        else:
            what = "EKS sets the group back to that size, draining nodes the autoscaler added"
        fix = "run `pulumi up --refresh` so the state holds the live size first"
        if low is not None and old.get("minSize") is not None and low > old["minSize"]:
            # Even the live size can be below the new minimum: EKS then refuses the refreshed value too.
            fix += (
                f"; if the group runs fewer than {low} nodes, raise it first (aws eks update-nodegroup-config "
                f"--scaling-config minSize={low},maxSize={high},desiredSize={low})"
            )
        found.append(
            Danger(
                "node group size range changed, desiredSize left to the autoscaler",
                f"{c.name} ({ranged})",
                f"`pulumi up` sends the desiredSize its state holds ({stored} when the group was last set, not its "
                f"live size): {what}; {fix}",
            )
        )
    return found
