"""The building blocks every config section is made of: the base section (camelCase keys, unknown
keys refused, immutable), validators built from `syntax` checks and enums, and the field types
several sections share. One definition each: the sections import them from here.
"""

from __future__ import annotations

import os
from typing import Annotated

# Validation of a stack config must not depend on whichever pydantic plugins happen to be
# installed (it also spares scanning every installed package's entry points on each run).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from . import syntax

TAINT_EFFECTS = {
    "NoSchedule": "NO_SCHEDULE",
    "PreferNoSchedule": "PREFER_NO_SCHEDULE",
    "NoExecute": "NO_EXECUTE",
}


class Section(BaseModel):
    """A config section or item: keys as users write them (camelCase), unknown keys refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


def checked(check):
    """Turn a `syntax` check (None or a reason) into a pydantic validator."""

    def validate(value):
        reason = check(value)
        if reason:
            raise PydanticCustomError("syntax", reason)
        return value

    return AfterValidator(validate)


def one_of(allowed, *, accept: dict | None = None):
    """An enum that names every valid value, and maps alternative spellings."""
    accept = accept or {}

    def validate(value):
        if value in accept:
            return accept[value]
        if value not in allowed:
            choices = ", ".join(f'"{a}"' for a in allowed)
            raise PydanticCustomError("choice", "must be one of {choices}", {"choices": choices})
        return value

    return AfterValidator(validate)


# A label key a selector or affinity may name: any qualified name, `kubernetes.io/` ones included.
SelectorKey = Annotated[str, checked(syntax.qualified_name_error)]
# A label a node group puts on its nodes: `kubernetes.io/` and `k8s.io/` are the kubelet's, refused.
NodeLabelKey = Annotated[str, checked(syntax.label_key_error)]
LabelValue = Annotated[str, checked(syntax.label_value_error)]
TaintEffect = Annotated[str, one_of(tuple(TAINT_EFFECTS), accept={v: k for k, v in TAINT_EFFECTS.items()})]
DnsLabel = Annotated[str, checked(syntax.dns_label_error)]
