"""What changes between two renders of a stack: per resource, create / update / replace / delete, each
changed input as `path: old → new`, and for a replacement the property that forces it.

Both sides are plan.json documents (render/plan.py), so secrets are already masked: a secret whose
value changed looks the same on both sides, and the review says so instead of guessing.
"""

from __future__ import annotations

import difflib
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
        if _multiline(self.old) or _multiline(self.new):
            # A document in a string (aws-auth's mapRoles, a config file): its changed lines.
            old = self.old.splitlines() if isinstance(self.old, str) else []
            new = self.new.splitlines() if isinstance(self.new, str) else []
            lines = [
                line
                for line in difflib.unified_diff(old, new, lineterm="", n=0)
                if not line.startswith(("---", "+++", "@@"))
            ]
            return f"{self.path}:\n" + "\n".join(f"    {line}" for line in lines)
        return f"{self.path}: {_short(self.old)} → {_short(self.new)}"


def _multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value.rstrip("\n")


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
    refused: list[str] = field(default_factory=list)  # changed paths the Kubernetes API server refuses

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


def _segments(path: str) -> list[str]:
    return path.replace("[", ".[").split(".")


def _matches(path: str, pattern: str) -> bool:
    """`vpcConfig.subnetIds` covers `vpcConfig.subnetIds[2]`; `*` matches one segment. A change
    reported higher up (a whole list of containers) covers the fields inside it too."""
    parts, wanted = _segments(path), _segments(pattern)
    return all(w in ("*", "[*]") or w == p for w, p in zip(wanted, parts, strict=False))


# Kubernetes ConfigMaps and Secrets update in place only when their provider allows it.
_MUTABLE = {
    "kubernetes:core/v1:ConfigMap": ("enableConfigMapMutable", ("data", "binaryData")),
    "kubernetes:core/v1:Secret": ("enableSecretMutable", ("data", "stringData")),
}


def forcing(
    type_: str, changes: list[PropertyChange], provider: Mapping[str, Any] | None = None
) -> tuple[list[str], list[str]]:
    """(changed paths that make Pulumi replace a resource of `type_`, paths the API server refuses).
    A path the table marks conditional counts as a replacement: a reviewer should look."""
    if type_ not in REPLACE_ON_CHANGE:
        raise UnknownType(type_)
    entry = REPLACE_ON_CHANGE[type_]
    patterns = entry.properties + entry.conditional
    if type_ in _MUTABLE and (provider or {}).get(_MUTABLE[type_][0]) is True:
        patterns = tuple(p for p in patterns if p not in _MUTABLE[type_][1])
    forced = [c.path for c in changes if any(_matches(c.path, p) for p in patterns)]
    refused = [c.path for c in changes if any(_matches(c.path, p) for p in entry.refused)]
    return forced, refused


def _ignored(changes: list[PropertyChange], options: Mapping[str, Any]) -> list[PropertyChange]:
    """What `ignoreChanges` keeps Pulumi from applying is not a change."""
    ignored = options.get("ignoreChanges") or []
    return [
        c
        for c in changes
        if not any(_matches(c.path, i) and len(_segments(c.path)) >= len(_segments(i)) for i in ignored)
    ]


def diff_plans(base: Mapping[str, Any], head: Mapping[str, Any]) -> list[ResourceChange]:
    """Every resource whose presence or inputs differ, matched by URN or by an alias. Components (which
    own no cloud resource) appear only when they are created or deleted."""
    old = {r["urn"]: r for r in base.get("resources", [])}
    new = {r["urn"]: r for r in head.get("resources", [])}
    # A resource that moved (a new parent or name) with an alias to its old URN is the same
    # resource to `pulumi up`: compared with what it was, not created beside a deleted twin.
    moved = {
        alias: urn
        for urn, r in new.items()
        for alias in (r.get("options") or {}).get("aliases") or ()
        if alias in old and alias not in new
    }
    was = {urn: alias for alias, urn in moved.items()}
    found = []
    for urn in [*new, *(u for u in old if u not in new and u not in moved)]:
        a, b = old.get(was.get(urn, urn)), new.get(urn)
        entry = b or a
        if a is None or b is None:
            found.append(ResourceChange(urn, entry["type"], entry["name"], "create" if a is None else "delete", a, b))
            continue
        options = b.get("options") or {}
        changes = _ignored(list(property_changes(a.get("inputs", {}), b.get("inputs", {}))), options)
        if not changes:
            continue
        forced, refused = [], []
        if not _is_component(b):
            forced, refused = forcing(b["type"], changes, (new.get(b.get("provider") or "") or {}).get("inputs"))
        replace_on = options.get("replaceOnChanges") or []
        forced += [c.path for c in changes if c.path not in forced and any(_matches(c.path, r) for r in replace_on)]
        action = "replace" if forced else "update"
        found.append(ResourceChange(urn, b["type"], b["name"], action, a, b, changes, forced, refused))
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
