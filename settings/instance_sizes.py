"""Which sizes each instance family of the instance table comes in: a size the family does not offer
(`m5.3xlarge`: m5 jumps from 2xlarge to 4xlarge) is a config error with the nearest sizes it does
offer; a family the table does not hold is only a warning, AWS may still know it.

The sizes of a family are the catalog's (settings/instance_catalog.py) plus its bare-metal sizes,
which the catalog leaves out. Source, read 2026-12-06: EC2 DescribeInstanceTypes as recorded by
getmoto/moto moto/ec2/resources/instance_types.json @ 34d6cad5abbb7b91c97578f3249b39a7e2df1ed5
(2026-08-02): for each of the catalog's families its non-metal sizes there are exactly the
catalog's, and its metal sizes are these. They match the "Amazon EC2 instance types"
specifications pages (https://docs.aws.amazon.com/ec2/latest/instancetypes/).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from .instance_catalog import CATALOG

# family -> its bare-metal sizes (families not listed have none).
METAL_SIZES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        **dict.fromkeys(("c5", "c6a", "c6g", "c6i", "c7g", "g4dn", "m5", "m6a", "m6g", "m6i", "m7g"), ("metal",)),
        **dict.fromkeys(("r5", "r6a", "r6g", "r6i", "r7g"), ("metal",)),
        **dict.fromkeys(("c7a", "m7a", "r7a"), ("metal-48xl",)),
        **dict.fromkeys(("c7i", "c8g", "m7i", "m8g", "r7i", "r8g"), ("metal-24xl", "metal-48xl")),
    }
)


def _sizes() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for name in CATALOG:
        family, size = name.split(".", 1)
        found.setdefault(family, []).append(size)
    return {family: tuple(sizes) + METAL_SIZES.get(family, ()) for family, sizes in found.items()}


# family -> every size it comes in, smallest first.
SIZES: Mapping[str, tuple[str, ...]] = MappingProxyType(_sizes())

_NAMED = {"nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8}


def _rank(size: str) -> float:
    """Sizes in order: nano < ... < large < xlarge < 2xlarge < ... < metal-24xl < metal-48xl; a bare
    `metal` is the family's whole host, ranked above every size."""
    if size in _NAMED:
        return _NAMED[size]
    if match := re.fullmatch(r"(\d+)xlarge", size):
        return 8 * int(match[1])
    if match := re.fullmatch(r"metal-(\d+)xl", size):
        return 8 * int(match[1]) + 0.5
    return 1e9


def size_error(instance_type: str) -> str | None:
    """Why a type of a family the table knows does not exist (None: it exists, or the family is unknown)."""
    family, _, size = instance_type.partition(".")
    sizes = SIZES.get(family)
    if sizes is None or size in sizes:
        return None
    below = [s for s in sizes if _rank(s) < _rank(size)]
    above = [s for s in sizes if _rank(s) > _rank(size)]
    nearest = [f"{family}.{s}" for s in (below[-1:] + above[:1])]
    return f"is not a size {family} comes in; did you mean {' or '.join(nearest)}? {family} sizes: {', '.join(sizes)}"


def known_family(instance_type: str) -> bool:
    return instance_type.partition(".")[0] in SIZES
