"""Resource URNs exactly as the Pulumi engine makes them: the one rule for every URN in this codebase
(the program's resources, what pulumi-eks creates inside itself, the aliases that say where a
resource used to live).

    urn:pulumi:<stack>::<project>::<qualified type>::<name>

The qualified type is the parent's *full* qualified type, `$`, then the resource's own type; the root
stack (`pulumi:pulumi:Stack`) is left out, so a top-level resource's qualified type is its own type
(pulumi/pulumi pkg/resource/deploy/deployment.go `generateURN`, sdk/go/common/resource/urn/urn.go
`New`). An alias is resolved by the same rule: its unset name, type or parent are the resource's own,
and a parent that is the root stack (or `no_parent`) means none (pkg/resource/deploy/step_generator.go
`collapseAliasToUrn`, sdk/go/common/resource/alias.go `CreateURN`). Python SDK's mock monitor keeps
only the parent's last type; nothing here does.
"""

from __future__ import annotations

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
_PREFIX = "urn:pulumi:"


def parts(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name). A name may itself contain `::`."""
    if not urn.startswith(_PREFIX):
        raise ValueError(f"not a URN: {urn!r}")
    stack, project, qualified, name = urn.removeprefix(_PREFIX).split("::", 3)
    return stack, project, qualified, name


def resource_urn(stack: str, project: str, type_: str, name: str, parent: str | None = None) -> str:
    """The URN of a resource named `name` of type `type_` whose parent has the URN `parent`."""
    qualified = type_
    if parent:
        parent_type = parts(parent)[2]
        if parent_type != ROOT_STACK_TYPE:
            qualified = f"{parent_type}${type_}"
    return f"{_PREFIX}{stack}::{project}::{qualified}::{name}"


def stack_urn(stack: str, project: str) -> str:
    """The root stack's own URN (the SDK names it `<project>-<stack>`)."""
    return resource_urn(stack, project, ROOT_STACK_TYPE, f"{project}-{stack}")


def child_urn(parent: str, type_: str, name: str) -> str:
    """The URN a child of `parent` gets (same stack and project)."""
    stack, project, _, _ = parts(parent)
    return resource_urn(stack, project, type_, name, parent)


def alias_urn(
    resource_urn_: str,
    resource_parent: str | None,
    *,
    name: str = "",
    type_: str = "",
    parent: str = "",
    no_parent: bool = False,
    stack: str = "",
    project: str = "",
) -> str:
    """The URN an alias spec (`pulumi.Alias(name=, type_=, parent=, stack=, project=)`) of the resource
    `resource_urn_` (whose parent is `resource_parent`) stands for: what `pulumi up` looks for in the
    state. A parent given as a URN keeps its own full qualified type."""
    own_stack, own_project, qualified, own_name = parts(resource_urn_)
    parent = "" if no_parent else (parent or resource_parent or "")
    own_type = qualified.rsplit("$", 1)[-1]
    return resource_urn(stack or own_stack, project or own_project, type_ or own_type, name or own_name, parent or None)
