"""Helpers of the importer tests: a minimal ClusterConfig to vary, and one import run the way
`python -m importer` does it (mapping, stack text, settings check), without writing a file."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from importer.check import check_stack
from importer.mapping import import_cluster_config
from importer.outcome import Outcome
from importer.stack_file import stack_text

FIXTURES = Path(__file__).parent / "fixtures" / "eksctl"
DELETE = object()  # a patch value that removes the key

BASE_NODE_GROUP = {"name": "general", "instanceType": "t3.medium", "privateNetworking": True}
BASE = {
    "apiVersion": "eksctl.io/v1alpha5",
    "kind": "ClusterConfig",
    "metadata": {"name": "shop", "region": "eu-west-1"},
    "managedNodeGroups": [BASE_NODE_GROUP],
}


def fixture(name: str) -> dict:
    return yaml.safe_load((FIXTURES / name).read_text())


def patched(base: dict, patch: dict) -> dict:
    """`base` with `patch` merged in: mappings merge key by key, anything else replaces."""
    result = copy.deepcopy(base)
    for key, value in patch.items():
        if value is DELETE:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = patched(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def cluster(**patch: Any) -> dict:
    """BASE with top-level fields patched: cluster(vpc={"cidr": ...})."""
    return patched(BASE, patch)


def group(**fields: Any) -> dict:
    """BASE with its one managed node group's fields patched."""
    node_group = patched(BASE_NODE_GROUP, fields)
    return patched(BASE, {"managedNodeGroups": [node_group]})


def tainted_group(**fields: Any) -> dict:
    """`group(**fields)` with a second, untainted group: CoreDNS and the EBS CSI controller (which tolerate
    only CriticalAddonsOnly) need somewhere to run, or the stack is refused."""
    node_group = patched(BASE_NODE_GROUP, fields)
    return patched(BASE, {"managedNodeGroups": [node_group, {**BASE_NODE_GROUP, "name": "plain"}]})


@dataclass
class Run:
    outcome: Outcome
    problems: list[str]  # the eksctl file's own, or the settings layer's with both paths
    warnings: list[str]

    @property
    def config(self) -> dict:
        return self.outcome.config

    @property
    def left_behind(self) -> dict[str, str]:
        return {item.path: item.reason for item in self.outcome.left_behind}

    @property
    def notes(self) -> dict[str, str]:
        return {note.path: note.text for note in self.outcome.notes}


def run(document: dict, bindings: dict | None = None) -> Run:
    outcome = import_cluster_config(document, bindings)
    if outcome.problems:
        return Run(outcome, [str(p) for p in outcome.problems], [])
    problems, warnings = check_stack(stack_text(outcome, "test.yaml"), "imported", outcome)
    return Run(outcome, [str(p) for p in problems], [str(w) for w in warnings])
