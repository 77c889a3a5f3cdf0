"""A piece of the stack config through its pydantic model: the typed section, or None, with pydantic's errors
as Problems that name the key path, the bad value and what would be valid (`must be a whole number`, unknown
keys with the known ones and a guess)."""

from __future__ import annotations

import copy
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .problems import Problem, key_path, show, unknown_key_message

_PLAIN_MESSAGES = {
    "missing": "is required",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}


def parse_section(model: type[BaseModel], raw: Any, prefix: list, problems: list[Problem]):
    """The section, or None when it has invalid values. A section whose only problems are unknown
    keys is still returned without them, so the rules that relate its fields report too."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        errors = error.errors()
        # A list whose item is invalid is also reported "too short" by pydantic (the item does not
        # count): the item's own error is the one that says what is wrong.
        items = {tuple(e["loc"][:-1]) for e in errors if e["loc"] and isinstance(e["loc"][-1], int)}
        errors = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in items)]
        problems += [_problem(model, prefix, e) for e in errors]
        if not all(e["type"] == "extra_forbidden" for e in errors):
            return None
        try:
            return model.model_validate(_without(raw, [e["loc"] for e in errors]))
        except ValidationError:
            return None


def _without(raw: Any, locations: list[tuple]) -> Any:
    cleaned = copy.deepcopy(raw)
    for loc in locations:
        holder = cleaned
        for part in loc[:-1]:
            holder = holder[part]
        holder.pop(loc[-1], None)
    return cleaned


def _problem(model: type[BaseModel], prefix: list, error: dict) -> Problem:
    loc = list(error["loc"])
    kind = error["type"]
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc.pop()
    path = key_path(*prefix, *loc)
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return Problem(path, unknown_key_message(str(loc[-1]), _known_keys(model, loc[:-1])))
    if kind in ("syntax", "choice"):
        message = error["msg"]
    elif kind == "greater_than_equal":
        message = f"must be at least {ctx['ge']}"
    elif kind == "greater_than":
        message = f"must be above {ctx['gt']}"
    elif kind == "less_than_equal":
        message = f"must be at most {ctx['le']}"
    elif kind == "too_short":
        message = f"must list at least {ctx['min_length']}"
    else:
        message = _PLAIN_MESSAGES.get(kind, error["msg"])
    if kind == "missing":
        return Problem(path, message)
    return Problem(path, f"{'key ' if is_key else ''}{show(value)} {message}")


def _known_keys(model: type[BaseModel], loc: list) -> list[str]:
    """The config keys of the model found at `loc` inside `model` (for unknown-key hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        current = fields[part].annotation
        while not (isinstance(current, type) and issubclass(current, BaseModel)):
            args = [a for a in typing.get_args(current) if a is not Ellipsis and a is not type(None)]
            current = args[0]
    return [f.alias or n for n, f in current.model_fields.items()]
