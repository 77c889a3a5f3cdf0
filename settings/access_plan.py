"""From `eks-platform:access` to the AccessPlan the cluster receives, in typed stages:

1. `gather` every mapping and access entry as an Identity, with its key path;
2. `resolve` each: partition, role vs user, role paths stripped, the deployer and the platform's
   own node roles refused;
3. `deduplicate` (`eksctl create iamidentitymapping --no-duplicate-arns`): one mapping per ARN;
4. `by_mode`: aws-auth mappings in the ConfigMap modes, access entries (API mode converts the
   mappings, as eksctl's migrate-to-access-entry does);
5. `bind`: every group used needs a binding; the bindings become the plan's.

Each stage takes and returns typed values and reports into one Findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Union

from .access import (
    CLUSTER_ADMIN_POLICY,
    CONFIG_MAP_MODES,
    RESERVED_ACCESS_ENTRY_PREFIXES,
    AccessConfig,
    AccessEntry,
    AccessEntryConfig,
    AccessPlan,
    AwsAuthMapping,
    Binding,
    NamespaceScope,
    PolicyAssociation,
    RoleMapping,
    UserMapping,
    custom_cluster_role_name,
    parse_arn,
    policy_arn,
    strip_role_path,
)
from .problems import Problem, key_path, show

Entry = Union[RoleMapping, UserMapping, AccessEntryConfig]  # noqa: UP007 - a type alias
ARN_KEY = {"mapRoles": "rolearn", "mapUsers": "userarn", "accessEntries": "principalArn"}


@dataclass(frozen=True)
class Identity:
    kind: str  # mapRoles | mapUsers | accessEntries
    path: str  # its key path in the stack config
    arn: str  # as the cluster will see it (role paths stripped in aws-auth)
    entry: Entry

    @property
    def arn_path(self) -> str:
        return f"{self.path}.{ARN_KEY[self.kind]}"


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))


@dataclass(frozen=True)
class Mapped:
    role_mappings: tuple[AwsAuthMapping, ...]
    user_mappings: tuple[AwsAuthMapping, ...]
    entries: tuple[AccessEntry, ...]


def gather(access: AccessConfig) -> list[Identity]:
    found = [
        Identity("mapRoles", key_path("access", "mapRoles", i), m.rolearn, m) for i, m in enumerate(access.map_roles)
    ]
    found += [
        Identity("mapUsers", key_path("access", "mapUsers", i), m.userarn, m) for i, m in enumerate(access.map_users)
    ]
    found += [
        Identity("accessEntries", key_path("access", "accessEntries", i), e.principal_arn, e)
        for i, e in enumerate(access.access_entries)
    ]
    return found


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


def resolve(
    identity: Identity, access: AccessConfig, partition: str, node_roles: set[str], findings: Findings
) -> Identity | None:
    """The identity as the cluster will see it, or None (reported) when it cannot be mapped."""
    kind, path, arn = identity.kind, identity.path, identity.arn
    m = parse_arn(arn)
    if m["partition"] != partition:
        findings.problem(
            identity.arn_path, f"{show(arn)} is in partition {m['partition']} but the cluster is in {partition}"
        )
        return None
    if kind == "mapRoles" and m["kind"] != "role":
        findings.problem(identity.arn_path, f"{show(arn)} is a user ARN; map it under mapUsers (userarn)")
        return None
    if kind == "mapUsers" and m["kind"] != "user":
        findings.problem(identity.arn_path, f"{show(arn)} is a role ARN; map it under mapRoles (rolearn)")
        return None
    if kind != "accessEntries" and not identity.entry.username and not identity.entry.groups:
        findings.problem(path, "needs a username or at least one group (otherwise it maps to nothing)")
        return None
    if m["kind"] == "role" and "/" in m["path_name"] and kind != "accessEntries":
        stripped = strip_role_path(arn)
        findings.warnings.append(
            f"{identity.arn_path}: {arn} has an IAM path, which aws-iam-authenticator never matches; "
            f"mapped as {stripped}"
        )
        arn = stripped
    if access.deployer and strip_role_path(arn) == strip_role_path(access.deployer):
        findings.problem(identity.arn_path, f"{show(arn)} {_deployer_listed(kind, access.authentication_mode)}")
        return None
    if m["kind"] == "role" and m["path_name"].rsplit("/", 1)[-1] in node_roles:
        findings.problem(
            identity.arn_path,
            f"{show(arn)} is the platform's own node role; a mapping for it would shadow the node "
            "mapping pulumi-eks makes (system:node:{{EC2PrivateDNSName}}) and nodes would leave the cluster",
        )
        return None
    return Identity(kind, path, arn, identity.entry)


def _same_mapping(a: Identity, b: Identity) -> bool:
    return (
        a.kind == b.kind and a.entry.username == b.entry.username and sorted(a.entry.groups) == sorted(b.entry.groups)
    )


def deduplicate(identities: list[Identity], findings: Findings) -> list[Identity]:
    """--no-duplicate-arns: one mapping per ARN across aws-auth and access entries."""
    first: dict[str, Identity] = {}
    kept = []
    for identity in identities:
        other = first.get(identity.arn)
        if other is None:
            first[identity.arn] = identity
            kept.append(identity)
        elif _same_mapping(other, identity):
            findings.warnings.append(
                f"{identity.path}: repeats {other.path} exactly ({identity.arn}); the repeat is dropped"
            )
        else:
            findings.problem(
                identity.path,
                f"maps {identity.arn} differently from {other.path}; with noDuplicateArns one ARN has one "
                "mapping (merge them, or remove one)",
            )
    return kept


def _access_entry(identity: Identity, partition: str, findings: Findings) -> AccessEntry:
    entry: AccessEntryConfig = identity.entry  # type: ignore[assignment]
    for name, value in (("username", entry.username), *((f"groups[{i}]", g) for i, g in enumerate(entry.groups))):
        if value and value.startswith(RESERVED_ACCESS_ENTRY_PREFIXES):
            findings.problem(
                f"{identity.path}.{name}",
                f"{show(value)} starts with a prefix EKS reserves in access entries "
                f"({', '.join(RESERVED_ACCESS_ENTRY_PREFIXES)}); for cluster-admin use policy {CLUSTER_ADMIN_POLICY}",
            )
    policies = tuple(
        PolicyAssociation(
            policy_arn(p.policy, partition), tuple(p.scope.namespaces) if isinstance(p.scope, NamespaceScope) else ()
        )
        for p in entry.policies
    )
    return AccessEntry(identity.arn, entry.username, tuple(entry.groups), policies, identity.path)


def _converted(identity: Identity, partition: str, findings: Findings) -> AccessEntry:
    """eksctl's migrate-to-access-entry: an aws-auth entry as an access entry."""
    path, entry = identity.path, identity.entry
    groups, policies = [], []
    username = entry.username
    if username and username.startswith(RESERVED_ACCESS_ENTRY_PREFIXES):
        findings.warnings.append(
            f"{path}.username: {username} is reserved in access entries; EKS will name the user instead"
        )
        username = None
    for group in entry.groups:
        if group == "system:masters":
            policies.append(PolicyAssociation(policy_arn(CLUSTER_ADMIN_POLICY, partition)))
        elif group.startswith("system:"):
            findings.warnings.append(f"{path}: group {group} has no access-entry equivalent in API mode and is skipped")
        else:
            groups.append(group)
    findings.warnings.append(f"{path}: API mode has no aws-auth ConfigMap; {identity.arn} becomes an access entry")
    return AccessEntry(identity.arn, username, tuple(groups), tuple(policies), path)


