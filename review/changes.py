"""What changes between two renders of a stack: per resource, create / update / replace / delete, each
changed input as `path: old → new`, and for a replacement the property that forces it.

Both sides are plan.json documents (render/plan.py), so secrets are already masked: a secret whose
value changed looks the same on both sides, and the review says so instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .replace_on_change import REPLACE_ON_CHANGE

ACTIONS = ("create", "replace", "update", "delete")


@dataclass(frozen=True)
class PropertyChange:
    path: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.path}: {_short(self.old)} → {_short(self.new)}"


@dataclass
class ResourceChange:
    urn: str
    type: str
    name: str
    action: str  # create | update | replace | delete
    base: dict | None  # the plan entry on each side (None where it does not exist)
    head: dict | None
    properties: list[PropertyChange] = field(default_factory=list)
    forced_by: list[str] = field(default_factory=list)  # the changed paths that force a replacement

    @property
    def entry(self) -> dict:
        return self.head or self.base or {}


class UnknownType(KeyError):
    """A resource type with no entry in the replace-on-change table: its replacements are unknown."""


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False) if value is not _ABSENT else "(none)"
    return text if len(text) <= 120 else text[:117] + "..."


class _Absent:
    def __repr__(self) -> str:
        return "(none)"


_ABSENT = _Absent()


def _key(path: str, key: str) -> str:
    simple = key.replace("-", "").replace("_", "").isalnum()
    return f"{path}.{key}" if simple and path else (key if simple else f'{path}["{key}"]')


def property_changes(old: Any, new: Any, path: str = "") -> Iterator[PropertyChange]:
    """Leaf differences. A list of plain values changes as a whole (instanceTypes: [a] → [b]);
    lists of objects of equal length are compared item by item."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from property_changes(old.get(key, _ABSENT), new.get(key, _ABSENT), _key(path, key))
    elif (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(v, dict | list) for v in old + new)
    ):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from property_changes(a, b, f"{path}[{i}]")
    elif old != new:
        yield PropertyChange(path, old, new)


def _matches(path: str, pattern: str) -> bool:
    """`vpcConfig.subnetIds` covers `vpcConfig.subnetIds[2]`; `*` matches one segment."""
    parts = path.replace("[", ".[").split(".")
    wanted = pattern.replace("[", ".[").split(".")
    if len(parts) < len(wanted):
        return False
    return all(w == "*" or w == p for w, p in zip(wanted, parts, strict=False))


def forcing(type_: str, changes: list[PropertyChange]) -> list[str]:
    """The changed paths that make Pulumi replace a resource of `type_`."""
    if type_ not in REPLACE_ON_CHANGE:
        raise UnknownType(type_)
    patterns = REPLACE_ON_CHANGE[type_].properties
    return [c.path for c in changes if any(_matches(c.path, p) for p in patterns)]


def diff_plans(base: Mapping[str, Any], head: Mapping[str, Any]) -> list[ResourceChange]:
    """Every resource whose presence or inputs differ, matched by URN. Components (which own no cloud
    resource) appear only when they are created or deleted."""
    old = {r["urn"]: r for r in base.get("resources", [])}
    new = {r["urn"]: r for r in head.get("resources", [])}
    found = []
    for urn in [*new, *(u for u in old if u not in new)]:
        a, b = old.get(urn), new.get(urn)
        entry = b or a
        if a is None or b is None:
            found.append(ResourceChange(urn, entry["type"], entry["name"], "create" if a is None else "delete", a, b))
            continue
        changes = list(property_changes(a.get("inputs", {}), b.get("inputs", {})))
        if not changes:
            continue
        component = _is_component(b)
        forced = [] if component else forcing(b["type"], changes)
        replace_on = set((b.get("options") or {}).get("replaceOnChanges", []))
        forced += [c.path for c in changes if c.path in replace_on and c.path not in forced]
        action = "replace" if forced else "update"
        found.append(ResourceChange(urn, b["type"], b["name"], action, a, b, changes, forced))
    return found


def _is_component(entry: Mapping[str, Any]) -> bool:
    return entry["type"].startswith("eks-platform:index:") or entry["type"] in ("eks:index:Cluster",)


def counts(changes: list[ResourceChange]) -> dict[str, int]:
    """Resources (not components) per action."""
    tally = dict.fromkeys(ACTIONS, 0)
    for change in changes:
        if not _is_component(change.entry):
            tally[change.action] += 1
    return tally
