"""The review says what a minSize/maxSize change does to a node group whose desiredSize the autoscaler owns.

Sources: Pulumi's ignoreChanges resource option (the ignored property keeps the value in state); the AWS
provider's node group update sends min, max and desired together (terraform-provider-aws
internal/service/eks node_group.go, UpdateNodegroupConfig); the EKS API refuses a desiredSize outside
minSize..maxSize (UpdateNodegroupConfig, NodegroupScalingConfig).
"""

from __future__ import annotations

import pytest

from review.changes import diff_plans
from review.scaling import stale_desired_size

URN = "urn:pulumi:dev::eks-platform::eks-platform:index:ManagedNodeGroup$aws:eks/nodeGroup:NodeGroup::general"
IGNORED = {"ignoreChanges": ["scalingConfig.desiredSize"]}


def plan(minimum: int, maximum: int, desired: int, options: dict) -> dict:
    scaling = {"minSize": minimum, "maxSize": maximum, "desiredSize": desired}
    node_group = {"urn": URN, "type": "aws:eks/nodeGroup:NodeGroup", "name": "general", "options": options}
    return {"resources": [{**node_group, "inputs": {"scalingConfig": scaling}}]}


# (case, base (min, max, desired), head (min, max, desired), options, expected fragment or None)
CASES = [
    ("minimum raised above the stored size: EKS refuses", (1, 3, 1), (2, 3, 2), IGNORED, "EKS refuses it"),
    (
        "raising the minimum names the command that lifts the live size",
        (1, 3, 1),
        (2, 3, 2),
        IGNORED,
        "--scaling-config minSize=2,maxSize=3,desiredSize=2",
    ),
    ("maximum lowered under the stored size: EKS refuses", (1, 6, 5), (1, 4, 5), IGNORED, "within 1..4"),
    (
        "range grows around the stored size: the group is set back",
        (1, 3, 2),
        (1, 6, 2),
        IGNORED,
        "sets the group back to that size",
    ),
    ("only desiredSize changes: ignored, nothing said", (1, 3, 1), (1, 3, 3), IGNORED, None),
    ("without the autoscaler desiredSize is sent from the config", (1, 3, 1), (2, 3, 2), {}, None),
]


@pytest.mark.parametrize(("case", "base", "head", "options", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_stale_desired_size(case, base, head, options, fragment):
    changes = diff_plans(plan(*base, options), plan(*head, options))
    found = stale_desired_size(changes)
    if fragment is None:
        assert found == [], case
        return
    (danger,) = found
    assert fragment in danger.consequence, (case, danger.consequence)
    assert f"({base[2]} when the group was last set" in danger.consequence
    assert "`pulumi up --refresh`" in danger.consequence
