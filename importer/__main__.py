"""Write a stack file from an eksctl ClusterConfig.

    python -m importer cluster.yaml --stack staging [--strict] [--force] [--bind GROUP=ROLE[@NS,...]]
    make import-eksctl FILE=cluster.yaml STACK=staging [ARGS="--strict --bind admins=cluster-admin"]

Writes Pulumi.<stack>.yaml (in --dir, default the project directory) and prints what was not
carried over. Into a project (a folder with Pulumi.yaml) it also writes the stack's policy config
(policy/config/<stack>.json, every rule advisory, unless one exists) and its first golden render
(tests/golden/<stack>.plan.json), so the repository passes `make test` as it is.

Exit status: 0 written; 2 nothing written — the input is not an eksctl ClusterConfig or holds a
wrong value, the stack would not load (each problem with its eksctl field and stack key), --strict
and a field was not carried over, or the stack file exists and --force is not given; 1 anything
else (one line on stderr, nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import yaml

from eks_platform.runner.stack_config import PROJECT_DIR, stack_config_from_dict

from .check import Finding, check_stack
from .mapping import import_cluster_config
from .outcome import Outcome
from .report import left_behind_lines, note_lines, problem_lines
from .source import SourceError, parse_cluster_config
from .stack_file import stack_text, write_stack_file

_STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_BINDING = re.compile(r"^(?P<group>[^=@\s]+)=(?P<role>[^=@\s]+)(@(?P<namespaces>[^=@\s]+))?$")


def binding(text: str) -> tuple[str, dict]:
    """`--bind platform-admins=cluster-admin` or `--bind team-a=edit@team-a,team-b`."""
    match = _BINDING.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not GROUP=CLUSTERROLE or GROUP=CLUSTERROLE@NAMESPACE,...")
    spec: dict = {"clusterRole": match["role"]}
    if match["namespaces"]:
        spec["namespaces"] = match["namespaces"].split(",")
    return match["group"], spec


def stack_name(text: str) -> str:
    if not _STACK_NAME.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a stack name (letters, digits, '-', '_', '.')")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m importer", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the eksctl ClusterConfig (cluster.yaml)")
    parser.add_argument("--stack", required=True, type=stack_name, help="writes Pulumi.<stack>.yaml")
    parser.add_argument("--strict", action="store_true", help="refuse the import if any field is not carried over")
    parser.add_argument("--force", action="store_true", help="overwrite an existing stack file")
    parser.add_argument(
        "--bind",
        type=binding,
        action="append",
        default=[],
        metavar="GROUP=ROLE[@NS,...]",
        help="what a mapped Kubernetes group may do: a ClusterRole, cluster-wide or in the listed namespaces",
    )
    parser.add_argument("--dir", type=Path, default=PROJECT_DIR, help="where to write (default: the project)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    target = args.dir / f"Pulumi.{args.stack}.yaml"

    if target.exists() and not args.force:
        return _fail(f"{_shown(target)} exists; nothing was written (--force overwrites it)")
    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror or error}")
    except UnicodeDecodeError:
        return _fail(f"{args.file} is not UTF-8 text; expected an eksctl ClusterConfig (YAML)")
    try:
        document = parse_cluster_config(text, str(args.file))
    except SourceError as error:
        return _fail(str(error))

    outcome = import_cluster_config(document, dict(args.bind))
    if outcome.problems:
        lines = problem_lines(_count(outcome.problems, f"in {args.file}; nothing was written:"), outcome.problems)
        return _fail(*lines)
    stack = stack_text(outcome, str(args.file))
    problems, warnings = check_stack(stack, args.stack, outcome)
    lines = []
    if problems:
        lines += problem_lines(
            _count(problems, f"in the stack {args.file} would become; nothing was written:"), problems
        )
        lines += _hint(problems)
    if args.strict and outcome.left_behind:
        lines += ["--strict: fields were not carried over; nothing was written."]
    if lines:
        return _fail(*lines, *left_behind_lines(outcome.left_behind))

    companions = _project_files(args.dir, args.stack, stack) if (args.dir / "Pulumi.yaml").exists() else []
    try:
        write_stack_file(target, stack, args.force)
        for path, text, _ in companions:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    except FileExistsError:
        return _fail(f"{_shown(target)} exists; nothing was written (--force overwrites it)")
    except OSError as error:
        print(f"import: cannot write {error.filename or target}: {error.strerror or error}", file=sys.stderr)
        return 1
    written = [f"{_shown(target)} from {args.file}", *(f"{_shown(path)} ({what})" for path, _, what in companions)]
    print("\n".join(_report(args, target, written, bool(companions), outcome, warnings)))
    return 0


def _project_files(project: Path, stack: str, text: str) -> list[tuple[Path, str, str]]:
    """(path, text, what it is) of the stack's policy config (unless it has one) and its first golden
    render: a project with the new stack passes `make test` as it is."""
    from render.policy import DEFAULT_POLICY_CONFIG, policy_config
    from review.golden import golden_path, plan_of

    files = []
    policy_file = project / "policy" / "config" / f"{stack}.json"
    if not policy_file.exists():
        files.append((policy_file, json.dumps(DEFAULT_POLICY_CONFIG, indent=2) + "\n", "every rule advisory"))
    config = stack_config_from_dict(stack, yaml.safe_load(text)["config"], project)
    plan = plan_of(config, policy_config(stack, policy_file.parent), project)
    return [*files, (golden_path(stack, project), plan, "its first golden render")]


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _report(
    args: argparse.Namespace,
    target: Path,
    written: list[str],
    in_project: bool,
    outcome: Outcome,
    warnings: list[Finding],
) -> list[str]:
    report = [f"Wrote {', '.join(written[:-1])} and {written[-1]}." if len(written) > 1 else f"Wrote {written[0]}."]
    report += left_behind_lines(outcome.left_behind)
    report += note_lines(outcome)
    if warnings:
        report += ["Warnings the render will show:", *[f"  - {warning}" for warning in warnings]]
    if in_project and args.dir.resolve() == Path.cwd().resolve():
        render = f"make render STACK={args.stack}"
    else:
        render = f"python -m render --stack {args.stack} --config {_shown(target)}"
    after = " (after you change the stack file, `make golden` stores its render again)" if in_project else ""
    return [*report, f"Next: {render}, review, then pulumi up{after}."]


def _count(items: list, where: str) -> str:
    noun = "problem" if len(items) == 1 else "problems"
    return f"{len(items)} {noun} {where}"


def _hint(problems: list) -> list[str]:
    if any("has no entry in access.groupBindings" in p.message for p in problems):
        return ["  eksctl leaves RBAC to kubectl: say what each group may do with --bind GROUP=CLUSTERROLE[@NS,...]."]
    return []


def _fail(first: str, *more: str) -> int:
    print("\n".join([f"import: {first}", *more]), file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # a bug, not the user's input: one line, as the render does
        print(f"import: internal error (please report it): {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
