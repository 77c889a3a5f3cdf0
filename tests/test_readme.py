"""README.md's sample outputs are what the code prints: each marked block is produced by
render/readme.py, and this fails when one is stale (run `make readme`)."""

from __future__ import annotations

import difflib

from render.readme import _BLOCK, DOCUMENTS, SAMPLES, produced


def test_every_sample_block_is_what_the_code_prints():
    for document in DOCUMENTS:
        current = document.read_text()
        fresh = produced(current)
        diff = "".join(difflib.unified_diff(current.splitlines(True), fresh.splitlines(True), document.name, "new"))
        assert fresh == current, f"{document.name} is stale; run `make readme`:\n{diff}"


def test_every_sample_is_shown_and_every_block_has_a_producer():
    marked = [m["name"] for document in DOCUMENTS for m in _BLOCK.finditer(document.read_text())]
    assert sorted(set(marked)) == sorted(SAMPLES)


def test_the_headline_error_reports_all_three_problems():
    text = SAMPLES["config-error"]()
    assert "3 problems in the stack configuration" in text
    for path in ("network.vpcCidr", "nodeGroups[0].minSize", "nodeGroups[0].minSzie"):
        assert f"eks-platform:{path}" in text
    assert text.rstrip().endswith("$ echo $?\n2\n```")


def test_exit_statuses_tell_each_outcome_apart():
    codes = [int(line) for line in SAMPLES["exit-statuses"]().splitlines() if line.isdigit()]
    assert codes == [0, 3, 2, 1]
