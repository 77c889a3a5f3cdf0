"""What `make deployer-policy` prints: the summary of a stack's policy, and the permission table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .policy import MANAGED_POLICY_MAX_CHARS, DeployerPolicy, size
from .rows import LIFECYCLES, PrefixRow, Row, listed


def summary_text(
    policy: DeployerPolicy, plan: Mapping[str, Any], accepted: int, files: Sequence[str], read_only: bool = False
) -> str:
    stack, statements = policy.stack, policy.statements
    folder = str(Path(files[0]).parent) if files else "."
    data_sources = {d["token"] for d in plan.get("dataSources", [])}
    aws_types = sorted(t for t, row in policy.rows.items() if t not in data_sources and row.all_actions())
    inside = [
        f"{t} inside {_component(plan, t)} by {by}" for t, by in sorted(policy.created_by.items()) if t in aws_types
    ]
    others = sorted(set(policy.prefixed) | {t for t, row in policy.rows.items() if not row.all_actions()})
    wildcard = sorted({a for s in statements if s["Resource"] == "*" for a in listed(s["Action"])})
    tagged = [s for s in statements if any("Tag/" in key for c in s.get("Condition", {}).values() for key in c)]
    kind = "Preview" if read_only else "Deployer"
    lines = [
        f"{kind} policy for {plan['project']}/{plan['stack']}: account {stack.account}, {stack.region} "
        f"(partition {stack.partition})",
        f"From plan.json: {_count(aws_types, 'AWS resource type')} ({'; '.join(inside) or 'none inside components'}), "
        f"{_count(data_sources, 'data source')}; {_count(others, 'other type')} calling no AWS API of their own",
        f"{len(policy.actions())} actions in {len(statements)} statements:",
        f"    {len(tagged)} statements need the tag {_tag(statements)} on the request or the resource",
        f"    * only for the {len(wildcard)} actions that act on no resource type ({_brief(wildcard)})",
        "policy_sentry: every action exists; every ARN is one of its action's resource types",
        f"parliament: no finding left; {accepted} accepted with a reason (deployer/validate.py ACCEPTED)",
        f"Wrote {folder}/ (at most {MANAGED_POLICY_MAX_CHARS:,} characters each): "
        + ", ".join(f"{Path(name).name} ({size(doc):,})" for name, doc in zip(files, policy.documents, strict=True)),
    ]
    return "\n".join(lines) + "\n"


def table_text(rows: Iterable[Row], prefixes: Sequence[PrefixRow]) -> str:
    """Every row: each lifecycle step's actions (extras with what they are for), and the source."""
    blocks = []
    for row in sorted(rows, key=lambda r: r.type):
        lines = [row.type + (f"  ({row.note})" if row.note else "")]
        for lifecycle in LIFECYCLES:
            own = list(getattr(row, lifecycle))
            extras = [f"{' '.join(e.actions)} ({e.why})" for e in row.extras if e.lifecycle == lifecycle]
            if own or extras:
                lines.append(f"    {lifecycle:<7} " + "; ".join([" ".join(own), *extras] if own else extras))
        lines.append(f"    source  {row.source}")
        blocks.append("\n".join(lines))
    for prefix in prefixes:
        needs = f"; needs {' '.join(prefix.read)}" if prefix.read else ""
        blocks.append(f"{prefix.prefix}*\n    {prefix.why}{needs}")
    return "\n".join(blocks) + "\n"


def _component(plan: Mapping[str, Any], token: str) -> str:
    urns = {r["urn"]: r for r in plan["resources"]}
    child = next(r for r in plan["resources"] if r["type"] == token)
    parent = urns.get(child.get("parent"))
    return parent["type"] if parent else "a component"


def _tag(statements: Sequence[Mapping[str, Any]]) -> str:
    for statement in statements:
        for values in statement.get("Condition", {}).values():
            for key, value in values.items():
                if key.startswith("aws:ResourceTag/"):
                    return f"{key.removeprefix('aws:ResourceTag/')}={value}"
    return "(none)"


def _brief(actions: Sequence[str]) -> str:
    describes = [a for a in actions if ":Describe" in a or ":List" in a or ":Get" in a]
    rest = [a for a in actions if a not in describes]
    return ", ".join([f"{len(describes)} Describe/List/Get", *rest]) if describes else ", ".join(rest)


def _count(things: Sequence[Any] | set[Any], noun: str) -> str:
    return f"{len(things)} {noun}{'' if len(things) == 1 else 's'}"
