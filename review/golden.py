"""Golden renders: the expected plan.json of every stack, checked in under tests/golden/.

    python -m review.golden --write      (make golden)   render each stack and store its plan.json

tests/test_golden.py renders each stack again and fails when the plan differs, with the change
review as its message — so a value nobody wrote a test for (a node role policy dropped, a subnet
prefix changed, an endpoint flag forced) cannot change unnoticed. The renders are made as of a fixed
day and without the caller's AWS profile, so they depend on the code and the stack files only.
`make new-stack` and `make import-eksctl` store the first golden render of the stack they write
(write_golden), so a repository with a new stack still passes `make test`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from eks_platform.runner.stack_config import PROJECT_DIR, StackConfig

GOLDEN_DIR = PROJECT_DIR / "tests" / "golden"
GOLDEN_DAY = "2026-11-27"
# Stack -> its stack file (None: Pulumi.<stack>.yaml): every stack of the project, found by its file
# (a stack made with `make new-stack` is guarded from its first `make golden`), and `edge`, which
# exists for the golden renders only: it takes the branches the real stacks do not.
STACKS: dict[str, Path | None] = {
    **{p.name.removeprefix("Pulumi.").removesuffix(".yaml"): None for p in sorted(PROJECT_DIR.glob("Pulumi.*.yaml"))},
    "edge": PROJECT_DIR / "tests" / "stacks" / "Pulumi.edge.yaml",
}


def golden_path(stack: str, project_dir: Path = PROJECT_DIR) -> Path:
    return project_dir / GOLDEN_DIR.relative_to(PROJECT_DIR) / f"{stack}.plan.json"


def current_plan(stack: str, project_dir: Path = PROJECT_DIR) -> str:
    """plan.json as `make render` writes it, as of GOLDEN_DAY."""
    from eks_platform.runner.stack_config import load_stack_config

    stack_file = STACKS.get(stack) if project_dir == PROJECT_DIR else None
    return plan_of(load_stack_config(stack, stack_file, project_dir), None, project_dir)


def plan_of(config: StackConfig, policy: dict | None = None, project_dir: Path = PROJECT_DIR) -> str:
    """plan.json of a stack config as `make render` writes it in `project_dir` (the platform's program;
    `policy`, or else the project's policy config for the stack), as of GOLDEN_DAY and without the
    caller's AWS profile."""
    from eks_platform.runner.engine import run_program
    from render.plan import plan_json
    from render.policy import evaluate, policy_config
    from settings.versions import TODAY_VARIABLE

    saved = {k: os.environ.get(k) for k in (TODAY_VARIABLE, "AWS_PROFILE")}
    os.environ[TODAY_VARIABLE] = GOLDEN_DAY
    os.environ.pop("AWS_PROFILE", None)
    try:
        result = run_program(config, PROJECT_DIR / "__main__.py")
        policy = policy if policy is not None else policy_config(config.stack, project_dir / "policy" / "config")
        # The cost (support status) is priced as of the render's day too.
        return plan_json(result, evaluate(result, policy))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def write_golden(stack: str, text: str, project_dir: Path = PROJECT_DIR) -> Path:
    """Store `text` (plan_of's) as the stack's golden render; the path written, relative to the project."""
    path = golden_path(stack, project_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path.relative_to(project_dir)


def golden_difference(stack: str, text: str, project_dir: Path = PROJECT_DIR) -> str | None:
    """Why `text` is not the stack's golden render (None: it is): `make test`'s message."""
    import difflib
    import json

    from review.report import build_review, review_text

    path = golden_path(stack, project_dir)
    if not path.exists():
        return f"{stack} has no golden render ({path.relative_to(project_dir)}): run `make golden` to store its first"
    golden = path.read_text()
    if text == golden:
        return None
    review = build_review(stack, json.loads(golden), json.loads(text), "golden", "this code")
    # What the review does not show (URNs, dependencies, reads, plugins): the lines themselves.
    lines = list(difflib.unified_diff(golden.splitlines(), text.splitlines(), "golden", "this code", n=1, lineterm=""))
    return (
        f"{stack} renders differently from tests/golden (run `make golden` if intended):\n{review_text(review)}"
        + "\n".join(lines[:60])
    )


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
        elif golden_difference(stack, text) is not None:
            stale.append(stack)
    if stale:
        print(f"golden renders differ: {', '.join(stale)} (review the change, then `make golden`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
