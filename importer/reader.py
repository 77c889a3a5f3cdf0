"""Reading one mapping of an eksctl file defensively: typed reads that report a wrong type as a
problem at its eksctl path (never an exception), and the fields nobody read, left behind with
their reason.

eksctl parses strictly (a string where a number belongs is an error), so a wrong type here is a
problem of the file, not something to guess around.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from settings.problems import closest, show

from .outcome import Outcome, join
from .refusals import UNKNOWN, Refusal


class Fields:
    """The mapping at `path`. Every read marks its key as handled, present or not."""

    def __init__(self, value: Any, path: str, outcome: Outcome):
        self.path = path
        self.outcome = outcome
        self.handled: set[str] = set()
        self.is_mapping = value is None or isinstance(value, dict)
        if value is None:
            value = {}
        elif not isinstance(value, dict):
            outcome.problem(path, f"{show(value)} must be a mapping of fields")
            value = {}
        self.value: dict = value

    def at(self, key: str | int) -> str:
        return join(self.path, key)

    def raw(self, key: str) -> Any:
        self.handled.add(key)
        return self.value.get(key)

    def _typed(self, key: str, kind: type | tuple[type, ...], need: str) -> Any:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind)):
            return value
        self.outcome.problem(self.at(key), f"{show(value)} {need}")
        return None

    def string(self, key: str) -> str | None:
        value = self.raw(key)
        if isinstance(value, float):
            self.outcome.problem(
                self.at(key), f"{show(value)} must be a string; quote it (YAML reads 1.30 as the number 1.3)"
            )
            return None
        return self._typed(key, str, "must be a string")

    def boolean(self, key: str) -> bool | None:
        return self._typed(key, bool, "must be true or false")

    def integer(self, key: str) -> int | None:
        return self._typed(key, int, "must be a whole number")

    def strings(self, key: str) -> list[str] | None:
        items = self._typed(key, list, "must be a list of strings")
        if items is None:
            return None
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.outcome.problem(join(self.at(key), i), f"{show(item)} must be a string")
        return [item for item in items if isinstance(item, str)]

    def string_map(self, key: str) -> dict[str, str] | None:
        mapping = self._typed(key, dict, "must be a mapping of strings to strings")
        if mapping is None:
            return None
        result = {}
        for name, value in mapping.items():
            if not isinstance(name, str) or not isinstance(value, str):
                bad = name if not isinstance(name, str) else value
                self.outcome.problem(join(self.at(key), str(name)), f"{show(bad)} must be a string; quote it")
            else:
                result[name] = value
        return result

    def fields(self, key: str) -> Fields:
        return Fields(self.raw(key), self.at(key), self.outcome)

    def each(self, key: str) -> list[Fields]:
        """A list of mappings (managedNodeGroups, accessEntries, ...), each read as Fields."""
        items = self._typed(key, list, "must be a list")
        return [Fields(item, join(self.at(key), i), self.outcome) for i, item in enumerate(items or [])]

    def name_of(self, key: str = "name") -> str:
        """A list item's name for messages (`"ng-1"`), without marking it handled."""
        name = self.value.get(key)
        return f' "{name}"' if isinstance(name, str) else ""

    def leave_behind(self, refusals: Mapping[str, Refusal]) -> None:
        """Report every field no mapping read: its refusal, or unknown to this importer."""
        known = self.handled | set(refusals)
        for key, value in self.value.items():
            if key in self.handled:
                continue
            refusal = refusals.get(key)
            if refusal is None:
                guess = closest(str(key), known)
                hint = f"; did you mean {guess}?" if guess else ""
                self.outcome.leave(self.at(str(key)), UNKNOWN, f"not a field this importer knows{hint}")
            elif refusal.harmless(value):
                continue
            elif refusal.note:
                self.outcome.note(self.at(key), refusal.reason)
            else:
                self.outcome.leave(self.at(key), refusal.group, refusal.reason)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
