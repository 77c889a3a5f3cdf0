"""The sample outputs README.md and docs/*.md show, produced by the code that prints them.

    python -m render.readme --write     (make readme)   rewrite every sample block of those files
    python -m render.readme --check                     exit 1 if one is stale (tests/test_readme.py)

A block is marked `<!-- sample: NAME -->` ... `<!-- /sample -->`; its content is what SAMPLES[NAME]
returns. Nothing in those blocks is typed by hand: change the code, run `make readme`, and the
documentation says what the code does. The samples of the commands that write stacks are in
render/readme_stacks.py, those of the library in render/readme_library.py, those of the day-one add-ons in
render/readme_addons.py.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from eks_platform.runner.stack_config import PROJECT_DIR

from .readme_addons import ADDON_SAMPLES
from .readme_checks import CHECK_SAMPLES
from .readme_library import LIBRARY_SAMPLES
from .readme_lifecycle import LIFECYCLE_SAMPLES
from .readme_review import REVIEW_SAMPLES
from .readme_stacks import STACK_SAMPLES
from .sample_text import fenced as _fenced

README = PROJECT_DIR / "README.md"
DOCS = PROJECT_DIR / "docs"


def documentation_files() -> list[Path]:
    """Every file that may hold sample blocks: README.md and the pages of docs/."""
    return [README, *sorted(DOCS.glob("*.md"))]


_BLOCK = re.compile(r"(<!-- sample: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- /sample -->)", re.S)

# The README's headline mistake: three problems in two sections, one of them a typo that used to
# hide the cross-field problem of its own node group.
THREE_MISTAKES = {
    "aws:region": "ap-northeast-2",
    "eks-platform:network": {"vpcCidr": "8.8.0.0/16"},
    "eks-platform:nodeGroups": [{"name": "general", "minSize": 3, "maxSize": 2, "minSzie": 1}],
}
# A database that tolerates a taint no group has and selects a pool no group offers.
PENDING = {
    "aws:region": "ap-northeast-2",
    "eks-platform:nodeGroups": [
        {
            "name": "general",
            "labels": {"platform.example.com/pool": "general"},
            "taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}],
        },
        {"name": "spot", "capacityType": "SPOT", "instanceTypes": ["m6i.large", "m5.large"],
         "labels": {"platform.example.com/pool": "spot"}},
    ],
    "eks-platform:workloads": {
        "enabled": True,
        "pod": {"enabled": False},
        "deployment": {"enabled": False},
        "daemonSet": {"enabled": False},
        "job": {"enabled": False},
        "cronJob": {"enabled": False},
        "statefulSet": {"nodeSelector": {"platform.example.com/pool": "db"}},
    },
}  # fmt: skip


def _render(stack: str, config: dict | None = None) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `python -m render`, in this process (once per input)."""
    key = (stack, json.dumps(config, sort_keys=True))
    if key not in _RENDERS:
        _RENDERS[key] = _run_render(stack, config)
    return _RENDERS[key]


_RENDERS: dict[tuple[str, str], tuple[int, str, str]] = {}


def _run_render(stack: str, config: dict | None) -> tuple[int, str, str]:
    from render.__main__ import main

    with tempfile.TemporaryDirectory() as tmp:
        args = ["--stack", stack, "--out", str(Path(tmp) / "out")]
        if config is not None:
            path = Path(tmp) / f"Pulumi.{stack}.yaml"
            path.write_text(yaml.safe_dump({"config": config}))
            args += ["--config", str(path)]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(args)
        shown = f"build/{stack}"
        return code, stdout.getvalue().replace(f"{tmp}/out", shown), stderr.getvalue().replace(f"{tmp}/out", shown)


def config_error() -> str:
    code, _, stderr = _render("dev", THREE_MISTAKES)
    shown = yaml.safe_dump({"config": THREE_MISTAKES}, sort_keys=False)
    return (
        _fenced(shown, "yaml")
        + "\n"
        + _fenced(f"$ venv/bin/python -m render --stack dev --config bad.yaml\n{stderr}$ echo $?\n{code}")
    )


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def preview_prod() -> str:
    code, stdout, _ = _render("prod")
    lines = stdout.splitlines()
    tree_end = lines.index("", 3)
    tree = lines[:tree_end]
    shown = [*tree[:28], " ..."]
    shown += ["", *_section(stdout, "Add-ons:")]
    shown += ["", *_section(stdout, "Outputs:")[:4], "    ..."]
    resources = _section(stdout, "Resources:")
    by_type = _section(stdout, "By type:")
    shown += ["", *resources, "", *by_type[:6], "    ..."]
    shown += ["", "Policies: no violations" if "Policies: no violations" in stdout else "Policy violations: ..."]
    shown += [""] + [line for line in lines if line.startswith("Wrote ")]
    assert code == 0, stdout
    return _fenced("\n".join(shown))


