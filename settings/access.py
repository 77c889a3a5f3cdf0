"""Who may reach the cluster: aws-auth mappings, EKS access entries, RBAC for the mapped groups.

`AccessConfig` is the shape of `eks-platform:access` (mapRoles/mapUsers in the aws-auth
ConfigMap's own format, so entries can be pasted from an existing ConfigMap). `plan_access`
turns it into an `AccessPlan` — what the cluster will actually receive — applying what
aws-iam-authenticator and EKS would do silently or refuse late:

- a role ARN with an IAM path never matches in aws-auth: it is rewritten without the path;
- `eksctl create iamidentitymapping --no-duplicate-arns`: two different mappings for one ARN
  are an error, an exact repeat is dropped;
- `API` mode has no ConfigMap: mapRoles/mapUsers become access entries, `system:masters`
  becomes the AmazonEKSClusterAdminPolicy, other `system:` groups are skipped;
- a group that no binding references grants nothing: every group needs a groupBinding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .fields import DnsLabel, Section, checked, one_of
from .problems import Problem, key_path, show

AUTHENTICATION_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")
CONFIG_MAP_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP")

USERNAME_TEMPLATES = (
    "{{EC2PrivateDNSName}}",
    "{{AccountID}}",
    "{{SessionName}}",
    "{{SessionNameRaw}}",
    "{{AccessKeyID}}",
)
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
# EKS cluster access policies (aws eks list-access-policies).
ACCESS_POLICIES = (
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSAdminViewPolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy",
    "AmazonEKSSecretReaderPolicy",
    "AmazonEKSAutoNodePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
    "AmazonEKSClusterInsightsPolicy",
    "AmazonEMRJobPolicy",
)
RBAC_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")
RBAC_VERBS_SPECIAL = ("impersonate", "bind", "escalate", "use", "approve", "sign", "*")
BUILTIN_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# EKS refuses these prefixes in access entry usernames and Kubernetes groups.
RESERVED_ACCESS_ENTRY_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")

_IAM_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):iam::(?P<account>\d{12}):(?P<kind>role|user)/(?P<path_name>.+)$"
)
_POLICY_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov):eks::aws:cluster-access-policy/[A-Za-z0-9]+$")
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._@-]{0,62}$")


def iam_arn_error(arn: str) -> str | None:
    if not _IAM_ARN.match(arn):
        return (
            "is not an IAM role or user ARN like arn:aws:iam::111122223333:role/my-role "
            "(partition aws, aws-cn or aws-us-gov; 12-digit account)"
        )
    return None


def role_arn_error(arn: str) -> str | None:
    return iam_arn_error(arn) or (None if ":role/" in arn else "is a user ARN; an IAM role ARN is needed here")


def group_error(group: str) -> str | None:
    if not _GROUP.match(group):
        return (
            "must be 1 to 63 characters: letters, digits and ':', '.', '_', '@', '-', starting with a letter or digit"
        )
    return None


def username_error(username: str) -> str | None:
    for template in re.findall(r"\{\{[^}]*\}\}", username):
        if template not in USERNAME_TEMPLATES:
            return f"uses {template}; aws-iam-authenticator only expands {', '.join(USERNAME_TEMPLATES)}"
    if not username.strip() or any(c.isspace() for c in username):
        return "must be non-empty and contain no spaces"
    return None


def policy_error(policy: str) -> str | None:
    if policy in ACCESS_POLICIES or _POLICY_ARN.match(policy):
        return None
    return (
        f"is not an EKS cluster access policy: use a name ({', '.join(ACCESS_POLICIES[:5])}, ...) or an ARN "
        "like arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    )


def cluster_role_error(name: str) -> str | None:
    if not re.match(r"^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$", name) or len(name) > 253:
        return "must be a ClusterRole name like view, edit, admin or cluster-admin"
    return None


def verb_error(verb: str) -> str | None:
    if verb not in RBAC_VERBS + RBAC_VERBS_SPECIAL:
        return f"must be one of {', '.join(RBAC_VERBS + RBAC_VERBS_SPECIAL)}"
    return None


IamArn = Annotated[str, checked(iam_arn_error)]
Group = Annotated[str, checked(group_error)]
Username = Annotated[str, checked(username_error)]
Namespace = DnsLabel


class NamespaceScope(Section):
    namespaces: tuple[Namespace, ...] = Field(min_length=1)


def _scope(value: Any) -> Any:
    if value == "cluster":
        return value
    if isinstance(value, dict):
        return NamespaceScope.model_validate(value)
    raise PydanticCustomError("choice", 'must be "cluster" or {namespaces: [ns, ...]}')


class AccessPolicy(Section):
    policy: Annotated[str, checked(policy_error)]
    scope: Annotated[Any, BeforeValidator(_scope)] = "cluster"


class RoleMapping(Section):
    rolearn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()


class UserMapping(Section):
    userarn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()


class AccessEntryConfig(Section):
    principal_arn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()
    policies: tuple[AccessPolicy, ...] = ()


class PolicyRule(Section):
    api_groups: tuple[str, ...] = ("",)
    resources: tuple[str, ...] = ()
    verbs: tuple[Annotated[str, checked(verb_error)], ...] = Field(min_length=1)
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = Field(default=(), alias="nonResourceURLs")


class GroupBinding(Section):
    cluster_role: Annotated[str, checked(cluster_role_error)] | None = None
    rules: tuple[PolicyRule, ...] = ()
    namespaces: tuple[Namespace, ...] = ()


class AccessConfig(Section):
    authentication_mode: Annotated[str, one_of(AUTHENTICATION_MODES)] = "API_AND_CONFIG_MAP"
    map_roles: tuple[RoleMapping, ...] = ()
    map_users: tuple[UserMapping, ...] = ()
    access_entries: tuple[AccessEntryConfig, ...] = ()
    group_bindings: dict[Group, GroupBinding] = Field(default_factory=dict)
    no_duplicate_arns: bool = True
    # The identity that runs `pulumi up` (the CI role). EKS makes it cluster admin itself.
    deployer: IamArn | None = None


class KubeconfigConfig(Section):
    """Options of the exported kubeconfig: an AWS CLI profile and a role to assume for the token."""

    profile: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")] | None = None
    role_arn: Annotated[str, checked(role_arn_error)] | None = None


# --- the plan: what the cluster receives ----------------------------------------------


@dataclass(frozen=True)
class AwsAuthMapping:
    """One aws-auth entry (mapRoles or mapUsers)."""

    arn: str
    username: str
    groups: tuple[str, ...]
    source: str  # key path of the entry in the stack config


@dataclass(frozen=True)
class PolicyAssociation:
    policy_arn: str
    namespaces: tuple[str, ...] = ()  # empty: cluster scope

    @property
    def scope(self) -> str:
        return f"namespaces {', '.join(self.namespaces)}" if self.namespaces else "cluster"


@dataclass(frozen=True)
class AccessEntry:
    principal_arn: str
    username: str | None
    groups: tuple[str, ...]
    policies: tuple[PolicyAssociation, ...]
    source: str


@dataclass(frozen=True)
class Binding:
    group: str
    cluster_role: str  # existing ClusterRole, or the one created from `rules`
    rules: tuple[PolicyRule, ...] = ()
    namespaces: tuple[str, ...] = ()  # empty: a ClusterRoleBinding

    @property
    def creates_cluster_role(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class AccessPlan:
    mode: str = "API_AND_CONFIG_MAP"
    role_mappings: tuple[AwsAuthMapping, ...] = ()
    user_mappings: tuple[AwsAuthMapping, ...] = ()
    access_entries: tuple[AccessEntry, ...] = ()
    bindings: tuple[Binding, ...] = ()
    # pulumi-eks always creates the cluster with bootstrapClusterCreatorAdminPermissions: true, so
    # EKS gives whoever runs `pulumi up` an access entry with AmazonEKSClusterAdminPolicy.
    deployer: str | None = None

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Namespaces the RoleBindings need that Kubernetes does not create itself."""
        wanted = {ns for b in self.bindings for ns in b.namespaces}
        return tuple(sorted(wanted - set(BUILTIN_NAMESPACES)))


