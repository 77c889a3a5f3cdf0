"""EksCluster: the EKS control plane (pulumi-eks) and what it needs that the program owns itself —
the cluster's IAM role, its secrets-encryption key, its OIDC provider — plus an IAM-authenticated
kubeconfig and the Kubernetes provider later components deploy through.

pulumi-eks' `eks.Cluster` creates a dozen resources of its own unless told otherwise. Every child it
lets a program supply or skip is supplied or skipped here, so it shows in the render and is tested:
the service role (ours), the security groups (skipped: nodes and control plane use the cluster
security group EKS creates), the OIDC provider (ours, without pulumi-eks' live TLS thumbprint fetch),
the vpc-cni / kube-proxy / coredns add-ons (ours, components/addons.py). What stays inside
`eks:index:Cluster` — the `aws:eks/cluster:Cluster`, a Kubernetes provider and, in the ConfigMap
modes, the aws-auth ConfigMap — is listed by the render (runner/pulumi_eks.py).

pulumi-eks 4.4 passes `upgradePolicy` and `deletionProtection` on to its `aws:eks/cluster:Cluster`, but
not `zonalShiftConfig` or `controlPlaneScalingConfig`: those reach that child through a resource transform
on the component (`cluster_child_fields`, `add_to_cluster_child`), the way pulumi-eks' maintainers point to
for inputs it does not expose (transforms run on the children of a multi-language component too).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_eks as eks
import pulumi_kubernetes as k8s

from .kubeconfig import build_kubeconfig
from .lifecycle import SUPPORT_TYPES, TIERS
from .urns import child_urn

AUTHENTICATION_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")
EKS_CLUSTER = "aws:eks/cluster:Cluster"
LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
# The id pulumi-eks hashes into its attachment's name, in every partition (pulumi-eks
# nodejs/eks/cluster/cluster.ts, `managedPolicyArns: {id: `arn:aws:iam::aws:policy/${policy}`}`, and
# servicerole.ts, `${name}-${sha1hash(policy.id)}` with the first 8 hex digits).
POLICY_ID = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"


@dataclass(frozen=True)
class IdentityMapping:
    """An aws-auth entry: an IAM role or user as a Kubernetes user in groups."""

    arn: str
    """The role's ARN without its IAM path (aws-iam-authenticator never matches paths), or the user's."""
    username: str
    """May use {{SessionName}}, {{AccountID}}, ... (aws-iam-authenticator's templates)."""
    groups: Sequence[str] = ()


@dataclass(frozen=True)
class EksClusterArgs:
    name: str
    """The EKS cluster's name: 1-100 letters, digits, '-' and '_', starting with a letter or digit."""
    version: str
    """A Kubernetes minor version EKS offers (e.g. "1.35")."""
    region: str
    """Where the cluster runs: the kubeconfigs call `aws eks get-token --region` with it."""
    vpc_id: pulumi.Input[str]
    private_subnet_ids: pulumi.Input[Sequence[str]]
    """At least 2, in different zones."""
    public_subnet_ids: pulumi.Input[Sequence[str]]
    endpoint_public_access: bool = True
    """The API server's public endpoint; restrict it with `public_access_cidrs`."""
    endpoint_private_access: bool = True
    """The endpoint inside the VPC (nodes reach the API without leaving it)."""
    public_access_cidrs: Sequence[str] = ()
    """Sources allowed on the public endpoint; empty: 0.0.0.0/0. Only with `endpoint_public_access`."""
    log_types: Sequence[str] = ("api", "audit", "authenticator")
    """Control-plane logs sent to CloudWatch: api, audit, authenticator, controllerManager, scheduler."""
    secrets_encryption: bool = True
    """Envelope-encrypt Kubernetes Secrets with a KMS key of this component's (rotated yearly)."""
    deletion_protection: bool = False
    support_type: str | None = None
    """STANDARD (EKS upgrades the control plane when its version's standard support ends) or EXTENDED (it
    stays, at the extended support price); None: EKS's default, EXTENDED for a new cluster."""
    zonal_shift: bool = False
    """ARC zonal shift (and zonal autoshift): traffic moves away from an impaired Availability Zone."""
    control_plane_tier: str = "standard"
    """EKS Provisioned Control Plane tier: standard, tier-xl, tier-2xl, tier-4xl or tier-8xl (billed per hour)."""
    authentication_mode: str = "API_AND_CONFIG_MAP"
    """CONFIG_MAP (aws-auth only), API_AND_CONFIG_MAP or API (access entries only)."""
    instance_roles: Sequence[aws.iam.Role] = ()
    """Node roles, mapped into aws-auth in the ConfigMap modes (in the API modes EKS gives managed
    node groups' roles access entries itself)."""
    role_mappings: Sequence[IdentityMapping] = ()
    """aws-auth mapRoles (ConfigMap modes only)."""
    user_mappings: Sequence[IdentityMapping] = ()
    """aws-auth mapUsers (ConfigMap modes only)."""
    kubeconfig_profile: str | None = None
    """The AWS CLI profile the exported kubeconfig (for people) uses."""
    kubeconfig_role_arn: str | None = None
    """A role the exported kubeconfig's `aws eks get-token` assumes."""
    deployer_profile: str | None = None
    """The AWS CLI profile of whoever runs `pulumi up`: both Kubernetes providers (pulumi-eks' and
    this component's) authenticate with it, so aws-auth and everything else is written by one identity."""
    partition: str = "aws"
    """aws, aws-cn or aws-us-gov: in the ARNs of AWS managed policies."""
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        def refuse(name: str, value: object, valid: str) -> None:
            raise ValueError(f"EksCluster {self.name}: args.{name} is {value!r}; {valid}")

        if self.authentication_mode not in AUTHENTICATION_MODES:
            refuse("authentication_mode", self.authentication_mode, f"one of {', '.join(AUTHENTICATION_MODES)}")
        if self.authentication_mode == "API" and (self.role_mappings or self.user_mappings):
            refuse("role_mappings", "...", "API mode has no aws-auth: use access entries (AwsAuth)")
        if not self.endpoint_public_access and not self.endpoint_private_access:
            refuse("endpoint_private_access", False, "at least one endpoint must be on")
        if self.public_access_cidrs and not self.endpoint_public_access:
            refuse("public_access_cidrs", list(self.public_access_cidrs), "only with endpoint_public_access")
        if unknown := [t for t in self.log_types if t not in LOG_TYPES]:
            refuse("log_types", unknown, f"each one of {', '.join(LOG_TYPES)}")
        if self.support_type is not None and self.support_type not in SUPPORT_TYPES:
            refuse("support_type", self.support_type, f"None or one of {', '.join(SUPPORT_TYPES)}")
        if self.control_plane_tier not in TIERS:
            refuse("control_plane_tier", self.control_plane_tier, f"one of {', '.join(TIERS)}")


def cluster_child_fields(args: EksClusterArgs) -> dict[str, Any]:
    """The inputs of pulumi-eks' `aws:eks/cluster:Cluster` that pulumi-eks 4.4 does not expose, in the AWS
    provider's shape (camelCase). Always sent, off and standard too: the AWS provider reads
    controlPlaneScalingConfig back (Optional + Computed), so leaving it out would never return a cluster
    to the standard tier; and a removed zonalShiftConfig block updates the cluster with an empty request."""
    return {
        "zonalShiftConfig": {"enabled": args.zonal_shift},
        "controlPlaneScalingConfig": {"tier": args.control_plane_tier},
    }


def add_to_cluster_child(fields: dict[str, Any]) -> pulumi.ResourceTransform:
    """A transform that sets `fields` on the `aws:eks/cluster:Cluster` under the resource it is given to.
    The engine calls it for that resource and every descendant; the runner's model of pulumi-eks
    (runner/pulumi_eks.py) calls the same function on its modelled child."""

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if args.type_ != EKS_CLUSTER:
            return None
        return pulumi.ResourceTransformResult(props={**args.props, **fields}, opts=args.opts)

    return transform


def service_trust_policy(service: str) -> str:
    """Trust for an AWS service principal (EKS asks for sts:TagSession too)."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def aws_auth_inputs(args: EksClusterArgs) -> dict[str, Any]:
    """pulumi-eks' inputs for the aws-auth ConfigMap it writes in the ConfigMap modes: the node roles, and the
    mapped roles and users."""
    uses_config_map = args.authentication_mode != "API"  # pulumi-eks writes aws-auth
    role_mappings = [{"role_arn": m.arn, "username": m.username, "groups": list(m.groups)} for m in args.role_mappings]
    user_mappings = [{"user_arn": m.arn, "username": m.username, "groups": list(m.groups)} for m in args.user_mappings]
    return {
        # aws-auth changes are patched in place: by default pulumi-kubernetes replaces a ConfigMap whose data
        # changes, deleting the named aws-auth first, and nodes lose access meanwhile.
        "enable_config_map_mutable": True,
        "instance_roles": list(args.instance_roles) if uses_config_map else None,
        "role_mappings": role_mappings or None,
        "user_mappings": user_mappings or None,
    }


class EksCluster(pulumi.ComponentResource):
    cluster: eks.Cluster
    eks_cluster: pulumi.Output[aws.eks.Cluster]
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
        self._name = name
        key_arn = self._secrets_key(name, args)
        role, policies = self._service_role(name, args)
        self.cluster = self._control_plane(name, args, role, key_arn, policies)

        self.eks_cluster = self.cluster.eks_cluster
        self.cluster_name = self.eks_cluster.name
        self.endpoint = self.eks_cluster.endpoint
        self.certificate_authority = self.eks_cluster.certificate_authority.data
        self.oidc_issuer_url = self.eks_cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        # The security group EKS creates and attaches to the control plane's network interfaces and to
        # every managed node (our launch template names none): the one to open ports on.
        self.cluster_security_group_id = self.eks_cluster.vpc_config.apply(lambda c: c.cluster_security_group_id)
        self.oidc_provider_arn = self._oidc_provider(name, args).arn
        self.kubeconfig, self.provider = self._kubeconfigs(name, args)

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

    def _secrets_key(self, name: str, args: EksClusterArgs) -> pulumi.Output[str] | None:
        """The KMS key that envelope-encrypts Kubernetes Secrets (None: encryption off)."""
        if not args.secrets_encryption:
            return None
        key = aws.kms.Key(
            f"{name}-secrets",
            description=f"Envelope encryption of Kubernetes secrets in EKS cluster {args.name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return key.arn

    def _service_role(
        self, name: str, args: EksClusterArgs
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachmentsExclusive]:
        """The role EKS runs the control plane as: AmazonEKSClusterPolicy and nothing else. Aliased to where
        pulumi-eks kept the role and its attachment (no replacement on upgrade)."""
        eks_urn = self.urn.apply(lambda urn: child_urn(urn, "eks:index:Cluster", name))
        previous_parent = eks_urn.apply(lambda urn: child_urn(urn, "eks:index:ServiceRole", f"{name}-eksRole"))
        role = aws.iam.Role(
            f"{name}-service-role",
            description=f"EKS control plane of cluster {args.name}",
            assume_role_policy=service_trust_policy("eks.amazonaws.com"),
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(name=f"{name}-eksRole-role", parent=previous_parent)]
            ),
        )
        cluster_policy = f"arn:{args.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
        # The attachment pulumi-eks made (its ServiceRole names it after the policy's sha1): kept, so
        # moving to this version never detaches the policy — Pulumi deletes a dropped attachment at
        # the end of `pulumi up`, after the exclusive set below has attached the same policy.
        previous_attachment = f"{name}-eksRole-{hashlib.sha1(POLICY_ID.encode()).hexdigest()[:8]}"
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-service-role-cluster-policy",
            role=role.name,
            policy_arn=cluster_policy,
            opts=pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(name=previous_attachment, parent=previous_parent)]
            ),
        )
        policies = aws.iam.RolePolicyAttachmentsExclusive(
            f"{name}-service-role-policies",
            role_name=role.name,
            policy_arns=[cluster_policy],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[attachment]),
        )
        return role, policies

    def _control_plane(
        self,
        name: str,
        args: EksClusterArgs,
        role: aws.iam.Role,
        key_arn: pulumi.Output[str] | None,
        policies: pulumi.Resource,
    ) -> eks.Cluster:
        """pulumi-eks' cluster, with every child it lets a program skip or supply skipped or supplied."""
        return eks.Cluster(
            name,
            name=args.name,
            version=args.version,
            service_role=role,
            vpc_id=args.vpc_id,
            private_subnet_ids=args.private_subnet_ids,
            public_subnet_ids=args.public_subnet_ids,
            node_associate_public_ip_address=False,
            skip_default_node_group=True,
            # Nodes get the security group EKS creates for every cluster; pulumi-eks' extra cluster
            # and node groups (and their six rules) would guard nothing here.
            skip_default_security_groups=True,
            # The add-ons are the program's own (components/addons.py), installed by it, not by EKS
            # at creation (bootstrapSelfManagedAddons) nor by pulumi-eks at their most recent build.
            bootstrap_self_managed_addons=False,
            use_default_vpc_cni=True,
            kube_proxy_addon_options={"enabled": False},
            coredns_addon_options={"enabled": False},
            create_oidc_provider=False,
            endpoint_public_access=args.endpoint_public_access,
            endpoint_private_access=args.endpoint_private_access,
            public_access_cidrs=list(args.public_access_cidrs) or None,
            enabled_cluster_log_types=list(args.log_types),
            encryption_config_key_arn=key_arn,
            authentication_mode=args.authentication_mode,
            **aws_auth_inputs(args),
            # Stated, not left to pulumi-eks' reading of AWS_PROFILE / aws:profile: the render shows it.
            provider_credential_opts={"profile_name": args.deployer_profile} if args.deployer_profile else None,
            deletion_protection=args.deletion_protection,
            upgrade_policy={"support_type": args.support_type} if args.support_type else None,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[policies],
                transforms=[add_to_cluster_child(cluster_child_fields(args))],
            ),
        )

    def _oidc_provider(self, name: str, args: EksClusterArgs) -> aws.iam.OpenIdConnectProvider:
        """IAM learns the issuer's certificate itself when no thumbprint is given, so nothing is
        fetched over TLS at preview (pulumi-eks' own provider does that)."""
        return aws.iam.OpenIdConnectProvider(
            f"{name}-oidc",
            url=self.oidc_issuer_url,
            client_id_lists=["sts.amazonaws.com"],
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(name=f"{name}-oidcProvider", parent=self.cluster)]
            ),
        )

    def _kubeconfigs(self, name: str, args: EksClusterArgs) -> tuple[pulumi.Output[str], k8s.Provider]:
        """The kubeconfig exported for people (the profile / role from eks-platform:kubeconfig), and the
        Kubernetes provider of this deployment: whoever runs `pulumi up` (the cluster creator is its first
        admin), with the same profile pulumi-eks' provider uses to write aws-auth."""
        coordinates = pulumi.Output.all(self.cluster_name, self.endpoint, self.certificate_authority)
        kubeconfig = pulumi.Output.secret(
            coordinates.apply(
                lambda v: build_kubeconfig(*v, args.region, args.kubeconfig_profile, args.kubeconfig_role_arn)
            )
        )
        deployer_kubeconfig = pulumi.Output.secret(
            coordinates.apply(lambda v: build_kubeconfig(*v, args.region, args.deployer_profile))
        )
        provider = k8s.Provider(f"{name}-k8s", kubeconfig=deployer_kubeconfig, opts=pulumi.ResourceOptions(parent=self))
        return kubeconfig, provider

    def previous_addon(self, addon: str) -> pulumi.Alias | None:
        """Where pulumi-eks kept an add-on it used to create (vpc-cni, kube-proxy), so the program's
        own `aws.eks.Addon` takes over that state instead of creating the add-on a second time."""
        if addon == "kube-proxy":
            return pulumi.Alias(name=f"{self._name}-kube-proxy", parent=self.cluster)
        if addon == "vpc-cni":
            name = f"{self._name}-vpc-cni"
            return pulumi.Alias(
                name=name, parent=self.cluster.urn.apply(lambda urn: child_urn(urn, "eks:index:VpcCniAddon", name))
            )
        return None
