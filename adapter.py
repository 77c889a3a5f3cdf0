"""The program's Settings in each component's plain Args: the one module that knows both.

The settings layer decides and validates everything (settings/); the components take plain,
documented values (components/, the `eks_platform.components` library). What a component needs
that the stack file says in other words — a taint effect, a workload's scheduling, a node group's
name prefix — is translated here and nowhere else, so `__main__.py` stays wiring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from eks_platform.components.addons import AddonSpec
from eks_platform.components.aws_auth import AccessEntry, GroupBinding, PolicyAssociation, RbacRule
from eks_platform.components.cert_manager import CertManagerArgs
from eks_platform.components.cluster_autoscaler import ClusterAutoscalerArgs
from eks_platform.components.eks_cluster import IdentityMapping
from eks_platform.components.external_dns import ExternalDnsArgs
from eks_platform.components.load_balancer_controller import INGRESS_CLASS, AwsLoadBalancerControllerArgs
from eks_platform.components.managed_node_group import ManagedNodeGroupArgs, NodeRepair, Taint
from eks_platform.components.namespaces import NamespaceSpec
from eks_platform.components.network import Network, NetworkArgs, SubnetBlock
from eks_platform.components.platform_addons import PlatformAddonsArgs
from eks_platform.components.workloads import (
    CronJobSpec,
    Expression,
    IngressSpec,
    JobSpec,
    Resources,
    SampleWorkloadsArgs,
    Spread,
    StatefulSetSpec,
    Toleration,
    WorkloadSpec,
)
from settings import Settings
from settings.access import AwsAuthMapping
from settings.addons import Addon
from settings.autoscaling import AUTOSCALER_KEY
from settings.model import NodeGroupConfig
from settings.namespaces import AGENTS_EXCEPTION, EXCEPTION_ANNOTATION
from settings.platform_addons import (
    EXTERNAL_DNS_KEY,
    EXTERNAL_DNS_REQUESTS,
    LOAD_BALANCER_CONTROLLER_KEY,
    LOAD_BALANCER_CONTROLLER_REPLICAS,
    LOAD_BALANCER_CONTROLLER_REQUESTS,
)
from settings.workloads import SAMPLE_APPS, Workload

EBS_CSI = "aws-ebs-csi-driver"
# The tag every taggable resource of a stack carries: EKS cluster names are unique per account and
# region, so the deployer's IAM policy scopes resources without a known name by it (deployer/).
CLUSTER_TAG = "eks-platform/cluster"


def platform_tags(settings: Settings) -> dict[str, str]:
    """On every resource: which cluster and stack it belongs to, then the stack's own tags."""
    return {
        CLUSTER_TAG: settings.cluster_name,
        "eks-platform/stack": settings.stack,
        **settings.cluster.tags,
    }


def network_args(settings: Settings) -> NetworkArgs:
    net = settings.network
    created = net.creates_vpc
    return NetworkArgs(
        cluster_name=settings.cluster_name,
        vpc_cidr=net.vpc_cidr if created else None,
        subnet_blocks=[SubnetBlock(b.az_index, b.private_cidr, b.public_cidr) for b in settings.subnet_blocks]
        if created
        else (),
        nat_per_az=net.nat_gateways == "perAz",
        public_ips_on_launch=any(ng.subnets == "public" for ng in settings.node_groups),
        vpc_id=net.vpc_id,
        private_subnet_ids=net.private_subnet_ids,
        public_subnet_ids=net.public_subnet_ids,
        tags=platform_tags(settings),
    )


def identity_mappings(mappings: Sequence[AwsAuthMapping]) -> list[IdentityMapping]:
    return [IdentityMapping(m.arn, m.username, tuple(m.groups)) for m in mappings]


def addon_spec(addon: Addon, previous: pulumi.Alias | None = None) -> AddonSpec:
    return AddonSpec(addon.name, addon.version, addon.configuration, addon.preserve, previous=previous)


def addons_where(settings: Settings, needs_nodes: bool) -> list[Addon]:
    """The add-ons of one phase (the EBS CSI driver comes with its own component and role)."""
    return [a for a in settings.addons if a.needs_nodes == needs_nodes and a.name != EBS_CSI]


