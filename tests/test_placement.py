"""The placement view and capacity at a glance: where every workload's pods land, what each prefers
and why each other group is excluded — the schedulability check's own verdicts — and whether a
group holds, at maxSize, what can land only on it."""

from __future__ import annotations

import json

import pytest

from render.placement import placement_review, placement_text
from settings import SettingsError, load_settings
from tests.conftest import TODAY, config_with

GENERAL = {"name": "general", "instanceTypes": ["t3.large"], "labels": {"pool": "general"}}
GPU = {
    "name": "gpu",
    "instanceTypes": ["g5.xlarge"],
    "amiType": "AL2023_x86_64_NVIDIA",
    "minSize": 0,
    "maxSize": 2,
    "labels": {"pool": "gpu"},
    "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}],
}
ON_GPU = {
    "nodeSelector": {"pool": "gpu"},
    "tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}],
}
EVERY_SAMPLE = {"enabled": True}


def load(groups, workloads, **more):
    return load_settings(
        config_with(nodeGroups=groups, workloads=workloads, **more), "eks-platform", "test", today=TODAY
    )


def by_key(settings) -> dict:
    return {p.key: p for p in settings.placement}


def test_a_gpu_group_with_a_tainted_pool_takes_the_pod_and_no_one_else():
    settings = load([GENERAL, GPU], {**EVERY_SAMPLE, "pod": ON_GPU})
    placed = by_key(settings)
    assert placed["pod"].lands_on == ("gpu",)
    excluded = dict(placed["pod"].excluded)
    assert excluded["general"] == ("nodeSelector pool=gpu: the nodes have pool=general",)
    # the others never land on the GPU group, and are told why
    for key in ("deployment", "statefulSet", "job", "cronJob"):
        assert placed[key].lands_on == ("general",), key
        assert dict(placed[key].excluded)["gpu"][-1] == "taint nvidia.com/gpu=true:NoSchedule is not tolerated"
    # no capacity warning about workloads that cannot land there, no unknown-type warning (g5 is in the table)
    assert not [w for w in settings.warnings if "nodeGroups[1]" in w]
    (gpu,) = [c for c in settings.capacity if c.group == "gpu"]
    assert gpu.only_here == (("pod", 1),) and gpu.instance_type == "g5.xlarge" and gpu.short == ()


def test_a_no_execute_taint_keeps_untolerating_pods_off_the_group():
    evicting = {**GPU, "minSize": 1, "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoExecute"}]}
    tolerating = {**ON_GPU, "tolerations": [{**ON_GPU["tolerations"][0], "effect": "NoExecute"}]}
    placed = by_key(load([GENERAL, evicting], {**EVERY_SAMPLE, "pod": tolerating}))
    assert placed["pod"].lands_on == ("gpu",)
    assert placed["deployment"].lands_on == ("general",)
    assert dict(placed["deployment"].excluded)["gpu"] == ("taint nvidia.com/gpu=true:NoExecute is not tolerated",)


def test_the_view_and_the_error_use_the_same_words():
    placed = by_key(load([GENERAL, GPU], {**EVERY_SAMPLE, "pod": ON_GPU}))
    (shown,) = [reasons for group, reasons in placed["deployment"].excluded if group == "gpu"]
    # without the general group the deployment lands nowhere: the error gives the view's reasons
    with pytest.raises(SettingsError) as caught:
        load([GPU], {**EVERY_SAMPLE, "pod": ON_GPU})
    messages = {p.path: p.message for p in caught.value.problems}
    assert f"(considered gpu: {', '.join(shown)})" in messages["eks-platform:workloads.deployment"]
    assert "eks-platform:workloads.pod" not in messages


def test_preferences_avoidances_and_spread_are_shown_and_never_exclude():
    soft = {**GENERAL, "name": "spot", "capacityType": "SPOT", "labels": {"pool": "spot"}}
    soft["taints"] = [{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}]
    spot = {"key": "eks.amazonaws.com/capacityType", "operator": "In", "values": ["SPOT"]}
    preferred = {"weight": 30, "matchExpressions": [spot]}
    deployment = {"nodeAffinity": {"preferred": [preferred]}}
    placed = by_key(load([GENERAL, soft], {**EVERY_SAMPLE, "deployment": deployment}))["deployment"]
    assert placed.lands_on == ("general", "spot")
    assert placed.prefers == (("spot", "preferred nodeAffinity, weight 30"),)
    assert placed.avoids == (("spot", "taint spot=true:PreferNoSchedule is not tolerated"),)
    assert placed.spread == (
        "topology.kubernetes.io/zone (maxSkew 1, ScheduleAnyway)",
        "kubernetes.io/hostname (maxSkew 1, ScheduleAnyway)",
    )


