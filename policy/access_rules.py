"""The guardrails on who gets into the cluster as what: no IAM user in system:masters, cluster-admin only for
the admins the stack's policy config lists. Registered in policy/rules.py's RULES on import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from pulumi_policy.proxy import UnknownValueError

if __package__:  # imported as policy.access_rules (tests, render)
    from .rules import StackResource, rule, stack_rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import StackResource, rule, stack_rule

POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"


def _aws_auth_users(type_, props) -> list[Mapping[str, Any]]:
    """mapUsers of the aws-auth ConfigMap (pulumi-eks writes it in the ConfigMap modes)."""
    metadata = props.get("metadata") or {}
    if (metadata.get("name"), metadata.get("namespace")) != ("aws-auth", "kube-system"):
        return []
    return yaml.safe_load((props.get("data") or {}).get("mapUsers") or "[]") or []


@rule(
    "no-system-masters-for-iam-users",
    "No IAM user is mapped to system:masters (cluster-admin that RBAC cannot limit).",
    "critical",
    CONFIG_MAP,
)
def system_masters_for_users(type_, props, config):
    for mapping in _aws_auth_users(type_, props):
        if "system:masters" in (mapping.get("groups") or []):
            yield f"IAM user {mapping.get('userarn')} is mapped to system:masters"


ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry"
CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
CLUSTER_ADMIN_POLICY = "/AmazonEKSClusterAdminPolicy"


def _mapped_identities(
    resources: Sequence[StackResource],
) -> tuple[list[tuple[str, str, list[str], str]], UnknownValueError | None]:
    """(every IAM principal mapped into Kubernetes as (ARN, username, groups, URN of the mapping),
    the first mapping that cannot be read yet): aws-auth mapRoles/mapUsers and access entries."""
    found: list[tuple[str, str, list[str], str]] = []
    unknown = None
    for r in resources:
        try:
            if r.type == ACCESS_ENTRY:
                groups = [str(g) for g in r.props.get("kubernetesGroups") or []]
                found.append((str(r.props.get("principalArn")), str(r.props.get("userName") or ""), groups, r.urn))
            elif r.type == CONFIG_MAP and (r.props.get("metadata") or {}).get("name") == "aws-auth":
                data = r.props.get("data") or {}
                for key, arn_key in (("mapRoles", "rolearn"), ("mapUsers", "userarn")):
                    for m in yaml.safe_load(data.get(key) or "[]") or []:
                        groups = [str(g) for g in m.get("groups") or []]
                        found.append((str(m.get(arn_key)), str(m.get("username") or ""), groups, r.urn))
        except UnknownValueError as error:  # a node role's ARN before the role exists: judged at `up`
            unknown = unknown or error
    return found, unknown


@stack_rule(
    "cluster-admin-for-admins-only",
    "Only principals listed as admins in the policy config get cluster-admin, however it is granted: the "
    "EKS cluster-admin access policy, a binding of their group or user to the cluster-admin ClusterRole, "
    "or the system:masters group.",
    "critical",
    POLICY_ASSOCIATION,
    ACCESS_ENTRY,
    CONFIG_MAP,
    CLUSTER_ROLE_BINDING,
    config_schema={"admins": {"type": "array", "items": {"type": "string"}, "default": []}},
)
def cluster_admin_for_admins(resources, config):
    admins = set(config.get("admins") or [])
    where = f"admins of {config.get('configFile', 'the policy config')}"
    identities, unknown = _mapped_identities(resources)
    grants: list[tuple[str, str, str]] = []  # (principal, how, URN of the granting resource)
    for arn, _, groups, urn in identities:
        if "system:masters" in groups:
            grants.append((arn, "the system:masters group", urn))
    for r in resources:
        if r.type == POLICY_ASSOCIATION and str(r.props.get("policyArn", "")).endswith(CLUSTER_ADMIN_POLICY):
            grants.append((str(r.props.get("principalArn")), "AmazonEKSClusterAdminPolicy", r.urn))
        if r.type != CLUSTER_ROLE_BINDING:
            continue
        ref = r.props.get("roleRef") or {}
        if (ref.get("kind"), ref.get("name")) != ("ClusterRole", "cluster-admin"):
            continue
        for subject in r.props.get("subjects") or []:
            kind, name = subject.get("kind"), subject.get("name")
            if kind == "ServiceAccount":
                grants.append((f"service account {subject.get('namespace')}/{name}", "a ClusterRoleBinding", r.urn))
                continue
            for arn, username, groups, _ in identities:
                if (kind == "Group" and name in groups) or (kind == "User" and name == username):
                    grants.append((arn, f"{kind.lower()} {name} bound to cluster-admin", r.urn))
    for principal, how, urn in sorted(set(grants)):
        if principal not in admins:
            yield f"{principal} gets cluster-admin through {how} but is not listed in the {where}", urn
    if unknown is not None:  # what it could decide is reported; the rest waits for `pulumi up`
        raise unknown
