"""ManagedNodeGroup: an EKS managed node group on a launch template of our own.

The launch template is what makes the nodes safe by default: IMDSv2 only, with a hop limit
of 1 so pods cannot borrow the node's IAM role through the metadata service, and an
encrypted gp3 volume for every block device the AMI boots with (disk size lives there, so the node
group sets none).

The node group is an `aws.eks.NodeGroup` of the program's own rather than pulumi-eks'
`ManagedNodeGroup`, whose multi-language schema has no `updateConfig` and which forwards
`diskSize` next to a launch template (EKS refuses that): owning it puts every input in the render.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .lifecycle import UPDATE_STRATEGIES
from .node_volumes import boot_devices, data_device
from .urns import child_urn

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
CAPACITY_TYPES = ("ON_DEMAND", "SPOT")
# EKS appends nothing to a node group name, but the AWS provider adds a 26-character unique suffix
# to a name prefix, and EKS allows 63 characters: the prefix "<name>-" may have 37.
MAX_NAME = 63 - 26 - 1


def eks_effect(effect: str) -> str:
    """Kubernetes' spelling (NoSchedule) in the EKS API's (NO_SCHEDULE)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", effect).upper()


@dataclass(frozen=True)
class Taint:
    key: str
    """At most 63 characters, prefix included (EKS)."""
    effect: str
    """NoSchedule, PreferNoSchedule or NoExecute (Kubernetes' spelling)."""
    value: str = ""


@dataclass(frozen=True)
class NodeRepair:
    """EKS node auto repair: a node whose kubelet is not Ready (or that the node monitoring agent reports
    unhealthy) is replaced or rebooted. Each limit is a count or a percentage, not both (EKS NodeRepairConfig)."""

    enabled: bool = True
    max_unhealthy_count: int | None = None
    """Above this many unhealthy nodes, repair stops (1 or more)."""
    max_unhealthy_percentage: int | None = None
    """Above this share of unhealthy nodes, repair stops (1-100)."""
    max_parallel_count: int | None = None
    """At most this many nodes are repaired at once (1 or more)."""
    max_parallel_percentage: int | None = None
    """At most this share of the unhealthy nodes is repaired at once (1-100)."""

    def config(self) -> dict:
        """The aws.eks.NodeGroup nodeRepairConfig (snake_case, as the Python SDK takes it)."""
        limits = {
            "max_unhealthy_node_threshold_count": self.max_unhealthy_count,
            "max_unhealthy_node_threshold_percentage": self.max_unhealthy_percentage,
            "max_parallel_nodes_repaired_count": self.max_parallel_count,
            "max_parallel_nodes_repaired_percentage": self.max_parallel_percentage,
        }
        return {"enabled": self.enabled, **{k: v for k, v in limits.items() if v is not None}}


