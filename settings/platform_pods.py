"""Every pod the platform itself runs on the nodes, in ONE registry: the placement check places them like
the samples, and capacity counts their requests beside the samples'.

An add-on that runs pods registers a function here with `@platform_pod`: given the stack's add-on and
autoscaling settings, it returns a `Subject` (kind, replicas or one per node, requests, where it may
land, who waits for it at `pulumi up`) or None when the stack does not run it. Nothing else needs to
know about it: placement, capacity, the render and its warnings and errors follow.

The requests are one pod's, summed over its containers (an init container counts only where it asks
for more than the containers together). Each figure cites where it comes from; they change with an
add-on's version, so they are read again when an add-on's default version moves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .addons import AddonsConfig
from .autoscaling import AUTOSCALER_KEY
from .platform_addons import (
    EXTERNAL_DNS_KEY,
    LOAD_BALANCER_CONTROLLER_KEY,
    LOAD_BALANCER_CONTROLLER_REPLICAS,
    SECTION,
    PlatformAddons,
)
from .problems import key_path
from .scheduling import KUBERNETES_AWAIT, Subject
from .workloads import NodeAffinity, ResourceAmounts, Resources, Toleration, Workload

# Who waits, so a pod that cannot be scheduled fails `pulumi up` instead of staying Pending unnoticed.
# pulumi-kubernetes: provider/pkg/await/awaiters.go (Deployment, StatefulSet, DaemonSet, Job, Pod; 10 minutes
# unless the object carries pulumi.com/skipAwait: "true"). The AWS provider: terraform-provider-aws
# internal/service/eks waitAddonCreated (CREATING and DEGRADED are pending states, ACTIVE the target; 20 minutes).
ADDON_AWAIT = "the AWS provider waits 20 minutes for the EKS add-on to be ACTIVE with"
NODE_AWAIT = "a new node is Ready (else its node group fails) only with"
# pulumi-kubernetes helm.v3.Release: without skipAwait it installs as `helm install --wait` does (every
# Deployment ready), 300 seconds unless `timeout` says otherwise (provider/pkg/provider/helm_release.go).
HELM_AWAIT = "the Helm release waits 5 minutes for"


@dataclass(frozen=True)
class PlatformContext:
    addons: AddonsConfig
    autoscaler: Workload | None  # the Cluster Autoscaler's pod, placed by settings/autoscaling.py
    platform_addons: PlatformAddons = field(default_factory=PlatformAddons)  # settings/platform_addons.py
    node_monitoring: bool = False  # the EKS node monitoring agent runs (some node group has auto repair on)


PodSource = Callable[[PlatformContext], Subject | list[Subject] | None]
PLATFORM_PODS: list[PodSource] = []


def platform_pod(source: PodSource) -> PodSource:
    PLATFORM_PODS.append(source)
    return source


def platform_subjects(context: PlatformContext) -> list[Subject]:
    """Every pod source's subjects (a source may run several Deployments, or none)."""
    found: list[Subject] = []
    for source in PLATFORM_PODS:
        subject = source(context)
        found += subject if isinstance(subject, list) else [subject] if subject is not None else []
    return found


_EVERY_TAINT = (Toleration(operator="Exists"),)


def _pod(
    key: str,
    path: str,
    kind: str,
    name: str,
    replicas: int | None,
    requests: tuple[str, str],
    tolerations: tuple[Toleration, ...],
    awaited_by: str,
    node_selector: Mapping[str, str] | None = None,
) -> Subject:
    amounts = ResourceAmounts(cpu=requests[0], memory=requests[1])
    # Placement reads only the scheduling fields and the requests: the image stays the add-on's own.
    workload = Workload.model_construct(
        resources=Resources(requests=amounts, limits=amounts),
        node_selector={str(k): str(v) for k, v in (node_selector or {}).items()},
        node_affinity=NodeAffinity(),
        tolerations=tolerations,
        topology_spread=(),
    )
    return Subject(key, path, kind, name, replicas, workload, awaited_by)


def _configured(addons: AddonsConfig, addon: str) -> Mapping[str, Any]:
    return addons.of(addon).configuration_values


def _tolerations(configured: Mapping[str, Any], default: tuple[Toleration, ...]) -> tuple[Toleration, ...]:
    """The add-on's own tolerations from its configurationValues (both add-ons' schemas take `tolerations`,
    which replace the defaults), else its defaults. EKS validates the values against the schema: an entry
    this check cannot read is left out rather than guessed."""
    given = configured.get("tolerations")
    if not isinstance(given, list):
        return default
    found = []
    for entry in given:
        with contextlib.suppress(ValidationError, TypeError):
            found.append(Toleration.model_validate(entry))
    return tuple(found)