def custom_cluster_role_name(group: str) -> str:
    return f"eks-platform:{group}"


def _strip_role_path(arn: str) -> str:
    m = _IAM_ARN.match(arn)
    assert m is not None
    name = m["path_name"].rsplit("/", 1)[-1]
    return f"arn:{m['partition']}:iam::{m['account']}:{m['kind']}/{name}"


def _policy_arn(policy: str, partition: str) -> str:
    return policy if policy.startswith("arn:") else f"arn:{partition}:eks::aws:cluster-access-policy/{policy}"


def plan_access(
    access: AccessConfig, partition: str, node_role_names: Iterable[str]
) -> tuple[AccessPlan, list[Problem], list[str]]:
    problems: list[Problem] = []
    warnings: list[str] = []
    node_roles = set(node_role_names)
    mode = access.authentication_mode

    # 1. Every identity with its key path, ARNs checked and role paths stripped.
    identities: list[tuple[str, str, Any]] = []  # (kind, key path, entry)
    for i, m in enumerate(access.map_roles):
        identities.append(("mapRoles", key_path("access", "mapRoles", i), m))
    for i, m in enumerate(access.map_users):
        identities.append(("mapUsers", key_path("access", "mapUsers", i), m))
    for i, e in enumerate(access.access_entries):
        identities.append(("accessEntries", key_path("access", "accessEntries", i), e))

    resolved: list[tuple[str, str, str, Any]] = []  # (kind, path, arn, entry)
    for kind, path, entry in identities:
        arn_key = {"mapRoles": "rolearn", "mapUsers": "userarn", "accessEntries": "principalArn"}[kind]
        arn = getattr(entry, {"rolearn": "rolearn", "userarn": "userarn", "principalArn": "principal_arn"}[arn_key])
        m = _IAM_ARN.match(arn)
        assert m is not None
        if m["partition"] != partition:
            problems.append(
                Problem(
                    f"{path}.{arn_key}",
                    f"{show(arn)} is in partition {m['partition']} but the cluster is in {partition}",
                )
            )
            continue
        if kind == "mapRoles" and m["kind"] != "role":
            problems.append(Problem(f"{path}.{arn_key}", f"{show(arn)} is a user ARN; map it under mapUsers (userarn)"))
            continue
        if kind == "mapUsers" and m["kind"] != "user":
            problems.append(Problem(f"{path}.{arn_key}", f"{show(arn)} is a role ARN; map it under mapRoles (rolearn)"))
            continue
        if kind != "accessEntries" and not entry.username and not entry.groups:
            problems.append(Problem(path, "needs a username or at least one group (otherwise it maps to nothing)"))
            continue
        if m["kind"] == "role" and "/" in m["path_name"] and kind != "accessEntries":
            stripped = _strip_role_path(arn)
            warnings.append(
                f"{path}.{arn_key}: {arn} has an IAM path, which aws-iam-authenticator never matches; "
                f"mapped as {stripped}"
            )
            arn = stripped
        if access.deployer and _strip_role_path(arn) == _strip_role_path(access.deployer):
            problems.append(Problem(f"{path}.{arn_key}", f"{show(arn)} {_deployer_listed(kind, mode)}"))
            continue
        if m["kind"] == "role" and m["path_name"].rsplit("/", 1)[-1] in node_roles:
            problems.append(
                Problem(
                    f"{path}.{arn_key}",
                    f"{show(arn)} is the platform's own node role; a mapping for it would shadow the node "
                    "mapping pulumi-eks makes (system:node:{{EC2PrivateDNSName}}) and nodes would leave the cluster",
                )
            )
            continue
        resolved.append((kind, path, arn, entry))

    # 2. --no-duplicate-arns: one mapping per ARN, across aws-auth and access entries.
    if access.no_duplicate_arns:
        first: dict[str, tuple[str, str, Any]] = {}
        kept = []
        for kind, path, arn, entry in resolved:
            if arn in first:
                other_kind, other_path, other = first[arn]
                if other_kind == kind and _same_mapping(other, entry):
                    warnings.append(f"{path}: repeats {other_path} exactly ({arn}); the repeat is dropped")
                else:
                    problems.append(
                        Problem(
                            path,
                            f"maps {arn} differently from {other_path}; with noDuplicateArns one ARN has one "
                            "mapping (merge them, or remove one)",
                        )
                    )
                continue
            first[arn] = (kind, path, entry)
            kept.append((kind, path, arn, entry))
        resolved = kept

    # 3. Mode rules, and the API-mode conversion of aws-auth entries to access entries.
    role_mappings: list[AwsAuthMapping] = []
    user_mappings: list[AwsAuthMapping] = []
    entries: list[AccessEntry] = []
    if mode == "CONFIG_MAP" and access.access_entries:
        problems.append(
            Problem(
                key_path("access", "accessEntries"),
                'needs authenticationMode "API_AND_CONFIG_MAP" or "API"; "CONFIG_MAP" clusters have no access entries',
            )
        )
    for kind, path, arn, entry in resolved:
        if kind == "accessEntries":
            entries.append(_access_entry(entry, arn, path, partition, problems))
        if kind == "mapUsers" and "system:masters" in entry.groups:
            warnings.append(
                f"{path}: IAM user {arn} gets system:masters (unrestricted cluster-admin that RBAC cannot "
                "limit); prefer a role the person assumes, bound to a non-system group"
            )
        if kind == "accessEntries":
            continue
        if mode in CONFIG_MAP_MODES:
            mapping = AwsAuthMapping(arn, entry.username or _default_username(arn), tuple(entry.groups), path)
            (role_mappings if kind == "mapRoles" else user_mappings).append(mapping)
        else:
            entries.append(_converted(kind, entry, arn, path, partition, warnings))

    # EKS allows one access entry per principal, whatever noDuplicateArns says.
    seen_entries: dict[str, str] = {}
    for e in entries:
        if e.principal_arn in seen_entries:
            problems.append(
                Problem(e.source, f"{e.principal_arn} already has an access entry ({seen_entries[e.principal_arn]})")
            )
        seen_entries.setdefault(e.principal_arn, e.source)

    # 4. Every group used needs a binding; bindings are checked and planned.
    used_groups: dict[str, str] = {}
    for m in role_mappings + user_mappings:
        for g in m.groups:
            used_groups.setdefault(g, m.source)
    for e in entries:
        for g in e.groups:
            used_groups.setdefault(g, e.source)
    for group, source in used_groups.items():
        if not group.startswith("system:") and group not in access.group_bindings:
            problems.append(
                Problem(
                    f"{source}.groups",
                    f'group "{group}" has no entry in access.groupBindings: its members would authenticate and then '
                    "be forbidden everywhere; bind it to a ClusterRole (e.g. view, edit, admin)",
                )
            )
    bindings = []
    for group, spec in access.group_bindings.items():
        path = key_path("access", "groupBindings", group)
        if group.startswith("system:"):
            problems.append(Problem(path, f"{show(group)} is a Kubernetes system group; bind only your own groups"))
            continue
        if (spec.cluster_role is None) == (not spec.rules):
            problems.append(
                Problem(path, "needs exactly one of clusterRole (an existing ClusterRole) or rules (a custom one)")
            )
            continue
        if group not in used_groups:
            warnings.append(f"{path}: no mapping or access entry uses group {group}; the binding grants nobody")
        role = spec.cluster_role or custom_cluster_role_name(group)
        bindings.append(Binding(group, role, tuple(spec.rules), tuple(spec.namespaces)))

    plan = AccessPlan(
        deployer=access.deployer,
        mode=mode,
        role_mappings=tuple(role_mappings),
        user_mappings=tuple(user_mappings),
        access_entries=tuple(entries),
        bindings=tuple(bindings),
    )
    return plan, problems, warnings


