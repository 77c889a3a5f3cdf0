"""Which Kubernetes versions Amazon EKS runs, and until when: the one table of the platform.

EKS gives each Kubernetes minor version about 14 months of standard support, then 12 months of
extended support at a higher price (pricing/prices.json), after which EKS upgrades the control plane
itself. A version EKS does not offer (not released there yet, or past extended support) is a config
error; one in extended support, or whose standard support ends soon, is a warning a reviewer sees in
every preview (pricing/support.py says what happens then, with the prices).

"Today" is a parameter so tests do not depend on the calendar; the program reads it from the
clock, or from EKS_PLATFORM_TODAY (YYYY-MM-DD) to render as of another day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

# Source: Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS", release
# calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; awsdocs/amazon-eks-
# user-guide latest/ug/versioning/kubernetes-versions.adoc), read 2026-11-27 for 1.28-1.34. 1.35 and
# 1.36 from the AWS release announcements as recorded by endoflife.date (products/amazon-eks.md);
# 1.37 (upstream 2026-08-26) was not on EKS when read. Update it when EKS releases a version;
# tests/test_versions.py checks the table's shape (ordered, standard before extended support).
#                    version  EKS release         end of standard     end of extended
_CALENDAR = (
    ("1.28", date(2023, 9, 26), date(2024, 11, 26), date(2025, 11, 26)),
    ("1.29", date(2024, 1, 23), date(2025, 3, 23), date(2026, 3, 23)),
    ("1.30", date(2024, 5, 23), date(2025, 7, 23), date(2026, 7, 23)),
    ("1.31", date(2024, 9, 26), date(2025, 11, 26), date(2026, 11, 26)),
    ("1.32", date(2025, 1, 23), date(2026, 3, 23), date(2027, 3, 23)),
    ("1.33", date(2025, 5, 29), date(2026, 7, 29), date(2027, 7, 29)),
    ("1.34", date(2025, 10, 2), date(2026, 12, 2), date(2027, 12, 2)),
    ("1.35", date(2026, 1, 27), date(2027, 3, 27), date(2028, 3, 27)),
    ("1.36", date(2026, 6, 2), date(2027, 8, 2), date(2028, 8, 2)),
)
# The version a stack gets when it names none. A constant, changed on purpose in a reviewed commit:
# a default that followed the calendar would upgrade clusters nobody asked to upgrade.
DEFAULT_VERSION = "1.35"
# A reviewer hears about the end of standard support this many days ahead.
WARN_DAYS_BEFORE_END = 60
TODAY_VARIABLE = "EKS_PLATFORM_TODAY"

_VERSION = re.compile(r"^1\.(\d{1,2})$")


@dataclass(frozen=True)
class EksVersion:
    version: str
    released: date
    end_of_standard: date
    end_of_extended: date


EKS_VERSIONS: Mapping[str, EksVersion] = {v: EksVersion(v, *dates) for v, *dates in _CALENDAR}


def minor(version: str) -> int:
    """1.35 -> 35 (the versions compare by their minor number)."""
    return int(version.split(".")[1])


def version_syntax_error(version: str) -> str | None:
    if not _VERSION.match(version):
        return 'is not a Kubernetes minor version like "1.35"'
    return None


def offered(today: date) -> list[str]:
    """The versions EKS offers on `today` (standard or extended support)."""
    return [v.version for v in EKS_VERSIONS.values() if v.released <= today <= v.end_of_extended]


def version_error(version: str, today: date) -> str | None:
    """Why EKS would refuse `version` on `today`, or None."""
    known = EKS_VERSIONS.get(version)
    choices = ", ".join(offered(today))
    if known is None or today < known.released:
        return f'"{version}" is not offered by EKS (as of {today}); use one of {choices}'
    if today > known.end_of_extended:
        return (
            f'"{version}" is past the end of EKS extended support ({known.end_of_extended}); EKS no longer '
            f"runs it; use one of {choices}"
        )
    return None


def today_from(environment: Mapping[str, str]) -> date:
    """EKS_PLATFORM_TODAY when set (renders as of another day, golden files), else the clock."""
    text = environment.get(TODAY_VARIABLE)
    return date.fromisoformat(text) if text else date.today()


def today() -> date:
    return today_from(os.environ)
