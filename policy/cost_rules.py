"""The guardrail on what the stack costs: its monthly estimate (pricing/cost.py, the model the render and the
review use) within the budget its policy config sets. Registered in policy/rules.py's RULES on import."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
try:
    from pricing import cost, support, table
except ImportError:  # run by the Pulumi CLI from policy/, whose parent is the project that holds pricing/
    sys.path.insert(0, str(PROJECT_DIR))
    from pricing import cost, support, table

if __package__:  # imported as policy.cost_rules (tests, render)
    from .rules import AWS_EKS_CLUSTER, StackResource, stack_of, stack_rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import AWS_EKS_CLUSTER, StackResource, stack_of, stack_rule


def _stack_region(resources: Sequence[StackResource], stack: str) -> str | None:
    """The region of the subnets the stack creates, else the stack file's aws:region (a stack in an
    existing VPC creates no subnet)."""
    found = cost.region_of(cost.Resource(r.type, r.name, r.props) for r in resources)
    stack_file = PROJECT_DIR / f"Pulumi.{stack}.yaml"
    if found or not stack_file.exists():
        return found
    region = ((yaml.safe_load(stack_file.read_text()) or {}).get("config") or {}).get("aws:region")
    return region if isinstance(region, str) else None


@stack_rule(
    "stack-monthly-budget",
    "The stack's monthly cost (on-demand prices of pricing/prices.json) stays within the budget its policy config "
    "sets (monthlyUsd), at every node group's maxSize unless `at` says desired.",
    "medium",
    *cost.COSTED_TYPES,
    config_schema={
        "monthlyUsd": {"type": "number", "minimum": 0},
        "at": {"type": "string", "enum": ["desired", "max"], "default": "max"},
    },
)
def monthly_budget(resources, config):
    budget = config.get("monthlyUsd")
    if budget is None or not resources:
        return
    at = config.get("at") or "max"
    stack = stack_of(resources[0].urn)
    where = next((r.urn for r in resources if r.type == AWS_EKS_CLUSTER), resources[0].urn)
    region = _stack_region(resources, stack)
    if region is None:
        yield "the monthly cost cannot be checked against the budget: the stack's region is unknown", where
        return
    found = cost.estimate(
        (cost.Resource(r.type, r.name, r.props) for r in resources), region, table.load_prices(), support.today()
    )
    total, source = found.total(at), config.get("configFile", "the policy config")
    if total > budget:
        yield (
            f"the monthly cost at {at}Size, USD {total:,.2f}, is above the budget of USD {budget:,.2f} in {source}",
            where,
        )
    elif found.unknown:
        missing = "; ".join(line.label for line in found.unknown)
        yield (
            f"the monthly cost at {at}Size cannot be checked against the budget in {source}: no price for {missing}",
            where,
        )
