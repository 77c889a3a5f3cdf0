"""ClusterAutoscaler: scales the cluster's managed node groups between their minSize and maxSize.

The Kubernetes objects are upstream's auto-discovery example (kubernetes/autoscaler
cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml): a
ServiceAccount, a least-privilege ClusterRole and a Role for its status ConfigMap and lease, their
bindings, one Deployment — here a cluster-critical pod under the restricted Pod Security profile, on
the nodes it is told (an on-demand group) — and a PodDisruptionBudget. It finds node groups by the
tags EKS puts on their Auto Scaling groups, and acts through an IAM role whose write actions are
limited to Auto Scaling groups that carry this cluster's tag.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s

from .service_account_role import ControllerIdentity, ServiceAccountRole

NAMESPACE = "kube-system"
NAME = "cluster-autoscaler"
EXPANDERS = ("least-waste", "priority", "random", "most-pods")
UID = 65534  # nobody: the image runs as any user and writes nothing
PORT = 8085
LABELS = {"app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "eks-platform"}
DISCOVERY_TAGS = ("k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/{cluster}")


def iam_policy(cluster: str, region: str, partition: str) -> str:
    """Read what it needs anywhere; change only Auto Scaling groups tagged for this cluster (the tag's
    value does not matter, its presence does: `Null: false`), describe only this cluster's node groups."""
    scale = {
        "Sid": "ScaleThisClustersGroups",
        "Effect": "Allow",
        "Action": ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        # Both actions take an autoScalingGroup resource (Service Authorization Reference): the region's groups
        # of this account, narrowed further by the tag; not "*" (parliament's RESOURCE_STAR).
        "Resource": f"arn:{partition}:autoscaling:{region}:*:autoScalingGroup:*:autoScalingGroupName/*",
        "Condition": {"Null": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster}": "false"}},
    }
    describe = {
        "Sid": "Describe",
        "Effect": "Allow",
        "Action": [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
        ],
        "Resource": "*",
    }
    # Labels and taints of a group with no node yet (scale from zero) come from EKS too.
    nodegroups = {
        "Sid": "DescribeThisClustersNodeGroups",
        "Effect": "Allow",
        "Action": ["eks:DescribeNodegroup"],
        "Resource": f"arn:{partition}:eks:{region}:*:nodegroup/{cluster}/*/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [describe, scale, nodegroups]}, sort_keys=True)


def _rule(api_groups, resources, verbs, names=()) -> dict:
    rule = {"apiGroups": list(api_groups), "resources": list(resources), "verbs": list(verbs)}
    return {**rule, "resourceNames": list(names)} if names else rule


# Upstream's example ClusterRole, rule for rule.
CLUSTER_RULES = [
    _rule([""], ["events", "endpoints"], ["create", "patch"]),
    _rule([""], ["pods/eviction"], ["create"]),
    _rule([""], ["pods/status"], ["update"]),
    _rule([""], ["endpoints"], ["get", "update"], [NAME]),
    _rule([""], ["nodes"], ["watch", "list", "get", "update"]),
    _rule(
        [""],
        ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"],
        ["watch", "list", "get"],
    ),
    _rule(["extensions"], ["replicasets", "daemonsets"], ["watch", "list", "get"]),
    _rule(["policy"], ["poddisruptionbudgets"], ["watch", "list"]),
    _rule(["apps"], ["statefulsets", "replicasets", "daemonsets"], ["watch", "list", "get"]),
    _rule(["resource.k8s.io"], ["deviceclasses", "resourceslices", "resourceclaims"], ["watch", "list", "get"]),
    _rule(
        ["storage.k8s.io"],
        ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"],
        ["watch", "list", "get"],
    ),
    _rule(["batch", "extensions"], ["jobs"], ["get", "list", "watch", "patch"]),
    _rule(["coordination.k8s.io"], ["leases"], ["create"]),
    _rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [NAME]),
]
NAMESPACE_RULES = [
    _rule([""], ["configmaps"], ["create", "list", "watch"]),
    _rule(
        [""],
        ["configmaps"],
        ["delete", "get", "update", "watch"],
        ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"],
    ),
]


