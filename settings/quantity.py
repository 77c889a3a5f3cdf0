"""Kubernetes resource quantities ("250m", "1.5", "512Mi", "2G") as numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"^(?P<number>[0-9]+(\.[0-9]+)?|\.[0-9]+)(?P<suffix>[a-zA-Z]*)$")
_SUFFIXES = {
    "": Decimal(1),
    "m": Decimal("0.001"),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "Ki": Decimal(2) ** 10,
    "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40,
}


def parse_quantity(text: str) -> Decimal:
    """The quantity in base units (cores for CPU, bytes for memory); ValueError if malformed."""
    match = _QUANTITY.match(str(text))
    if not match or match["suffix"] not in _SUFFIXES:
        raise ValueError(text)
    try:
        return Decimal(match["number"]) * _SUFFIXES[match["suffix"]]
    except InvalidOperation as e:
        raise ValueError(text) from e


def quantity_error(text: str) -> str | None:
    try:
        parse_quantity(text)
    except ValueError:
        return "is not a Kubernetes quantity like 250m, 1, 512Mi or 2Gi"
    return None
