"""A new stack in one step, from an existing one:

    python -m new_stack staging --from dev          (make new-stack NAME=staging FROM=dev)

Writes Pulumi.<name>.yaml (the source's stack file, as it is) and policy/config/<name>.json (the
source's policy config, or all-advisory if it has none), refusing to overwrite either. The pull
request workflow finds stacks by their Pulumi.*.yaml file, so the new stack is rendered, reviewed and
previewed (with its own policy config) from its first pull request; the golden renders find it too.
Prints what still carries the source stack's name, and the next steps.

Exit status: 0 written; 2 a bad name, an unknown source, or a file that exists (nothing written).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from eks_platform.runner.stack_config import PROJECT_DIR

# Pulumi's stack name rule (pulumi stack init): letters, digits, -, _ and . (at most 100).
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class NewStackError(Exception):
    pass


def plan(name: str, source: str, project_dir: Path = PROJECT_DIR) -> dict[Path, str]:
    """The files to write, by path; raises NewStackError for what must not be written."""
    if not _NAME.match(name):
        raise NewStackError(f"NAME={name!r} is not a stack name: letters, digits, '-', '_' and '.', at most 100")
    source_file = project_dir / f"Pulumi.{source}.yaml"
    if not source_file.exists():
        known = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in project_dir.glob("Pulumi.*.yaml"))
        raise NewStackError(f"FROM={source!r}: there is no {source_file.name} (stacks: {', '.join(known)})")
    stack_file = project_dir / f"Pulumi.{name}.yaml"
    policy_dir = project_dir / "policy" / "config"
    policy_file = policy_dir / f"{name}.json"
    for path in (stack_file, policy_file):
        if path.exists():
            raise NewStackError(f"{path.relative_to(project_dir)} exists already: nothing was written")
    source_policy = policy_dir / f"{source}.json"
    policy = json.loads(source_policy.read_text()) if source_policy.exists() else {"all": "advisory"}
    return {stack_file: source_file.read_text(), policy_file: json.dumps(policy, indent=2) + "\n"}


def still_named(text: str, source: str) -> list[str]:
    """Lines of the stack file (not comments) that name the source stack: a tag, a name, a CIDR comment."""
    word = re.compile(rf"(?<![\w-]){re.escape(source)}(?![\w-])")
    return [
        f"    line {number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if not line.lstrip().startswith("#") and word.search(line.split(" #", 1)[0])
    ]


def main(argv: list[str] | None = None, project_dir: Path = PROJECT_DIR) -> int:
    parser = argparse.ArgumentParser(prog="new_stack", description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--from", dest="source", required=True)
    args = parser.parse_args(argv)
    try:
        files = plan(args.name, args.source, project_dir)
    except NewStackError as error:
        print(f"new-stack: {error}", file=sys.stderr)
        return 2
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    stack_file, policy_file = (p.relative_to(project_dir) for p in files)
    lines = [f"Wrote {stack_file} (from Pulumi.{args.source}.yaml) and {policy_file} (from {args.source}'s)."]
    named = still_named(files[project_dir / stack_file], args.source)
    if named:
        lines += [f"Still says {args.source!r} (review):", *named]
    if "secure:" in files[project_dir / stack_file]:
        lines.append(
            f"It holds secure: values encrypted for {args.source}'s secrets provider: set them again with "
            f"`pulumi config set --secret --stack {args.name} ...`"
        )
    steps = [
        (f"make render STACK={args.name}", f"the offline preview, judged by {policy_file}"),
        ("make golden", "its golden render (tests/golden), which guards it from now on"),
        (f"pulumi stack init {args.name}", "then `pulumi preview` with your credentials"),
    ]
    width = max(len(command) for command, _ in steps)
    lines += ["Next:", *(f"    {command:<{width}}  {why}" for command, why in steps)]
    lines.append(
        "The pull request workflow finds the stack by its file; .github/workflows/deploy.yml deploys dev and "
        "prod only: add a job there when this stack should deploy on merge."
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
