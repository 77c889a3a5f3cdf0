"""The guardrails on IAM policies the stack creates: who may assume a role, and who may resize the cluster's
Auto Scaling groups. Registered in policy/rules.py's RULES on import."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

if __package__:  # imported as policy.iam_rules (tests, render)
    from .iam_scope import DISCOVERY_TAG, Place, unscoped_writes
    from .rules import rule
else:  # run by the Pulumi CLI from the pack's own directory
    from iam_scope import DISCOVERY_TAG, Place, unscoped_writes
    from rules import rule

IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"


def _statements(document: Any) -> list[Mapping[str, Any]]:
    """The statements of an IAM policy document (a JSON string, as the AWS provider takes it)."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    if isinstance(statements, Mapping):
        return [statements]
    return [s for s in statements or [] if isinstance(s, Mapping)]


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


@rule(
    "iam-autoscaling-writes-tag-scoped",
    "A policy that resizes Auto Scaling groups limits itself to the cluster's groups with a tag condition.",
    "high",
    IAM_ROLE_POLICY,
    IAM_POLICY,
)
def autoscaling_writes_scoped(type_, props, config):
    # Where the stack deploys (render/policy.py and pack.py pass it): the groups a Resource must not reach are an
    # arbitrary one in the stack's own partition, region and account (policy/iam_scope.py).
    place = config.get("place") or Place()
    for statement in _statements(props.get("policy")):
        if granted := unscoped_writes(statement, place):
            tag = f"{DISCOVERY_TAG}{place.cluster or '<cluster>'}"
            yield (
                f"statement {statement.get('Sid', '(no Sid)')} allows {', '.join(granted)} on Auto Scaling groups "
                f"beyond the cluster's; limit it with a Condition that the group carries aws:ResourceTag/{tag} "
                '(Null "false" or StringEquals)'
            )


@rule(
    "iam-role-trust-names-its-principal",
    "A role's trust policy names who may assume it: never any principal ('*') without a condition.",
    "critical",
    IAM_ROLE,
)
def role_trust_principal(type_, props, config):
    for statement in _statements(props.get("assumeRolePolicy")):
        if statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            yield "a trust statement allows NotPrincipal: everyone but the listed principals may assume the role"
            continue
        principal = statement.get("Principal")
        values = (
            [principal]
            if isinstance(principal, str)
            else [v for value in (principal or {}).values() for v in _listed(value)]
        )
        if "*" in values and not statement.get("Condition"):
            yield "the trust policy lets any principal ('*') assume the role; name the service or role"
