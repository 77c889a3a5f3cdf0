"""`iam-autoscaling-writes-tag-scoped` cannot be walked around: every way a statement reaches Auto Scaling groups
that are not the cluster's, in each partition, and the ways it legitimately does not.

Sources (written out here): IAM User Guide, "IAM JSON policy elements": NotAction ("matches everything except the
specified list"), NotResource, the Null operator ("true" when the key is absent), ...IfExists (true when the key is
absent), ForAllValues (true when the key is absent); "Controlling access to AWS resources using tags"
(aws:ResourceTag/<key>); Service Authorization Reference for Amazon EC2 Auto Scaling: the group ARN is
arn:${Partition}:autoscaling:${Region}:${Account}:autoScalingGroup:${GroupId}:autoScalingGroupName/${GroupName},
and autoscaling:ResourceTag/<key> is a condition key of its own.
"""

from __future__ import annotations

import json

import pytest

from eks_platform.components.cluster_autoscaler import iam_policy
from policy.iam_scope import Place, place_from_config
from policy.rules import RULES, violations

(RULE,) = [r for r in RULES if r.name == "iam-autoscaling-writes-tag-scoped"]
POLICY = "aws:iam/rolePolicy:RolePolicy"
ACCOUNT = "444455556666"
# A stack in each partition: (partition, region)
PLACES = [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")]
WRITE = ["autoscaling:SetDesiredCapacity"]
TAG = "aws:ResourceTag/k8s.io/cluster-autoscaler/shop"


def found(place: Place, *statements: dict) -> list[str]:
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **s} for s in statements]})
    return violations(RULE, POLICY, {"policy": document}, {"place": place})


def arn(partition: str, region: str, account: str, group: str = "*") -> str:
    return f"arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{group}"


# (case, statement built from (partition, region), violates?)
CASES = [
    ("every group of the region", lambda p, r: {"Action": WRITE, "Resource": arn(p, r, ACCOUNT)}, True),
    ("every group of the account", lambda p, r: {"Action": WRITE, "Resource": f"arn:{p}:autoscaling:*:{ACCOUNT}:*"}, True),
    ("every group of another region of the account", lambda p, r: {"Action": WRITE, "Resource": arn(p, "xx-east-9", ACCOUNT)}, True),
    ("any partition", lambda p, r: {"Action": WRITE, "Resource": "arn:*:autoscaling:*:*:*"}, True),
    ("every resource", lambda p, r: {"Action": "autoscaling:*", "Resource": "*"}, True),
    ("NotAction grants the writes", lambda p, r: {"NotAction": ["iam:*", "ec2:*"], "Resource": "*"}, True),
    ("NotResource leaves the others", lambda p, r: {"Action": WRITE, "NotResource": arn(p, r, ACCOUNT, "eks-mine-*")}, True),
    ('Null "true": the groups without the tag', lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"Null": {TAG: "true"}}}, True),
    ("a condition on another tag", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "platform"}}}, True),
    ("the tag every autoscaled group carries", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"Null": {"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "false"}}}, True),
    ("another cluster's tag", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"Null": {"aws:ResourceTag/k8s.io/cluster-autoscaler/other": "false"}}}, True),
    ("IfExists holds without the tag", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"StringEqualsIfExists": {TAG: "owned"}}}, True),
    ("a negated test", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"StringNotEquals": {TAG: "owned"}}}, True),
    # good
    ('Null "false": only groups with the tag', lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"Null": {TAG: "false"}}}, False),
    ("StringEquals on the tag, Auto Scaling's own key", lambda p, r: {"Action": WRITE, "Resource": "*", "Condition": {"StringEquals": {"autoscaling:ResourceTag/k8s.io/cluster-autoscaler/shop": "owned"}}}, False),
    ("one named group", lambda p, r: {"Action": WRITE, "Resource": arn(p, r, ACCOUNT, "eks-general-6ec4a2b1")}, False),
    ("reading is not writing", lambda p, r: {"Action": "autoscaling:Describe*", "Resource": "*"}, False),
    ("NotAction that leaves out every write", lambda p, r: {"NotAction": "autoscaling:*", "Resource": "*"}, False),
]  # fmt: skip


@pytest.mark.parametrize(("partition", "region"), PLACES)
@pytest.mark.parametrize(("case", "statement", "violates"), CASES, ids=[c[0] for c in CASES])
def test_the_guardrail(partition, region, case, statement, violates):
    place = Place(partition, region, ACCOUNT, "shop")
    assert bool(found(place, statement(partition, region))) == violates, case


@pytest.mark.parametrize(("partition", "region"), PLACES)
def test_the_autoscalers_own_policy_passes(partition, region):
    document = iam_policy("shop", region, partition)
    assert violations(RULE, POLICY, {"policy": document}, {"place": Place(partition, region, ACCOUNT, "shop")}) == []


def test_the_probe_is_the_stacks_own_place():
    """A pattern naming one region and account reaches the stack's groups only where the stack is: the probe is
    derived from the stack's partition, region and account (the pattern is refused in its own place only)."""
    statement = {"Action": WRITE, "Resource": arn("aws", "eu-west-1", ACCOUNT)}
    assert found(Place("aws", "eu-west-1", ACCOUNT, "shop"), statement)
    assert found(Place("aws", "eu-west-1", "111122223333", "shop"), statement) == []  # another account's: inert
    assert found(Place("aws-cn", "cn-north-1", ACCOUNT, "shop"), statement) == []  # another partition: inert
    # nothing known (a preview before the account is known): the pattern's own place, at worst
    assert found(Place(), statement)


def test_the_pack_reads_where_the_stack_deploys_from_the_cli_config():
    # pulumi pkg/resource/plugin/analyzer_plugin.go constructEnv: PULUMI_CONFIG holds the stack config as strings
    config = {"aws:region": "cn-north-1", "eks-platform:cluster": json.dumps({"name": "shop"})}
    assert place_from_config(config, "eks-platform", "prod") == Place("aws-cn", "cn-north-1", None, "shop")
    assert place_from_config({"aws:region": "us-gov-west-1"}, "p", "s") == Place(
        "aws-us-gov", "us-gov-west-1", None, "p-s"
    )