@dataclass(frozen=True)
class ManagedNodeGroupArgs:
    name: str
    """The group's name (a prefix: EKS sees `<name>-<suffix>`); letters, digits and '-', at most 36."""
    cluster_name: pulumi.Input[str]
    """The EKS cluster the group joins (e.g. a StackReference's clusterName)."""
    kubernetes_version: pulumi.Input[str]
    """The cluster's version: EKS picks the group's AMI for it (the launch template names none)."""
    node_role: aws.iam.Role
    """The role the instances run as. In aws-auth (CONFIG_MAP) clusters it must be mapped first."""
    subnet_ids: pulumi.Input[Sequence[str]]
    """Where the nodes run (private subnets unless they must be reachable)."""
    instance_types: Sequence[str] = ("t3.medium",)
    """One CPU architecture, matching `ami_type`."""
    capacity_type: str = "ON_DEMAND"
    """ON_DEMAND or SPOT (list several similar types for SPOT)."""
    ami_type: str = "AL2023_x86_64_STANDARD"
    """An EKS AMI type (AL2023_*, BOTTLEROCKET_*)."""
    disk_size: int = 20
    """GiB of the encrypted gp3 root (Bottlerocket: data) volume; at least 20."""
    min_size: int = 1
    max_size: int = 2
    desired_size: int | None = None
    """Defaults to `min_size`; min_size <= desired_size <= max_size."""
    max_unavailable: int = 1
    """Nodes replaced at once during an update: 1 .. min(max_size, 100)."""
    update_strategy: str = "DEFAULT"
    """DEFAULT: an update launches new nodes before terminating old ones; MINIMAL: old ones first (for
    groups that cannot get extra capacity, e.g. GPUs)."""
    repair: NodeRepair = field(default_factory=NodeRepair)
    """Node auto repair (on by default). Sent always: the AWS provider reads nodeRepairConfig back
    (Optional + Computed), so leaving it out would never turn repair off again."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """On every node (not `kubernetes.io/`/`k8s.io/` prefixes: the kubelet's own)."""
    taints: Sequence[Taint] = ()
    """At most 50."""
    ignore_scaling_changes: bool = False
    """Leave desiredSize to an autoscaler: `pulumi up` sets it at creation and never resets it."""
    node_template_tags: bool = False
    """Tag the group's Auto Scaling group with its labels and taints
    (`k8s.io/cluster-autoscaler/node-template/...`), so the Cluster Autoscaler can scale it up from zero
    nodes. Tags on the node group itself never reach its Auto Scaling group."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """On the node group, its launch template, its instances and their volumes."""
    depends_on: Sequence[pulumi.Resource] = ()
    """Created first: the cluster (and its aws-auth mapping of the node role) and the add-ons a node
    needs to become Ready (vpc-cni, kube-proxy)."""

    @property
    def desired(self) -> int:
        return self.min_size if self.desired_size is None else self.desired_size

    def __post_init__(self):
        def refuse(name: str, value: object, valid: str) -> None:
            raise ValueError(f"ManagedNodeGroup {self.name}: args.{name} is {value!r}; {valid}")

        if not re.match(r"^[a-zA-Z][-a-zA-Z0-9]*$", self.name) or len(self.name) > MAX_NAME:
            refuse("name", self.name, f"letters, digits and '-', starting with a letter, at most {MAX_NAME}")
        if not self.instance_types:
            refuse("instance_types", list(self.instance_types), "list at least one")
        if self.capacity_type not in CAPACITY_TYPES:
            refuse("capacity_type", self.capacity_type, " or ".join(CAPACITY_TYPES))
        if self.disk_size < 20:
            refuse("disk_size", self.disk_size, "at least 20 (GiB)")
        if not 0 <= self.min_size <= self.desired <= self.max_size or self.max_size < 1:
            refuse(
                "desired_size",
                self.desired,
                f"need 0 <= min_size {self.min_size} <= desired <= max_size {self.max_size}",
            )
        if not 1 <= self.max_unavailable <= min(self.max_size, 100):
            refuse("max_unavailable", self.max_unavailable, f"1 .. {min(self.max_size, 100)}")
        if self.update_strategy not in UPDATE_STRATEGIES:
            refuse("update_strategy", self.update_strategy, " or ".join(UPDATE_STRATEGIES))
        if len(self.taints) > 50:
            refuse("taints", len(self.taints), "EKS allows 50")
        for taint in self.taints:
            if taint.effect not in EFFECTS:
                refuse("taints", taint.effect, f"an effect is one of {', '.join(EFFECTS)}")


def block_device_mappings(ng: ManagedNodeGroupArgs) -> list[dict]:
    """Every volume the AMI boots with, encrypted (Bottlerocket's OS volume too); the disk size goes to the
    one that holds images and pod data, the others keep their snapshot's size."""
    return [
        {
            "device_name": device,
            "ebs": {
                **({"volume_size": ng.disk_size} if device == data_device(ng.ami_type) else {}),
                "volume_type": "gp3",
                "encrypted": "true",
                "delete_on_termination": "true",
            },
        }
        for device in boot_devices(ng.ami_type)
    ]


class ManagedNodeGroup(pulumi.ComponentResource):
    node_group: aws.eks.NodeGroup
    launch_template: aws.ec2.LaunchTemplate

    def __init__(self, name: str, args: ManagedNodeGroupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ManagedNodeGroup", name, None, opts)
        self.launch_template = self._launch_template(name, args)
        self.node_group = self._node_group(name, args)
        if args.node_template_tags:
            self._node_template_tags(name, args)
        self.register_outputs(
            {
                "nodeGroupName": args.name,
                "launchTemplateId": self.launch_template.id,
            }
        )

    def _launch_template(self, name: str, ng: ManagedNodeGroupArgs) -> aws.ec2.LaunchTemplate:
        """IMDSv2 only (hop limit 1: pods cannot borrow the node's role), every boot volume encrypted gp3."""
        node_name = pulumi.Output.from_input(ng.cluster_name).apply(lambda cluster: f"{cluster}-{ng.name}-node")
        tags = {**ng.tags, "Name": node_name}
        return aws.ec2.LaunchTemplate(
            f"{name}-nodes",
            description=f"Nodes of managed node group {ng.name}: IMDSv2 only, encrypted gp3 root volume",
            metadata_options={
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": 1,
                "instance_metadata_tags": "disabled",
            },
            block_device_mappings=block_device_mappings(ng),
            tag_specifications=[
                {"resource_type": "instance", "tags": tags},
                {"resource_type": "volume", "tags": tags},
            ],
            update_default_version=True,
            tags=dict(ng.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _node_group(self, name: str, ng: ManagedNodeGroupArgs) -> aws.eks.NodeGroup:
        # pulumi-eks created the node group inside its ManagedNodeGroup component of the same name.
        previous = pulumi.Alias(parent=self.urn.apply(lambda urn: child_urn(urn, "eks:index:ManagedNodeGroup", name)))
        return aws.eks.NodeGroup(
            name,
            cluster_name=ng.cluster_name,
            # A prefix, not a name: a change EKS can only make by replacing the group (instance types,
            # subnets, AMI type, ...) creates the new group before the old one is deleted.
            node_group_name_prefix=f"{ng.name}-",
            node_role_arn=ng.node_role.arn,
            # With a launch template that names no AMI, EKS picks the AMI for this version.
            version=ng.kubernetes_version,
            instance_types=list(ng.instance_types),
            capacity_type=ng.capacity_type,
            ami_type=ng.ami_type,
            scaling_config={"min_size": ng.min_size, "max_size": ng.max_size, "desired_size": ng.desired},
            update_config={"max_unavailable": ng.max_unavailable, "update_strategy": ng.update_strategy},
            node_repair_config=ng.repair.config(),
            labels=dict(ng.labels) or None,
            taints=[
                {"key": t.key, "effect": eks_effect(t.effect), **({"value": t.value} if t.value else {})}
                for t in ng.taints
            ]
            or None,
            subnet_ids=ng.subnet_ids,
            launch_template={
                "id": self.launch_template.id,
                "version": self.launch_template.latest_version.apply(str),
            },
            tags=dict(ng.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=list(ng.depends_on),
                # With an autoscaler, desiredSize is its business: `pulumi up` must not reset it.
                ignore_changes=["scalingConfig.desiredSize"] if ng.ignore_scaling_changes else None,
                aliases=[previous],
            ),
        )

    def _node_template_tags(self, name: str, args: ManagedNodeGroupArgs) -> None:
        """What a node of the group will carry, on the Auto Scaling group EKS created for it: the
        Cluster Autoscaler reads these when the group has no node to look at (its AWS README,
        "Auto-Discovery Setup": node-template/label/<key> = value, node-template/taint/<key> = value:effect)."""
        asg = self.node_group.resources.apply(lambda resources: resources[0].autoscaling_groups[0].name)
        template = "k8s.io/cluster-autoscaler/node-template"
        tags = {f"{template}/label/{key}": value for key, value in args.labels.items()}
        tags.update({f"{template}/taint/{t.key}": f"{t.value}:{t.effect}" for t in args.taints})
        for key, value in sorted(tags.items()):
            aws.autoscaling.Tag(
                f"{name}-{re.sub(r'[^A-Za-z0-9-]+', '-', key.removeprefix(template + '/'))}",
                autoscaling_group_name=asg,
                tag={"key": key, "value": value, "propagate_at_launch": False},
                opts=pulumi.ResourceOptions(parent=self),
            )