# --- DaemonSets: one pod on every node ---------------------------------------------------------------------


@platform_pod
def aws_node(context: PlatformContext) -> Subject:
    # aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml @ b5218838 (resources.requests.cpu 25m, for the
    # aws-node container and the init container) and eksctl-io/eksctl pkg/addons/default/assets/aws-node.yaml
    # @ 99984adb (aws-node 25m + aws-network-policy-agent 25m, no memory request); tolerates every taint.
    return _pod(
        "addons.vpc-cni", key_path("addons", "vpc-cni"), "DaemonSet", "kube-system/aws-node", None,
        ("50m", "0"), _EVERY_TAINT, NODE_AWAIT,
    )  # fmt: skip


@platform_pod
def kube_proxy(context: PlatformContext) -> Subject:
    # The kube-proxy DaemonSet the EKS add-on installs requests cpu 100m and no memory (kubectl -n kube-system
    # get daemonset kube-proxy -o yaml on an EKS cluster; no public manifest holds it); tolerates every taint.
    return _pod(
        "addons.kube-proxy", key_path("addons", "kube-proxy"), "DaemonSet", "kube-system/kube-proxy", None,
        ("100m", "0"), _EVERY_TAINT, NODE_AWAIT,
    )  # fmt: skip


@platform_pod
def pod_identity_agent(context: PlatformContext) -> Subject:
    # aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml @ 00bc0581: resources {} (no
    # request, but one of the node's pod slots), tolerations [operator: Exists].
    return _pod(
        "addons.eks-pod-identity-agent", key_path("addons", "eks-pod-identity-agent"), "DaemonSet",
        "kube-system/eks-pod-identity-agent", None, ("0", "0"), _EVERY_TAINT, ADDON_AWAIT,
    )  # fmt: skip


@platform_pod
def ebs_csi_node(context: PlatformContext) -> Subject:
    # kubernetes-sigs/aws-ebs-csi-driver @ 429e202e charts/aws-ebs-csi-driver: values.yaml node.resources
    # (10m / 40Mi, ebs-plugin), templates/_node.tpl node-driver-registrar and liveness-probe (10m / 32Mi each);
    # node.tolerateAllTaints: true.
    return _pod(
        "addons.aws-ebs-csi-driver.node", key_path("addons", "aws-ebs-csi-driver"), "DaemonSet",
        "kube-system/ebs-csi-node", None, ("30m", "104Mi"), _EVERY_TAINT, ADDON_AWAIT,
    )  # fmt: skip


@platform_pod
def node_monitoring_agent(context: PlatformContext) -> Subject | None:
    # aws/eks-node-monitoring-agent charts/eks-node-monitoring-agent/values.yaml @ 51af5494 (chart 1.7.0, the
    # add-on's source): nodeAgent.resources.requests cpu 10m / memory 30Mi, tolerations [operator: Exists];
    # its node affinity only keeps it off Fargate, Auto Mode, hybrid and HyperPod nodes and non-amd64/arm64
    # ones (none here). Its dcgm-server DaemonSet runs only on NVIDIA GPU instance types and requests nothing.
    if not context.node_monitoring:
        return None
    return _pod(
        "addons.eks-node-monitoring-agent", key_path("addons", "eks-node-monitoring-agent"), "DaemonSet",
        "kube-system/eks-node-monitoring-agent", None, ("10m", "30Mi"), _EVERY_TAINT, ADDON_AWAIT,
    )  # fmt: skip


# --- Deployments ---------------------------------------------------------------------------------------------


@platform_pod
def coredns(context: PlatformContext) -> Subject:
    # The EKS CoreDNS add-on's Deployment: eksctl-io/eksctl pkg/addons/default/assets/coredns-1.35.json @ 99984adb
    # (EKS's own manifest): 2 replicas, requests cpu 100m / memory 70Mi, tolerations CriticalAddonsOnly and the
    # control-plane taint only. The add-on's configuration (replicaCount, resources.requests, tolerations,
    # nodeSelector) changes them.
    configured = _configured(context.addons, "coredns")
    requests = (configured.get("resources") or {}).get("requests") or {}
    return _pod(
        "addons.coredns",
        key_path("addons", "coredns"),
        "Deployment",
        "kube-system/coredns",
        int(configured.get("replicaCount", 2)),
        (str(requests.get("cpu", "100m")), str(requests.get("memory", "70Mi"))),
        _tolerations(
            configured,
            (
                Toleration(key="CriticalAddonsOnly", operator="Exists"),
                Toleration(key="node-role.kubernetes.io/control-plane", operator="Exists", effect="NoSchedule"),
            ),
        ),
        ADDON_AWAIT,
        configured.get("nodeSelector"),
    )


