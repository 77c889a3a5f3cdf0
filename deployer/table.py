"""The permission table: every row, by the type token it describes (one row per type)."""

from __future__ import annotations

from .rows import Row
from .rows_ec2 import EC2_ROWS
from .rows_eks import EKS_ROWS
from .rows_iam import IAM_ROWS
from .rows_other import OTHER_ROWS, PREFIX_ROWS


def _by_type(*groups: tuple[Row, ...]) -> dict[str, Row]:
    table: dict[str, Row] = {}
    for row in (r for group in groups for r in group):
        if row.type in table:
            raise ValueError(f"two permission rows for {row.type}")
        table[row.type] = row
    return table


ROWS = _by_type(EC2_ROWS, EKS_ROWS, IAM_ROWS, OTHER_ROWS)
PREFIXES = PREFIX_ROWS
