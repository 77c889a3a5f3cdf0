"""EksCluster: the EKS control plane (pulumi-eks), its secrets-encryption key, OIDC provider,
an IAM-authenticated kubeconfig, and the Kubernetes provider later components deploy through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_eks as eks
import pulumi_kubernetes as k8s

from settings.access import CONFIG_MAP_MODES, AwsAuthMapping

from .kubeconfig import build_kubeconfig


@dataclass(frozen=True)
class EksClusterArgs:
    name: str
    version: str
    region: str
    vpc_id: pulumi.Input[str]
    private_subnet_ids: pulumi.Input[Sequence[str]]
    public_subnet_ids: pulumi.Input[Sequence[str]]
    endpoint_public_access: bool = True
    endpoint_private_access: bool = True
    public_access_cidrs: Sequence[str] = ()
    log_types: Sequence[str] = ("api", "audit", "authenticator")
    secrets_encryption: bool = True
    deletion_protection: bool = False
    authentication_mode: str = "API_AND_CONFIG_MAP"
    # Node roles, mapped into aws-auth in the ConfigMap modes (EKS adds access entries for
    # managed node group roles itself in the API modes).
    instance_roles: Sequence[aws.iam.Role] = ()
    # aws-auth mapRoles / mapUsers (ConfigMap modes only), from settings.access.
    role_mappings: Sequence[AwsAuthMapping] = ()
    user_mappings: Sequence[AwsAuthMapping] = ()
    kubeconfig_profile: str | None = None
    kubeconfig_role_arn: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


class EksCluster(pulumi.ComponentResource):
    cluster: eks.Cluster
    cluster_name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]
    oidc_provider_arn: pulumi.Output[str]
    oidc_issuer_url: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    provider: k8s.Provider

    def __init__(self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:EksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        key_arn = None
        if args.secrets_encryption:
            key = aws.kms.Key(
                f"{name}-secrets",
                description=f"Envelope encryption of Kubernetes secrets in EKS cluster {args.name}",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                tags=dict(args.tags),
                opts=child,
            )
            key_arn = key.arn

        uses_config_map = args.authentication_mode in CONFIG_MAP_MODES  # pulumi-eks writes aws-auth
        self.cluster = eks.Cluster(
            name,
            name=args.name,
            version=args.version,
            vpc_id=args.vpc_id,
            private_subnet_ids=args.private_subnet_ids,
            public_subnet_ids=args.public_subnet_ids,
            node_associate_public_ip_address=False,
            skip_default_node_group=True,
            endpoint_public_access=args.endpoint_public_access,
            endpoint_private_access=args.endpoint_private_access,
            public_access_cidrs=list(args.public_access_cidrs) or None,
            enabled_cluster_log_types=list(args.log_types),
            encryption_config_key_arn=key_arn,
            create_oidc_provider=True,
            # NetworkPolicies are only enforced when the VPC CNI runs its network policy agent.
            vpc_cni_options={"enable_network_policy": True},
            authentication_mode=args.authentication_mode,
            instance_roles=list(args.instance_roles) if uses_config_map else None,
            role_mappings=[
                {"role_arn": m.arn, "username": m.username, "groups": list(m.groups)} for m in args.role_mappings
            ]
            or None,
            user_mappings=[
                {"user_arn": m.arn, "username": m.username, "groups": list(m.groups)} for m in args.user_mappings
            ]
            or None,
            deletion_protection=args.deletion_protection,
            tags=dict(args.tags),
            opts=child,
        )

        eks_cluster = self.cluster.eks_cluster
        self.cluster_name = eks_cluster.name
        self.endpoint = eks_cluster.endpoint
        self.certificate_authority = eks_cluster.certificate_authority.data
        self.oidc_provider_arn = self.cluster.oidc_provider_arn
        self.oidc_issuer_url = self.cluster.oidc_provider_url
        self.cluster_security_group_id = self.cluster.cluster_security_group_id
        coordinates = pulumi.Output.all(self.cluster_name, self.endpoint, self.certificate_authority)
        # For people: the profile / role from eks-platform:kubeconfig.
        self.kubeconfig = pulumi.Output.secret(
            coordinates.apply(
                lambda v: build_kubeconfig(*v, args.region, args.kubeconfig_profile, args.kubeconfig_role_arn)
            )
        )
        # For this deployment: whoever runs `pulumi up` (the cluster creator is its first admin).
        deployer_kubeconfig = pulumi.Output.secret(coordinates.apply(lambda v: build_kubeconfig(*v, args.region)))
        self.provider = k8s.Provider(f"{name}-k8s", kubeconfig=deployer_kubeconfig, opts=child)

        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "endpoint": self.endpoint,
                "certificateAuthority": self.certificate_authority,
                "oidcProviderArn": self.oidc_provider_arn,
                "oidcIssuerUrl": self.oidc_issuer_url,
                "clusterSecurityGroupId": self.cluster_security_group_id,
                "kubeconfig": self.kubeconfig,
            }
        )
