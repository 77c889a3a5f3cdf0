"""The support policy and its cost: is a cluster billed at the standard or the extended support price on
a given day, and what happens to it when its version's standard support ends (the lifecycle line the
render prints, the warning a preview logs, the review's note).

EKS bills the extended support surcharge while a cluster runs a Kubernetes version past the end of
its standard support; with `upgradePolicy.supportType: STANDARD` EKS upgrades the cluster at that
date instead, so it never pays extended support. EKS's default support type is EXTENDED (EKS API
reference, UpgradePolicyRequest; Amazon EKS User Guide, view-upgrade-policy.adoc: "Extended support is
enabled by default", and a cluster on STANDARD "will automatically upgrade to the next supported Kubernetes
version"). The version calendar is settings/versions.py, the platform's one table of it; it is read by file
when the `settings` package cannot be imported (the CrossGuard pack's venv has no pydantic).
"""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType

from .table import HOURS_PER_MONTH, PriceTable

VERSIONS_FILE = Path(__file__).resolve().parent.parent / "settings" / "versions.py"
EKS_DEFAULT_SUPPORT_TYPE = "EXTENDED"


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


def support_of(version: str, support_type: str | None, today: date) -> str:
    """ "extended" when `version` is past its end of standard support on `today` and the cluster's
    support type lets it stay there; "standard" otherwise (also for a version the calendar lacks)."""
    known = _versions().EKS_VERSIONS.get(version)
    if known is None or (support_type or EKS_DEFAULT_SUPPORT_TYPE).upper() == "STANDARD":
        return "standard"
    return "extended" if today > known.end_of_standard else "standard"


def today() -> date:
    """The day the render is "as of" (EKS_PLATFORM_TODAY, else the clock): settings/versions.py's rule."""
    return _versions().today()


def extended_start(version: str) -> date | None:
    """The first day a cluster on `version` is billed extended support (with supportType EXTENDED)."""
    known = _versions().EKS_VERSIONS.get(version)
    return known.end_of_standard + timedelta(days=1) if known else None


def price_rise(region: str, prices: PriceTable) -> str:
    """Standard to extended support: both hourly prices, the monthly difference, their source and date."""
    standard = prices.control_plane_hourly(region, "standard")
    extended = prices.control_plane_hourly(region, "extended")
    if standard is None or extended is None:
        return f"at prices unknown here (pricing/prices.json has no EKS prices for {region})"
    sources = {prices.source_of(region, f) for f in ("eksClusterHour", "eksExtendedSupportHour")}
    cited = "; ".join(f"{s.key}, published {s.published}" for s in sorted(sources, key=lambda s: s.key) if s)
    more = (extended - standard) * HOURS_PER_MONTH
    return (
        f"at USD {extended:.2f} an hour instead of USD {standard:.2f} (+USD {more:,.2f} a month at "
        f"{HOURS_PER_MONTH} h; price table: {cited})"
    )


def policy_name(support_type: str | None) -> str:
    return (
        f"supportType {support_type}"
        if support_type
        else f"supportType unset (EKS's default, {EKS_DEFAULT_SUPPORT_TYPE})"
    )


def lifecycle_line(version: str, support_type: str | None, today: date, region: str, prices: PriceTable) -> str:
    """What happens to a cluster on `version` with this support policy, as of `today`."""
    known = _versions().EKS_VERSIONS.get(version)
    if known is None:
        return f"Kubernetes {version}: not in the EKS version calendar (settings/versions.py)"
    after = f"1.{_versions().minor(version) + 1}"
    standard = (support_type or EKS_DEFAULT_SUPPORT_TYPE) == "STANDARD"
    end, last = known.end_of_standard, known.end_of_extended
    if today < known.released:
        return f"Kubernetes {version}: not on EKS before {known.released}"
    if today > last:
        return f"Kubernetes {version}: EKS no longer runs it (extended support ended on {last})"
    if today <= end:
        if standard:
            return (
                f"Kubernetes {version}: standard support until {end}; then, with {policy_name(support_type)}, "
                f"EKS upgrades the control plane to {after} itself"
            )
        return (
            f"Kubernetes {version}: standard support until {end}; then, with {policy_name(support_type)}, extended "
            f"support from {end + timedelta(days=1)} until {last} {price_rise(region, prices)}, and on {last} EKS "
            f"upgrades it to {after} itself"
        )
    if standard:
        return (
            f"Kubernetes {version}: standard support ended on {end}, and with {policy_name(support_type)} EKS "
            f"upgrades such a cluster to {after} itself; set version {after}"
        )
    return (
        f"Kubernetes {version}: in EKS extended support until {last} (since {end + timedelta(days=1)}), with "
        f"{policy_name(support_type)}, {price_rise(region, prices)}; then EKS upgrades it to {after} itself; "
        "upgrade one minor version at a time"
    )


def version_warning(version: str, support_type: str | None, today: date, region: str, prices: PriceTable) -> str | None:
    """What a reviewer must hear in every preview: the version is past its standard support, or its
    standard support ends within WARN_DAYS_BEFORE_END days."""
    versions = _versions()
    known = versions.EKS_VERSIONS.get(version)
    if known is None or versions.version_error(version, today):
        return None
    if today > known.end_of_standard:
        return lifecycle_line(version, support_type, today, region, prices)
    if known.end_of_standard - today <= timedelta(days=versions.WARN_DAYS_BEFORE_END):
        return (
            f"{lifecycle_line(version, support_type, today, region, prices)}; "
            f"plan the upgrade to 1.{versions.minor(version) + 1}"
        )
    return None
