"""Golden renders: every stack renders exactly as checked in under tests/golden/ (`make golden`
updates them on purpose). A failure's message is the change review of the difference, so a value
nobody wrote a test for — a node role policy, a subnet prefix, an endpoint flag — cannot change
unnoticed."""

from __future__ import annotations

import difflib
import json

import pytest

from eks_platform.runner.engine import RunResult
from render.plan import plan_json
from render.policy import evaluate, policy_config
from review.golden import GOLDEN_DAY, STACKS, current_plan, golden_path
from review.report import build_review, review_text
from tests.conftest import TODAY


def _plan(result: RunResult) -> str:
    return plan_json(result, evaluate(result, policy_config(result.stack)))


@pytest.mark.parametrize("stack", list(STACKS))
def test_the_render_is_the_golden_one(stack, request):
    assert TODAY.isoformat() == GOLDEN_DAY  # the suite's fixtures render as of the golden day
    text = _plan(request.getfixturevalue(stack)) if stack in ("dev", "prod", "edge") else current_plan(stack)
    golden = golden_path(stack).read_text()
    if text != golden:
        review = build_review(stack, json.loads(golden), json.loads(text), "golden", "this code")
        # what the review does not show (URNs, dependencies, reads, plugins): the lines themselves
        lines = list(difflib.unified_diff(golden.splitlines(), text.splitlines(), "golden", "this code", n=1))
        pytest.fail(
            f"{stack} renders differently from tests/golden (run `make golden` if intended):\n{review_text(review)}"
            + "\n".join(lines[:60])
        )


def test_every_stack_file_has_a_golden_render():
    from eks_platform.runner.stack_config import PROJECT_DIR

    stacks = {p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in PROJECT_DIR.glob("Pulumi.*.yaml")}
    assert stacks and stacks <= set(STACKS)
    assert {"dev", "prod", "edge"} <= set(STACKS)
