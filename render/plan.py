"""plan.json: every resource the program registers, in tree order, secrets masked, ready to diff.

Keys are sorted and resources listed parent-first (components before their children, siblings
by type and name), so `git diff` between two commits' renders reads as a change review.
Lists inside inputs keep the program's order: reordering them is a real change.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from eks_platform.runner.engine import STACK_TYPE, RunResult, Secret
from eks_platform.runner.plugins import plugins
from eks_platform.runner.records import tree_order
from pricing.report import cost_section

MASK = "[secret]"
NOTE = (
    "Offline render on Pulumi's mock engine: inputs are what the program sends; ids, ARNs and "
    "endpoints computed by AWS are deterministic placeholders (account 123456789012)."
)


def mask(value: Any) -> Any:
    """Secret values become "[secret]"; a secret mapping or list keeps its shape (a Secret's
    stringData stays a mapping of keys), only its values are hidden."""
    if isinstance(value, Secret):
        return _hide(value.value)
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def _hide(value: Any) -> Any:
    if isinstance(value, Secret):
        return _hide(value.value)
    if isinstance(value, dict):
        return {k: _hide(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide(v) for v in value]
    return MASK


def summary(result: RunResult) -> dict[str, Any]:
    """What `pulumi up` would create, per type and in all — the stack itself counted, as the CLI
    counts it. The render prints these same numbers."""
    by_type = dict(sorted(Counter([STACK_TYPE, *(r.type for r in result.resources)]).items()))
    return {"create": sum(by_type.values()), "byType": by_type}


def build_plan(result: RunResult, policy: list[dict[str, str]] | None = None) -> dict[str, Any]:
    from .access import access_review  # the access review masks with this module's mask()
    from .addons import addon_review
    from .helm import helm_review
    from .identities import service_account_roles
    from .lifecycle import lifecycle_review
    from .placement import placement_review
    from .reads import all_reads
    from .teardown import teardown_review

    reads = all_reads(result)
    resources = [
        {
            "type": r.type,
            "name": r.name,
            "urn": r.urn,
            "parent": r.parent,
            "provider": r.provider,
            "dependsOn": r.dependencies,
            "options": r.options,
            "inputs": mask(r.inputs),
            **({"createdBy": r.created_by} if r.created_by else {}),
            **({"reads": reads[r.urn]} if r.urn in reads else {}),
        }
        for _, r in tree_order(result.resources)
    ]
    plan = {
        "access": access_review(result),
        "addons": addon_review(result),
        "helmReleases": helm_review(result),
        "serviceAccountRoles": service_account_roles(result),
        "lifecycle": lifecycle_review(result),
        "placement": placement_review(result),
        "project": result.project,
        "stack": result.stack,
        "note": NOTE,
        "summary": summary(result),
        "plugins": plugins(result),
        "teardown": teardown_review(result),
        "warnings": sorted(result.warnings),
        "resources": resources,
        "outputs": mask(result.outputs),
        "policy": policy or [],
        "dataSources": sorted(
            ({"token": i.token, "args": mask(i.args)} for i in result.invokes),
            key=lambda d: json.dumps(d, sort_keys=True),
        ),
    }
    plan["cost"] = cost_section(plan)  # from the plan's own resources, as the review prices both sides
    return plan


def plan_json(result: RunResult, policy: list[dict[str, str]] | None = None) -> str:
    return json.dumps(build_plan(result, policy), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