def ebs_addon(settings: Settings) -> AddonSpec:
    return addon_spec(next(a for a in settings.addons if a.name == EBS_CSI))


def namespaces(settings: Settings) -> list[NamespaceSpec]:
    return [NamespaceSpec(n.name, dict(n.labels), dict(n.annotations)) for n in settings.namespaces]


def access_entries(settings: Settings) -> list[AccessEntry]:
    return [
        AccessEntry(
            e.principal_arn,
            e.username,
            tuple(e.groups),
            tuple(PolicyAssociation(p.policy_arn, tuple(p.namespaces)) for p in e.policies),
        )
        for e in settings.access.access_entries
    ]


def group_bindings(settings: Settings) -> list[GroupBinding]:
    return [
        GroupBinding(
            b.group,
            b.cluster_role,
            tuple(RbacRule(r.verbs, r.api_groups, r.resources, r.resource_names, r.non_resource_urls) for r in b.rules),
            tuple(b.namespaces),
        )
        for b in settings.access.bindings
    ]


def node_repair(ng: NodeGroupConfig) -> NodeRepair:
    r = ng.node_repair_config
    return NodeRepair(
        r.enabled,
        max_unhealthy_count=r.max_unhealthy_node_threshold_count,
        max_unhealthy_percentage=r.max_unhealthy_node_threshold_percentage,
        max_parallel_count=r.max_parallel_nodes_repaired_count,
        max_parallel_percentage=r.max_parallel_nodes_repaired_percentage,
    )


def node_group_args(
    settings: Settings,
    ng: NodeGroupConfig,
    node_role: aws.iam.Role,
    subnet_ids: pulumi.Input[Sequence[str]],
    depends_on: Sequence[pulumi.Resource],
) -> ManagedNodeGroupArgs:
    return ManagedNodeGroupArgs(
        name=ng.name,
        cluster_name=settings.cluster_name,
        kubernetes_version=settings.cluster.version,
        node_role=node_role,
        subnet_ids=subnet_ids,
        instance_types=tuple(ng.instance_types),
        capacity_type=ng.capacity_type,
        ami_type=ng.ami_type,
        disk_size=ng.disk_size,
        min_size=ng.min_size,
        max_size=ng.max_size,
        desired_size=ng.desired,
        max_unavailable=ng.max_unavailable,
        update_strategy=ng.update_strategy,
        repair=node_repair(ng),
        labels=dict(ng.labels),
        taints=tuple(Taint(t.key, t.effect, t.value) for t in ng.taints),
        # With the autoscaler on, desiredSize is only the initial size: `pulumi up` must not reset it.
        ignore_scaling_changes=ng.ignore_scaling_changes or settings.autoscaling.enabled,
        node_template_tags=settings.autoscaling.enabled and ng.min_size == 0,
        tags={**platform_tags(settings), **ng.tags},
        depends_on=tuple(depends_on),
    )


def autoscaler_args(
    settings: Settings,
    cluster_name: pulumi.Input[str],
    provider,
    node_groups: Mapping[str, pulumi.Resource],
    oidc: tuple[pulumi.Input[str], pulumi.Input[str]],
    depends_on: Sequence[pulumi.Resource],
) -> ClusterAutoscalerArgs:
    a, pod = settings.autoscaling, settings.autoscaler
    assert pod is not None  # only called with the autoscaler on
    return ClusterAutoscalerArgs(
        cluster_name=cluster_name,
        region=settings.region,
        image=pod.image,
        requests={"cpu": pod.resources.requests.cpu, "memory": pod.resources.requests.memory},
        expander=a.expander,
        scale_down_unneeded_time=a.scale_down_unneeded_time,
        scale_down_utilization_threshold=a.scale_down_utilization_threshold,
        balance_similar_node_groups=a.balance_similar_node_groups,
        **_placed(settings, provider, node_groups, AUTOSCALER_KEY, pod),
        **_controller_identity(settings, oidc, depends_on),
    )


