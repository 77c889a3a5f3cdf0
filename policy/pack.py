"""The CrossGuard side: each rule of rules.py as a ResourceValidationPolicy, or, for a rule that reads
several resources at once, a StackValidationPolicy (pulumi-policy)."""

from __future__ import annotations

import json
import os

from pulumi_policy import (
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

if __package__:  # imported as policy.pack (tests, render)
    from .iam_scope import place_from_config
    from .rules import RULES, Rule, StackResource, config_file, stack_of, violations
else:  # run by the Pulumi CLI from the pack's own directory
    from iam_scope import place_from_config
    from rules import RULES, Rule, StackResource, config_file, stack_of, violations


def _place():
    """Where the stack deploys, from the stack config the CLI hands the pack's process (PULUMI_CONFIG, PULUMI_PROJECT,
    PULUMI_STACK: pulumi pkg/resource/plugin/analyzer_plugin.go constructEnv). The account is not in it."""
    try:
        config = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
    except ValueError:
        config = {}
    return place_from_config(config, os.environ.get("PULUMI_PROJECT"), os.environ.get("PULUMI_STACK"))


def _config(args, urn: str) -> dict:
    """The rule's config, plus the file it came from (named in the verdicts that depend on it): the
    CLI passes `--policy-pack-config policy/config/<stack>.json`, and every URN names the stack."""
    return {**(args.get_config() or {}), "configFile": config_file(stack_of(urn)), "place": _place()}


def as_policy(rule: Rule) -> ResourceValidationPolicy | StackValidationPolicy:
    schema = PolicyConfigSchema(properties=dict(rule.config_schema)) if rule.config_schema else None
    if rule.stack_check is not None:
        check = rule.stack_check

        def validate_stack(args: StackValidationArgs, report_violation) -> None:
            mine = [
                StackResource(r.resource_type, r.urn, r.name, r.props, getattr(r.opts, "parent", None) or None)
                for r in args.resources
                if r.resource_type in rule.resource_types
            ]
            if not mine:
                return
            for message, urn in check(mine, _config(args, mine[0].urn)):
                report_violation(message, urn)

        return StackValidationPolicy(
            name=rule.name,
            description=rule.description,
            validate=validate_stack,
            severity=Severity(rule.severity),
            config_schema=schema,
        )

    def validate(args: ResourceValidationArgs, report_violation) -> None:
        for message in violations(rule, args.resource_type, args.props, _config(args, args.urn)):
            report_violation(message, args.urn)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        severity=Severity(rule.severity),
        config_schema=schema,
    )


def policies() -> list[ResourceValidationPolicy | StackValidationPolicy]:
    return [as_policy(rule) for rule in RULES]
