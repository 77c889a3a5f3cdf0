"""The benchmark's generated large config stays valid, so `make bench` measures a real render."""

from __future__ import annotations

from benchmarks.large_config import IDENTITIES, NODE_GROUPS, large_config
from settings import load_settings
from tests.conftest import run_config


def test_large_config_is_valid_and_renders():
    settings = load_settings(large_config(), "eks-platform", "large")
    assert len(settings.node_groups) == NODE_GROUPS
    assert any(ng.taints for ng in settings.node_groups) and all(ng.labels for ng in settings.node_groups)
    assert settings.warnings == ()
    result = run_config(large_config(), stack="large")
    assert len(result.of_type("eks:index:ManagedNodeGroup")) == NODE_GROUPS
    cluster = result.one("eks:index:Cluster").inputs
    entries = result.of_type("aws:eks/accessEntry:AccessEntry")
    assert len(cluster["roleMappings"]) + len(cluster["userMappings"]) + len(entries) == IDENTITIES