def _controller_identity(
    settings: Settings, oidc: tuple[pulumi.Input[str], pulumi.Input[str]], depends_on: Sequence[pulumi.Resource]
) -> dict[str, Any]:
    """A controller's IAM identity (ControllerIdentity's fields): EKS Pod Identity, or IRSA through the cluster's
    OIDC provider (`oidc`: its ARN and issuer URL), as the cluster says; `depends_on`: what its role needs first."""
    irsa = settings.cluster.service_account_roles == "irsa"
    return {
        "identity": settings.cluster.service_account_roles,
        "oidc_provider_arn": oidc[0] if irsa else None,
        "oidc_issuer_url": oidc[1] if irsa else None,
        "partition": settings.partition,
        "tags": platform_tags(settings),
        "depends_on": tuple(depends_on),
    }


def _placed(settings: Settings, provider, node_groups: Mapping[str, pulumi.Resource], key: str, pod: Workload) -> dict:
    """Where a controller's pods run, as the settings placed them, and the node groups they wait for."""
    return {
        "provider": provider,
        "node_selector": dict(pod.node_selector),
        "tolerations": _tolerations(pod),
        "lands_on": [node_groups[g] for g in settings.placements.get(key, ())],
    }


def _tolerations(pod: Workload) -> list[dict[str, str]]:
    return [
        {k: v for k, v in (("key", t.key), ("operator", t.operator), ("value", t.value), ("effect", t.effect)) if v}
        for t in pod.tolerations
    ]


def platform_addons_args(
    settings: Settings,
    cluster,
    vpc_id: pulumi.Input[str],
    node_groups: Mapping[str, pulumi.Resource],
    create_services_first: Sequence[pulumi.Resource],
    depends_on: Sequence[pulumi.Resource],
) -> PlatformAddonsArgs:
    """metrics-server, the AWS Load Balancer Controller, ExternalDNS and cert-manager as the stack enables them;
    `cluster` is the EksCluster, `depends_on` what their IAM roles need first (the Pod Identity agent)."""
    plan = settings.platform_addons
    common = _controller_identity(settings, (cluster.oidc_provider_arn, cluster.oidc_issuer_url), depends_on)
    controller = dns = cert_manager = None
    if (pod := plan.load_balancer_controller) is not None:
        controller = AwsLoadBalancerControllerArgs(
            cluster_name=cluster.cluster_name,
            region=settings.region,
            vpc_id=vpc_id,
            replicas=LOAD_BALANCER_CONTROLLER_REPLICAS,
            requests=LOAD_BALANCER_CONTROLLER_REQUESTS,
            default_tags=platform_tags(settings),
            **_placed(settings, cluster.provider, node_groups, LOAD_BALANCER_CONTROLLER_KEY, pod),
            **common,
        )
    if (pod := plan.external_dns) is not None:
        dns = ExternalDnsArgs(
            cluster_name=cluster.cluster_name,
            region=settings.region,
            zone_ids=plan.external_dns_zones,
            policy=plan.external_dns_policy,
            requests=EXTERNAL_DNS_REQUESTS,
            **_placed(settings, cluster.provider, node_groups, EXTERNAL_DNS_KEY, pod),
            **common,
        )
    if plan.cert_manager is not None:
        cert_manager = CertManagerArgs(
            cluster_name=cluster.cluster_name,
            kubernetes_version=settings.cluster.version,
            addon=addon_spec(plan.cert_manager),
            zone_ids=plan.cert_manager_zones,
            partition=settings.partition,
            tags=platform_tags(settings),
            wait_for=tuple(depends_on),
        )
    return PlatformAddonsArgs(
        cluster_name=cluster.cluster_name,
        kubernetes_version=settings.cluster.version,
        metrics_server=addon_spec(plan.metrics_server) if plan.metrics_server else None,
        load_balancer_controller=controller,
        external_dns=dns,
        cert_manager=cert_manager,
        create_services_first=tuple(create_services_first),
        wait_for=tuple(node_groups.values()),
        tags=platform_tags(settings),
    )


