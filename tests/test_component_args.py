"""The components check their own Args (library users have no settings layer): each bad value is a
ValueError naming the component and the field, before anything is registered. One row per check,
the good value beside the bad."""

from __future__ import annotations

import dataclasses

import pytest

from eks_platform.components.addons import AddonsArgs, AddonSpec
from eks_platform.components.aws_auth import AccessEntry, AwsAuthArgs, GroupBinding
from eks_platform.components.cert_manager import CertManagerArgs
from eks_platform.components.cluster_autoscaler import ClusterAutoscalerArgs
from eks_platform.components.ebs_csi_driver import EbsCsiDriverArgs
from eks_platform.components.eks_cluster import EksClusterArgs, IdentityMapping
from eks_platform.components.external_dns import ExternalDnsArgs
from eks_platform.components.load_balancer_controller import AwsLoadBalancerControllerArgs
from eks_platform.components.managed_node_group import ManagedNodeGroupArgs, Taint
from eks_platform.components.namespaces import NamespacesArgs, NamespaceSpec
from eks_platform.components.network import NetworkArgs, SubnetBlock
from eks_platform.components.node_role import NodeRoleArgs
from eks_platform.components.platform_addons import PlatformAddonsArgs
from eks_platform.components.service_account_role import ServiceAccountRoleArgs
from eks_platform.components.workloads import (
    Expression,
    IngressSpec,
    JobSpec,
    SampleWorkloadsArgs,
    Spread,
    StatefulSetSpec,
    Toleration,
    WorkloadSpec,
)

