"""What a run of the mock engine records: every resource the program registers (with what the stock mock
engine drops: parent, provider, dependencies, options, which values are secret), the invokes it makes and
its outputs — the records tests assert on and the render writes out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import rpc

from .stack_config import StackConfig


class Secret:
    """A value the program marked secret. Compare and read `.value` in tests; render masks it."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return "Secret([secret])"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.value == self.value

    def __hash__(self) -> int:
        return hash(repr(self.value))


def reveal(value: Any) -> Any:
    """The value with Secret markers removed (for assertions on what a secret holds)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def mark_secrets(value: Any) -> Any:
    """A deserialized value with the engine's secret markers as Secret (and whole numbers as ints)."""
    if rpc.is_rpc_secret(value):
        return Secret(mark_secrets(rpc.unwrap_rpc_secret(value)))
    if isinstance(value, dict):
        return {k: mark_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mark_secrets(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf numbers are doubles; the program passed ints
    return value


@dataclass
class Resource:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None
    dependencies: list[str]
    inputs: dict[str, Any]
    options: dict[str, Any]
    remote: bool = False
    outputs: dict[str, Any] = field(default_factory=dict)
    # Top-level input property -> the URNs its value was computed from (the engine's
    # propertyDependencies): which inputs read another resource's outputs.
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    # Set for what a multi-language component creates inside itself (runner/pulumi_eks.py):
    # not registered by the program, but created by `pulumi up` all the same.
    created_by: str | None = None
    # The provider plugin version the SDK asks the engine to load for it ("" for a component).
    plugin_version: str = ""
    # The properties exactly as the engine receives them (protobuf Struct: unknowns as the
    # UNKNOWN sentinel, secrets as secret markers): what an analyzer is sent.
    wire: Any = None


@dataclass
class Invoke:
    token: str
    args: dict[str, Any]
    plugin_version: str = ""


@dataclass
class RunResult:
    project: str
    stack: str
    resources: list[Resource]
    outputs: dict[str, Any]
    invokes: list[Invoke]
    warnings: list[str]
    config: StackConfig | None = None  # what the program ran with

    def of_type(self, type_token: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> Resource:
        found = [r for r in self.of_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} {name or ''}, found {[r.name for r in found]}")
        return found[0]

    def children(self, parent: Resource) -> list[Resource]:
        return [r for r in self.resources if r.parent == parent.urn]


class ProgramError(Exception):
    """The program failed. `user_error` is True for a configuration mistake (pulumi.RunError)."""

    def __init__(self, message: str, user_error: bool, resources: list[Resource]):
        super().__init__(message)
        self.message = message
        self.user_error = user_error
        self.resources = resources


def children_map(resources: Sequence[Resource]) -> dict[str | None, list[Resource]]:
    """Parent URN -> children (None: top level), components first, then by type and name."""
    known = {r.urn for r in resources}
    children: dict[str | None, list[Resource]] = {}
    for r in resources:
        children.setdefault(r.parent if r.parent in known else None, []).append(r)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r.custom, r.type, r.name))
    return children


def tree_order(resources: Sequence[Resource]) -> Iterator[tuple[int, Resource]]:
    """(depth, resource), depth-first; top-level resources have depth 0. Siblings differ in type or name (a
    URN is made of them), so the order is the same whatever order the resources were registered in."""
    children = children_map(resources)

    def walk(parent: str | None, depth: int) -> Iterator[tuple[int, Resource]]:
        for r in children.get(parent, []):
            yield depth, r
            yield from walk(r.urn, depth + 1)

    return walk(None, 0)
