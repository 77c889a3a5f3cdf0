"""A new stack in one step, from an existing one:

    python -m new_stack staging --from dev          (make new-stack NAME=staging FROM=dev)

Writes Pulumi.<name>.yaml (the source's stack file with a header of its own and a VPC range no other
stack uses), policy/config/<name>.json (the source's policy config, or all-advisory if it has none)
and tests/golden/<name>.plan.json (its first golden render), refusing to overwrite any of them: the
repository passes `make test` right away. The pull request workflow finds stacks by their
Pulumi.*.yaml file, so the new stack is rendered, reviewed and previewed (with its own policy config)
from its first pull request. Prints what still carries the source stack's name, and the next steps.

Exit status: 0 written; 2 a bad name, an unknown source, a file that exists, or a stack that would
not render (nothing written).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import sys
from pathlib import Path

import yaml

from eks_platform.runner.stack_config import PROJECT_DIR, stack_config_from_dict, stack_names
from render.policy import DEFAULT_POLICY_CONFIG
from settings.model import NetworkConfig
from settings.problems import unknown_stack_message
from settings.syntax import RFC1918_RANGES

# Pulumi's stack name rule (pulumi stack init): letters, digits, -, _ and . (at most 100).
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_VPC_CIDR = re.compile(r"(?m)^(?P<lead>\s*vpcCidr:\s*)(?P<quote>[\"']?)(?P<cidr>[0-9./]+)(?P=quote)")
NETWORK = "eks-platform:network"


class NewStackError(Exception):
    pass


def plan(name: str, source: str, project_dir: Path = PROJECT_DIR) -> dict[Path, str]:
    """The files to write, by path; raises NewStackError for what must not be written."""
    if not _NAME.match(name):
        raise NewStackError(f"NAME={name!r} is not a stack name: letters, digits, '-', '_' and '.', at most 100")
    source_file = project_dir / f"Pulumi.{source}.yaml"
    if not source_file.exists():
        raise NewStackError(f"FROM={source!r}: {unknown_stack_message(source, stack_names(project_dir))}")
    stack_file = project_dir / f"Pulumi.{name}.yaml"
    policy_dir = project_dir / "policy" / "config"
    policy_file = policy_dir / f"{name}.json"
    golden_file = project_dir / "tests" / "golden" / f"{name}.plan.json"
    for path in (stack_file, policy_file, golden_file):
        if path.exists():
            raise NewStackError(f"{path.relative_to(project_dir)} exists already: nothing was written")
    source_policy = policy_dir / f"{source}.json"
    policy = json.loads(source_policy.read_text()) if source_policy.exists() else DEFAULT_POLICY_CONFIG
    text = with_own_vpc_range(with_header(source_file.read_text(), name, source), project_dir)
    return {
        stack_file: text,
        policy_file: json.dumps(policy, indent=2) + "\n",
        golden_file: _golden(name, text, policy, project_dir),
    }


def with_header(text: str, name: str, source: str) -> str:
    """The source's opening comment describes the source: the new stack gets one of its own."""
    lines = text.splitlines(keepends=True)
    body = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    header = (
        f"# {name}: started from {source}'s stack file by `make new-stack`; say here what this environment is\n"
        f"# for and how it differs from {source}.\n"
    )
    return header + "".join(lines[body:])


def vpc_range(config: dict) -> ipaddress.IPv4Network | None:
    """The VPC range a stack config creates (the platform's default if it names none); None on your own VPC."""
    network = (config or {}).get(NETWORK) or {}
    if not isinstance(network, dict) or network.get("vpcId"):
        return None
    return ipaddress.IPv4Network(network.get("vpcCidr", NetworkConfig.model_fields["vpc_cidr"].default), strict=False)


def used_vpc_ranges(project_dir: Path) -> list[ipaddress.IPv4Network]:
    configs = (yaml.safe_load(p.read_text()) or {} for p in sorted(project_dir.glob("Pulumi.*.yaml")))
    return [r for r in (vpc_range(c.get("config")) for c in configs) if r is not None]


def free_range(like: ipaddress.IPv4Network, used: list[ipaddress.IPv4Network]) -> ipaddress.IPv4Network:
    """The first block of `like`'s size after it, in its private range, that overlaps no used one.
    Separate ranges keep peering or a transit gateway between environments possible later."""
    space = next(r for r in RFC1918_RANGES if like.subnet_of(r))
    blocks = list(space.subnets(new_prefix=like.prefixlen))
    start = blocks.index(like)
    for block in blocks[start + 1 :] + blocks[:start]:
        if not any(block.overlaps(u) for u in used):
            return block
    raise NewStackError(f"no /{like.prefixlen} in {space} is free of the other stacks' VPC ranges")


def with_own_vpc_range(text: str, project_dir: Path) -> str:
    """The copy with a vpcCidr no other stack uses (a stack on an existing VPC keeps its vpcId)."""
    like = vpc_range(yaml.safe_load(text).get("config"))
    if like is None:
        return text
    own = f"{free_range(like, used_vpc_ranges(project_dir))}  # make new-stack: no other stack's VPC overlaps it"
    if _VPC_CIDR.search(text):
        return _VPC_CIDR.sub(lambda m: f"{m['lead']}{own}", text, count=1)
    if re.search(rf"(?m)^  {NETWORK}:\s*$", text):
        return re.sub(rf"(?m)^  {NETWORK}:\s*$", f"  {NETWORK}:\n    vpcCidr: {own}", text, count=1)
    return re.sub(r"(?m)^config:\s*$", f"config:\n  {NETWORK}:\n    vpcCidr: {own}", text, count=1)


def _golden(name: str, text: str, policy: dict, project_dir: Path) -> str:
    """The new stack's first golden render, judged by the policy config it gets."""
    from eks_platform.runner.engine import ProgramError
    from review.golden import plan_of

    try:
        return plan_of(stack_config_from_dict(name, yaml.safe_load(text)["config"], project_dir), policy, project_dir)
    except ProgramError as error:
        raise NewStackError(f"Pulumi.{name}.yaml would not render; nothing was written:\n{error.message}") from None


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
    print("\n".join(report(args.name, args.source, {p.relative_to(project_dir): t for p, t in files.items()})))
    return 0


def report(name: str, source: str, files: dict[Path, str]) -> list[str]:
    stack_file, policy_file, golden_file = files
    text = files[stack_file]
    lines = [
        f"Wrote {stack_file} (from Pulumi.{source}.yaml), {policy_file} (from {source}'s) and {golden_file} "
        "(its first golden render)."
    ]
    own = vpc_range(yaml.safe_load(text)["config"])
    if own is not None:
        lines.append(f"Its VPC range is {own}: no other stack's overlaps it.")
    named = still_named(text, source)
    if named:
        lines += [f"Still says {source!r} (review):", *named]
    if "secure:" in text:
        lines.append(
            f"It holds secure: values encrypted for {source}'s secrets provider: set them again with "
            f"`pulumi config set --secret --stack {name} ...`"
        )
    steps = [
        (f"make render STACK={name}", f"the offline preview, judged by {policy_file}"),
        ("make golden", f"after you change Pulumi.{name}.yaml: its golden render again (make test compares it)"),
        (f"pulumi stack init {name}", "then `pulumi preview` with your credentials"),
    ]
    width = max(len(command) for command, _ in steps)
    lines += ["Next:", *(f"    {command:<{width}}  {why}" for command, why in steps)]
    lines.append(
        "The pull request workflow finds the stack by its file; .github/workflows/deploy.yml deploys dev and "
        "prod only: add a job there when this stack should deploy on merge."
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
