"""What changes between two renders of a stack: per resource, create / update / replace / delete, each
changed input as `path: old → new`, and for a replacement the property that forces it.

Both sides are plan.json documents (render/plan.py), so secrets are already masked: a secret whose
value changed looks the same on both sides, and the review says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from render.paths import child_path

from .replace_on_change import REPLACE_ON_CHANGE
from .values import ABSENT, describe

ACTIONS = ("create", "replace", "update", "delete")


@dataclass(frozen=True)
class PropertyChange:
    path: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return describe(self.path, self.old, self.new, _leaf_changes)


@dataclass(frozen=True)
class Cause:
    """An input of a resource that reads an output another change makes new (review/ripple.py)."""

    path: str  # the reading input (its top: `subnetIds`, not `subnetIds[0]`)
    source: str  # URN of the resource whose output it reads
    output: str  # which output (`id`, `latestVersion`); "" for the provider a resource is managed by


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
    causes: list[Cause] = field(default_factory=list)  # inputs made new by another change
    because: str = ""  # the causes as a sentence (review/ripple.py)
    forced_because: str = ""  # the causes of what forces the replacement, as a sentence

    @property
    def entry(self) -> dict:
        return self.head or self.base or {}


class UnknownType(KeyError):
    """A resource type with no entry in the replace-on-change table: its replacements are unknown."""


def property_changes(old: Any, new: Any, path: str = "") -> Iterator[PropertyChange]:
    """Leaf differences. A list of plain values changes as a whole (instanceTypes: [a] → [b]);
    lists of objects of equal length are compared item by item."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from property_changes(old.get(key, ABSENT), new.get(key, ABSENT), child_path(path, key))
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


def _leaf_changes(old: Any, new: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    return ((c.path, c.old, c.new) for c in property_changes(old, new, path))


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


def counterparts(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, dict]:
    """Head URN -> the base entry of the same resource: same URN, or an alias to a URN the head no
    longer has (a resource that moved under a new parent or name is the same to `pulumi up`)."""
    old = {r["urn"]: r for r in base.get("resources", [])}
    new = {r["urn"]: r for r in head.get("resources", [])}
    found = {urn: old[urn] for urn in new if urn in old}
    for urn, r in new.items():
        for alias in (r.get("options") or {}).get("aliases") or ():
            if urn not in found and alias in old and alias not in new:
                found[urn] = old[alias]
    return found


def diff_plans(base: Mapping[str, Any], head: Mapping[str, Any]) -> list[ResourceChange]:
    """Every resource whose presence or inputs differ, matched by URN or by an alias. Components (which
    own no cloud resource) appear only when they are created or deleted."""
    new = {r["urn"]: r for r in head.get("resources", [])}
    pairs = counterparts(base, head)
    matched = {a["urn"] for a in pairs.values()}
    found = []
    for urn, b in new.items():
        a = pairs.get(urn)
        if a is None:
            found.append(ResourceChange(urn, b["type"], b["name"], "create", None, b))
            continue
        changes = applied(list(property_changes(a.get("inputs", {}), b.get("inputs", {}))), b)
        if changes:
            action, forced, refused = judge(b, changes, new)
            found.append(ResourceChange(urn, b["type"], b["name"], action, a, b, changes, forced, refused))
    found += [
        ResourceChange(a["urn"], a["type"], a["name"], "delete", a, None)
        for a in base.get("resources", [])
        if a["urn"] not in matched
    ]
    return found


def applied(changes: list[PropertyChange], entry: Mapping[str, Any]) -> list[PropertyChange]:
    """The changes `pulumi up` applies to the resource (not those its `ignoreChanges` names)."""
    return _ignored(changes, entry.get("options") or {})


def judge(
    entry: Mapping[str, Any], changes: list[PropertyChange], resources: Mapping[str, Mapping[str, Any]]
) -> tuple[str, list[str], list[str]]:
    """(update or replace, the paths that force a replacement, the paths the API server refuses) of a
    resource whose inputs change so; `resources` (URN -> plan entry) holds its provider."""
    forced, refused = [], []
    if not is_component(entry):
        provider = resources.get(entry.get("provider") or "") or {}
        forced, refused = forcing(entry["type"], changes, provider.get("inputs"))
    replace_on = (entry.get("options") or {}).get("replaceOnChanges") or []
    forced += [c.path for c in changes if c.path not in forced and any(_matches(c.path, r) for r in replace_on)]
    return ("replace" if forced else "update"), forced, refused


def is_component(entry: Mapping[str, Any]) -> bool:
    """Ours, or pulumi-eks' (every `eks:index:` type is a component that owns no cloud resource itself)."""
    return entry["type"].startswith(("eks-platform:index:", "eks:index:"))


def counts(changes: list[ResourceChange]) -> dict[str, int]:
    """Resources (not components) per action."""
    tally = dict.fromkeys(ACTIONS, 0)
    for change in changes:
        if not is_component(change.entry):
            tally[change.action] += 1
    return tally
