"""The import's report, in the order a reviewer reads it: what was left behind (grouped, each
with its eksctl path and reason), notes, and problems with both paths.
"""

from __future__ import annotations

from collections.abc import Iterable

from .outcome import LeftBehind, Outcome
from .refusals import GROUPS


def left_behind_lines(items: Iterable[LeftBehind], indent: str = "") -> list[str]:
    items = list(items)
    if not items:
        return []
    noun = "field" if len(items) == 1 else "fields"
    lines = [f"{indent}Not carried over ({len(items)} {noun}; --strict refuses the import because of them):"]
    for group in GROUPS:
        in_group = [item for item in items if item.group == group]
        if in_group:
            lines.append(f"{indent}  {group}:")
            lines += [f"{indent}    - {item.path}: {item.reason}" for item in in_group]
    return lines


def note_lines(outcome: Outcome, indent: str = "") -> list[str]:
    if not outcome.notes:
        return []
    return [f"{indent}Notes:"] + [f"{indent}  - {note.path}: {note.text}" for note in outcome.notes]


def problem_lines(title: str, problems: Iterable[object]) -> list[str]:
    problems = list(problems)
    return [title] + [f"  - {problem}" for problem in problems]
