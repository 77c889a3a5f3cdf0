"""Shared helpers: a minimal valid config to vary, and runs of the program on the mock engine."""

from __future__ import annotations

import copy

import pytest

from runner.engine import RunResult, run_program, run_stack
from runner.stack_config import stack_config_from_dict

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


def run_config(config: dict, stack: str = "test") -> RunResult:
    return run_program(stack_config_from_dict(stack, config))


@pytest.fixture(scope="session")
def dev() -> RunResult:
    return run_stack("dev")


@pytest.fixture(scope="session")
def prod() -> RunResult:
    return run_stack("prod")
