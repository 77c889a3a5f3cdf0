"""Permission rows of the EKS types: the cluster pulumi-eks creates, node groups, add-ons, access
entries and their policies, Pod Identity associations.

Sources: terraform-provider-aws internal/service/eks/<file>.go (every update waits on DescribeUpdate;
tags go through TagResource/UntagResource, and the tagging interceptor lists them with
ListTagsForResource where a Describe does not return them), and the EKS User Guide for what EKS checks
with the caller's own permissions: the cluster role is passed (iam:PassRole), the secrets key gets a
grant, the service-linked roles are made on first use, and a node group's launch template must be
one the caller may launch from.
"""

from __future__ import annotations

from .extras import cluster_key_grant, launch_from_stack_templates, pass_role, service_linked_role
from .rows import Row

TAGS = ("eks:TagResource", "eks:UntagResource", "eks:ListTagsForResource")
TF = "terraform-provider-aws internal/service/eks/"

EKS_ROWS = (
    Row(
        "aws:eks/cluster:Cluster",
        TF + "cluster.go; EKS User Guide: cluster IAM role (PassRole), service-linked roles "
        "(AWSServiceRoleForAmazonEKS), envelope encryption (the caller's grant on the key)",
        creates="eks:cluster",
        create=("eks:CreateCluster", "eks:DescribeCluster"),
        read=("eks:DescribeCluster",),
        update=(
            "eks:UpdateClusterVersion",
            "eks:UpdateClusterConfig",
            "eks:AssociateEncryptionConfig",
            "eks:DescribeUpdate",
        ),
        delete=("eks:DeleteCluster",),
        tag=TAGS,
        extras=(
            pass_role("create", "roleArn", "eks.amazonaws.com", "the cluster's service role"),
            service_linked_role("eks.amazonaws.com", "AWSServiceRoleForAmazonEKS", "EKS's own role, once per account"),
            cluster_key_grant("secrets encryption: EKS creates a grant on the key as the caller"),
        ),
        note="created inside eks:index:Cluster by pulumi-eks; plan.json lists it with createdBy",
    ),
    Row(
        "aws:eks/nodeGroup:NodeGroup",
        TF + "node_group.go; EKS User Guide: managed node groups (AWSServiceRoleForAmazonEKSNodegroup), "
        "launch templates; EC2 Auto Scaling User Guide: launch template permissions (ec2:RunInstances)",
        creates="eks:nodegroup",
        create=("eks:CreateNodegroup", "eks:DescribeNodegroup"),
        read=("eks:DescribeNodegroup",),
        update=("eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion", "eks:DescribeUpdate"),
        delete=("eks:DeleteNodegroup",),
        tag=TAGS,
        extras=(
            pass_role("create", "nodeRoleArn", "eks.amazonaws.com", "the nodes' role"),
            service_linked_role(
                "eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup", "node groups' own role"
            ),
            launch_from_stack_templates("EKS checks the caller may launch instances from the launch template"),
        ),
    ),
    Row(
        "aws:eks/addon:Addon",
        TF + "addon.go (waits on DescribeAddon; an update waits on DescribeUpdate)",
        creates="eks:addon",
        create=("eks:CreateAddon", "eks:DescribeAddon"),
        read=("eks:DescribeAddon",),
        update=("eks:UpdateAddon", "eks:DescribeUpdate"),
        delete=("eks:DeleteAddon",),
        tag=TAGS,
        extras=(pass_role("create", "serviceAccountRoleArn", "eks.amazonaws.com", "an add-on's IRSA role, if set"),),
    ),
    Row(
        "aws:eks/accessEntry:AccessEntry",
        TF + "access_entry.go",
        creates="eks:access-entry",
        create=("eks:CreateAccessEntry",),
        read=("eks:DescribeAccessEntry",),
        update=("eks:UpdateAccessEntry",),
        delete=("eks:DeleteAccessEntry",),
        tag=TAGS,
    ),
    Row(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        TF + "access_policy_association.go",
        create=("eks:AssociateAccessPolicy",),
        read=("eks:ListAssociatedAccessPolicies",),
        delete=("eks:DisassociateAccessPolicy",),
    ),
    Row(
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        TF + "pod_identity_association.go; EKS User Guide: Pod Identity (the role is passed to pods.eks.amazonaws.com)",
        creates="eks:podidentityassociation",
        create=("eks:CreatePodIdentityAssociation",),
        read=("eks:DescribePodIdentityAssociation",),
        update=("eks:UpdatePodIdentityAssociation",),
        delete=("eks:DeletePodIdentityAssociation",),
        tag=TAGS,
        extras=(pass_role("create", "roleArn", "pods.eks.amazonaws.com", "the workload's role"),),
    ),
)
