"""eks-platform: one stack config in, an EKS platform out (network, cluster, node groups, access).

Thin by design: settings decide, components build, this file only wires them together and
exports the outputs other projects read through StackReference.
"""

import os

import pulumi

from components.addons import Addons, AddonsArgs, AddonSpec
from components.aws_auth import AwsAuth, AwsAuthArgs
from components.ebs_csi_driver import EbsCsiDriver, EbsCsiDriverArgs
from components.eks_cluster import EksCluster, EksClusterArgs
from components.kubeconfig import update_kubeconfig_command
from components.managed_node_group import ManagedNodeGroup, ManagedNodeGroupArgs
from components.namespaces import Namespaces, NamespacesArgs
from components.network import Network, NetworkArgs
from components.node_role import NodeRole, NodeRoleArgs
from components.workloads import SampleWorkloads, SampleWorkloadsArgs
from settings import SettingsError, load_settings
from settings.runtime_config import read_runtime_config, secret_config_keys
from settings.versions import today

try:
    settings = load_settings(
        read_runtime_config(),
        pulumi.get_project(),
        pulumi.get_stack(),
        secret_config_keys(),
        today=today(),
        environment=os.environ,
    )
except SettingsError as error:
    # A user's mistake: the message, no traceback, and nothing registered.
    raise pulumi.RunError(str(error)) from None

for warning in settings.warnings:
    pulumi.log.warn(warning)

cluster_cfg = settings.cluster
net_cfg = settings.network
access = settings.access
tags = {
    "eks-platform/cluster": settings.cluster_name,
    "eks-platform/stack": settings.stack,
    **cluster_cfg.tags,
}

network = Network(
    "network",
    NetworkArgs(
        cluster_name=settings.cluster_name,
        vpc_cidr=net_cfg.vpc_cidr,
        subnet_blocks=settings.subnet_blocks if net_cfg.creates_vpc else (),
        nat_per_az=net_cfg.nat_gateways == "perAz",
        public_ips_on_launch=any(ng.subnets == "public" for ng in settings.node_groups),
        vpc_id=net_cfg.vpc_id,
        private_subnet_ids=net_cfg.private_subnet_ids,
        public_subnet_ids=net_cfg.public_subnet_ids,
        tags=tags,
    ),
)

node_roles = {
    ng.name: NodeRole(
        f"{ng.name}-node-role",
        NodeRoleArgs(role_name=settings.node_role_name(ng), partition=settings.partition, tags=tags),
    )
    for ng in settings.node_groups
}

cluster = EksCluster(
    "cluster",
    EksClusterArgs(
        name=settings.cluster_name,
        version=cluster_cfg.version,
        region=settings.region,
        vpc_id=network.vpc_id,
        private_subnet_ids=network.private_subnet_ids,
        public_subnet_ids=network.public_subnet_ids,
        endpoint_public_access=cluster_cfg.endpoint_public_access,
        endpoint_private_access=cluster_cfg.endpoint_private_access,
        public_access_cidrs=cluster_cfg.public_access_cidrs,
        log_types=cluster_cfg.log_types,
        secrets_encryption=cluster_cfg.secrets_encryption,
        deletion_protection=cluster_cfg.deletion_protection,
        authentication_mode=access.mode,
        instance_roles=[role.role for role in node_roles.values()],
        role_mappings=access.role_mappings,
        user_mappings=access.user_mappings,
        kubeconfig_profile=settings.kubeconfig.profile,
        kubeconfig_role_arn=settings.kubeconfig.role_arn,
        deployer_profile=settings.aws_profile,
        partition=settings.partition,
        tags=tags,
    ),
)


def addon_specs(needs_nodes: bool) -> list[AddonSpec]:
    return [
        AddonSpec(a.name, a.version, a.configuration, a.preserve, previous=cluster.previous_addon(a.name))
        for a in settings.addons
        if a.needs_nodes == needs_nodes and a.name != "aws-ebs-csi-driver"
    ]


# What a node needs to become Ready (pod networking, Service routing, Pod Identity credentials).
node_addons = Addons(
    "addons",
    AddonsArgs(cluster.cluster_name, cluster_cfg.version, addon_specs(needs_nodes=False), tags=tags),
)

namespaces = Namespaces("namespaces", NamespacesArgs(namespaces=settings.namespaces, provider=cluster.provider))

AwsAuth(
    "access",
    AwsAuthArgs(
        cluster_name=cluster.cluster_name,
        plan=access,
        provider=cluster.provider,
        namespaces=namespaces.by_name,
        tags=tags,
    ),
)

node_groups = [
    ManagedNodeGroup(
        ng.name,
        ManagedNodeGroupArgs(
            cluster_name=settings.cluster_name,
            kubernetes_version=cluster_cfg.version,
            config=ng,
            node_role=node_roles[ng.name].role,
            subnet_ids=network.public_subnet_ids if ng.subnets == "public" else network.private_subnet_ids,
            tags=tags,
            depends_on=[cluster.cluster, *node_addons.by_name.values()],
        ),
    )
    for ng in settings.node_groups
]
nodes = [group.node_group for group in node_groups]

# Add-ons whose pods are Deployments: created once there are nodes to run them.
Addons(
    "addons-on-nodes",
    AddonsArgs(cluster.cluster_name, cluster_cfg.version, addon_specs(needs_nodes=True), tags=tags, depends_on=nodes),
)
ebs_addon = next(a for a in settings.addons if a.name == "aws-ebs-csi-driver")
storage = EbsCsiDriver(
    "ebs-csi",
    EbsCsiDriverArgs(
        cluster_name=cluster.cluster_name,
        oidc_provider_arn=cluster.oidc_provider_arn,
        oidc_issuer_url=cluster.oidc_issuer_url,
        provider=cluster.provider,
        kubernetes_version=cluster_cfg.version,
        reclaim_policy=settings.storage.reclaim_policy,
        partition=settings.partition,
        tags=tags,
        addon=AddonSpec(ebs_addon.name, ebs_addon.version, ebs_addon.configuration, ebs_addon.preserve),
        wait_for=nodes,
    ),
)

if settings.workloads.enabled:
    SampleWorkloads(
        "samples",
        SampleWorkloadsArgs(
            config=settings.workloads,
            provider=cluster.provider,
            namespaces=namespaces.by_name,
            storage_class=storage.storage_class_name,
            node_groups={
                ng.name: group.node_group for ng, group in zip(settings.node_groups, node_groups, strict=True)
            },
            placements=settings.placements,
            storage=[storage.addon],
        ),
    )

pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("kubeconfig", cluster.kubeconfig)
pulumi.export("clusterEndpoint", cluster.endpoint)
pulumi.export("clusterCertificateAuthority", cluster.certificate_authority)
pulumi.export("oidcProviderArn", cluster.oidc_provider_arn)
pulumi.export("oidcIssuerUrl", cluster.oidc_issuer_url)
pulumi.export("region", settings.region)
pulumi.export("vpcId", network.vpc_id)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("clusterSecurityGroupId", cluster.cluster_security_group_id)
pulumi.export(
    "updateKubeconfigCommand",
    update_kubeconfig_command(settings.cluster_name, settings.region, role_arn=settings.kubeconfig.role_arn),
)
pulumi.export(
    "nodeGroups",
    {
        ng.name: {
            "roleArn": node_roles[ng.name].arn,
            "labels": dict(ng.labels),
            "taints": [{"key": t.key, "value": t.value, "effect": t.effect} for t in ng.taints],
        }
        for ng in settings.node_groups
    },
)
