"""How a changed input reads in a review: the change itself, never a value cut off at some width.

A short value reads `path: old → new`. A list shows the elements added, removed and changed (a taint
added to a node group is one `+` line); elements that are objects are matched by their identity key
(name, key, ...) when they have one. A document inside a string shows its changed lines (YAML such as
aws-auth's mapRoles) or its changed fields (JSON such as an IAM policy). The lines start with `+`, `-`
or `~`, so the PR comment's ```diff block colours them.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from typing import Any

# A value longer than this (as JSON) is shown as what changed inside it, not as a whole.
INLINE = 80
# Keys that name an element of a list of objects: two elements with the same one are the same thing.
IDENTITY_KEYS = ("name", "key", "rolearn", "userarn", "deviceName", "resourceType", "Sid", "containerPort")


class Absent:
    """A side on which the property does not exist."""

    def __repr__(self) -> str:
        return "(none)"


ABSENT = Absent()


class Unknown:
    """A value the engine knows only once another resource has been created or updated."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self) -> str:
        return f"(known after {self.why})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.why == self.why

    def __hash__(self) -> int:
        return hash(self.why)


def text(value: Any) -> str:
    if isinstance(value, Absent | Unknown):
        return repr(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _document(value: Any) -> Any:
    """A JSON object or array inside a string, parsed (None when it is not one)."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return None


def _multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value.rstrip("\n")


def _identity(items: list) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in IDENTITY_KEYS:
        values = [i.get(key) for i in items]
        if all(v is not None for v in values) and len(set(map(text, values))) == len(values):
            return key
    return None


def list_delta(old: list, new: list, nested: Callable[[Any, Any, str], Iterator[str]]) -> Iterator[str]:
    """`+ element`, `- element`, and `~ identity:` with what changed inside it."""
    key = _identity(old) if _identity(old) == _identity(new) else None
    if key:
        before, after = {text(i[key]): i for i in old}, {text(i[key]): i for i in new}
        for name, item in before.items():
            if name not in after:
                yield f"- {text(item)}"
            elif after[name] != item:
                yield f"~ {key} {name}:"
                yield from (f"    {line}" for line in nested(item, after[name], ""))
        yield from (f"+ {text(item)}" for name, item in after.items() if name not in before)
        return
    a, b = [text(i) for i in old], [text(i) for i in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1 and all(isinstance(i, dict) for i in old[i1:i2] + new[j1:j2]):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                yield f"~ [{i}]:"
                yield from (f"    {line}" for line in nested(old[i], new[j], ""))
            continue
        if op in ("delete", "replace"):
            yield from (f"- {x}" for x in a[i1:i2])
        if op in ("insert", "replace"):
            yield from (f"+ {x}" for x in b[j1:j2])


def lines(old: Any, new: Any, leaf_changes: Callable[[Any, Any, str], Iterator[tuple[str, Any, Any]]]) -> list[str]:
    """The lines under a changed property (empty: it reads on one line as `old → new`)."""

    def nested(a: Any, b: Any, path: str) -> Iterator[str]:
        for sub, x, y in leaf_changes(a, b, path):
            shown = describe(sub or "(whole)", x, y, leaf_changes)
            yield from shown.splitlines()

    if _multiline(old) or _multiline(new):
        before = old.splitlines() if isinstance(old, str) else []
        after = new.splitlines() if isinstance(new, str) else []
        return [
            line
            for line in difflib.unified_diff(before, after, lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))
        ]
    if len(text(old)) + len(text(new)) <= INLINE:
        return []
    a, b = _document(old), _document(new)
    if a is not None and b is not None:
        return list(nested(a, b, ""))
    if isinstance(old, list) and isinstance(new, list):
        return list(list_delta(old, new, nested))
    if isinstance(old, Absent) and isinstance(new, dict | list):
        return [f"+ {k}: {text(v)}" for k, v in new.items()] if isinstance(new, dict) else [f"+ {text(v)}" for v in new]
    if isinstance(new, Absent) and isinstance(old, dict | list):
        return [f"- {k}: {text(v)}" for k, v in old.items()] if isinstance(old, dict) else [f"- {text(v)}" for v in old]
    return []


def _summary(detail: list[str]) -> str:
    added = sum(1 for line in detail if line.startswith("+ "))
    removed = sum(1 for line in detail if line.startswith("- "))
    changed = sum(1 for line in detail if line.startswith("~ "))
    parts = [f"{n} {what}" for n, what in ((added, "added"), (removed, "removed"), (changed, "changed")) if n]
    return ", ".join(parts)


def describe(path: str, old: Any, new: Any, leaf_changes) -> str:
    """`path: old → new`, or `path: what changed` with a line per element or field."""
    detail = lines(old, new, leaf_changes)
    if not detail:
        return f"{path}: {text(old)} → {text(new)}"
    elements = isinstance(old, list | Absent) and isinstance(new, list | Absent)
    head = f"{path}: {_summary(detail)}" if elements else f"{path}:"
    return head + "\n" + "\n".join(f"    {line}" for line in detail)
