"""NodeRole: the IAM role a managed node group's instances run as.

It exists before the cluster because pulumi-eks must know every node role up front
(`instanceRoles`) to map it in the aws-auth ConfigMap; the node group then uses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

# What an EKS node needs: join the cluster, run the VPC CNI, pull images, and be reachable
# through SSM Session Manager instead of SSH.
NODE_POLICIES = (
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
)


@dataclass(frozen=True)
class NodeRoleArgs:
    role_name: str
    """A fixed IAM role name (at most 64 characters): access rules can recognise the role by it."""
    partition: str = "aws"
    """aws, aws-cn or aws-us-gov: in the AWS managed policies' ARNs."""
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not 1 <= len(self.role_name) <= 64 or not re.match(r"^[\w+=,.@-]+$", self.role_name):
            raise ValueError(
                f"NodeRole: args.role_name is {self.role_name!r}; IAM role names are 1-64 letters, digits and +=,.@_-"
            )
        if self.partition not in ("aws", "aws-cn", "aws-us-gov"):
            raise ValueError(f"NodeRole: args.partition is {self.partition!r}; aws, aws-cn or aws-us-gov")


class NodeRole(pulumi.ComponentResource):
    role: aws.iam.Role
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: NodeRoleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:NodeRole", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.role = aws.iam.Role(
            name,
            # A fixed name lets the settings layer recognise mappings that would shadow it.
            name=args.role_name,
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            tags=dict(args.tags),
            opts=child,
        )
        policy_arns = [f"arn:{args.partition}:iam::aws:policy/{policy}" for policy in NODE_POLICIES]
        # One attachment per policy, as the first version created them: removing one from the program
        # would detach its policy from the nodes when `pulumi up` ends (Pulumi deletes last), even with
        # the exclusive set below attaching it too.
        for policy, arn in zip(NODE_POLICIES, policy_arns, strict=True):
            aws.iam.RolePolicyAttachment(f"{name}-{policy}", role=self.role.name, policy_arn=arn, opts=child)
        # Exclusive: a policy attached to a node role by hand is detached on the next `pulumi up`.
        aws.iam.RolePolicyAttachmentsExclusive(
            f"{name}-policies",
            role_name=self.role.name,
            policy_arns=policy_arns,
            opts=child,
        )
        self.arn = self.role.arn
        self.register_outputs({"arn": self.arn, "name": self.role.name})
