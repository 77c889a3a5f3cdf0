"""The EKS version lifecycle: which versions a stack may run on a given day, and the warnings before
support ends. "Today" is passed in, so these rows hold whatever the calendar says."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from settings import SettingsError, load_settings
from settings.versions import EKS_VERSIONS, minor, today_from
from tests.conftest import config_with


def load(version: str, today: date):
    return load_settings(config_with(cluster={"version": version}), "eks-platform", "test", today=today)


def version_warnings(version: str, today: date) -> list[str]:
    return [w for w in load(version, today).warnings if w.startswith("eks-platform:cluster.version")]


def version_problem(version: str, today: date) -> str:
    with pytest.raises(SettingsError) as caught:
        load(version, today)
    (problem,) = caught.value.problems
    assert problem.path == "eks-platform:cluster.version"
    return problem.message


# Dates from the EKS release calendar, written here rather than read from the table under test.
ROWS = [
    # (case, version, today, outcome, fragment)
    ("standard support, far from its end", "1.35", date(2026, 11, 27), "ok", None),
    ("standard support ends in 61 days", "1.35", date(2027, 1, 25), "ok", None),
    ("standard support ends in 60 days", "1.35", date(2027, 1, 26), "warning", "standard support until 2027-03-27"),
    ("standard support ends in 5 days", "1.34", date(2026, 11, 27), "warning", "plan the upgrade to 1.35"),
    ("last day of standard support", "1.34", date(2026, 12, 2), "warning", "standard support until 2026-12-02"),
    ("first day of extended support", "1.34", date(2026, 12, 3), "warning", "extended support until 2027-12-02"),
    ("extended support costs more", "1.32", date(2026, 11, 27), "warning", "USD 0.60 an hour instead of USD 0.10"),
    ("last day of extended support", "1.31", date(2026, 11, 26), "warning", "extended support until 2026-11-26"),
    ("past extended support", "1.31", date(2026, 11, 27), "error", "past the end of EKS extended support (2026-11-26)"),
    ("not released on EKS yet", "1.37", date(2026, 11, 27), "error", "is not offered by EKS"),
    ("before its EKS release", "1.36", date(2026, 6, 1), "error", "is not offered by EKS"),
    ("on its EKS release day", "1.36", date(2026, 6, 2), "ok", None),
    (
        "an error names what would be valid",
        "1.30",
        date(2026, 11, 27),
        "error",
        "use one of 1.32, 1.33, 1.34, 1.35, 1.36",
    ),
]


@pytest.mark.parametrize(("case", "version", "today", "outcome", "fragment"), ROWS, ids=[r[0] for r in ROWS])
def test_version_lifecycle(case, version, today, outcome, fragment):
    if outcome == "error":
        assert fragment in version_problem(version, today)
    elif outcome == "warning":
        (warning,) = version_warnings(version, today)
        assert fragment in warning
    else:
        assert version_warnings(version, today) == []


def test_the_calendar_is_ordered_and_gives_about_14_plus_12_months():
    versions = list(EKS_VERSIONS.values())
    assert [minor(v.version) for v in versions] == list(
        range(minor(versions[0].version), minor(versions[-1].version) + 1)
    )
    for earlier, later in itertools.pairwise(versions):
        assert earlier.released < later.released
    for v in versions:
        assert timedelta(days=420) <= v.end_of_standard - v.released <= timedelta(days=440), v.version
        assert timedelta(days=364) <= v.end_of_extended - v.end_of_standard <= timedelta(days=367), v.version


def test_today_comes_from_the_environment_when_set():
    assert today_from({"EKS_PLATFORM_TODAY": "2027-01-02"}) == date(2027, 1, 2)
    assert today_from({}) == date.today()


def test_the_checked_in_stacks_run_a_version_in_standard_support(dev, prod):
    for result in (dev, prod):
        assert not [w for w in result.warnings if "cluster.version" in w]
        assert result.one("aws:eks/cluster:Cluster").inputs["version"] == "1.35"
