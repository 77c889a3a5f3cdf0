"""The documentation's links lead somewhere: every relative link of README.md and docs/*.md names a
file of the repository, and every #anchor a heading of the page it points at (GitHub's anchors);
every docs page is in the table of contents; nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR
from render.readme import documentation_files

PAGES = documentation_files()
_LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (?P<title>.+)$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def anchor(title: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def links(page: Path) -> list[str]:
    return [m["target"] for m in _LINK.finditer(_FENCE.sub("", page.read_text()))]


ANCHORS = [
    (
        "`eks-platform:autoscaling` — node groups that really scale",
        "eks-platformautoscaling--node-groups-that-really-scale",
    ),
    ("The policy pack (`policy/`)", "the-policy-pack-policy"),
    ("Re-checking after a pulumi-eks version bump", "re-checking-after-a-pulumi-eks-version-bump"),
]


@pytest.mark.parametrize(("title", "expected"), ANCHORS)
def test_anchors_are_githubs(title, expected):
    assert anchor(title) == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_every_relative_link_leads_to_a_file_and_heading(page):
    broken = []
    for target in links(page):
        if re.match(r"^[a-z]+://", target) or target.startswith("mailto:"):
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or PROJECT_DIR.resolve() not in (file, *file.parents):
            broken.append(f"{target}: no such file in the repository")
        elif fragment and fragment not in {anchor(h["title"]) for h in _HEADING.finditer(file.read_text())}:
            broken.append(f"{target}: no heading with that anchor")
    assert broken == [], f"{page.name}: {broken}"


def test_every_docs_page_is_in_the_table_of_contents():
    listed = {(PROJECT_DIR / "docs" / t).resolve() for t in links(PROJECT_DIR / "docs" / "README.md")}
    pages = {p.resolve() for p in PAGES if p.parent.name == "docs" and p.name != "README.md"}
    assert pages and pages <= listed
