"""ManagedNodeGroup: an EKS managed node group (pulumi-eks) on a launch template of our own.

The launch template is what makes the nodes safe by default: IMDSv2 only, with a hop limit
of 1 so pods cannot borrow the node's IAM role through the metadata service, and an
encrypted gp3 root volume. Because we pass a launch template, disk size lives there and
pulumi-eks must not get `diskSize`, `enableIMDSv2`, user data, kubelet args or an AMI id
(it refuses those next to a launch template).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_eks as eks

from settings.instance_types import root_volume_device
from settings.model import NodeGroupConfig


@dataclass(frozen=True)
class ManagedNodeGroupArgs:
    cluster: eks.Cluster
    cluster_name: str
    kubernetes_version: str
    config: NodeGroupConfig
    node_role: aws.iam.Role
    subnet_ids: pulumi.Input[Sequence[str]]
    tags: Mapping[str, str] = field(default_factory=dict)


def update_config_transform(max_unavailable: int):
    """pulumi-eks' ManagedNodeGroup has no updateConfig input: set it on the NodeGroup it creates.

    Transforms reach the children of a multi-language component (the mock engine does not
    run them, so tests call this function directly).
    """

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if args.type_ != "aws:eks/nodeGroup:NodeGroup":
            return None
        props = {**args.props, "updateConfig": {"maxUnavailable": max_unavailable}}
        return pulumi.ResourceTransformResult(props=props, opts=args.opts)

    return transform


class ManagedNodeGroup(pulumi.ComponentResource):
    node_group: eks.ManagedNodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(self, name: str, args: ManagedNodeGroupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ManagedNodeGroup", name, None, opts)
        ng = args.config
        tags = {**args.tags, "Name": f"{args.cluster_name}-{ng.name}-node"}

        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-nodes",
            description=f"Nodes of managed node group {ng.name}: IMDSv2 only, encrypted gp3 root volume",
            metadata_options={
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": 1,
                "instance_metadata_tags": "disabled",
            },
            block_device_mappings=[
                {
                    "device_name": root_volume_device(ng.ami_type),
                    "ebs": {
                        "volume_size": ng.disk_size,
                        "volume_type": "gp3",
                        "encrypted": "true",
                        "delete_on_termination": "true",
                    },
                }
            ],
            tag_specifications=[
                {"resource_type": "instance", "tags": tags},
                {"resource_type": "volume", "tags": tags},
            ],
            update_default_version=True,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.node_group = eks.ManagedNodeGroup(
            name,
            cluster=args.cluster,
            node_group_name_prefix=f"{ng.name}-",
            node_role=args.node_role,
            # With a launch template of our own pulumi-eks does not default the version.
            version=args.kubernetes_version,
            instance_types=list(ng.instance_types),
            capacity_type=ng.capacity_type,
            ami_type=ng.ami_type,
            scaling_config={"min_size": ng.min_size, "max_size": ng.max_size, "desired_size": ng.desired},
            labels=dict(ng.labels),
            taints=[
                {"key": t.key, "effect": t.eks_effect, **({"value": t.value} if t.value else {})} for t in ng.taints
            ],
            subnet_ids=args.subnet_ids,
            launch_template={
                "id": self.launch_template.id,
                "version": self.launch_template.latest_version.apply(str),
            },
            ignore_scaling_changes=ng.ignore_scaling_changes,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, transforms=[update_config_transform(ng.max_unavailable)]),
        )
        self.register_outputs(
            {
                "nodeGroupName": ng.name,
                "launchTemplateId": self.launch_template.id,
            }
        )
