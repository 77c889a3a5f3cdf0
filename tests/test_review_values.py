"""A changed value reads as the change (review/values.py): elements added, removed and changed, fields
of a JSON document, lines of a YAML one — never a value cut off at some width — in the terminal and in
the PR comment's diff block."""

from __future__ import annotations

import json

from review.changes import PropertyChange
from review.report import _diff_line

TAINT = {"effect": "NO_SCHEDULE", "key": "platform.example.com/dedicated", "value": "system"}
NEW_TAINT = {"effect": "NO_EXECUTE", "key": "platform.example.com/gpu", "value": "true"}


def test_a_short_value_reads_on_one_line():
    assert str(PropertyChange("instanceTypes", ["t3.medium"], ["m5.large"])) == (
        'instanceTypes: ["t3.medium"] → ["m5.large"]'
    )


def test_an_added_taint_is_one_plus_line():
    text = str(PropertyChange("taints", [TAINT], [TAINT, NEW_TAINT]))
    assert text.splitlines() == [
        "taints: 1 added",
        '    + {"effect": "NO_EXECUTE", "key": "platform.example.com/gpu", "value": "true"}',
    ]


def test_elements_are_matched_by_their_key():
    changed = {**TAINT, "effect": "NO_EXECUTE"}
    text = str(PropertyChange("taints", [NEW_TAINT, TAINT], [changed]))
    assert text.splitlines() == [
        "taints: 1 removed, 1 changed",
        '    - {"effect": "NO_EXECUTE", "key": "platform.example.com/gpu", "value": "true"}',
        '    ~ key "platform.example.com/dedicated":',
        '        effect: "NO_SCHEDULE" → "NO_EXECUTE"',
    ]


def test_a_long_plain_list_shows_what_left_and_what_came():
    old = [f"subnet-{i:017x}" for i in range(6)]
    new = [*old[:2], "subnet-ffffffffffffffff0", *old[3:]]
    assert str(PropertyChange("subnetIds", old, new)).splitlines() == [
        "subnetIds: 1 added, 1 removed",
        f'    - "{old[2]}"',
        '    + "subnet-ffffffffffffffff0"',
    ]


def test_a_json_document_shows_the_fields_that_changed_and_nothing_is_cut():
    statement = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {}}}
    old = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    new = json.dumps({"Version": "2012-10-17", "Statement": [{**statement, "Effect": "Deny"}]})
    text = str(PropertyChange("assumeRolePolicy", old, new))
    assert text.splitlines() == ["assumeRolePolicy:", '    Statement[0].Effect: "Allow" → "Deny"']
    long_value = "x" * 300
    assert long_value + '"' in str(PropertyChange("userData", "", long_value))


def test_a_yaml_document_shows_its_changed_lines():
    old = "- rolearn: a\n  username: x\n"
    new = "- rolearn: a\n  username: x\n- rolearn: b\n  username: y\n"
    assert str(PropertyChange("data.mapRoles", old, new)).splitlines() == [
        "data.mapRoles:",
        "    +- rolearn: b",
        "    +  username: y",
    ]


def test_the_pull_request_diff_block_colours_added_and_removed_lines():
    # the sign moves to the first column (where GitHub colours a diff line); the text stays where it was
    for line in ('            + {"key": "x"}', "        - old"):
        moved = _diff_line(line)
        assert moved[0] == line.strip()[0] and moved[1:].strip() == line.strip()[1:].strip()
        assert len(moved) == len(line) and moved.index(line.strip()[2]) == line.index(line.strip()[2])
    assert _diff_line("    ~ aws:eks/nodeGroup:NodeGroup general") == "    ~ aws:eks/nodeGroup:NodeGroup general"
