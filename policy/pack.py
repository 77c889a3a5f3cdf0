"""The CrossGuard side: each rule of rules.py as a ResourceValidationPolicy (pulumi-policy)."""

from __future__ import annotations

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy, Severity

if __package__:  # imported as policy.pack (tests, render)
    from .rules import RULES, Rule, violations
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import RULES, Rule, violations


def as_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation) -> None:
        for message in violations(rule, args.resource_type, args.props, args.get_config() or {}):
            report_violation(message, args.urn)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        severity=Severity(rule.severity),
        config_schema=PolicyConfigSchema(properties=dict(rule.config_schema)) if rule.config_schema else None,
    )


def policies() -> list[ResourceValidationPolicy]:
    return [as_policy(rule) for rule in RULES]
