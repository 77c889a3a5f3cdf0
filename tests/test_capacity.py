"""Capacity at maxSize counts every pod that runs on the nodes, and a group that cannot hold them fails the
config when `pulumi up` would wait for them.

Sources of the rules and figures, written out here rather than read from the code:
- pulumi-kubernetes waits for a Pod, Deployment, StatefulSet, DaemonSet or Job to be ready (10 minutes),
  unless the object is annotated pulumi.com/skipAwait: "true" (provider/pkg/await/awaiters.go,
  provider/pkg/metadata/annotations.go); the AWS provider waits 20 minutes for an EKS add-on to be ACTIVE,
  DEGRADED counting as pending (terraform-provider-aws internal/service/eks waitAddonCreated).
- The add-ons' pods: aws-node 25m + network policy agent 25m (amazon-vpc-cni-k8s chart, eksctl's aws-node.yaml),
  kube-proxy 100m, eks-pod-identity-agent nothing (its chart's resources {}), ebs-csi-node 10m/40Mi + two
  sidecars at 10m/32Mi; CoreDNS 2 × 100m/70Mi (EKS's manifest, in eksctl's coredns-1.35.json); the EBS CSI
  controller 2 × (four containers at 10m/40Mi + liveness-probe 10m/32Mi) (aws-ebs-csi-driver chart).
- t3.large allocatable for pods: 1930m CPU; t3.medium 17 pods (3 ENIs × 5 + 2).
"""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings
from settings.platform_pods import ADDON_AWAIT, PLATFORM_PODS, _pod, platform_pod
from settings.scheduling import Subject
from tests.conftest import ADDONS_ANYWHERE, TODAY, config_with