def _default_username(arn: str) -> str:
    """aws-auth entries need a username (pulumi-eks requires one): who assumed the role, or the IAM user."""
    name = arn.rsplit("/", 1)[-1]
    return f"{name}:{{{{SessionName}}}}" if ":role/" in arn else name


def by_mode(identities: list[Identity], access: AccessConfig, partition: str, findings: Findings) -> Mapped:
    mode = access.authentication_mode
    if mode == "CONFIG_MAP" and access.access_entries:
        findings.problem(
            key_path("access", "accessEntries"),
            'needs authenticationMode "API_AND_CONFIG_MAP" or "API"; "CONFIG_MAP" clusters have no access entries',
        )
    roles, users, entries = [], [], []
    for identity in identities:
        if identity.kind == "accessEntries":
            entries.append(_access_entry(identity, partition, findings))
            continue
        if identity.kind == "mapUsers" and "system:masters" in identity.entry.groups:
            findings.warnings.append(
                f"{identity.path}: IAM user {identity.arn} gets system:masters (unrestricted cluster-admin that RBAC "
                "cannot limit); prefer a role the person assumes, bound to a non-system group"
            )
        if mode in CONFIG_MAP_MODES:
            entry = identity.entry
            mapping = AwsAuthMapping(
                identity.arn, entry.username or _default_username(identity.arn), tuple(entry.groups), identity.path
            )
            (roles if identity.kind == "mapRoles" else users).append(mapping)
        else:
            entries.append(_converted(identity, partition, findings))
    # EKS allows one access entry per principal, whatever noDuplicateArns says.
    seen: dict[str, str] = {}
    for e in entries:
        if e.principal_arn in seen:
            findings.problem(e.source, f"{e.principal_arn} already has an access entry ({seen[e.principal_arn]})")
        seen.setdefault(e.principal_arn, e.source)
    return Mapped(tuple(roles), tuple(users), tuple(entries))