def access_dev() -> str:
    _, stdout, _ = _render("dev")
    return _fenced("\n".join(_section(stdout, f"Access (authenticationMode {_mode(stdout)}):")))


def identities_dev() -> str:
    _, stdout, _ = _render("dev")
    return _fenced("\n".join(_section(stdout, "Service account roles:")))


def placement_prod() -> str:
    _, stdout, _ = _render("prod")
    placement = _section(stdout, "Placement (the schedulability check's own verdicts):")
    capacity = _section(
        stdout, "Capacity at maxSize (what can land only on the group, and what runs on each of its nodes):"
    )
    return _fenced("\n".join([*placement, "", *capacity]))


def _mode(stdout: str) -> str:
    return re.search(r"Access \(authenticationMode (\w+)\):", stdout)[1]


def pending_error() -> str:
    _, _, stderr = _render("dev", PENDING)
    return _fenced(stderr)


def policy_dev() -> str:
    _, stdout, _ = _render("dev")
    return _fenced("\n".join(_section(stdout, "Policy violations:")))


def exit_statuses() -> str:
    """The render's own exit status for each outcome, as CI reads it."""
    open_prod = yaml.safe_load((PROJECT_DIR / "Pulumi.prod.yaml").read_text())["config"]
    open_prod["eks-platform:cluster"]["publicAccessCidrs"] = ["0.0.0.0/0"]
    cases = [
        ("venv/bin/python -m render --stack prod", _render("prod")[0]),
        (
            "venv/bin/python -m render --stack prod --config prod-open-to-the-internet.yaml",
            _render("prod", open_prod)[0],
        ),
        ("venv/bin/python -m render --stack dev --config bad.yaml", _render("dev", THREE_MISTAKES)[0]),
        ("venv/bin/python -m render --stack nosuchstack", _render("nosuchstack")[0]),
    ]
    return _fenced("\n".join(f"$ {command} > /dev/null 2>&1; echo $?\n{code}" for command, code in cases))


def policy_first_preview() -> str:
    """Which rules a stack's first `pulumi preview` cannot decide (their values are created in the
    same stack), from the pack's rules on a preview run of each checked-in stack."""
    from eks_platform.runner.engine import run_program
    from eks_platform.runner.stack_config import load_stack_config
    from render.policy import UNDECIDED, evaluate, policy_config

    lines = []
    for stack in ("dev", "prod"):
        found = evaluate(run_program(load_stack_config(stack), preview=True), policy_config(stack))
        undecided = sorted(
            {(v["policy"], v["resource"], v["message"]) for v in found if v["message"].startswith(UNDECIDED)}
        )
        lines.append(f"{stack}: {len(undecided)} of the checks wait for `pulumi up` on the first preview")
        lines += [
            f"    {policy} on {resource}: {message.removeprefix(UNDECIDED + ': ')}"
            for policy, resource, message in undecided
        ]
    return _fenced("\n".join(lines))


_PLANS: dict[str, dict] = {}


def _plan(stack: str, change: Callable[[dict], None] | None = None, key: str = "") -> dict:
    """plan.json of a stack, optionally with its config changed (for the review samples)."""
    import copy

    from eks_platform.runner.engine import run_program
    from eks_platform.runner.stack_config import StackConfig, load_stack_config
    from render.plan import build_plan
    from render.policy import evaluate, policy_config

    if f"{stack}/{key}" not in _PLANS:
        config = load_stack_config(stack)
        values = copy.deepcopy(dict(config.values))
        if change:
            change(values)
        result = run_program(StackConfig(config.project, stack, values, config.secret_keys))
        _PLANS[f"{stack}/{key}"] = build_plan(result, evaluate(result, policy_config(stack)))
    return _PLANS[f"{stack}/{key}"]


def review_instance_types() -> str:
    """dev with its node group on m5.large instead of t3.medium: a replacement, flagged."""
    from review.__main__ import DANGEROUS
    from review.report import build_review, review_text

    head = _plan("dev", lambda v: v["eks-platform:nodeGroups"][0].__setitem__("instanceTypes", ["m5.large"]), "m5")
    review = build_review("dev", _plan("dev"), head, "main")
    code = DANGEROUS if review.dangerous else 0
    return _fenced(
        f"$ venv/bin/python -m review --stack dev      # make diff STACK=dev\n{review_text(review)}$ echo $?\n{code}"
    )


def review_upgrade() -> str:
    """dev from 1.35 to 1.36, and a jump of two minor versions that is refused."""
    from review.report import build_review, review_text

    newer = _plan("dev", lambda v: v["eks-platform:cluster"].__setitem__("version", "1.36"), "1.36")
    older = _plan("dev", lambda v: v["eks-platform:cluster"].__setitem__("version", "1.34"), "1.34")
    upgrade = review_text(build_review("dev", _plan("dev"), newer, "main"))
    skipped = review_text(build_review("dev", older, newer, "main"))
    upgrade = upgrade[: upgrade.index("Changes:")].rstrip()
    skipped = skipped[: skipped.index("Changes:")].rstrip()
    return _fenced(f"{upgrade}\n\n{skipped}")