@dataclass(frozen=True)
class ClusterAutoscalerArgs(ControllerIdentity):
    cluster_name: pulumi.Input[str]
    region: str
    image: str
    """registry.k8s.io/autoscaling/cluster-autoscaler at the release of the cluster's minor version."""
    provider: pulumi.ProviderResource
    """The cluster's Kubernetes provider."""
    requests: Mapping[str, str] = field(default_factory=lambda: {"cpu": "100m", "memory": "600Mi"})
    """CPU and memory, requested and the limit (upstream's example values by default)."""
    expander: str = "least-waste"
    """Which node group grows: least-waste, priority, random or most-pods."""
    scale_down_unneeded_time: str = "10m"
    scale_down_utilization_threshold: float = 0.5
    balance_similar_node_groups: bool = False
    node_selector: Mapping[str, str] = field(default_factory=dict)
    """Where it runs (an on-demand group: a reclaimed SPOT node would stop scaling when it matters)."""
    tolerations: Sequence[Mapping[str, str]] = ()
    lands_on: Sequence[pulumi.Resource] = ()
    """The node groups it can land on: the Deployment waits for them."""
    depends_on: Sequence[pulumi.Resource] = ()

    def __post_init__(self):
        if self.expander not in EXPANDERS:
            raise ValueError(f"ClusterAutoscaler: args.expander is {self.expander!r}; one of {', '.join(EXPANDERS)}")
        if not 0 < self.scale_down_utilization_threshold <= 1:
            raise ValueError(
                f"ClusterAutoscaler: args.scale_down_utilization_threshold is {self.scale_down_utilization_threshold}; "
                "0 < threshold <= 1"
            )
        self.check_identity("ClusterAutoscaler")
        if ":" not in self.image.rsplit("/", 1)[-1]:
            raise ValueError(f"ClusterAutoscaler: args.image is {self.image!r}; pin a release (...:v1.35.2)")


def command(cluster: str, args: ClusterAutoscalerArgs) -> list[str]:
    discovery = ",".join(tag.format(cluster=cluster) for tag in DISCOVERY_TAGS)
    return [
        "./cluster-autoscaler",
        "--cloud-provider=aws",
        f"--namespace={NAMESPACE}",
        f"--node-group-auto-discovery=asg:tag={discovery}",
        f"--expander={args.expander}",
        f"--balance-similar-node-groups={str(args.balance_similar_node_groups).lower()}",
        "--skip-nodes-with-system-pods=false",
        f"--scale-down-unneeded-time={args.scale_down_unneeded_time}",
        f"--scale-down-utilization-threshold={args.scale_down_utilization_threshold}",
        "--logtostderr=true",
        "--stderrthreshold=info",
        "--v=4",
    ]


def container(args: ClusterAutoscalerArgs, cluster: pulumi.Output[str]) -> dict:
    """The autoscaler's container: upstream's command, probes and requests (as its limits), locked down."""
    probe = {"httpGet": {"path": "/health-check", "port": PORT}, "periodSeconds": 30}
    return {
        "name": NAME,
        "image": args.image,
        "imagePullPolicy": "Always",
        "command": cluster.apply(lambda c: command(c, args)),
        "env": [{"name": "AWS_REGION", "value": args.region}],
        "ports": [{"name": "metrics", "containerPort": PORT}],
        "livenessProbe": {**probe, "initialDelaySeconds": 30},
        "readinessProbe": probe,
        "resources": {"requests": dict(args.requests), "limits": dict(args.requests)},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
    }