ROLE = object()  # stands in for an aws.iam.Role: the checks never read it
BLOCKS = (SubnetBlock(0, "10.0.0.0/18", "10.0.128.0/20"), SubnetBlock(1, "10.0.64.0/18", "10.0.144.0/20"))
NODE_GROUP = ManagedNodeGroupArgs(
    name="general", cluster_name="c", kubernetes_version="1.35", node_role=ROLE, subnet_ids=[]
)
CLUSTER = EksClusterArgs(
    name="c", version="1.35", region="eu-west-1", vpc_id="v", private_subnet_ids=[], public_subnet_ids=[]
)
WEB = WorkloadSpec(app="web", image="nginx:1.27")
AUTOSCALER = ClusterAutoscalerArgs("c", "eu-west-1", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2", None)
SA_ROLE = ServiceAccountRoleArgs("c", "kube-system", "sa", inline_policy="{}")
EBS = EbsCsiDriverArgs("c", None, "1.35")
SAMPLES = SampleWorkloadsArgs(namespace="demo", provider=None, namespaces={"demo": None})
LBC = AwsLoadBalancerControllerArgs("c", "eu-west-1", "vpc-1", provider=None)
DNS = ExternalDnsArgs("c", "eu-west-1", ["Z1"], provider=None)
INGRESS = IngressSpec(source_cidrs=["10.0.0.0/16"])

# (check, good, bad (a callable building the bad args), what the error must say)
ROWS = [
    ("node group name fits the prefix", lambda: NODE_GROUP, lambda: dataclasses.replace(NODE_GROUP, name="n" * 37), "ManagedNodeGroup nnn"),
    ("node group sizes ordered", lambda: dataclasses.replace(NODE_GROUP, min_size=1, max_size=3, desired_size=3), lambda: dataclasses.replace(NODE_GROUP, min_size=3, max_size=2), "args.desired_size"),
    ("node group capacity type", lambda: dataclasses.replace(NODE_GROUP, capacity_type="SPOT"), lambda: dataclasses.replace(NODE_GROUP, capacity_type="spot"), "args.capacity_type is 'spot'"),
    ("node group disk size", lambda: dataclasses.replace(NODE_GROUP, disk_size=20), lambda: dataclasses.replace(NODE_GROUP, disk_size=19), "args.disk_size is 19"),
    ("node group max unavailable", lambda: dataclasses.replace(NODE_GROUP, max_unavailable=2), lambda: dataclasses.replace(NODE_GROUP, max_unavailable=3), "args.max_unavailable is 3"),
    ("node group taint effect", lambda: dataclasses.replace(NODE_GROUP, taints=(Taint("k", "NoSchedule"),)), lambda: dataclasses.replace(NODE_GROUP, taints=(Taint("k", "NO_SCHEDULE"),)), "args.taints is 'NO_SCHEDULE'"),
    ("node group at most 50 taints", lambda: dataclasses.replace(NODE_GROUP, taints=tuple(Taint(f"k{i}", "NoSchedule") for i in range(50))), lambda: dataclasses.replace(NODE_GROUP, taints=tuple(Taint(f"k{i}", "NoSchedule") for i in range(51))), "EKS allows 50"),
    ("cluster authentication mode", lambda: dataclasses.replace(CLUSTER, authentication_mode="API"), lambda: dataclasses.replace(CLUSTER, authentication_mode="api"), "EksCluster c: args.authentication_mode"),
    ("cluster API mode has no aws-auth", lambda: dataclasses.replace(CLUSTER, role_mappings=[IdentityMapping("arn", "u")]), lambda: dataclasses.replace(CLUSTER, authentication_mode="API", role_mappings=[IdentityMapping("arn", "u")]), "args.role_mappings"),
    ("cluster endpoint reachable", lambda: dataclasses.replace(CLUSTER, endpoint_public_access=False), lambda: dataclasses.replace(CLUSTER, endpoint_public_access=False, endpoint_private_access=False), "at least one endpoint"),
    ("cluster CIDRs need the public endpoint", lambda: dataclasses.replace(CLUSTER, public_access_cidrs=["203.0.113.0/24"]), lambda: dataclasses.replace(CLUSTER, endpoint_public_access=False, public_access_cidrs=["203.0.113.0/24"]), "args.public_access_cidrs"),
    ("cluster log types", lambda: dataclasses.replace(CLUSTER, log_types=["audit"]), lambda: dataclasses.replace(CLUSTER, log_types=["auditing"]), "args.log_types is ['auditing']"),
    ("cluster support type", lambda: dataclasses.replace(CLUSTER, support_type="STANDARD"), lambda: dataclasses.replace(CLUSTER, support_type="standard"), "args.support_type is 'standard'"),
    ("cluster control plane tier", lambda: dataclasses.replace(CLUSTER, control_plane_tier="tier-xl"), lambda: dataclasses.replace(CLUSTER, control_plane_tier="xl"), "args.control_plane_tier is 'xl'"),
    ("node group update strategy", lambda: dataclasses.replace(NODE_GROUP, update_strategy="MINIMAL"), lambda: dataclasses.replace(NODE_GROUP, update_strategy="minimal"), "args.update_strategy is 'minimal'"),
    ("network creates or uses a VPC", lambda: NetworkArgs("c", vpc_cidr="10.0.0.0/16", subnet_blocks=BLOCKS), lambda: NetworkArgs("c", vpc_cidr="10.0.0.0/16", subnet_blocks=BLOCKS, vpc_id="vpc-1"), "Network: args.vpc_cidr"),
    ("network needs two zones", lambda: NetworkArgs("c", vpc_id="vpc-1", private_subnet_ids=["a", "b"]), lambda: NetworkArgs("c", vpc_id="vpc-1", private_subnet_ids=["a"]), "args.private_subnet_ids"),
    ("access entries need an access-entry mode", lambda: AwsAuthArgs("c", None, "API", [AccessEntry("arn")]), lambda: AwsAuthArgs("c", None, "CONFIG_MAP", [AccessEntry("arn")]), "AwsAuth: args.authentication_mode"),
    ("one access entry per principal", lambda: AwsAuthArgs("c", None, "API", [AccessEntry("a"), AccessEntry("b")]), lambda: AwsAuthArgs("c", None, "API", [AccessEntry("a"), AccessEntry("a")]), "one access entry per principal"),
    ("access entry groups not reserved", lambda: AwsAuthArgs("c", None, "API", [AccessEntry("a", groups=["ops"])]), lambda: AwsAuthArgs("c", None, "API", [AccessEntry("a", groups=["system:masters"])]), "EKS reserves"),
    ("bindings not for system groups", lambda: AwsAuthArgs("c", None, bindings=[GroupBinding("ops", "view")]), lambda: AwsAuthArgs("c", None, bindings=[GroupBinding("system:nodes", "view")]), "args.bindings is 'system:nodes'"),
    ("namespaces unique", lambda: NamespacesArgs([NamespaceSpec("a"), NamespaceSpec("b")], None), lambda: NamespacesArgs([NamespaceSpec("a"), NamespaceSpec("a")], None), "Namespaces: args.namespaces"),
    ("node role name fits IAM", lambda: NodeRoleArgs("r" * 64), lambda: NodeRoleArgs("r" * 65), "NodeRole: args.role_name"),
    ("add-on version syntax", lambda: AddonSpec("coredns", "v1.11.4-eksbuild.2"), lambda: AddonSpec("coredns", "1.11.4"), "AddonSpec coredns: version"),
    ("add-ons once each", lambda: AddonsArgs("c", "1.35", [AddonSpec("a"), AddonSpec("b")]), lambda: AddonsArgs("c", "1.35", [AddonSpec("a"), AddonSpec("a")]), "Addons: args.addons"),
    ("EBS reclaim policy", lambda: dataclasses.replace(EBS, reclaim_policy="Retain"), lambda: dataclasses.replace(EBS, reclaim_policy="Keep"), "EbsCsiDriver: args.reclaim_policy"),
    ("EBS identity", lambda: dataclasses.replace(EBS, identity="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(EBS, identity="IRSA"), "EbsCsiDriver: args.identity is 'IRSA'"),
    ("EBS irsa needs the OIDC provider", lambda: dataclasses.replace(EBS, identity="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(EBS, identity="irsa", oidc_provider_arn="p"), "EbsCsiDriver: args.oidc_provider_arn and args.oidc_issuer_url"),
    ("service account role mode", lambda: dataclasses.replace(SA_ROLE, mode="podIdentity"), lambda: dataclasses.replace(SA_ROLE, mode="pod-identity"), "ServiceAccountRole: args.mode is 'pod-identity'"),
    ("service account role irsa needs the OIDC provider", lambda: dataclasses.replace(SA_ROLE, mode="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(SA_ROLE, mode="irsa", oidc_issuer_url="u"), "ServiceAccountRole: args.oidc_provider_arn"),
    ("service account role has permissions", lambda: dataclasses.replace(SA_ROLE, inline_policy=None, managed_policy_arns=["arn:aws:iam::aws:policy/P"]), lambda: dataclasses.replace(SA_ROLE, inline_policy=None), "give it permissions"),
    ("autoscaler expander", lambda: dataclasses.replace(AUTOSCALER, expander="priority"), lambda: dataclasses.replace(AUTOSCALER, expander="cheapest"), "ClusterAutoscaler: args.expander is 'cheapest'"),
    ("autoscaler threshold", lambda: dataclasses.replace(AUTOSCALER, scale_down_utilization_threshold=1), lambda: dataclasses.replace(AUTOSCALER, scale_down_utilization_threshold=0), "args.scale_down_utilization_threshold is 0"),
    ("autoscaler image pinned", lambda: dataclasses.replace(AUTOSCALER, image="registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1"), lambda: dataclasses.replace(AUTOSCALER, image="registry.k8s.io/autoscaling/cluster-autoscaler"), "pin a release"),
    ("autoscaler identity", lambda: dataclasses.replace(AUTOSCALER, identity="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(AUTOSCALER, identity="irsa"), "ClusterAutoscaler: args.oidc_provider_arn"),
    ("expression operator", lambda: Expression("k", "In", ("a",)), lambda: Expression("k", "in", ("a",)), "Expression.operator"),
    ("toleration operator", lambda: Toleration(operator="Exists"), lambda: Toleration(operator="Any"), "Toleration.operator"),
    ("spread skew", lambda: Spread(max_skew=1), lambda: Spread(max_skew=0), "Spread.max_skew"),
    ("workload replicas", lambda: WorkloadSpec(app="web", image="i:1", replicas=1), lambda: WorkloadSpec(app="web", image="i:1", replicas=0), "WorkloadSpec.replicas"),
    ("preferred weight", lambda: WorkloadSpec(app="web", image="i:1", preferred=((100, ()),)), lambda: WorkloadSpec(app="web", image="i:1", preferred=((101, ()),)), "WorkloadSpec.preferred"),
    ("jobs need the database", lambda: SAMPLES, lambda: dataclasses.replace(SAMPLES, job=JobSpec(app="j", image="i:1")), "args.job is set but args.stateful_set"),
    ("the database needs a StorageClass", lambda: dataclasses.replace(SAMPLES, stateful_set=StatefulSetSpec(app="db", image="i:1"), storage_class="gp3"), lambda: dataclasses.replace(SAMPLES, stateful_set=StatefulSetSpec(app="db", image="i:1")), "args.storage_class"),
    ("load balancer controller identity", lambda: dataclasses.replace(LBC, identity="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(LBC, identity="IRSA"), "AwsLoadBalancerController: args.identity is 'IRSA'"),
    ("load balancer controller replicas", lambda: dataclasses.replace(LBC, replicas=1), lambda: dataclasses.replace(LBC, replicas=0), "args.replicas is 0"),
    ("ExternalDNS needs zones", lambda: DNS, lambda: dataclasses.replace(DNS, zone_ids=[]), "ExternalDns: args.zone_ids is empty"),
    ("ExternalDNS record policy", lambda: dataclasses.replace(DNS, policy="sync"), lambda: dataclasses.replace(DNS, policy="create-only"), "args.policy is 'create-only'"),
    ("ExternalDNS irsa needs the OIDC provider", lambda: dataclasses.replace(DNS, identity="irsa", oidc_provider_arn="p", oidc_issuer_url="u"), lambda: dataclasses.replace(DNS, identity="irsa", oidc_issuer_url="u"), "ExternalDns: args.oidc_provider_arn"),
    ("cert-manager is its add-on", lambda: CertManagerArgs("c", "1.35"), lambda: CertManagerArgs("c", "1.35", addon=AddonSpec("certmanager")), "CertManager: args.addon is 'certmanager'"),
    ("metrics-server is its add-on", lambda: PlatformAddonsArgs("c", "1.35", metrics_server=AddonSpec("metrics-server")), lambda: PlatformAddonsArgs("c", "1.35", metrics_server=AddonSpec("metric-server")), "args.metrics_server is 'metric-server'"),
    ("ingress listener port", lambda: dataclasses.replace(INGRESS, port=65535), lambda: dataclasses.replace(INGRESS, port=65536), "IngressSpec.port"),
    ("the Ingress needs the Deployment", lambda: dataclasses.replace(SAMPLES, deployment=WEB, ingress=INGRESS), lambda: dataclasses.replace(SAMPLES, ingress=INGRESS), "args.ingress is set but args.deployment"),
    ("samples have their own names", lambda: dataclasses.replace(SAMPLES, deployment=WEB, extra_deployments=(dataclasses.replace(WEB, app="shop"),)), lambda: dataclasses.replace(SAMPLES, deployment=WEB, extra_deployments=(WEB,)), "repeats an app name"),
]  # fmt: skip


@pytest.mark.parametrize(("check", "good", "bad", "fragment"), ROWS, ids=[r[0] for r in ROWS])
def test_component_args_check_themselves(check, good, bad, fragment):
    good()
    with pytest.raises(ValueError) as caught:
        bad()
    assert fragment in str(caught.value), f"{check}: {caught.value}"