def ingress_spec(settings: Settings, network: Network) -> IngressSpec | None:
    """The sample Deployment's Ingress; its load balancer's traffic comes from the subnets the controller puts
    it in (by the subnets' role tags: private for internal, public for internet-facing), or, in an existing
    VPC whose subnets' ranges the settings do not know, from the VPC's range."""
    w = settings.workloads
    if not (w.enabled and w.ingress.enabled):
        return None
    internal = w.ingress.scheme == "internal"
    if settings.network.creates_vpc:
        cidrs = [b.private_cidr if internal else b.public_cidr for b in settings.subnet_blocks]
    else:
        cidrs = [network.vpc_cidr_block()]
    return IngressSpec(scheme=w.ingress.scheme, port=w.ingress.port, class_name=INGRESS_CLASS, source_cidrs=cidrs)


def _spec(kind: type[WorkloadSpec], workload: Workload, app: str, lands_on, **more: Any) -> Any:
    r = workload.resources
    affinity = workload.node_affinity

    def expressions(terms) -> tuple[Expression, ...]:
        return tuple(Expression(e.key, e.operator, tuple(e.values)) for e in terms)

    return kind(
        app=app,
        image=workload.image,
        resources=Resources(r.requests.cpu, r.requests.memory, r.limits.cpu, r.limits.memory),
        replicas=getattr(workload, "replicas", 1),
        node_selector=dict(workload.node_selector),
        required=tuple(expressions(term.match_expressions) for term in affinity.required),
        preferred=tuple((term.weight, expressions(term.match_expressions)) for term in affinity.preferred),
        tolerations=tuple(Toleration(t.key, t.operator, t.value, t.effect) for t in workload.tolerations),
        topology_spread=tuple(
            Spread(t.topology_key, t.max_skew, t.when_unsatisfiable) for t in workload.topology_spread
        ),
        lands_on=tuple(lands_on),
        skip_await=workload.skip_await,
        **more,
    )


def sample_workloads_args(
    settings: Settings,
    provider,
    namespace_resources: Mapping[str, Any],
    storage_class: pulumi.Input[str],
    storage: Sequence[pulumi.Resource],
    node_groups: Mapping[str, pulumi.Resource],
    ingress: IngressSpec | None = None,
    wait_for: Sequence[pulumi.Resource] = (),
) -> SampleWorkloadsArgs:
    """The samples the stack enables, each waiting for the node groups the settings placed it on."""
    w = settings.workloads
    enabled = dict(w.enabled_workloads())

    def lands_on(key: str) -> list[pulumi.Resource]:
        return [node_groups[g] for g in settings.placements.get(key, ())]

    def spec(key: str, kind: type[WorkloadSpec] = WorkloadSpec, **more: Any):
        return _spec(kind, enabled[key], SAMPLE_APPS[key], lands_on(key), **more) if key in enabled else None

    s, cron = w.stateful_set, w.cron_job
    password = s.password.get_secret_value() if s.password is not None else None
    return SampleWorkloadsArgs(
        namespace=w.namespace,
        provider=provider,
        namespaces=namespace_resources,
        storage_class=storage_class,
        pod=spec("pod"),
        deployment=spec("deployment"),
        extra_deployments=tuple(
            _spec(WorkloadSpec, d, d.name, lands_on(f"extraDeployments[{i}]"))
            for i, d in enumerate(w.extra_deployments)
            if w.enabled and d.enabled
        ),
        daemon_set=spec("daemonSet"),
        agents_namespace=w.agents_namespace,
        daemon_set_annotations={EXCEPTION_ANNOTATION: AGENTS_EXCEPTION},
        stateful_set=spec("statefulSet", StatefulSetSpec, storage_size=s.storage_size, password=password),
        job=spec("job", JobSpec, **_job_fields(w.job)),
        cron_job=spec(
            "cronJob",
            CronJobSpec,
            schedule=cron.schedule,
            successful_jobs_history_limit=cron.successful_jobs_history_limit,
            failed_jobs_history_limit=cron.failed_jobs_history_limit,
            **_job_fields(cron),
        ),
        storage=tuple(storage),
        ingress=ingress,
        wait_for=tuple(wait_for),
    )


def _job_fields(job) -> dict[str, Any]:
    """What the sample Job and CronJob share: their limits, and the database they work on."""
    return {
        "backoff_limit": job.backoff_limit,
        "active_deadline_seconds": job.active_deadline_seconds,
        "ttl_seconds_after_finished": job.ttl_seconds_after_finished,
        "database": SAMPLE_APPS["statefulSet"],
    }
