"""AwsAuth: EKS access entries with their policy associations, and RBAC for the mapped groups.

The aws-auth ConfigMap itself is written by pulumi-eks from the role/user mappings EksCluster
passes it (with every node role); this component adds what pulumi-eks does not: access entries
(API modes) and the ClusterRoles, ClusterRoleBindings and RoleBindings that give each mapped
group its permissions. It works on any EKS cluster whose Kubernetes provider it is given (an
existing one read through a StackReference included); the platform's program decides and
validates what it receives in settings/access.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

RBAC_API_GROUP = "rbac.authorization.k8s.io"
RESERVED_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")  # EKS refuses them in access entries


@dataclass(frozen=True)
class PolicyAssociation:
    policy_arn: str
    """An EKS cluster access policy: arn:<partition>:eks::aws:cluster-access-policy/<Name>."""
    namespaces: Sequence[str] = ()
    """Empty: the whole cluster."""


@dataclass(frozen=True)
class AccessEntry:
    principal_arn: str
    """The IAM role or user (one access entry per principal)."""
    username: str | None = None
    """None: EKS names the user after the principal."""
    groups: Sequence[str] = ()
    """Kubernetes groups (bind them with `bindings`); not `system:`/`eks:`... (EKS reserves them)."""
    policies: Sequence[PolicyAssociation] = ()


@dataclass(frozen=True)
class RbacRule:
    verbs: Sequence[str]
    api_groups: Sequence[str] = ("",)
    resources: Sequence[str] = ()
    resource_names: Sequence[str] = ()
    non_resource_urls: Sequence[str] = ()


@dataclass(frozen=True)
class GroupBinding:
    group: str
    """The Kubernetes group an identity is mapped to."""
    cluster_role: str
    """An existing ClusterRole (view, edit, admin, cluster-admin), or the name of the one `rules` creates."""
    rules: Sequence[RbacRule] = ()
    """When given, a ClusterRole named `cluster_role` is created with them."""
    namespaces: Sequence[str] = ()
    """RoleBindings in these namespaces; empty: one ClusterRoleBinding (cluster-wide)."""


@dataclass(frozen=True)
class AwsAuthArgs:
    cluster_name: pulumi.Input[str]
    """The EKS cluster the access entries belong to."""
    provider: k8s.Provider
    """The cluster's Kubernetes provider (for the RBAC objects)."""
    authentication_mode: str = "API_AND_CONFIG_MAP"
    """The cluster's: access entries need API or API_AND_CONFIG_MAP."""
    access_entries: Sequence[AccessEntry] = ()
    bindings: Sequence[GroupBinding] = ()
    deployer: str | None = None
    """The identity that runs `pulumi up`: cluster admin as the cluster's creator (reported, not created)."""
    namespaces: Mapping[str, k8s.core.v1.Namespace] = field(default_factory=dict)
    """Namespace name -> its resource: RoleBindings wait for their namespace."""
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        def refuse(name: str, value: object, valid: str) -> None:
            raise ValueError(f"AwsAuth: args.{name} is {value!r}; {valid}")

        if self.access_entries and self.authentication_mode == "CONFIG_MAP":
            refuse("authentication_mode", self.authentication_mode, "access entries need API or API_AND_CONFIG_MAP")
        principals = [e.principal_arn for e in self.access_entries]
        if len(principals) != len(set(principals)):
            refuse("access_entries", principals, "EKS allows one access entry per principal")
        for entry in self.access_entries:
            for value in (entry.username or "", *entry.groups):
                if value.startswith(RESERVED_PREFIXES):
                    refuse("access_entries", value, f"EKS reserves {', '.join(RESERVED_PREFIXES)}")
        for binding in self.bindings:
            if binding.group.startswith("system:"):
                refuse("bindings", binding.group, "bind your own groups, not Kubernetes system groups")


def _slug(arn: str) -> str:
    """arn:aws:iam::111122223333:role/admin -> 111122223333-role-admin (a logical-name part)."""
    account, resource = arn.split(":", 5)[4:]
    return f"{account}-{resource.replace('/', '-')}"


