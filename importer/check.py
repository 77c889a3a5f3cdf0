"""Proof that the written stack loads: the platform's settings layer, run on the stack text
exactly as the runner reads a stack file, before anything is written.

Each problem and warning is shown with both paths: the eksctl field the user wrote and the stack
key it became (`managedNodeGroups[0].instanceType → eks-platform:nodeGroups[0].instanceTypes[0]`).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from eks_platform.runner.stack_config import stack_config_from_dict
from settings import SettingsError, load_settings
from settings.versions import today

from .outcome import Outcome


@dataclass(frozen=True)
class Finding:
    stack_path: str
    message: str
    eksctl_path: str | None = None

    def __str__(self) -> str:
        where = f"{self.eksctl_path} → {self.stack_path}" if self.eksctl_path else self.stack_path
        return f"{where}: {self.message}"


def check_stack(text: str, stack: str, outcome: Outcome) -> tuple[list[Finding], list[Finding]]:
    """(problems, warnings) of the stack file `text` as the settings layer sees it."""
    document = yaml.safe_load(text)
    config = stack_config_from_dict(stack, document["config"])
    try:
        # The day the program would judge versions on (settings.versions.today: EKS_PLATFORM_TODAY or the clock).
        settings = load_settings(config.values, config.project, config.stack, config.secret_keys, today=today())
    except SettingsError as error:
        return [_finding(p.path, p.message, outcome) for p in error.problems], []
    warnings = []
    for warning in settings.warnings:
        path, _, message = warning.partition(": ")
        warnings.append(_finding(path, message, outcome))
    return [], warnings


def _finding(stack_path: str, message: str, outcome: Outcome) -> Finding:
    return Finding(stack_path, message, outcome.eksctl_path_of(stack_path))
