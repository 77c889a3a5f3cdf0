"""Which input of each resource reads which output of another: the edges a replacement ripples along.

The engine knows, per top-level input property, the resources its value was computed from (the
`propertyDependencies` of a registration; runner/engine.py records them). Which *output* it read is
not on the wire; the mock's ids and ARNs are deterministic and distinct, so a value is traced back to
the output it equals, or contains (an ARN inside a policy document, a role ARN in aws-auth's
mapRoles, an endpoint inside a kubeconfig). Only computed outputs count — ids, ARNs, endpoints,
versions the provider assigns: those are unknown while a resource is being replaced, where an output
that repeats an input stays known (so a value that is also one of the source's inputs, like a role
name that is its id too, is taken as the known one).

Paths are spelled as the review's (render/paths.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi.runtime import rpc

from eks_platform.runner.engine import Resource, RunResult, reveal

from .paths import child_path, leaves

# A value shorter than this is not taken as read from another resource by containment (a "1" or a
# zone letter occurs everywhere); equality still counts.
_MIN_CONTAINED = 8


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar inside `value`; a resource reference is the resource itself, not a value it holds."""
    return leaves(value, path, lambda d: d.get(rpc._special_sig_key) is not None)


def computed_outputs(resource: Resource) -> dict[str, Any]:
    """The outputs the provider assigns (paths no input sets)."""
    given = dict(_leaves(reveal(resource.inputs)))
    return {path: v for path, v in _leaves(reveal(resource.outputs)) if path not in given and v != rpc.UNKNOWN}


def matching_outputs(value: Any, outputs: list[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    """The outputs `value` reads: those it equals; failing any, the longest it contains (an ARN, not
    also the role name inside that ARN)."""
    equal = [o for o in outputs if str(o[2]) == str(value)]
    if equal or not isinstance(value, str):
        return equal
    inside = [o for o in outputs if isinstance(o[2], str) and len(o[2]) >= _MIN_CONTAINED and o[2] in value]
    return [o for o in inside if not any(o[2] != p[2] and o[2] in p[2] for p in inside)]


def resource_reads(resource: Resource, by_urn: Mapping[str, Resource]) -> dict[str, list[dict[str, str]]]:
    """Input path -> the computed outputs ({"from": URN, "output": path}) its value reads. A multi-language
    component's own outputs come from a resource it creates: when that resource is named, it alone is."""
    found: dict[str, list[dict[str, str]]] = {}
    inputs = reveal(resource.inputs)
    for key, sources in resource.property_dependencies.items():
        candidates = [by_urn[u] for u in sources if u in by_urn and (by_urn[u].custom or by_urn[u].remote)]
        # A string that is also one of the source's inputs is known across a replacement (a role's
        # name given as input is its id too); a number is not an identity (latestVersion 1, a port 1).
        known = {c.urn: {v for _, v in _leaves(reveal(c.inputs)) if isinstance(v, str)} for c in candidates}
        outputs = [
            (c.urn, path, v) for c in candidates for path, v in computed_outputs(c).items() if v not in known[c.urn]
        ]
        for path, value in _leaves(inputs.get(key), child_path("", key)):
            matched = matching_outputs(value, outputs)
            creators = {by_urn[u].parent for u, _, _ in matched if by_urn[u].created_by}
            found[path] = [{"from": u, "output": o} for u, o, _ in matched if u not in creators]
    return {path: sources for path, sources in found.items() if sources}


def all_reads(result: RunResult) -> dict[str, dict[str, list[dict[str, str]]]]:
    """URN -> its reads, for every resource that reads a computed output."""
    by_urn = {r.urn: r for r in result.resources}
    found = {r.urn: resource_reads(r, by_urn) for r in result.resources}
    return {urn: reads for urn, reads in found.items() if reads}
