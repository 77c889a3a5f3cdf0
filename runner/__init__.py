"""Runs a Pulumi program without a cloud: the mock-engine runner shared by tests, render and review.

    from eks_platform.runner import load_stack_config, run_program

    result = run_program(load_stack_config("dev"))   # ./Pulumi.yaml, ./Pulumi.dev.yaml, ./__main__.py

Paths default to the current directory, as the Pulumi CLI runs a program from its project folder;
pass `project_dir=` / `program=` to run another one. The names are loaded on first use, so importing
the package (or its stack_config module alone) does not import the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run_program": "engine",
    "run_stack": "engine",
    "RunResult": "engine",
    "Resource": "engine",
    "ProgramError": "engine",
    "Secret": "engine",
    "reveal": "engine",
    "load_stack_config": "stack_config",
    "stack_config_from_dict": "stack_config",
    "StackConfig": "stack_config",
    "StackConfigError": "stack_config",
    "StackFileMissing": "stack_config",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
