"""The benchmark's generated large config stays valid, so `make bench` measures a real render
(the bench itself fails if that render fails)."""

from __future__ import annotations

from benchmarks.large_config import IDENTITIES, NODE_GROUPS, WORKLOADS, large_config
from settings import load_settings


def test_large_config_is_valid_and_as_large_as_announced():
    settings = load_settings(large_config(), "eks-platform", "large")
    assert settings.warnings == ()
    assert len(settings.node_groups) == NODE_GROUPS
    assert any(ng.taints for ng in settings.node_groups) and all(ng.labels for ng in settings.node_groups)
    access = settings.access
    assert len(access.role_mappings) + len(access.user_mappings) + len(access.access_entries) == IDENTITIES
    assert len(settings.workloads.enabled_workloads()) == WORKLOADS
    # every sample workload is placed, and so are the platform's own pods (the add-ons', the autoscaler, the
    # day-one add-ons on by default)
    samples = {key for key, _ in settings.workloads.enabled_workloads()}
    platform = {"autoscaling", "platformAddons.metricsServer", "platformAddons.awsLoadBalancerController"}
    assert {key for key in settings.placements if not key.startswith("addons.")} == samples | platform
    assert {"addons.coredns", "addons.aws-ebs-csi-driver.controller"} <= set(settings.placements)
