"""Run the platform's Pulumi program on Pulumi's mock engine and record what it registers.

The one runner of the codebase: the tests assert on its records and the offline render
writes them out. No Pulumi CLI, no plugins, no cloud: every resource registration, invoke and
output registration goes to an in-process monitor (runner/monitor.py) that records it
(runner/records.py) and answers with the realistic values of `mocks.PlatformMocks`.
"""

from __future__ import annotations

import logging
import runpy
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import resource as pulumi_resource
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .mocks import PlatformMocks
from .monitor import STACK_TYPE, RecordingMonitor
from .records import Invoke, ProgramError, Resource, RunResult, Secret, reveal, tree_order
from .stack_config import StackConfig

# The records live in runner/records.py; they are imported from here by the tests, the render and the review.
__all__ = [
    "STACK_TYPE",
    "Invoke",
    "ProgramError",
    "Resource",
    "RunResult",
    "Secret",
    "reveal",
    "run_program",
    "run_stack",
]

# The SDK walks the Python stack on every registration to tell the engine which source line
# created the resource (for the CLI's error messages). No engine reads it here, and it is a
# tenth of the mock engine's time on a large program: skip it in this runner only.
pulumi_resource._get_stack_trace = source_pb2.StackTrace


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _quiet_about_abandoned_futures(loop, context: dict) -> None:
    """A failed program leaves outputs whose error nobody awaits; the failure itself is already
    reported as a ProgramError, so asyncio's "never retrieved" notes are noise."""
    if context.get("message", "").startswith("Future exception was never retrieved"):
        return
    loop.default_exception_handler(context)


def run_program(
    config: StackConfig,
    program: Path | None = None,
    stack_references: Mapping[str, Mapping[str, Any]] | None = None,
    preview: bool = False,
) -> RunResult:
    """Run `program` (default: `__main__.py` in the current directory, as `pulumi up` runs it) with
    `config` on the mock engine; raise ProgramError if it fails.

    `stack_references` maps a stack name to the outputs a `pulumi.StackReference` to it reads
    (Secret-marked values are secret outputs) — e.g. another run's `RunResult.outputs`.

    `preview`: run as a first `pulumi preview` does — nothing exists yet, so every value a
    provider computes (ids, ARNs, endpoints) is unknown, and so is everything derived from it;
    inputs then hold the engine's UNKNOWN sentinel (pulumi.runtime.rpc.UNKNOWN) where a real
    preview would."""
    program = program or Path.cwd() / "__main__.py"
    project_dir = str(program.parent)
    if project_dir not in sys.path:
        sys.path.insert(0, project_dir)

    region = config.values.get("aws:region")
    region = region if isinstance(region, str) else "us-east-1"
    mocks = PlatformMocks(region=region, stack_references=stack_references, preview=preview)
    monitor = RecordingMonitor(mocks)
    collector = _Collect()
    logger = logging.getLogger(f"eks-platform.runner.{id(collector)}")
    logger.propagate = False
    logger.addHandler(collector)

    pulumi.runtime.set_all_config(config.runtime_values(), sorted(config.secret_keys))
    pulumi.runtime.set_mocks(mocks, config.project, config.stack, preview=preview, logger=logger, monitor=monitor)
    # set_mocks made a root stack of its own; run_in_stack makes the one outputs attach to.
    pulumi_settings.set_root_resource(None)
    pulumi_settings.SETTINGS.outputs.clear()

    loop = _ensure_event_loop()
    loop.set_exception_handler(_quiet_about_abandoned_futures)
    try:
        _sync_await(run_in_stack(lambda: runpy.run_path(str(program), run_name="__main__")))
    except pulumi.RunError as error:
        raise ProgramError(str(error), True, _in_tree_order(monitor.records)) from None
    except Exception as error:
        raise ProgramError(f"{type(error).__name__}: {error}", False, _in_tree_order(monitor.records)) from error
    finally:
        logger.removeHandler(collector)

    for record in monitor.records:
        if not record.custom and not record.remote and record.urn in monitor.registered_outputs:
            record.outputs = monitor.registered_outputs[record.urn]  # a component's register_outputs
    return RunResult(
        project=config.project,
        stack=config.stack,
        resources=_in_tree_order(monitor.records),
        outputs=monitor.registered_outputs.get(monitor.stack_urn, {}),
        invokes=list(monitor.invokes),
        warnings=collector.messages,
        config=config,
    )


def _in_tree_order(records: list[Resource]) -> list[Resource]:
    """The records parent-first, siblings by type and name (the render's order): the SDK registers from a
    pool of worker threads, so the order they were recorded in differs from one run to the next."""
    return [r for _, r in tree_order(records)]


def run_stack(stack: str, overrides: Mapping[str, Any] | None = None) -> RunResult:
    """Run a checked-in stack (`Pulumi.<stack>.yaml`), optionally with some keys replaced."""
    from .stack_config import load_stack_config

    config = load_stack_config(stack)
    if overrides:
        config = StackConfig(config.project, stack, {**config.values, **overrides}, config.secret_keys)
    return run_program(config)
