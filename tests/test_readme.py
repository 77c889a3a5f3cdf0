"""The sample outputs of README.md and docs/*.md are what the code prints: each marked block is
produced by render/readme.py, and this fails when one is stale (run `make readme`), when a block
names no sample, or when a sample is shown on no page."""

from __future__ import annotations

import difflib

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR
from render.readme import _BLOCK, SAMPLES, documentation_files, produced

PAGES = documentation_files()


def test_the_pages_are_the_readme_and_docs():
    names = [str(p.relative_to(PROJECT_DIR)) for p in PAGES]
    assert names[0] == "README.md" and "docs/README.md" in names and "docs/teardown.md" in names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_every_sample_block_is_what_the_code_prints(page):
    current = page.read_text()
    fresh = produced(current)
    diff = "".join(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True), page.name, "produced"))
    assert fresh == current, f"{page.name} is stale; run `make readme`:\n{diff}"


def test_every_sample_is_shown_and_every_block_has_a_producer():
    marked = {m["name"] for page in PAGES for m in _BLOCK.finditer(page.read_text())}
    assert sorted(marked) == sorted(SAMPLES)


def test_the_headline_error_reports_all_three_problems():
    text = SAMPLES["config-error"]()
    assert "3 problems in the stack configuration" in text
    for path in ("network.vpcCidr", "nodeGroups[0].minSize", "nodeGroups[0].minSzie"):
        assert f"eks-platform:{path}" in text
    assert text.rstrip().endswith("$ echo $?\n2\n```")


def test_exit_statuses_tell_each_outcome_apart():
    codes = [int(line) for line in SAMPLES["exit-statuses"]().splitlines() if line.isdigit()]
    assert codes == [0, 3, 2, 1]


def test_no_sample_shows_a_path_of_the_machine_it_was_made_on():
    # what the commands print names files as the user typed them, relative to where they run; the
    # blocks are what the code prints (above), so a machine's path would show here
    for page in PAGES:
        for block in _BLOCK.finditer(page.read_text()):
            assert "/tmp/" not in block["body"] and str(PROJECT_DIR) not in block["body"], (page.name, block["name"])
