"""Which Kubernetes service account acts as which IAM role, read from what the stack registers.

EKS Pod Identity: an `aws.eks.PodIdentityAssociation` names the namespace, the service account and
the role. IRSA: the role's trust policy lets the cluster's OIDC provider assume it for a
`system:serviceaccount:<namespace>:<name>` subject. Each row lists what the role may do: its managed
policies and its inline policies' actions.
"""

from __future__ import annotations

import json
from typing import Any

from eks_platform.runner.engine import RunResult

ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
INLINE = "aws:iam/rolePolicy:RolePolicy"
SUBJECT = "system:serviceaccount:"
MAX_NAMED = 6  # conditioned actions named in a row; more are counted per service


def _irsa_subjects(role) -> list[str]:
    try:
        statements = json.loads(role.inputs.get("assumeRolePolicy") or "{}").get("Statement") or []
    except (TypeError, ValueError):
        return []
    return [
        value.removeprefix(SUBJECT)
        for s in statements
        if "Federated" in (s.get("Principal") or {})
        for test in (s.get("Condition") or {}).values()
        for key, value in test.items()
        if key.endswith(":sub") and isinstance(value, str) and value.startswith(SUBJECT)
    ]


def _permissions(result: RunResult, role_name: Any) -> list[str]:
    managed = {r.inputs.get("policyArn") for r in result.of_type(ATTACHMENT) if r.inputs.get("role") == role_name}
    for r in result.of_type(EXCLUSIVE):
        if r.inputs.get("roleName") == role_name:
            managed.update(r.inputs.get("policyArns") or [])
    found = [str(arn).rsplit("/", 1)[-1] for arn in sorted(a for a in managed if a)]
    for r in result.of_type(INLINE):
        if r.inputs.get("role") != role_name:
            continue
        try:
            statements = json.loads(r.inputs.get("policy") or "{}").get("Statement") or []
        except (TypeError, ValueError):
            statements = []
        conditioned = sorted(
            {a for s in statements if s.get("Effect") == "Allow" and s.get("Condition") for a in _listed(s["Action"])}
        )
        found.append(f"inline {r.name}" + (f" ({_conditioned(conditioned)})" if conditioned else ""))
    return found


def _conditioned(actions: list[str]) -> str:
    """The actions a policy allows only under a condition (a tag, a VPC, a service): named while few, else
    counted per service (the policy itself is in plan.json)."""
    if len(actions) <= MAX_NAMED:
        return f"conditioned: {', '.join(actions)}"
    services = sorted({a.split(":", 1)[0] for a in actions})
    return f"{len(actions)} actions conditioned, of {', '.join(services)}"


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def service_account_roles(result: RunResult) -> list[dict[str, Any]]:
    roles = {r.outputs.get("arn"): r for r in result.of_type(ROLE)}
    rows = []
    for association in result.of_type(ASSOCIATION):
        role = roles.get(association.inputs.get("roleArn"))
        rows.append(
            {
                "serviceAccount": f"{association.inputs.get('namespace')}/{association.inputs.get('serviceAccount')}",
                "role": role.name if role else str(association.inputs.get("roleArn")),
                "via": "EKS Pod Identity",
                "permissions": _permissions(result, role.outputs.get("name")) if role else [],
            }
        )
    for role in result.of_type(ROLE):
        for subject in _irsa_subjects(role):
            namespace, _, account = subject.partition(":")
            rows.append(
                {
                    "serviceAccount": f"{namespace}/{account}",
                    "role": role.name,
                    "via": "IRSA (OIDC trust)",
                    "permissions": _permissions(result, role.outputs.get("name")),
                }
            )
    return sorted(rows, key=lambda r: (r["serviceAccount"], r["role"]))


def identities_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    account = max(len(r["serviceAccount"]) for r in rows)
    role = max(len(r["role"]) for r in rows)
    via = max(len(r["via"]) for r in rows)
    lines = ["Service account roles:"]
    for r in rows:
        permissions = "; ".join(r["permissions"])
        lines.append(f"    {r['serviceAccount']:<{account}}  {r['role']:<{role}}  {r['via']:<{via}}  {permissions}")
    return "\n".join(lines) + "\n"