def bind(mapped: Mapped, access: AccessConfig, findings: Findings) -> tuple[Binding, ...]:
    """Every group used needs a binding (an unbound group grants nothing); bindings checked and planned."""
    used: dict[str, str] = {}
    for source, groups in [(m.source, m.groups) for m in mapped.role_mappings + mapped.user_mappings] + [
        (e.source, e.groups) for e in mapped.entries
    ]:
        for group in groups:
            used.setdefault(group, source)
    for group, source in used.items():
        if not group.startswith("system:") and group not in access.group_bindings:
            findings.problem(
                f"{source}.groups",
                f'group "{group}" has no entry in access.groupBindings: its members would authenticate and then '
                "be forbidden everywhere; bind it to a ClusterRole (e.g. view, edit, admin)",
            )
    bindings = []
    for group, spec in access.group_bindings.items():
        path = key_path("access", "groupBindings", group)
        if group.startswith("system:"):
            findings.problem(path, f"{show(group)} is a Kubernetes system group; bind only your own groups")
            continue
        if (spec.cluster_role is None) == (not spec.rules):
            findings.problem(path, "needs exactly one of clusterRole (an existing ClusterRole) or rules (a custom one)")
            continue
        if group not in used:
            findings.warnings.append(
                f"{path}: no mapping or access entry uses group {group}; the binding grants nobody"
            )
        role = spec.cluster_role or custom_cluster_role_name(group)
        bindings.append(Binding(group, role, tuple(spec.rules), tuple(spec.namespaces)))
    return tuple(bindings)


def plan_access(
    access: AccessConfig, partition: str, node_role_names: Iterable[str]
) -> tuple[AccessPlan, list[Problem], list[str]]:
    findings = Findings()
    node_roles = set(node_role_names)
    resolved = [r for i in gather(access) if (r := resolve(i, access, partition, node_roles, findings))]
    if access.no_duplicate_arns:
        resolved = deduplicate(resolved, findings)
    mapped = by_mode(resolved, access, partition, findings)
    plan = AccessPlan(
        mode=access.authentication_mode,
        role_mappings=mapped.role_mappings,
        user_mappings=mapped.user_mappings,
        access_entries=mapped.entries,
        bindings=bind(mapped, access, findings),
        deployer=access.deployer,
    )
    return plan, findings.problems, findings.warnings
