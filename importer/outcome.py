"""What one import produced: the stack config, where each of its keys came from in the eksctl
file, what was left behind (and why), notes, and the problems of the eksctl file itself.

Origins let a settings problem on a stack key (`eks-platform:nodeGroups[0].diskSize`) be shown
next to the eksctl field the user wrote (`managedNodeGroups[0].volumeSize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def join(path: str, key: str | int) -> str:
    """`join("managedNodeGroups", 0)` -> `managedNodeGroups[0]`; keys with dots are quoted."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if not _PLAIN_KEY.match(text):
        return f'{path}["{text}"]'
    return f"{path}.{text}" if path else text


@dataclass(frozen=True)
class LeftBehind:
    """An eksctl field the stack does not carry: `--strict` refuses the import because of it."""

    path: str
    group: str
    reason: str


@dataclass(frozen=True)
class Note:
    """Something a reviewer should know: carried with a difference, or done by the platform anyway."""

    path: str
    text: str


@dataclass(frozen=True)
class InputProblem:
    """The eksctl file itself is wrong here (eksctl would refuse it too): nothing is written."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Origin:
    eksctl_path: str
    # The eksctl field has the stack key's shape, so a problem deeper in the stack key
    # (`labels["a/b"]`, `taints[1].effect`) is as deep in the eksctl field.
    same_shape: bool = True


@dataclass
class Outcome:
    config: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    left_behind: list[LeftBehind] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def trace(self, stack_path: str, eksctl_path: str, same_shape: bool = True) -> None:
        self.origins[stack_path] = Origin(eksctl_path, same_shape)

    def leave(self, path: str, group: str, reason: str) -> None:
        self.left_behind.append(LeftBehind(path, group, reason))

    def note(self, path: str, text: str) -> None:
        self.notes.append(Note(path, text))

    def problem(self, path: str, message: str) -> None:
        self.problems.append(InputProblem(path or "(the document)", message))

    def eksctl_path_of(self, stack_path: str) -> str | None:
        """The eksctl field a stack key came from: the longest traced prefix of `stack_path`."""
        matches = [
            traced
            for traced in self.origins
            if stack_path == traced or (stack_path.startswith(traced) and stack_path[len(traced)] in ".[")
        ]
        best = max(matches, key=len, default=None)
        if best is None:
            return None
        origin, rest = self.origins[best], stack_path[len(best) :]
        return origin.eksctl_path + rest if origin.same_shape else origin.eksctl_path