def unknown_stack() -> str:
    """A mistyped stack name: one line, the stacks there are and the closest one."""
    code, _, stderr = _render("prd")
    return _fenced(f"$ venv/bin/python -m render --stack prd      # make render STACK=prd\n{stderr}$ echo $?\n{code}")


def teardown(stack: str) -> Callable[[], str]:
    def sample() -> str:
        _, stdout, _ = _render(stack)
        return _fenced("\n".join(_section(stdout, stdout[stdout.index("Teardown (") :].splitlines()[0])))

    return sample


def component_error() -> str:
    """What a library user sees for a bad Args value (no settings layer involved)."""
    from eks_platform.components.managed_node_group import ManagedNodeGroupArgs

    call = 'ManagedNodeGroupArgs(name="batch", ..., max_size=2, max_unavailable=3)'
    try:
        ManagedNodeGroupArgs(
            name="batch", cluster_name="c", kubernetes_version="1.35", node_role=None, subnet_ids=[], max_size=2,
            max_unavailable=3,
        )  # fmt: skip
    except ValueError as error:
        return _fenced(f">>> {call}\nValueError: {error}", "python")
    raise AssertionError("the bad Args were accepted")


# The account the deployer-policy sample is written for (the stack files' example account).
SAMPLE_ACCOUNT = "111122223333"


def deployer_policy_dev() -> str:
    """`make deployer-policy STACK=dev ACCOUNT=...`: what it prints, from dev's render."""
    from deployer.__main__ import stack_of, write
    from eks_platform.runner.stack_config import load_stack_config

    stack = stack_of(load_stack_config("dev"), SAMPLE_ACCOUNT)
    with tempfile.TemporaryDirectory() as tmp:
        printed = write(_plan("dev"), stack, Path(tmp) / "dev").replace(f"{tmp}/dev", "build/dev")
    return _fenced(f"$ make deployer-policy STACK=dev ACCOUNT={SAMPLE_ACCOUNT}\n{printed}")


def deployer_policy_rows() -> str:
    """Every row of the permission table (`python -m deployer --table`)."""
    from deployer.report import table_text
    from deployer.table import PREFIXES, ROWS

    return _fenced(table_text(ROWS.values(), PREFIXES))


SAMPLES: dict[str, Callable[[], str]] = {
    **STACK_SAMPLES,
    **LIBRARY_SAMPLES,
    **CHECK_SAMPLES,
    **LIFECYCLE_SAMPLES,
    **ADDON_SAMPLES,
    "deployer-policy-dev": deployer_policy_dev,
    "deployer-policy-rows": deployer_policy_rows,
    "component-error": component_error,
    "review-instance-types": review_instance_types,
    "review-upgrade": review_upgrade,
    **REVIEW_SAMPLES,
    "policy-first-preview": policy_first_preview,
    "config-error": config_error,
    "preview-prod": preview_prod,
    "access-dev": access_dev,
    "identities-dev": identities_dev,
    "placement-prod": placement_prod,
    "pending-error": pending_error,
    "policy-dev": policy_dev,
    "exit-statuses": exit_statuses,
    "unknown-stack": unknown_stack,
    "teardown-dev": teardown("dev"),
    "teardown-prod": teardown("prod"),
}


def produced(readme: str) -> str:
    """README text with every sample block replaced by what the code prints now — as of the golden
    renders' day, so the EKS calendar never makes the README stale by itself."""
    from review.golden import GOLDEN_DAY
    from settings.versions import TODAY_VARIABLE

    os.environ[TODAY_VARIABLE] = GOLDEN_DAY

    def replace(match: re.Match) -> str:
        name = match["name"]
        if name not in SAMPLES:
            raise KeyError(f"a page marks an unknown sample {name!r}; known: {', '.join(SAMPLES)}")
        if name not in _PRODUCED:
            _PRODUCED[name] = SAMPLES[name]()
        return match[1] + _PRODUCED[name] + match[4]

    return _BLOCK.sub(replace, readme)


_PRODUCED: dict[str, str] = {}  # a sample shown on two pages is produced once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="render.readme", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the sample blocks of README.md and docs/")
    args = parser.parse_args(argv)
    stale = []
    for path in documentation_files():
        current = path.read_text()
        fresh = produced(current)
        if args.write and fresh != current:
            path.write_text(fresh)
        elif fresh != current:
            stale.append(str(path.relative_to(PROJECT_DIR)))
    if stale:
        print(
            f"{', '.join(stale)}: a sample block differs from what the code prints; run `make readme`", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
