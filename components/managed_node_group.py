"""ManagedNodeGroup: an EKS managed node group on a launch template of our own.

The launch template is what makes the nodes safe by default: IMDSv2 only, with a hop limit
of 1 so pods cannot borrow the node's IAM role through the metadata service, and an
encrypted gp3 root volume (disk size lives there, so the node group sets none).

The node group is an `aws.eks.NodeGroup` of the program's own rather than pulumi-eks'
`ManagedNodeGroup`, whose multi-language schema has no `updateConfig` and which forwards
`diskSize` next to a launch template (EKS refuses that): owning it puts every input in the render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from settings.instance_types import root_volume_device
from settings.model import NodeGroupConfig

from .eks_cluster import child_urn


@dataclass(frozen=True)
class ManagedNodeGroupArgs:
    cluster_name: str
    kubernetes_version: str
    config: NodeGroupConfig
    node_role: aws.iam.Role
    subnet_ids: pulumi.Input[Sequence[str]]
    tags: Mapping[str, str] = field(default_factory=dict)
    # Created first: the cluster (with its aws-auth mapping of the node role) and the add-ons a node
    # needs to become Ready (vpc-cni, kube-proxy).
    depends_on: Sequence[pulumi.Resource] = ()


class ManagedNodeGroup(pulumi.ComponentResource):
    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(self, name: str, args: ManagedNodeGroupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ManagedNodeGroup", name, None, opts)
        ng = args.config
        tags = {**args.tags, **ng.tags, "Name": f"{args.cluster_name}-{ng.name}-node"}

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

        # pulumi-eks created the node group inside its ManagedNodeGroup component of the same name.
        previous = pulumi.Alias(parent=self.urn.apply(lambda urn: child_urn(urn, "eks:index:ManagedNodeGroup", name)))
        self.node_group = aws.eks.NodeGroup(
            name,
            cluster_name=args.cluster_name,
            # A prefix, not a name: a change EKS can only make by replacing the group (instance types,
            # subnets, AMI type, ...) creates the new group before the old one is deleted.
            node_group_name_prefix=f"{ng.name}-",
            node_role_arn=args.node_role.arn,
            # With a launch template that names no AMI, EKS picks the AMI for this version.
            version=args.kubernetes_version,
            instance_types=list(ng.instance_types),
            capacity_type=ng.capacity_type,
            ami_type=ng.ami_type,
            scaling_config={"min_size": ng.min_size, "max_size": ng.max_size, "desired_size": ng.desired},
            update_config={"max_unavailable": ng.max_unavailable},
            labels=dict(ng.labels) or None,
            taints=[
                {"key": t.key, "effect": t.eks_effect, **({"value": t.value} if t.value else {})} for t in ng.taints
            ]
            or None,
            subnet_ids=args.subnet_ids,
            launch_template={
                "id": self.launch_template.id,
                "version": self.launch_template.latest_version.apply(str),
            },
            tags={**args.tags, **ng.tags},
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=list(args.depends_on),
                # With an autoscaler, desiredSize is its business: `pulumi up` must not reset it.
                ignore_changes=["scalingConfig.desiredSize"] if ng.ignore_scaling_changes else None,
                aliases=[previous],
            ),
        )
        self.register_outputs(
            {
                "nodeGroupName": ng.name,
                "launchTemplateId": self.launch_template.id,
            }
        )
