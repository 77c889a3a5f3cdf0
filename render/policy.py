"""The policy verdict of an offline render: the rules of policy/rules.py on every registered
resource, with the enforcement levels of policy/config/<stack>.json (the same file
`pulumi preview --policy-pack-config` reads). A stack without a config file gets advisories."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from eks_platform.runner.engine import RunResult, reveal
from eks_platform.runner.mocks import ACCOUNT_ID
from eks_platform.runner.stack_config import PROJECT_DIR
from policy.iam_scope import Place, place_from_config
from policy.rules import (
    LEVELS,
    RULES,
    StackResource,
    config_file,
    rule_settings,
    stack_violations,
    violations,
)

UNDECIDED = "cannot be decided until `pulumi up`"

POLICY_CONFIG_DIR = PROJECT_DIR / "policy" / "config"
# A stack without a policy config file; also what `make import-eksctl` writes for a new stack.
DEFAULT_POLICY_CONFIG = {"all": "advisory"}


def policy_config(stack: str, directory: Path | None = None) -> dict[str, Any]:
    path = (directory or POLICY_CONFIG_DIR) / f"{stack}.json"
    return json.loads(path.read_text()) if path.exists() else dict(DEFAULT_POLICY_CONFIG)


def evaluate(result: RunResult, config: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    by_urn = {r.urn: r for r in result.resources}
    # Read as CrossGuard reads it: a value unknown at preview stops the rule that reads it, and only it.
    stack = [
        StackResource(r.type, r.urn, r.name, unknown_checking_proxy(reveal(r.inputs)), r.parent)
        for r in result.resources
        if not r.remote
    ]
    place = _place(result)
    for rule in RULES:
        level, settings = rule_settings(config, rule.name)
        if level == "disabled":
            continue
        settings = {**settings, "configFile": config_file(result.stack), "place": place}
        base = {"policy": rule.name, "severity": rule.severity}
        if rule.stack_check is not None:
            reported: list[tuple[str, str]] = []
            try:
                stack_violations(rule, stack, settings, reported)
            except UnknownValueError as unknown:
                undecided = f"{UNDECIDED}: {unknown.message}"
                found.append({**base, "resource": "", "enforcement": "advisory", "message": undecided})
            found += [
                {**base, "resource": _where(by_urn[urn]), "enforcement": level, "message": message}
                for message, urn in reported
            ]
            continue
        for resource in result.resources:
            if resource.type not in rule.resource_types:
                continue
            entry = {**base, "resource": _where(resource)}
            props = unknown_checking_proxy(reveal(resource.inputs))
            try:
                messages = violations(rule, resource.type, props, settings)
            except UnknownValueError as unknown:
                found.append({**entry, "enforcement": "advisory", "message": f"{UNDECIDED}: {unknown.message}"})
                continue
            found += [{**entry, "enforcement": level, "message": message} for message in messages]
    return sorted(found, key=lambda v: (LEVELS.index(v["enforcement"]), v["policy"], v["resource"], v["message"]))


def _place(result: RunResult) -> Place:
    """Where the rendered stack deploys: its region and cluster from its config, the account the mock engine plays."""
    values = result.config.runtime_values() if result.config else {}
    return replace(place_from_config(values, result.project, result.stack), account=ACCOUNT_ID)


def _where(resource) -> str:
    return f"{resource.type}::{resource.name}"


def policy_text(found: list[dict[str, str]]) -> str:
    if not found:
        return "Policies: no violations\n"
    lines = ["Policy violations:"]
    for level in ("mandatory", "advisory"):
        for v in (v for v in found if v["enforcement"] == level):
            lines.append(f"    [{level}] {v['policy']} ({v['severity']}) {v['resource']}: {v['message']}")
    return "\n".join(lines) + "\n"


def blocks(found: list[dict[str, str]]) -> bool:
    return any(v["enforcement"] == "mandatory" for v in found)
