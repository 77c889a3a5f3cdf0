"""eks-platform: one stack config in, an EKS platform out (network, cluster, add-ons, node groups,
access, sample workloads).

Thin by design: settings decide, the adapter translates, components build; this file only wires
them together and exports the outputs other projects read through StackReference.
"""

import os

import pulumi

import adapter
from eks_platform.components.addons import Addons, AddonsArgs
from eks_platform.components.aws_auth import AwsAuth, AwsAuthArgs
from eks_platform.components.cluster_autoscaler import ClusterAutoscaler
from eks_platform.components.ebs_csi_driver import EbsCsiDriver, EbsCsiDriverArgs
from eks_platform.components.eks_cluster import EksCluster, EksClusterArgs
from eks_platform.components.kubeconfig import update_kubeconfig_command
from eks_platform.components.managed_node_group import ManagedNodeGroup
from eks_platform.components.namespaces import Namespaces, NamespacesArgs
from eks_platform.components.network import Network
from eks_platform.components.node_role import NodeRole, NodeRoleArgs
from eks_platform.components.platform_addons import PlatformAddons
from eks_platform.components.workloads import SampleWorkloads
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
access = settings.access
tags = adapter.platform_tags(settings)

network = Network("network", adapter.network_args(settings))

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
        support_type=cluster_cfg.upgrade_policy.support_type,
        zonal_shift=cluster_cfg.zonal_shift_config.enabled,
        control_plane_tier=cluster_cfg.control_plane_scaling_config.tier,
        authentication_mode=access.mode,
        instance_roles=[role.role for role in node_roles.values()],
        role_mappings=adapter.identity_mappings(access.role_mappings),
        user_mappings=adapter.identity_mappings(access.user_mappings),
        kubeconfig_profile=settings.kubeconfig.profile,
        kubeconfig_role_arn=settings.kubeconfig.role_arn,
        deployer_profile=settings.aws_profile,
        partition=settings.partition,
        tags=tags,
    ),
)


def addon_specs(needs_nodes: bool):
    return [adapter.addon_spec(a, cluster.previous_addon(a.name)) for a in adapter.addons_where(settings, needs_nodes)]


# What a node needs to become Ready (pod networking, Service routing, Pod Identity credentials).
node_addons = Addons("addons", AddonsArgs(cluster.cluster_name, cluster_cfg.version, addon_specs(False), tags=tags))

namespaces = Namespaces("namespaces", NamespacesArgs(adapter.namespaces(settings), cluster.provider))

AwsAuth(
    "access",
    AwsAuthArgs(
        cluster_name=cluster.cluster_name,
        provider=cluster.provider,
        authentication_mode=access.mode,
        access_entries=adapter.access_entries(settings),
        bindings=adapter.group_bindings(settings),
        deployer=access.deployer,
        namespaces=namespaces.by_name,
        tags=tags,
    ),
)

node_groups = {
    ng.name: ManagedNodeGroup(
        ng.name,
        adapter.node_group_args(
            settings,
            ng,
            node_roles[ng.name].role,
            network.public_subnet_ids if ng.subnets == "public" else network.private_subnet_ids,
            depends_on=[cluster.cluster, *node_addons.by_name.values()],
        ),
    )
    for ng in settings.node_groups
}
nodes = [group.node_group for group in node_groups.values()]

# Add-ons whose pods are Deployments: created once there are nodes to run them.
addons_on_nodes = Addons(
    "addons-on-nodes",
    AddonsArgs(cluster.cluster_name, cluster_cfg.version, addon_specs(True), tags=tags, depends_on=nodes),
)
irsa = cluster_cfg.service_account_roles == "irsa"
storage = EbsCsiDriver(
    "ebs-csi",
    EbsCsiDriverArgs(
        cluster_name=cluster.cluster_name,
        identity=cluster_cfg.service_account_roles,
        oidc_provider_arn=cluster.oidc_provider_arn if irsa else None,
        oidc_issuer_url=cluster.oidc_issuer_url if irsa else None,
        provider=cluster.provider,
        kubernetes_version=cluster_cfg.version,
        reclaim_policy=settings.storage.reclaim_policy,
        partition=settings.partition,
        tags=tags,
        addon=adapter.ebs_addon(settings),
        wait_for=nodes,
    ),
)

if settings.autoscaler is not None:
    ClusterAutoscaler(
        "cluster-autoscaler",
        adapter.autoscaler_args(
            settings,
            cluster.cluster_name,
            cluster.provider,
            {name: group.node_group for name, group in node_groups.items()},
            (cluster.oidc_provider_arn, cluster.oidc_issuer_url),
            depends_on=list(node_addons.by_name.values()),  # eks-pod-identity-agent among them
        ),
    )

# metrics-server, the AWS Load Balancer Controller, ExternalDNS, cert-manager (components/platform_addons.py):
# the controller's webhook admits every new Service, so the add-ons that create Services come first.
platform_addons = PlatformAddons(
    "platform-addons",
    adapter.platform_addons_args(
        settings,
        cluster,
        network.vpc_id,
        {name: group.node_group for name, group in node_groups.items()},
        create_services_first=[*addons_on_nodes.by_name.values(), storage.addon],
        depends_on=list(node_addons.by_name.values()),  # eks-pod-identity-agent among them
    ),
)

if settings.workloads.enabled:
    SampleWorkloads(
        "samples",
        adapter.sample_workloads_args(
            settings,
            cluster.provider,
            namespaces.by_name,
            storage.storage_class_name,
            [storage.addon],
            {name: group.node_group for name, group in node_groups.items()},
            ingress=adapter.ingress_spec(settings, network),
            wait_for=platform_addons.services_wait_for,
        ),
    )

pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("kubeconfig", cluster.kubeconfig)
pulumi.export("clusterEndpoint", cluster.endpoint)
pulumi.export("clusterCertificateAuthority", cluster.certificate_authority)
pulumi.export("oidcProviderArn", cluster.oidc_provider_arn)
pulumi.export("oidcIssuerUrl", cluster.oidc_issuer_url)
pulumi.export("region", settings.region)
pulumi.export("kubernetesVersion", cluster_cfg.version)
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
