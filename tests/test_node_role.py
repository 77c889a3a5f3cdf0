"""NodeRole: the node IAM role, its trust policy and the four managed policies a node needs."""

from __future__ import annotations

import json

from tests.conftest import config_with, run_config

ATTACHMENTS = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"


def node_roles(result):
    return [r for r in result.of_type("aws:iam/role:Role") if r.name.endswith("-node-role")]


def test_role_trusts_ec2_only(dev):
    (role,) = node_roles(dev)
    policy = json.loads(role.inputs["assumeRolePolicy"])
    (statement,) = policy["Statement"]
    assert statement == {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    assert role.inputs["name"] == "eks-platform-dev-general-node"


def test_role_gets_exactly_the_worker_cni_ecr_and_ssm_policies(dev):
    (role,) = node_roles(dev)
    (attachments,) = [a for a in dev.of_type(ATTACHMENTS) if a.inputs["roleName"] == role.outputs["name"]]
    # What a node needs (EKS User Guide, "Amazon EKS node IAM role"), plus SSM instead of SSH.
    assert attachments.inputs["policyArns"] == [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]


def test_policy_arns_use_the_region_partition():
    result = run_config(config_with(region="cn-north-1"))
    arns = [arn for a in result.of_type(ATTACHMENTS) for arn in a.inputs["policyArns"]]
    assert arns and all(a.startswith("arn:aws-cn:iam::aws:policy/") for a in arns)


def test_role_names_fit_the_iam_limit_and_stay_unique():
    groups = [{"name": "n" * 36}, {"name": "n" * 35 + "x"}]
    result = run_config(config_with(cluster={"name": "c" * 100}, nodeGroups=groups))
    names = [r.inputs["name"] for r in node_roles(result)]
    assert len(set(names)) == 2
    assert all(len(n) <= 64 and n.startswith("c" * 20) and n.endswith("-node") for n in names)


def test_each_policy_keeps_the_attachment_the_first_version_made(dev):
    # Dropped, an attachment's deletion at the end of `pulumi up` would detach its policy from every
    # node, even with the exclusive set attaching it too (IAM keeps one attachment per role and policy).
    (role,) = node_roles(dev)
    attachments = {
        a.name: a.inputs["policyArn"]
        for a in dev.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if a.inputs["role"] == role.outputs["name"]
    }
    assert attachments == {
        "general-node-role-AmazonEKSWorkerNodePolicy": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "general-node-role-AmazonEKS_CNI_Policy": "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "general-node-role-AmazonEC2ContainerRegistryReadOnly": (
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
        ),
        "general-node-role-AmazonSSMManagedInstanceCore": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    }
