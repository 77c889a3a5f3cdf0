"""Offline render: what a stack would create, without the Pulumi CLI, plugins or credentials.

    python -m render --stack dev [--config FILE] [--out DIR]     (make render STACK=dev)

Runs the real program with the stack's real config on the mock engine (runner/) and writes
OUT/plan.json, OUT/manifests/*.yaml and OUT/graph.md, then prints a preview tree.

Exit status: 0 rendered; 3 rendered, but a mandatory policy (policy/config/<stack>.json) is
violated; 2 invalid configuration (every problem on stderr, OUT untouched); 1 anything else
(one line on stderr, OUT untouched).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from eks_platform.runner.engine import ProgramError, RunResult, run_program
from eks_platform.runner.stack_config import StackConfigError, StackFileMissing, load_stack_config, stack_names
from pricing.report import cost_text
from settings.problems import unknown_stack_message

from .manifests import manifest_files
from .plan import plan_json
from .policy import blocks, evaluate, policy_config, policy_text
from .tree import mermaid, preview_text


def render_files(result: RunResult, policy: list[dict[str, str]] | None = None) -> dict[str, str]:
    files = {"plan.json": plan_json(result, policy), "graph.md": mermaid(result)}
    files.update({f"manifests/{name}": text for name, text in manifest_files(result)})
    return files


def write_atomically(out: Path, files: dict[str, str]) -> None:
    """Build OUT beside itself and swap it in: a failure leaves the old OUT exactly as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        staging.chmod(0o755)
        (staging / "manifests").mkdir()
        for relative, text in files.items():
            (staging / relative).write_text(text, encoding="utf-8")
        previous = None
        if out.exists():
            previous = out.with_name(f".{out.name}.previous")
            shutil.rmtree(previous, ignore_errors=True)
            out.rename(previous)
        staging.rename(out)
        if previous is not None:
            shutil.rmtree(previous)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="render", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--config", type=Path, help="a stack config file to use instead of Pulumi.<stack>.yaml")
    parser.add_argument("--out", type=Path, help="output directory (default build/<stack>)")
    parser.add_argument("--program", type=Path, help=argparse.SUPPRESS)  # the benchmark's floor
    args = parser.parse_args(argv)
    out = args.out or Path("build") / args.stack

    try:
        config = load_stack_config(args.stack, args.config)
    except StackFileMissing as error:
        print(f"render: {error if args.config else unknown_stack_message(args.stack, stack_names())}", file=sys.stderr)
        return 1
    except StackConfigError as error:
        print(f"render: {error}", file=sys.stderr)
        return 2

    try:
        result = run_program(config, args.program)
    except ProgramError as error:
        if error.user_error:
            print(error.message, file=sys.stderr)
            return 2
        print(f"render: the program failed: {error.message.splitlines()[0]}", file=sys.stderr)
        return 1

    verdict = evaluate(result, policy_config(args.stack))
    files = render_files(result, verdict)
    try:
        write_atomically(out, files)
    except OSError as error:
        print(f"render: cannot write {out}: {error.strerror}", file=sys.stderr)
        return 1
    manifests = sum(1 for name in files if name.startswith("manifests/"))
    sys.stdout.write(preview_text(result))
    sys.stdout.write("\n" + cost_text(json.loads(files["plan.json"])["cost"]))
    sys.stdout.write("\n" + policy_text(verdict))
    print(f"\nWrote {out}/: plan.json, graph.md, manifests/ ({manifests} objects)")
    if blocks(verdict):
        print("render: a mandatory policy is violated (see above)", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `make render | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
