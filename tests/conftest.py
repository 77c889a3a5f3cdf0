"""Shared helpers: a minimal valid config to vary, and runs of the program on the mock engine."""

from __future__ import annotations

import copy

import pytest

from runner.engine import RunResult, run_program, run_stack
from runner.stack_config import stack_config_from_dict
from settings import SettingsError, load_settings

MINIMAL = {
    "aws:region": "us-east-1",
    "eks-platform:nodeGroups": [{"name": "general"}],
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
    load_settings(good, "eks-platform", "test")
    with pytest.raises(SettingsError) as caught:
        load_settings(bad, "eks-platform", "test")
    messages = {p.path: p.message for p in caught.value.problems}
    assert path in messages, f"{rule}: no problem at {path}; got {messages}"
    assert fragment in messages[path], f"{rule}: {messages[path]!r} lacks {fragment!r}"


def run_config(config: dict, stack: str = "test") -> RunResult:
    return run_program(stack_config_from_dict(stack, config))


@pytest.fixture(scope="session")
def dev() -> RunResult:
    return run_stack("dev")


@pytest.fixture(scope="session")
def prod() -> RunResult:
    return run_stack("prod")
