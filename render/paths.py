"""Input paths as the review names them: `a.b`, `a["dotted.key"]`, `a[0]` — one spelling for the plan's
`reads` (render/reads.py) and the review's changes (review/changes.py), so the two can be matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def child_path(path: str, key: str) -> str:
    """The path of `key` under `path`: `a.b` for a plain key, `a["x.y/z"]` for any other."""
    simple = key.replace("-", "").replace("_", "").isalnum()
    return f"{path}.{key}" if simple and path else (key if simple else f'{path}["{key}"]')


def leaves(value: Any, path: str = "", opaque: Callable[[dict], bool] = lambda _: False) -> Iterator[tuple[str, Any]]:
    """(path, value) of every scalar inside `value` (not booleans, not nulls, nothing inside an
    `opaque` mapping)."""
    if isinstance(value, dict):
        if opaque(value):
            return
        for key, item in value.items():
            yield from leaves(item, child_path(path, key), opaque)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]", opaque)
    elif value is not None and not isinstance(value, bool):
        yield path, value
