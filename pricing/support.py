"""Is a cluster billed at the standard or the extended support price on a given day?

EKS bills the extended support surcharge while a cluster runs a Kubernetes version past the end of
its standard support; with `upgradePolicy.supportType: STANDARD` EKS upgrades the cluster at that
date instead, so it never pays extended support. EKS's default support type is EXTENDED (EKS API
reference, UpgradePolicyRequest). The version calendar is settings/versions.py, the platform's one
table of it; it is read by file when the `settings` package cannot be imported (the CrossGuard pack's
venv has no pydantic).
"""

from __future__ import annotations

import importlib.util
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType

VERSIONS_FILE = Path(__file__).resolve().parent.parent / "settings" / "versions.py"


@cache
def _versions() -> ModuleType:
    try:
        from settings import versions

        return versions
    except ImportError:
        spec = importlib.util.spec_from_file_location("eks_platform_versions", VERSIONS_FILE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def support_of(version: str, support_type: str, today: date) -> str:
    """ "extended" when `version` is past its end of standard support on `today` and the cluster's
    support type lets it stay there; "standard" otherwise (also for a version the calendar lacks)."""
    known = _versions().EKS_VERSIONS.get(version)
    if known is None or support_type.upper() == "STANDARD":
        return "standard"
    return "extended" if today > known.end_of_standard else "standard"


def today() -> date:
    """The day the render is "as of" (EKS_PLATFORM_TODAY, else the clock): settings/versions.py's rule."""
    return _versions().today()
