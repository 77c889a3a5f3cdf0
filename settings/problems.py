"""Problems found in a stack configuration, and the one error that reports them all.

Every problem names the full config key path (`eks-platform:nodeGroups[0].minSize`), so a
user can find the line in `Pulumi.<stack>.yaml` without reading our code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NAMESPACE = "eks-platform"

PathPart = str | int


def key_path(*parts: PathPart) -> str:
    """`key_path("nodeGroups", 0, "minSize")` -> `eks-platform:nodeGroups[0].minSize`.

    A first part that already has a namespace (`aws:region`) is kept as it is.
    """
    head, *rest = parts
    text = head if isinstance(head, str) and ":" in head else f"{NAMESPACE}:{head}"
    for part in rest:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("-", "").replace("_", "").isalnum():
            text += f".{part}"
        else:
            # Keys such as label names contain dots and slashes: quote them like
            # `pulumi config set --path 'labels["team.io/x"]'` does.
            text += f'["{part}"]'
    return text


def show(value: object) -> str:
    """A config value as the user wrote it, short enough for one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = f'"{value}"'
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The known key a typo most likely meant (`minSzie` -> `minSize`)."""
    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def unknown_key_message(key: str, known: Iterable[str]) -> str:
    known = sorted(known)
    guess = closest(key, known)
    hint = f"did you mean '{guess}'? " if guess else ""
    return f"unknown key; {hint}known keys: {', '.join(known)}"


def unknown_stack_message(stack: str, known: Iterable[str]) -> str:
    """`make render STACK=stagng`: the stacks there are, and the one most likely meant."""
    known = sorted(known)
    guess = closest(stack, known)
    hint = f"; did you mean '{guess}'?" if guess else ""
    return f"there is no stack {stack!r}: no Pulumi.{stack}.yaml{hint} (stacks: {', '.join(known) or 'none'})"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SettingsError(Exception):
    """Every problem in a stack configuration, reported together, before anything is created."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in the stack configuration (nothing was created):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
