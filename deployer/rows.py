"""What one row of the permission table says, and how a plan's types find their rows.

A row names the IAM actions the AWS provider (terraform-provider-aws under pulumi-aws) calls for
one resource type, by lifecycle. Its `creates` is the IAM resource type (policy_sentry's
"service:resource") its create call makes: that type's ARNs may carry the stack's tag condition.
Calls on other kinds of resources (PassRole, KMS grants, service-linked roles) are `extras`, each
built by a function of deployer/extras.py that knows which ARNs and condition keys they need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .scope import Scope

LIFECYCLES = ("create", "read", "update", "delete", "tag")


@dataclass(frozen=True)
class Grant:
    """Some actions on some ARNs, under one condition (None: unconditional)."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: Mapping[str, Mapping[str, Any]] | None = None


Builder = Callable[["Scope", Sequence[Mapping[str, Any]]], list[Grant]]


@dataclass(frozen=True)
class Extra:
    """Calls on another kind of resource that one lifecycle step of a type makes."""

    lifecycle: str
    actions: tuple[str, ...]
    build: Builder  # (scope, the plan's resources of this type) -> grants
    why: str


@dataclass(frozen=True)
class Row:
    type: str
    source: str
    creates: str | None = None
    create: tuple[str, ...] = ()
    read: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    extras: tuple[Extra, ...] = ()
    note: str = ""

    def actions(self, lifecycle: str) -> tuple[str, ...]:
        """The row's own actions of one lifecycle step, then its extras' for that step."""
        own = getattr(self, lifecycle)
        return own + tuple(a for e in self.extras if e.lifecycle == lifecycle for a in e.actions)

    def all_actions(self) -> set[str]:
        return {a for lifecycle in LIFECYCLES for a in self.actions(lifecycle)}


@dataclass(frozen=True)
class PrefixRow:
    """Every type whose token starts with `prefix`: none of them calls AWS through its own provider."""

    prefix: str
    why: str
    read: tuple[str, ...] = ()  # what the deployer needs for them anyway (e.g. eks:DescribeCluster)
    source: str = ""


def listed(value: Any) -> list[Any]:
    """A policy element (Action, Resource) or an input that may be one value or a list, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class MissingRows(Exception):
    """The plan has resource types no row describes: the policy would silently lack their actions."""

    def __init__(self, types: Iterable[str]):
        self.types = sorted(types)
        super().__init__(
            "no permission row for "
            + ", ".join(self.types)
            + ": add one to deployer/rows_*.py with the IAM actions the provider calls for it"
        )


def find_rows(
    types: Iterable[str], rows: Mapping[str, Row], prefixes: Sequence[PrefixRow]
) -> tuple[dict[str, Row], dict[str, PrefixRow]]:
    """Each type's row (exact token first, then a prefix row); every type without one is an error."""
    exact: dict[str, Row] = {}
    by_prefix: dict[str, PrefixRow] = {}
    missing = []
    for token in types:
        if token in rows:
            exact[token] = rows[token]
        elif prefix := next((p for p in prefixes if token.startswith(p.prefix)), None):
            by_prefix[token] = prefix
        else:
            missing.append(token)
    if missing:
        raise MissingRows(missing)
    return exact, by_prefix
