"""Golden renders: the expected plan.json of every stack, checked in under tests/golden/.

    python -m review.golden --write      (make golden)   render each stack and store its plan.json

tests/test_golden.py renders each stack again and fails when the plan differs, with the change
review as its message — so a value nobody wrote a test for (a node role policy dropped, a subnet
prefix changed, an endpoint flag forced) cannot change unnoticed. The renders are made as of a fixed
day and without the caller's AWS profile, so they depend on the code and the stack files only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from eks_platform.runner.stack_config import PROJECT_DIR

GOLDEN_DIR = PROJECT_DIR / "tests" / "golden"
GOLDEN_DAY = "2026-11-27"
# Stack -> its stack file (None: Pulumi.<stack>.yaml): every stack of the project, found by its file
# (a stack made with `make new-stack` is guarded from its first `make golden`), and `edge`, which
# exists for the golden renders only: it takes the branches the real stacks do not.
STACKS: dict[str, Path | None] = {
    **{p.name.removeprefix("Pulumi.").removesuffix(".yaml"): None for p in sorted(PROJECT_DIR.glob("Pulumi.*.yaml"))},
    "edge": PROJECT_DIR / "tests" / "stacks" / "Pulumi.edge.yaml",
}


def golden_path(stack: str) -> Path:
    return GOLDEN_DIR / f"{stack}.plan.json"


def current_plan(stack: str) -> str:
    """plan.json as `make render` writes it, as of GOLDEN_DAY."""
    from eks_platform.runner.engine import run_program
    from eks_platform.runner.stack_config import load_stack_config
    from render.plan import plan_json
    from render.policy import evaluate, policy_config
    from settings.versions import TODAY_VARIABLE

    saved = {k: os.environ.get(k) for k in (TODAY_VARIABLE, "AWS_PROFILE")}
    os.environ[TODAY_VARIABLE] = GOLDEN_DAY
    os.environ.pop("AWS_PROFILE", None)
    try:
        result = run_program(load_stack_config(stack, STACKS[stack]))
        # The cost (support status) is priced as of the render's day too.
        return plan_json(result, evaluate(result, policy_config(stack)))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="review.golden", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the current renders as the golden ones")
    args = parser.parse_args(argv)
    stale = []
    for stack in STACKS:
        text = current_plan(stack)
        if args.write:
            GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            golden_path(stack).write_text(text)
        elif not golden_path(stack).exists() or golden_path(stack).read_text() != text:
            stale.append(stack)
    if stale:
        print(f"golden renders differ: {', '.join(stale)} (review the change, then `make golden`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