def pod_template(args: ClusterAutoscalerArgs, container: dict) -> dict:
    """A cluster-critical pod under the restricted profile, on the nodes it is told."""
    return {
        "metadata": {
            "labels": LABELS,
            # It must not evict itself while scaling its own node down.
            "annotations": {"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"},
        },
        "spec": {
            "serviceAccountName": NAME,
            # It talks to the API server: the token is needed (the samples' pods mount none).
            "automountServiceAccountToken": True,
            "priorityClassName": "system-cluster-critical",
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": UID,
                "runAsGroup": UID,
                "fsGroup": UID,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [container],
            **({"nodeSelector": dict(args.node_selector)} if args.node_selector else {}),
            **({"tolerations": [dict(t) for t in args.tolerations]} if args.tolerations else {}),
        },
    }


class ClusterAutoscaler(pulumi.ComponentResource):
    deployment: k8s.apps.v1.Deployment
    role: ServiceAccountRole

    def __init__(self, name: str, args: ClusterAutoscalerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ClusterAutoscaler", name, None, opts)
        cluster = pulumi.Output.from_input(args.cluster_name)
        self.role = ServiceAccountRole(
            f"{name}-role",
            args.role_args(
                args.cluster_name, NAMESPACE, NAME, cluster.apply(lambda c: iam_policy(c, args.region, args.partition))
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=args.provider)
        meta = {"name": NAME, "namespace": NAMESPACE, "labels": LABELS}
        annotations = {"eks.amazonaws.com/role-arn": self.role.arn} if args.identity == "irsa" else {}
        account = k8s.core.v1.ServiceAccount(
            f"{name}-sa", metadata={**meta, **({"annotations": annotations} if annotations else {})}, opts=k8s_opts
        )
        bindings = self._rbac(name, meta, k8s_opts)
        self.deployment = k8s.apps.v1.Deployment(
            name,
            metadata=meta,
            spec={
                "replicas": 1,
                "selector": {"matchLabels": LABELS},
                "template": pod_template(args, container(args, cluster)),
            },
            opts=pulumi.ResourceOptions.merge(
                k8s_opts,
                pulumi.ResourceOptions(depends_on=[account, *bindings, *self.role.ready, *args.lands_on]),
            ),
        )
        k8s.policy.v1.PodDisruptionBudget(
            f"{name}-pdb",
            metadata=meta,
            spec={"selector": {"matchLabels": LABELS}, "maxUnavailable": 1},
            opts=k8s_opts,
        )
        self.register_outputs({"roleArn": self.role.arn, "image": args.image, "expander": args.expander})

    def _rbac(self, name: str, meta: dict, k8s_opts: pulumi.ResourceOptions) -> list[pulumi.Resource]:
        """Upstream's ClusterRole and its namespace Role (status ConfigMap, lease), bound to the service account."""
        cluster_role = k8s.rbac.v1.ClusterRole(
            f"{name}-cluster-role", metadata={"name": NAME, "labels": LABELS}, rules=CLUSTER_RULES, opts=k8s_opts
        )
        subjects = [{"kind": "ServiceAccount", "name": NAME, "namespace": NAMESPACE}]
        bindings = [
            k8s.rbac.v1.ClusterRoleBinding(
                f"{name}-cluster-role-binding",
                metadata={"name": NAME, "labels": LABELS},
                role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": NAME},
                subjects=subjects,
                opts=pulumi.ResourceOptions.merge(k8s_opts, pulumi.ResourceOptions(depends_on=[cluster_role])),
            )
        ]
        role = k8s.rbac.v1.Role(f"{name}-role", metadata=meta, rules=NAMESPACE_RULES, opts=k8s_opts)
        bindings.append(
            k8s.rbac.v1.RoleBinding(
                f"{name}-role-binding",
                metadata=meta,
                role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": NAME},
                subjects=subjects,
                opts=pulumi.ResourceOptions.merge(k8s_opts, pulumi.ResourceOptions(depends_on=[role])),
            )
        )
        return bindings