def _deployer_listed(kind: str, mode: str) -> str:
    why = (
        "is the deployer (access.deployer): EKS already makes it cluster admin as the cluster's creator "
        "(pulumi-eks sets bootstrapClusterCreatorAdminPermissions); "
    )
    if kind == "accessEntries" or mode == "API":
        return why + "a second access entry for it fails at `pulumi up` (ResourceInUseException); remove this one"
    if mode == "API_AND_CONFIG_MAP":
        return why + "EKS ignores the aws-auth mapping of a principal that has an access entry; remove this one"
    return why + "this mapping grants it nothing more and hides from the review that it is admin; remove it"


def _default_username(arn: str) -> str:
    """aws-auth entries need a username (pulumi-eks requires one): who assumed the role, or the IAM user."""
    name = arn.rsplit("/", 1)[-1]
    return f"{name}:{{{{SessionName}}}}" if ":role/" in arn else name


def _same_mapping(a: Any, b: Any) -> bool:
    return a.username == b.username and sorted(a.groups) == sorted(b.groups)


def _access_entry(
    entry: AccessEntryConfig, arn: str, path: str, partition: str, problems: list[Problem]
) -> AccessEntry:
    for name, value in (("username", entry.username), *((f"groups[{i}]", g) for i, g in enumerate(entry.groups))):
        if value and value.startswith(RESERVED_ACCESS_ENTRY_PREFIXES):
            problems.append(
                Problem(
                    f"{path}.{name}",
                    f"{show(value)} starts with a prefix EKS reserves in access entries "
                    f"({', '.join(RESERVED_ACCESS_ENTRY_PREFIXES)}); "
                    f"for cluster-admin use policy {CLUSTER_ADMIN_POLICY}",
                )
            )
    policies = tuple(
        PolicyAssociation(
            _policy_arn(p.policy, partition), tuple(p.scope.namespaces) if isinstance(p.scope, NamespaceScope) else ()
        )
        for p in entry.policies
    )
    return AccessEntry(arn, entry.username, tuple(entry.groups), policies, path)


def _converted(kind: str, entry: Any, arn: str, path: str, partition: str, warnings: list[str]) -> AccessEntry:
    """eksctl's migrate-to-access-entry: an aws-auth entry as an access entry."""
    groups, policies = [], []
    username = entry.username
    if username and username.startswith(RESERVED_ACCESS_ENTRY_PREFIXES):
        warnings.append(f"{path}.username: {username} is reserved in access entries; EKS will name the user instead")
        username = None
    for group in entry.groups:
        if group == "system:masters":
            policies.append(PolicyAssociation(_policy_arn(CLUSTER_ADMIN_POLICY, partition)))
        elif group.startswith("system:"):
            warnings.append(f"{path}: group {group} has no access-entry equivalent in API mode and is skipped")
        else:
            groups.append(group)
    warnings.append(f"{path}: API mode has no aws-auth ConfigMap; {arn} becomes an access entry")
    return AccessEntry(arn, username, tuple(groups), tuple(policies), path)
