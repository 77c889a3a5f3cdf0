"""The platform's guardrails: the registry the rule modules add to, and how a rule is evaluated.

One pure function per rule, in a module per subject (cluster_rules.py, node_rules.py, access_rules.py,
cost_rules.py, workload_rules.py, iam_rules.py, lifecycle_rules.py, load_balancer_rules.py). The same
functions run in two places: `pulumi preview --policy-pack policy` (CrossGuard, through pack.py) and the
offline `make render` (render/policy.py, on the plan's resources). Each check receives a resource's type
and its input properties (camelCase, as the engine sends them) plus the rule's config, and returns one
message per violation.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The types more than one rule module judges.
AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
# The one documented exception to the restricted profile: a DaemonSet that carries this
# annotation (saying why) and mounts its host paths read-only (workload_rules.py; the settings' namespaces).
EXCEPTION_ANNOTATION = "eks-platform/pod-security-exception"

Check = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class StackResource:
    """A resource as a stack rule sees it (CrossGuard's PolicyResource, the render's record)."""

    type: str
    urn: str
    name: str
    props: Mapping[str, Any]
    parent: str | None = None  # the URN of its parent (CrossGuard's opts.parent)


# (the stack's resources of the rule's types, the rule's config) -> (message, URN of the resource at fault)
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    severity: str  # low | medium | high | critical
    resource_types: tuple[str, ...]
    check: Check | None
    config_schema: Mapping[str, Any] = field(default_factory=dict)  # JSON-schema properties
    # A rule that needs several resources at once (who is in which group, and what the group is
    # bound to) reads the whole stack: a StackValidationPolicy in the pack.
    stack_check: StackCheck | None = None


RULES: list[Rule] = []


def rule(name: str, description: str, severity: str, *types: str, config_schema: Mapping[str, Any] | None = None):
    def register(check: Check) -> Check:
        RULES.append(Rule(name, description, severity, tuple(types), check, config_schema or {}))
        return check

    return register


def stack_rule(name: str, description: str, severity: str, *types: str, config_schema: Mapping[str, Any] | None = None):
    def register(check: StackCheck) -> StackCheck:
        RULES.append(Rule(name, description, severity, tuple(types), None, config_schema or {}, check))
        return check

    return register


def config_file(stack: str) -> str:
    """The file `--policy-pack-config` reads for a stack, named in every verdict that depends on it."""
    return f"policy/config/{stack}.json"


def stack_of(urn: str) -> str:
    """urn:pulumi:<stack>::<project>::<type>::<name> -> <stack>."""
    return urn.split("::", 1)[0].rsplit(":", 1)[-1]


def _number(value: Any) -> Any:
    """Numbers reach an analyzer as doubles (protobuf): 2.0 reads as 2."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _get(props: Mapping[str, Any], *path: str, default: Any = None) -> Any:
    value: Any = props
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return default
        value = value[key]
    return value


# --- evaluation ----------------------------------------------------------------------

LEVELS = ("mandatory", "advisory", "disabled")


def rule_settings(policy_config: Mapping[str, Any], rule_name: str) -> tuple[str, Mapping[str, Any]]:
    """(enforcement level, rule config) from a `--policy-pack-config` document."""
    entry = policy_config.get(rule_name)
    default = policy_config.get("all", "advisory")
    if isinstance(default, Mapping):
        default = default.get("enforcementLevel", "advisory")
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, Mapping):
        settings = {k: v for k, v in entry.items() if k != "enforcementLevel"}
        return entry.get("enforcementLevel", default), settings
    return default, {}


def violations(rule_: Rule, type_: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    if rule_.check is None or type_ not in rule_.resource_types:
        return []
    return list(rule_.check(type_, props, config))


def stack_violations(
    rule_: Rule, resources: Sequence[StackResource], config: Mapping[str, Any], found: list[tuple[str, str]]
) -> None:
    """Append the stack rule's (message, URN) pairs to `found`, as it yields them: a rule that then
    meets a value unknown at preview has still reported what it could decide (as CrossGuard does)."""
    if rule_.stack_check is None:
        return
    mine = [r for r in resources if r.type in rule_.resource_types]
    for message, urn in rule_.stack_check(mine, config):
        found.append((message, urn))


# The rule modules, in the order their rules are listed (the pack's policies); importing one registers its rules.
RULE_MODULES = (
    "cluster_rules",
    "node_rules",
    "access_rules",
    "cost_rules",
    "workload_rules",
    "iam_rules",
    "lifecycle_rules",
    "load_balancer_rules",
)
for _module in RULE_MODULES:
    # policy.<module> (tests, render), or its bare name when the Pulumi CLI runs the pack from its own directory.
    importlib.import_module(f"{__package__}.{_module}" if __package__ else _module)