class AwsAuth(pulumi.ComponentResource):
    access_entries: list[aws.eks.AccessEntry]
    bindings: list[pulumi.Resource]

    def __init__(self, name: str, args: AwsAuthArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:AwsAuth", name, None, opts)
        self.access_entries = [self._access_entry(name, e, args) for e in args.access_entries]
        self.bindings = [r for b in args.bindings for r in self._rbac(name, b, args)]
        self.register_outputs(
            {
                "authenticationMode": args.authentication_mode,
                # Cluster admin through EKS's cluster-creator access entry, not through this component.
                "deployer": args.deployer,
                "accessEntries": [e.principal_arn for e in args.access_entries],
                "boundGroups": sorted(b.group for b in args.bindings),
            }
        )

    def _access_entry(self, name: str, entry: AccessEntry, args: AwsAuthArgs) -> aws.eks.AccessEntry:
        slug = _slug(entry.principal_arn)
        resource = aws.eks.AccessEntry(
            f"{name}-{slug}",
            cluster_name=args.cluster_name,
            principal_arn=entry.principal_arn,
            type="STANDARD",
            user_name=entry.username,
            kubernetes_groups=list(entry.groups) or None,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        for policy in entry.policies:
            scope = (
                {"type": "namespace", "namespaces": list(policy.namespaces)}
                if policy.namespaces
                else {"type": "cluster"}
            )
            aws.eks.AccessPolicyAssociation(
                f"{name}-{slug}-{policy.policy_arn.rsplit('/', 1)[-1]}",
                cluster_name=args.cluster_name,
                principal_arn=resource.principal_arn,
                policy_arn=policy.policy_arn,
                access_scope=scope,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[resource]),
            )
        return resource

    def _rbac(self, name: str, binding: GroupBinding, args: AwsAuthArgs) -> Sequence[pulumi.Resource]:
        made: list[pulumi.Resource] = []
        k8s_opts = pulumi.ResourceOptions(parent=self, provider=args.provider)
        if binding.rules:
            made.append(
                k8s.rbac.v1.ClusterRole(
                    f"{name}-{binding.group}",
                    metadata={"name": binding.cluster_role, "labels": {"app.kubernetes.io/managed-by": "eks-platform"}},
                    rules=[
                        {
                            key: list(value)
                            for key, value in (
                                ("apiGroups", rule.api_groups),
                                ("resources", rule.resources),
                                ("verbs", rule.verbs),
                                ("resourceNames", rule.resource_names),
                                ("nonResourceURLs", rule.non_resource_urls),
                            )
                            if value
                        }
                        for rule in binding.rules
                    ],
                    opts=k8s_opts,
                )
            )
        role_ref = {"apiGroup": RBAC_API_GROUP, "kind": "ClusterRole", "name": binding.cluster_role}
        subjects = [{"apiGroup": RBAC_API_GROUP, "kind": "Group", "name": binding.group}]
        metadata = {"name": f"eks-platform:{binding.group}", "labels": {"app.kubernetes.io/managed-by": "eks-platform"}}
        depends = list(made)
        if not binding.namespaces:
            made.append(
                k8s.rbac.v1.ClusterRoleBinding(
                    f"{name}-{binding.group}",
                    metadata=metadata,
                    role_ref=role_ref,
                    subjects=subjects,
                    opts=pulumi.ResourceOptions.merge(k8s_opts, pulumi.ResourceOptions(depends_on=depends)),
                )
            )
        for namespace in binding.namespaces:
            needs = [args.namespaces[namespace]] if namespace in args.namespaces else []
            made.append(
                k8s.rbac.v1.RoleBinding(
                    f"{name}-{binding.group}-{namespace}",
                    metadata={**metadata, "namespace": namespace},
                    role_ref=role_ref,
                    subjects=subjects,
                    opts=pulumi.ResourceOptions.merge(k8s_opts, pulumi.ResourceOptions(depends_on=depends + needs)),
                )
            )
        return made