LARGE = {"name": "general", "instanceTypes": ["t3.large"], "maxSize": 1}
NO_SAMPLES = {"enabled": False}
WEB_ONLY = {
    "enabled": True,
    "pod": {"enabled": False},
    "daemonSet": {"enabled": False},
    "statefulSet": {"enabled": False},
    "job": {"enabled": False},
    "cronJob": {"enabled": False},
}
# 20 web pods of 250m: 5000m on one t3.large's 1930m, nowhere else to go.
BIG = {"replicas": 20, "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}}}


def load(groups, workloads, **more):
    return load_settings(config_with(nodeGroups=groups, workloads=workloads, **more), "p", "t", today=TODAY)


def short_messages(config) -> tuple[dict[str, str], list[str]]:
    """(problems by path, warnings) of a config, whichever way it ends."""
    try:
        settings = load_settings(config, "p", "t", today=TODAY)
    except SettingsError as error:
        return {p.path: p.message for p in error.problems}, []
    return {}, [w for w in settings.warnings if "cannot hold" in w]


MAX_SIZE = "eks-platform:nodeGroups[0].maxSize"

# (rule, good config, bad config, error fragment or None when the bad config only warns, warning fragment)
CASES = [
    (
        "an awaited Deployment that cannot fit at maxSize is an error",
        config_with(nodeGroups=[{**LARGE, "maxSize": 4}], workloads={**WEB_ONLY, "deployment": BIG}),
        config_with(nodeGroups=[LARGE], workloads={**WEB_ONLY, "deployment": BIG}),
        "pulumi-kubernetes waits 10 minutes for deployment",
        None,
    ),
    (
        "opting out of the wait makes it a warning that says so",
        config_with(nodeGroups=[{**LARGE, "maxSize": 4}], workloads={**WEB_ONLY, "deployment": BIG}),
        config_with(nodeGroups=[LARGE], workloads={**WEB_ONLY, "deployment": {**BIG, "skipAwait": True}}),
        None,
        "nothing waits for the rest (deployment",
    ),
    (
        # 12 CoreDNS pods at 100m and 2 EBS controllers at 50m, 180m of add-on DaemonSets: 1480m fits 1930m;
        # 20 replicas (2180m) do not, and the add-on's own wait makes it an error
        "the add-ons' Deployments count, at their configured replicas",
        config_with(
            nodeGroups=[LARGE], workloads=NO_SAMPLES, addons={"coredns": {"configurationValues": {"replicaCount": 12}}}
        ),
        config_with(
            nodeGroups=[LARGE], workloads=NO_SAMPLES, addons={"coredns": {"configurationValues": {"replicaCount": 20}}}
        ),
        "the AWS provider waits 20 minutes for the EKS add-on to be ACTIVE with addons.coredns",
        None,
    ),
    (
        # t3.medium: 17 pods a node; 6 DaemonSets (5 add-ons + the sample's) + 2 CoreDNS + 2 EBS controllers = 10,
        # and 7 more web pods make 17; 8 make 18
        "pod slots count every DaemonSet and add-on pod",
        config_with(
            nodeGroups=[{**LARGE, "instanceTypes": ["t3.medium"]}],
            workloads={**WEB_ONLY, "daemonSet": {}, "deployment": {"replicas": 7}},
        ),
        config_with(
            nodeGroups=[{**LARGE, "instanceTypes": ["t3.medium"]}],
            workloads={**WEB_ONLY, "daemonSet": {}, "deployment": {"replicas": 8}},
        ),
        "pods 18 > 17",
        None,
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "error", "warning"), CASES, ids=[c[0] for c in CASES])
def test_capacity_rule(rule, good, bad, error, warning):
    assert short_messages(good) == ({}, []), rule
    problems, warnings = short_messages(bad)
    if error:
        assert error in problems.get(MAX_SIZE, ""), (rule, problems)
    else:
        assert problems == {} and len(warnings) == 1 and warning in warnings[0], (rule, warnings)
        assert "`pulumi up` succeeds with pods Pending" in warnings[0]


def test_the_add_ons_pods_are_counted_with_their_requests():
    # no samples, no autoscaler, one t3.large: only what EKS's add-ons run
    (general,) = load([LARGE], NO_SAMPLES).capacity
    # aws-node, kube-proxy, eks-pod-identity-agent, ebs-csi-node, eks-node-monitoring-agent (repair is on by default)
    per_node_cpu = 50 + 100 + 0 + 30 + 10
    per_node_memory = 0 + 0 + 0 + (40 + 32 + 32) + 30
    coredns, controller = (100, 70), (4 * 10 + 10, 4 * 40 + 32)
    assert general.needs == (
        per_node_cpu + 2 * coredns[0] + 2 * controller[0],
        per_node_memory + 2 * coredns[1] + 2 * controller[1],
        5 + 2 + 2,
    )
    assert general.daemonsets == (
        "addons.vpc-cni",
        "addons.kube-proxy",
        "addons.eks-pod-identity-agent",
        "addons.aws-ebs-csi-driver.node",
        "addons.eks-node-monitoring-agent",
    )
    assert dict(general.only_here) == {"addons.coredns": 2, "addons.aws-ebs-csi-driver.controller": 2}


@pytest.mark.parametrize(
    ("addons", "lands"),
    [
        # CoreDNS tolerates only CriticalAddonsOnly (and the control-plane taint): a tainted-only cluster has no DNS
        ({}, False),
        (ADDONS_ANYWHERE, True),
    ],
)
def test_the_add_ons_land_only_where_they_tolerate(addons, lands):
    tainted = {**LARGE, "taints": [{"key": "dedicated", "value": "x", "effect": "NoSchedule"}]}
    config = config_with(nodeGroups=[tainted], workloads=NO_SAMPLES, addons=addons)
    if lands:
        load_settings(config, "p", "t", today=TODAY)
        return
    with pytest.raises(SettingsError) as caught:
        load_settings(config, "p", "t", today=TODAY)
    messages = {p.path: p.message for p in caught.value.problems}
    assert "can land on no node group" in messages["eks-platform:addons.coredns"]
    assert "give the add-on tolerations in its configurationValues" in messages["eks-platform:addons.coredns"]


def test_a_later_add_on_registers_its_pods_in_one_place(monkeypatch):
    """What another add-on (metrics-server, the load balancer controller ...) does: one decorated function."""
    monkeypatch.setattr("settings.platform_pods.PLATFORM_PODS", list(PLATFORM_PODS))
    baseline = load([LARGE], NO_SAMPLES).capacity[0].needs

    @platform_pod
    def metrics_server(context) -> Subject:
        return _pod("addons.metrics-server", "eks-platform:addons", "Deployment", "kube-system/metrics-server", 2,
                    ("100m", "200Mi"), (), ADDON_AWAIT)  # fmt: skip

    settings = load([LARGE], NO_SAMPLES)
    assert settings.capacity[0].needs == (baseline[0] + 2 * 100, baseline[1] + 2 * 200, baseline[2] + 2)
    assert ("addons.metrics-server", 2) in settings.capacity[0].only_here


def test_skip_await_reaches_the_object_as_the_annotation():
    from tests.conftest import run_config

    workloads = {**WEB_ONLY, "deployment": {"skipAwait": True}, "pod": {}}
    result = run_config(config_with(workloads=workloads))
    deployment = result.one("kubernetes:apps/v1:Deployment", "samples-deployment")
    assert deployment.inputs["metadata"]["annotations"] == {"pulumi.com/skipAwait": "true"}
    pod = result.one("kubernetes:core/v1:Pod", "samples-pod")
    assert "annotations" not in pod.inputs["metadata"]
