"""The deployer's IAM policy, generated from a stack's plan: which actions, on which ARNs, under
which conditions. Expected values are read from the plan or the stack file here, never from the
module that builds the policy."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from deployer.policy import build_policy, split
from deployer.rows import MissingRows
from deployer.scope import Stack, privilege
from deployer.table import ROWS

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "210987654321"  # the account the tests deploy to (any 12 digits)
# IAM quotas: a managed policy holds 6,144 characters, white space not counted.
LIMIT = 6144


def region_of(stack: str) -> str:
    folder = ROOT / "tests" / "stacks" if stack == "edge" else ROOT
    return yaml.safe_load((folder / f"Pulumi.{stack}.yaml").read_text())["config"]["aws:region"]


def stack(name: str) -> Stack:
    return Stack("aws", region_of(name), ACCOUNT)


def actions(policy) -> set[str]:
    return {a for s in policy.statements for a in listed(s["Action"])}


def listed(value) -> list[str]:
    return [value] if isinstance(value, str) else value


def statements_with(policy, action: str) -> list[dict]:
    return [s for s in policy.statements if action in listed(s["Action"])]


def cluster_name(plan: dict) -> str:
    (cluster,) = [r for r in plan["resources"] if r["type"] == "aws:eks/cluster:Cluster"]
    return cluster["inputs"]["name"]


def without(plan: dict, token: str) -> dict:
    changed = copy.deepcopy(plan)
    changed["resources"] = [r for r in changed["resources"] if r["type"] != token]
    return changed


def with_resource(plan: dict, token: str, inputs: dict) -> dict:
    changed = copy.deepcopy(plan)
    changed["resources"].append({"type": token, "name": "added", "urn": "added", "parent": None, "inputs": inputs})
    return changed


@pytest.mark.parametrize(
    "token, gone",
    [
        ("aws:kms/key:Key", {"kms:CreateKey", "kms:ScheduleKeyDeletion", "kms:CreateGrant"}),
        ("aws:eks/addon:Addon", {"eks:CreateAddon", "eks:DeleteAddon", "eks:DescribeAddon"}),
        ("aws:ec2/natGateway:NatGateway", {"ec2:CreateNatGateway", "ec2:DeleteNatGateway"}),
        ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", {"iam:CreateOpenIDConnectProvider"}),
    ],
)
def test_removing_a_type_from_the_plan_removes_its_actions(dev_plan, token, gone):
    before = build_policy(dev_plan, stack("dev"))
    after = build_policy(without(dev_plan, token), stack("dev"))
    assert gone <= actions(before)
    assert not gone & actions(after)
    assert actions(after) < actions(before)


def test_removing_the_add_ons_removes_their_arns(dev_plan):
    addons = {r["inputs"]["addonName"] for r in dev_plan["resources"] if r["type"] == "aws:eks/addon:Addon"}
    text = json.dumps(build_policy(without(dev_plan, "aws:eks/addon:Addon"), stack("dev")).statements)
    assert addons and not any(f"/{name}/" in text for name in addons)


def test_adding_a_type_adds_its_actions_on_its_resources(dev_plan):
    (group,) = [r for r in dev_plan["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup"]
    tag = {"autoscalingGroupName": "eks-x", "tag": {"key": "k", "value": "v", "propagateAtLaunch": False}}
    policy = build_policy(with_resource(dev_plan, "aws:autoscaling/tag:Tag", tag), stack("dev"))
    assert "autoscaling:CreateOrUpdateTags" not in actions(build_policy(dev_plan, stack("dev")))
    (statement,) = statements_with(policy, "autoscaling:CreateOrUpdateTags")
    # EKS names a node group's Auto Scaling group eks-<node group name>-<uuid>.
    prefix = group["inputs"]["nodeGroupNamePrefix"]
    assert statement["Resource"].endswith(f":autoScalingGroupName/eks-{prefix}*")


@pytest.mark.parametrize("token", ["aws:s3/bucket:Bucket", "eks:index:ManagedNodeGroup"])
def test_a_type_without_a_row_is_an_error_naming_it(dev_plan, token):
    with pytest.raises(MissingRows) as refused:
        build_policy(with_resource(dev_plan, token, {}), stack("dev"))
    assert token in str(refused.value)


def test_a_data_source_without_a_row_is_an_error_too(dev_plan):
    plan = copy.deepcopy(dev_plan)
    plan["dataSources"].append({"token": "aws:ec2/getAmi:getAmi", "args": {}})
    with pytest.raises(MissingRows, match="aws:ec2/getAmi:getAmi"):
        build_policy(plan, stack("dev"))


def test_a_new_kubernetes_kind_needs_no_row(dev_plan):
    policy = build_policy(with_resource(dev_plan, "kubernetes:example.com/v1:Widget", {}), stack("dev"))
    assert actions(policy) == actions(build_policy(dev_plan, stack("dev")))


def test_every_row_names_actions_policy_sentry_knows():
    unknown = []
    for row in ROWS.values():
        for action in row.all_actions():
            try:
                privilege(action)
            except KeyError:
                unknown.append(f"{row.type}: {action}")
    assert unknown == []


def role_patterns(plan: dict) -> dict[str, str]:
    """Each role the plan creates -> its name pattern: its explicit name, or Pulumi's auto-name
    `<logical name>-<random suffix>`."""
    return {
        r["name"]: r["inputs"]["name"] if "name" in r["inputs"] else r["name"] + "-*"
        for r in plan["resources"]
        if r["type"] == "aws:iam/role:Role"
    }


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_pass_role_only_for_the_stack_roles_and_only_to_their_service(request, name):
    plan = request.getfixturevalue(f"{name}_plan")
    policy = build_policy(plan, stack(name))
    passed = {}
    for statement in statements_with(policy, "iam:PassRole"):
        assert listed(statement["Action"]) == ["iam:PassRole"]
        service = statement["Condition"]["StringEquals"]["iam:PassedToService"]
        for arn in listed(statement["Resource"]):
            passed.setdefault(arn, set()).add(service)
    patterns = role_patterns(plan)
    expected = {f"arn:aws:iam::{ACCOUNT}:role/{p}" for p in patterns.values()}
    assert set(passed) == expected
    assert passed[f"arn:aws:iam::{ACCOUNT}:role/{patterns['cluster-service-role']}"] == {"eks.amazonaws.com"}
    assert passed[f"arn:aws:iam::{ACCOUNT}:role/{patterns['ebs-csi-role']}"] == {"pods.eks.amazonaws.com"}


def test_arns_carry_the_stacks_partition_region_and_account(dev_plan):
    china = Stack("aws-cn", "cn-north-1", ACCOUNT)
    policy = build_policy(dev_plan, china)
    arns = {arn for s in policy.statements for arn in listed(s["Resource"]) if arn != "*"}
    assert arns
    for arn in arns:
        partition, service, region, account = arn.split(":")[1:5]
        assert partition == "aws-cn", arn
        # IAM is global (no region); public AMIs have no account in their ARN.
        assert region == ("" if service == "iam" else "cn-north-1"), arn
        assert account == ("" if ":image/" in arn else ACCOUNT), arn


def test_the_cluster_is_named_and_its_creation_needs_the_stacks_tag(dev_plan):
    policy = build_policy(dev_plan, stack("dev"))
    name = cluster_name(dev_plan)
    (create,) = statements_with(policy, "eks:CreateCluster")
    assert create["Resource"] == "*"  # CreateCluster acts on no resource type
    assert create["Condition"] == {"StringEquals": {"aws:RequestTag/eks-platform/cluster": name}}
    (delete,) = statements_with(policy, "eks:DeleteCluster")
    assert delete["Resource"] == f"arn:aws:eks:{region_of('dev')}:{ACCOUNT}:cluster/{name}"


def test_the_secrets_key_is_reached_only_through_the_stacks_tag(dev_plan):
    policy = build_policy(dev_plan, stack("dev"))
    name = cluster_name(dev_plan)
    kms = [s for s in policy.statements if any(a.startswith("kms:") for a in listed(s["Action"]))]
    assert {"kms:CreateKey", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:PutKeyPolicy"} <= {
        a for s in kms for a in listed(s["Action"])
    }
    for statement in kms:
        condition = statement["Condition"]["StringEquals"]
        if statement["Resource"] == "*":
            assert condition["aws:RequestTag/eks-platform/cluster"] == name
        else:
            assert condition == {"aws:ResourceTag/eks-platform/cluster": name}
            assert statement["Resource"] == f"arn:aws:kms:{region_of('dev')}:{ACCOUNT}:key/*"
    (grant,) = statements_with(policy, "kms:CreateGrant")
    assert grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}


def test_managed_policies_attach_only_the_plans_policy_arns(prod_plan):
    policy = build_policy(prod_plan, stack("prod"))
    named = {
        arn
        for r in prod_plan["resources"]
        if r["type"].startswith("aws:iam/rolePolicyAttachment")
        for arn in [r["inputs"].get("policyArn"), *(r["inputs"].get("policyArns") or [])]
        if arn
    }
    assert named
    (attach,) = statements_with(policy, "iam:AttachRolePolicy")
    assert set(attach["Condition"]["ArnEquals"]["iam:PolicyARN"]) == named


def test_ec2_tags_on_create_only_through_the_stacks_create_calls(dev_plan, edge_plan):
    def create_calls(plan: dict, on: Stack) -> set[str]:
        (statement,) = [
            s
            for s in statements_with(build_policy(plan, on), "ec2:CreateTags")
            if "ec2:CreateAction" in s.get("Condition", {}).get("StringEquals", {})
        ]
        assert statement["Resource"] == f"arn:aws:ec2:{on.region}:{ACCOUNT}:*/*"
        return set(statement["Condition"]["StringEquals"]["ec2:CreateAction"])

    dev = create_calls(dev_plan, stack("dev"))
    assert {"CreateVpc", "CreateSubnet", "CreateLaunchTemplate", "RunInstances"} <= dev
    assert "CreateTags" not in dev
    # edge uses an existing VPC: it creates no network, so no network create call may tag.
    edge = create_calls(edge_plan, Stack("aws", region_of("edge"), ACCOUNT))
    assert "CreateVpc" not in edge and "CreateLaunchTemplate" in edge


def test_star_only_for_actions_that_act_on_no_resource_type(prod_plan):
    policy = build_policy(prod_plan, stack("prod"))
    for statement in policy.statements:
        if statement["Resource"] == "*":
            for action in listed(statement["Action"]):
                assert not [t for t in privilege(action)["resource_types"] if t], action


def non_white(document: dict) -> int:
    return len(re.sub(r"\s", "", json.dumps(document)))


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_every_managed_policy_fits_iams_limit(request, name):
    policy = build_policy(request.getfixturevalue(f"{name}_plan"), stack(name))
    assert len(policy.documents) > 1  # both stacks need more than one managed policy
    assert all(non_white(d) <= LIMIT for d in policy.documents)
    assert [s for d in policy.documents for s in d["Statement"]] == policy.statements


def test_a_smaller_limit_splits_into_more_policies_and_keeps_every_statement(dev_plan):
    statements = build_policy(dev_plan, stack("dev")).statements
    documents = split(statements, 2000)
    assert len(documents) > len(split(statements, LIMIT))
    assert all(non_white(d) <= 2000 for d in documents)
    assert [s for d in documents for s in d["Statement"]] == statements


def test_a_preview_identity_gets_only_the_read_steps(dev_plan):
    full = build_policy(dev_plan, stack("dev"))
    preview = build_policy(dev_plan, stack("dev"), lifecycles=("read",))
    assert actions(preview) < actions(full)
    # refresh reads every type; preview reads the data sources; the kubeconfig reads the cluster
    assert {"eks:DescribeCluster", "ec2:DescribeVpcs", "kms:DescribeKey", "ec2:DescribeAvailabilityZones"} <= actions(
        preview
    )
    verbs = ("Create", "Delete", "Update", "Put", "Attach", "Detach", "Tag", "Untag", "Pass", "Run", "Modify")
    assert [a for a in actions(preview) if a.split(":")[1].startswith(verbs)] == []


def test_a_create_call_sends_the_tag_and_later_calls_need_it_on_the_resource(dev_plan):
    policy = build_policy(dev_plan, stack("dev"))
    name = cluster_name(dev_plan)
    subnets, vpcs = (f"arn:aws:ec2:{region_of('dev')}:{ACCOUNT}:{kind}/*" for kind in ("subnet", "vpc"))

    def condition(action: str, arn: str) -> dict:
        (statement,) = [s for s in statements_with(policy, action) if arn in listed(s["Resource"])]
        return statement["Condition"]["StringEquals"]

    assert condition("ec2:CreateSubnet", subnets) == {"aws:RequestTag/eks-platform/cluster": name}
    assert condition("ec2:CreateSubnet", vpcs) == {"aws:ResourceTag/eks-platform/cluster": name}
    assert condition("ec2:DeleteSubnet", subnets) == {"aws:ResourceTag/eks-platform/cluster": name}