@platform_pod
def ebs_csi_controller(context: PlatformContext) -> Subject:
    # kubernetes-sigs/aws-ebs-csi-driver @ 429e202e charts/aws-ebs-csi-driver: controller.replicaCount 2;
    # controller.resources 10m / 40Mi for ebs-plugin, and the default of csi-provisioner, csi-attacher and
    # csi-resizer (templates/controller.yaml); liveness-probe 10m / 32Mi. csi-snapshotter runs only where the
    # snapshot API exists (the platform installs no snapshot controller). Tolerations: CriticalAddonsOnly and
    # any NoExecute taint; the add-on's controller.replicaCount, .tolerations and .nodeSelector change them.
    configured = _configured(context.addons, "aws-ebs-csi-driver").get("controller") or {}
    return _pod(
        "addons.aws-ebs-csi-driver.controller",
        key_path("addons", "aws-ebs-csi-driver"),
        "Deployment",
        "kube-system/ebs-csi-controller",
        int(configured.get("replicaCount", 2)),
        ("50m", "192Mi"),
        _tolerations(
            configured,
            (
                Toleration(key="CriticalAddonsOnly", operator="Exists"),
                Toleration(operator="Exists", effect="NoExecute"),
            ),
        ),
        ADDON_AWAIT,
        configured.get("nodeSelector"),
    )


@platform_pod
def cluster_autoscaler(context: PlatformContext) -> Subject | None:
    # Its requests and where it runs: settings/autoscaling.py (the component's Deployment uses the same values).
    if context.autoscaler is None:
        return None
    return Subject(
        AUTOSCALER_KEY,
        key_path("autoscaling"),
        "Deployment",
        "cluster-autoscaler",
        1,
        context.autoscaler,
        KUBERNETES_AWAIT,
    )


# --- eks-platform:platformAddons -----------------------------------------------------------------------------


@platform_pod
def metrics_server(context: PlatformContext) -> Subject | None:
    # kubernetes-sigs/metrics-server charts/metrics-server/values.yaml @ 026af897 (the chart the EKS community
    # add-on packages): replicas 1, requests cpu 100m / memory 200Mi, no tolerations, no nodeSelector. The
    # add-on's configurationValues (replicas, resources.requests, tolerations, nodeSelector) change them.
    addon = context.platform_addons.metrics_server
    if addon is None:
        return None
    configured = addon.configuration
    requests = (configured.get("resources") or {}).get("requests") or {}
    return _pod(
        f"{SECTION}.metricsServer",
        key_path(SECTION, "metricsServer"),
        "Deployment",
        "kube-system/metrics-server",
        int(configured.get("replicas", 1)),
        (str(requests.get("cpu", "100m")), str(requests.get("memory", "200Mi"))),
        _tolerations(configured, ()),
        ADDON_AWAIT,
        configured.get("nodeSelector"),
    )


@platform_pod
def load_balancer_controller(context: PlatformContext) -> Subject | None:
    # Its replicas, requests and where it runs: settings/platform_addons.py (the component's Helm values use them).
    workload = context.platform_addons.load_balancer_controller
    if workload is None:
        return None
    return Subject(
        LOAD_BALANCER_CONTROLLER_KEY,
        key_path(SECTION, "awsLoadBalancerController"),
        "Deployment",
        "kube-system/aws-load-balancer-controller",
        LOAD_BALANCER_CONTROLLER_REPLICAS,
        workload,
        HELM_AWAIT,
    )


@platform_pod
def external_dns(context: PlatformContext) -> Subject | None:
    workload = context.platform_addons.external_dns
    if workload is None:
        return None
    return Subject(
        EXTERNAL_DNS_KEY, key_path(SECTION, "externalDns"), "Deployment", "kube-system/external-dns", 1, workload,
        HELM_AWAIT,
    )  # fmt: skip


@platform_pod
def cert_manager(context: PlatformContext) -> list[Subject] | None:
    # cert-manager/cert-manager deploy/charts/cert-manager values.yaml (the chart the EKS community add-on
    # packages): the controller, cainjector and webhook Deployments, 1 replica each, resources {} (no request,
    # but a pod slot each), no tolerations, no nodeSelector.
    if context.platform_addons.cert_manager is None:
        return None
    path, none = key_path(SECTION, "certManager"), ("0", "0")
    return [
        _pod(f"{SECTION}.certManager.{part}", path, "Deployment", f"cert-manager/{name}", 1, none, (), ADDON_AWAIT)
        for part, name in (
            ("controller", "cert-manager"),
            ("cainjector", "cert-manager-cainjector"),
            ("webhook", "cert-manager-webhook"),
        )
    ]
