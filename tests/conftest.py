"""Shared helpers: a minimal valid config to vary, and runs of the program on the mock engine."""

from __future__ import annotations

import copy
import os
from datetime import date

import pytest

from eks_platform.runner.engine import RunResult, run_program, run_stack
from eks_platform.runner.stack_config import stack_config_from_dict
from settings import SettingsError, load_settings

# The day the suite judges Kubernetes versions on (EKS's calendar moves; the tests do not).
TODAY = date(2026, 11, 27)
# The program reads it too (settings.versions.today): every run on the mock engine uses this day.
os.environ["EKS_PLATFORM_TODAY"] = TODAY.isoformat()
# A deployer's AWS_PROFILE would change what the Kubernetes providers run.
os.environ.pop("AWS_PROFILE", None)

# The autoscaler, metrics-server and the AWS Load Balancer Controller are on by default; tests of other features
# run without them (tests/test_autoscaling.py, tests/test_platform_addons.py, dev and prod cover them), so what
# they count is theirs alone.
PLATFORM_ADDONS_OFF = {"metricsServer": {"enabled": False}, "awsLoadBalancerController": {"enabled": False}}
MINIMAL = {
    "aws:region": "us-east-1",
    "eks-platform:nodeGroups": [{"name": "general"}],
    "eks-platform:autoscaling": {"enabled": False},
    "eks-platform:platformAddons": PLATFORM_ADDONS_OFF,
}


# CoreDNS and the EBS CSI controller tolerate only CriticalAddonsOnly (and the controller any NoExecute taint):
# a stack whose every node group is tainted gives them tolerations in their configurationValues, as a user
# would, or they can land nowhere (settings/platform_pods.py).
ADDONS_ANYWHERE = {
    "coredns": {"configurationValues": {"tolerations": [{"operator": "Exists"}]}},
    "aws-ebs-csi-driver": {"configurationValues": {"controller": {"tolerations": [{"operator": "Exists"}]}}},
}


def config_with(**changes) -> dict:
    """MINIMAL with sections replaced: config_with(cluster={...}) sets eks-platform:cluster.

    A value of None removes the key; `region=` sets aws:region.
    """
    config = copy.deepcopy(MINIMAL)
    for name, value in changes.items():
        key = "aws:region" if name == "region" else f"eks-platform:{name}"
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def check_rule(rule: str, good: dict, bad: dict, path: str, fragment: str) -> None:
    """A validation rule, both ways: `good` loads; `bad` fails with a problem at `path` whose
    message contains `fragment` (the bad value, or what would be valid)."""
    load_settings(good, "eks-platform", "test", today=TODAY)
    with pytest.raises(SettingsError) as caught:
        load_settings(bad, "eks-platform", "test", today=TODAY)
    messages = {p.path: p.message for p in caught.value.problems}
    assert path in messages, f"{rule}: no problem at {path}; got {messages}"
    assert fragment in messages[path], f"{rule}: {messages[path]!r} lacks {fragment!r}"


def run_config(config: dict, stack: str = "test") -> RunResult:
    return run_program(stack_config_from_dict(stack, config))


_PLANS: dict = {}


def plan_of(stack: str, change=None) -> dict:
    """plan.json (as a dict) of a checked-in stack with one change to its config values; the stack as it
    is, or a change named at module level, is rendered once per worker."""
    if change is not None and not change.__qualname__.isidentifier():  # a lambda or a local function
        return _plan(stack, change)
    if (stack, change) not in _PLANS:
        _PLANS[stack, change] = _plan(stack, change)
    return _PLANS[stack, change]


def _plan(stack: str, change) -> dict:
    from eks_platform.runner.stack_config import StackConfig, load_stack_config
    from render.plan import build_plan
    from render.policy import evaluate, policy_config

    config = load_stack_config(stack)
    values = copy.deepcopy(dict(config.values))
    if change:
        change(values)
    result = run_program(StackConfig(config.project, stack, values, config.secret_keys))
    return build_plan(result, evaluate(result, policy_config(stack)))


@pytest.fixture(scope="session")
def dev() -> RunResult:
    return run_stack("dev")


@pytest.fixture(scope="session")
def prod() -> RunResult:
    return run_stack("prod")


@pytest.fixture(scope="session")
def dev_plan(dev) -> dict:
    from render.plan import build_plan
    from render.policy import evaluate, policy_config

    return build_plan(dev, evaluate(dev, policy_config("dev")))


@pytest.fixture(scope="session")
def prod_plan(prod) -> dict:
    from render.plan import build_plan
    from render.policy import evaluate, policy_config

    return build_plan(prod, evaluate(prod, policy_config("prod")))


@pytest.fixture(scope="session")
def edge() -> RunResult:
    """The golden renders' own stack (tests/stacks/Pulumi.edge.yaml): the branches dev and prod do not take."""
    from eks_platform.runner.stack_config import PROJECT_DIR, load_stack_config

    return run_program(load_stack_config("edge", PROJECT_DIR / "tests" / "stacks" / "Pulumi.edge.yaml"))


@pytest.fixture(scope="session")
def edge_plan(edge: RunResult) -> dict:
    from render.plan import build_plan

    return build_plan(edge)


# The longest tests (a checkov run, the README's samples, a render in a process of its own, the
# policy pack's process, the library installed and run) go first: on two workers, one of them
# starting last would finish last.
_FIRST = (
    "tests/test_scan.py",
    "tests/test_readme.py",
    "tests/test_review.py::test_make_diff_against_head_renders_both_sides",
    "tests/test_review.py::test_make_diff_on_a_new_vpc_cidr",
    "tests/test_policy_protocol.py",
    "tests/test_library.py",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(_FIRST))