def test_a_daemonset_shows_the_groups_it_covers_and_those_it_does_not():
    settings = load([GENERAL, GPU], {**EVERY_SAMPLE, "daemonSet": {"tolerations": []}})
    placed = by_key(settings)["daemonSet"]
    assert placed.pods is None and placed.lands_on == ("general",)
    assert placed.excluded == (("gpu", ("taint nvidia.com/gpu=true:NoSchedule is not tolerated",)),)


def test_a_workload_that_can_land_elsewhere_counts_against_no_group():
    deployment = {"replicas": 20, "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}}}
    other = {**GENERAL, "name": "other", "maxSize": 1}
    settings = load([{**GENERAL, "maxSize": 1}, other], {**EVERY_SAMPLE, "deployment": deployment})
    assert not [w for w in settings.warnings if "cannot hold" in w]
    assert all("deployment" not in dict(c.only_here) for c in settings.capacity)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_render_shows_the_placement_of_every_sample(stack, request):
    result = request.getfixturevalue(stack)
    review = placement_review(result)
    keys = [w["workload"] for w in review["workloads"]]
    # the samples, then the platform's own pods (settings/platform_pods.py): EKS add-ons and the autoscaler
    assert keys == [
        *("pod", "deployment", "daemonSet", "statefulSet", "job", "cronJob"),
        "addons.vpc-cni",
        "addons.kube-proxy",
        "addons.eks-pod-identity-agent",
        "addons.aws-ebs-csi-driver.node",
        "addons.eks-node-monitoring-agent",
        "addons.coredns",
        "addons.aws-ebs-csi-driver.controller",
        "autoscaling",
        "platformAddons.metricsServer",
        "platformAddons.awsLoadBalancerController",
    ]
    text = placement_text(review)
    for w in review["workloads"]:
        assert f"    {w['workload']} ({w['kind']} {w['name']}" in text
    json.dumps(review)  # plan.json carries it as is
    # every pod-bearing object the program made waits for exactly the groups the view names
    groups = {r.urn: r.name for r in result.of_type("aws:eks/nodeGroup:NodeGroup")}
    # EKS creates the add-ons' pods; the program's own objects are the samples, the autoscaler and the Helm
    # release of the Load Balancer Controller
    landing = {
        w["workload"]: set(w.get("landsOn", w.get("covers")))
        for w in review["workloads"]
        if not w["workload"].startswith(("addons.", "platformAddons.metricsServer"))
    }
    objects = {
        "pod": ("kubernetes:core/v1:Pod", "samples-pod"),
        "deployment": ("kubernetes:apps/v1:Deployment", "samples-deployment"),
        "daemonSet": ("kubernetes:apps/v1:DaemonSet", "samples-daemonset"),
        "statefulSet": ("kubernetes:apps/v1:StatefulSet", "samples-statefulset"),
        "job": ("kubernetes:batch/v1:Job", "samples-job"),
        "cronJob": ("kubernetes:batch/v1:CronJob", "samples-cronjob"),
        "autoscaling": ("kubernetes:apps/v1:Deployment", "cluster-autoscaler"),
        "platformAddons.awsLoadBalancerController": ("kubernetes:helm.sh/v3:Release", "aws-load-balancer-controller"),
    }
    assert set(objects) == set(landing)
    for key, (type_, name) in objects.items():
        waits_for = {groups[u] for u in result.one(type_, name).dependencies if u in groups}
        assert waits_for == landing[key], key


def test_prod_shows_where_each_excluded_group_fails(prod):
    text = placement_text(placement_review(prod))
    assert "    statefulSet (StatefulSet db, 1 pod): lands on system\n" in text
    assert (
        "        not on general: nodeSelector platform.example.com/pool=system: the nodes have "
        "platform.example.com/pool=general\n"
    ) in text
