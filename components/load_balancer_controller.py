"""AwsLoadBalancerController: the controller that makes Application Load Balancers for Ingresses and Network
Load Balancers for Services of type LoadBalancer (the in-tree controller only makes Classic ones).

Upstream's Helm chart at a pinned version (aws/eks-charts), its IAM role through EKS Pod Identity (or IRSA)
with upstream's policy as reviewed in load_balancer_controller_policy.py, the service account the role is
bound to (created here, so the chart does not), and the `alb` IngressClass (created here too, so the render
shows it and the checks read it). Placement like the Cluster Autoscaler: system-cluster-critical, on the
nodes it is told (on-demand), two replicas with a PodDisruptionBudget.

Order matters: the chart installs a mutating webhook that every new Service goes through (failurePolicy
Fail, values serviceMutatorWebhookConfig), so a Service created between the webhook's registration and the
controller's readiness is refused. What creates Services is therefore created before the release (pass it in
`depends_on`) or after it (wait for `release`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from .helm_chart import HelmChart, helm_release, pod_values
from .load_balancer_controller_policy import iam_policy
from .service_account_role import ControllerIdentity, ServiceAccountRole

NAMESPACE = "kube-system"
NAME = "aws-load-balancer-controller"
INGRESS_CLASS = "alb"
CONTROLLER = "ingress.k8s.aws/alb"  # IngressClass.spec.controller the controller claims (its docs: IngressClass)
LABELS = {"app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "eks-platform"}
CHART = HelmChart(
    repository="https://aws.github.io/eks-charts",
    chart="aws-load-balancer-controller",
    version="3.5.0",
    app_version="v3.5.0",
    source="aws/eks-charts stable/aws-load-balancer-controller/Chart.yaml @ 5239609 (2026-08-03, the newest release)",
)


@dataclass(frozen=True)
class AwsLoadBalancerControllerArgs(ControllerIdentity):
    cluster_name: pulumi.Input[str]
    region: str
    vpc_id: pulumi.Input[str]
    """The cluster's VPC: the controller looks for subnets there, and its IAM policy is limited to it."""
    provider: pulumi.ProviderResource
    """The cluster's Kubernetes provider."""
    replicas: int = 2
    requests: Mapping[str, str] | None = None
    """CPU and memory, requested and the limit; None: the chart's default (none)."""
    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: Sequence[Mapping[str, str]] = ()
    lands_on: Sequence[pulumi.Resource] = ()
    """The node groups its pods can land on: the release waits for them."""
    default_tags: Mapping[str, str] = field(default_factory=dict)
    """Put on every load balancer, target group and security group the controller creates."""
    depends_on: Sequence[pulumi.Resource] = ()
    """Created first: the add-on the role needs, and whatever creates Services (see the module's note)."""

    def __post_init__(self):
        self.check_identity("AwsLoadBalancerController")
        if self.replicas < 1:
            raise ValueError(f"AwsLoadBalancerController: args.replicas is {self.replicas}; at least 1")


# The restricted Pod Security profile (the chart's defaults lack the seccomp profile and dropping capabilities).
POD_SECURITY = {"fsGroup": 65534, "runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
}


def chart_values(args: AwsLoadBalancerControllerArgs, cluster: str, vpc_id: str) -> dict[str, Any]:
    """The chart's values (stable/aws-load-balancer-controller/values.yaml @ the pinned chart)."""
    values: dict[str, Any] = {
        "clusterName": cluster,
        "region": args.region,
        "vpcId": vpc_id,
        "serviceAccount": {"create": False, "name": NAME},
        "replicaCount": args.replicas,
        "priorityClassName": "system-cluster-critical",
        "podDisruptionBudget": {"maxUnavailable": 1},
        "podSecurityContext": POD_SECURITY,
        "securityContext": CONTAINER_SECURITY,
        # The program creates the IngressClass (the render shows it, the checks read it).
        "createIngressClassResource": False,
        "ingressClass": INGRESS_CLASS,
        # Their permissions are not granted (load_balancer_controller_policy.py): the features stay off.
        "enableShield": False,
        "enableWaf": False,
        "enableWafv2": False,
        # Listeners and rules carry the cluster tag, which the IAM policy's conditions rely on.
        "controllerConfig": {"featureGates": {"ListenerRulesTagging": True}},
        **pod_values(args.requests, args.node_selector, args.tolerations),
    }
    if args.default_tags:
        values["defaultTags"] = dict(args.default_tags)
    return values


class AwsLoadBalancerController(pulumi.ComponentResource):
    release: k8s.helm.v3.Release
    ingress_class: k8s.networking.v1.IngressClass
    role: ServiceAccountRole

    def __init__(self, name: str, args: AwsLoadBalancerControllerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:AwsLoadBalancerController", name, None, opts)
        vpc = pulumi.Output.from_input(args.vpc_id)
        self.role = ServiceAccountRole(
            f"{name}-role",
            args.role_args(
                args.cluster_name, NAMESPACE, NAME, vpc.apply(lambda v: iam_policy(args.region, args.partition, v))
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=args.provider)
        annotations = {"eks.amazonaws.com/role-arn": self.role.arn} if args.identity == "irsa" else {}
        account = k8s.core.v1.ServiceAccount(
            f"{name}-sa",
            metadata={
                "name": NAME,
                "namespace": NAMESPACE,
                "labels": LABELS,
                **({"annotations": annotations} if annotations else {}),
            },
            opts=k8s_opts,
        )
        values = pulumi.Output.all(args.cluster_name, vpc).apply(lambda v: chart_values(args, v[0], v[1]))
        first = [account, *self.role.ready, *args.lands_on, *args.depends_on]
        self.release = helm_release(name, CHART, NAMESPACE, values, args.provider, self, first)
        self.ingress_class = k8s.networking.v1.IngressClass(
            f"{name}-ingress-class",
            metadata={"name": INGRESS_CLASS, "labels": LABELS},
            spec={"controller": CONTROLLER},
            opts=k8s_opts,
        )
        self.register_outputs(
            {
                "roleArn": self.role.arn,
                "ingressClass": INGRESS_CLASS,
                "chart": f"{CHART.chart} {CHART.version}",
            }
        )
