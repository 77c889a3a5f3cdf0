"""The plan-time schedulability check, table-driven: would any node group take the workload's pods?"""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings
from tests.conftest import ADDONS_ANYWHERE, check_rule, config_with

GENERAL = {"name": "general", "instanceTypes": ["t3.medium"], "labels": {"pool": "general"}}
TAINTED = {
    "name": "gpu",
    "instanceTypes": ["m6i.large"],
    "labels": {"pool": "gpu"},
    "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}],
}
SOFT = {**TAINTED, "name": "soft", "taints": [{"key": "dedicated", "value": "gpu", "effect": "PreferNoSchedule"}]}
EVICTING = {**TAINTED, "name": "evicting", "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}]}
ONLY = {"pod": {}, "deployment": {"enabled": False}, "daemonSet": {"enabled": False}}
OFF = {"statefulSet": {"enabled": False}, "job": {"enabled": False}, "cronJob": {"enabled": False}}


def pod(groups: list[dict], **pod_fields) -> dict:
    workloads = {"enabled": True, **ONLY, **OFF, "pod": pod_fields}
    return config_with(nodeGroups=groups, workloads=workloads, addons=ADDONS_ANYWHERE)


def expr(key: str, operator: str, *values: str) -> dict:
    return {"key": key, "operator": operator, **({"values": list(values)} if values else {})}


TOLERATE = [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]

# (case, config, None if schedulable else a fragment of the error at eks-platform:workloads.pod)
CASES = [
    ("nodeSelector matching a group", pod([GENERAL], nodeSelector={"pool": "general"}), None),
    (
        "nodeSelector matching no group",
        pod([GENERAL, TAINTED], nodeSelector={"pool": "batch"}),
        "general: nodeSelector pool=batch: the nodes have pool=general",
    ),
    ("taint tolerated", pod([TAINTED], tolerations=TOLERATE), None),
    ("taint not tolerated", pod([TAINTED]), "taint dedicated=gpu:NoSchedule is not tolerated"),
    ("toleration of another value", pod([TAINTED], tolerations=[{**TOLERATE[0], "value": "cpu"}]), "not tolerated"),
    ("Exists toleration covers every taint", pod([TAINTED], tolerations=[{"operator": "Exists"}]), None),
    ("PreferNoSchedule never fails", pod([SOFT]), None),
    # NoExecute keeps pods off (and evicts running ones) just as NoSchedule does (Kubernetes taints docs)
    ("NoExecute taint not tolerated", pod([EVICTING]), "taint dedicated=gpu:NoExecute is not tolerated"),
    ("NoExecute taint tolerated", pod([EVICTING], tolerations=[{**TOLERATE[0], "effect": "NoExecute"}]), None),
    # a toleration matches a taint only with the same effect, or with no effect at all
    (
        "toleration of another effect",
        pod([TAINTED], tolerations=[{**TOLERATE[0], "effect": "NoExecute"}]),
        "taint dedicated=gpu:NoSchedule is not tolerated",
    ),
    (
        "toleration without an effect covers every effect",
        pod([EVICTING], tolerations=[{k: v for k, v in TOLERATE[0].items() if k != "effect"}]),
        None,
    ),
    (
        "required affinity on a missing label",
        pod([GENERAL], nodeAffinity={"required": [{"matchExpressions": [expr("disk", "In", "ssd")]}]}),
        "disk In [ssd]: the nodes have no label disk",
    ),
    (
        "required affinity terms are ORed",
        pod(
            [GENERAL],
            nodeAffinity={
                "required": [
                    {"matchExpressions": [expr("disk", "In", "ssd")]},
                    {"matchExpressions": [expr("pool", "In", "general")]},
                ]
            },
        ),
        None,
    ),
    (
        "required affinity on labels EKS sets",
        pod(
            [GENERAL],
            nodeAffinity={
                "required": [
                    {
                        "matchExpressions": [
                            expr("kubernetes.io/arch", "In", "amd64"),
                            expr("eks.amazonaws.com/capacityType", "NotIn", "SPOT"),
                            expr("topology.kubernetes.io/zone", "Exists"),
                        ]
                    }
                ]
            },
        ),
        None,
    ),
    (
        "required affinity on the wrong architecture",
        pod([GENERAL], nodeAffinity={"required": [{"matchExpressions": [expr("kubernetes.io/arch", "In", "arm64")]}]}),
        "kubernetes.io/arch In [arm64]: the nodes have kubernetes.io/arch=amd64",
    ),
    (
        "preferred-only terms never fail",
        pod([GENERAL], nodeAffinity={"preferred": [{"weight": 10, "matchExpressions": [expr("disk", "In", "ssd")]}]}),
        None,
    ),
    (
        "the node group's own name label is suffixed at apply",
        pod([GENERAL], nodeSelector={"eks.amazonaws.com/nodegroup": "general"}),
        "random suffix",
    ),
    (
        "requests larger than the biggest instance",
        pod([GENERAL], resources={"requests": {"cpu": "3", "memory": "1Gi"}, "limits": {"cpu": "4", "memory": "2Gi"}}),
        "requests cpu 3 / memory 1Gi exceed what the largest type, t3.medium, offers pods",
    ),
    (
        "requests fit the larger type of the group",
        pod(
            [{**GENERAL, "instanceTypes": ["t3.medium", "t3.xlarge"]}],
            resources={"requests": {"cpu": "3", "memory": "1Gi"}, "limits": {"cpu": "4", "memory": "2Gi"}},
        ),
        None,
    ),
]


@pytest.mark.parametrize(("case", "config", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_schedulability(case, config, fragment):
    if fragment is None:
        load_settings(config, "eks-platform", "test")
        return
    with pytest.raises(SettingsError) as caught:
        load_settings(config, "eks-platform", "test")
    messages = {p.path: p.message for p in caught.value.problems}
    message = messages["eks-platform:workloads.pod"]
    assert "can land on no node group" in message
    assert fragment in message, message


def test_every_considered_group_is_named_with_its_reason():
    with pytest.raises(SettingsError) as caught:
        load_settings(pod([GENERAL, TAINTED], nodeSelector={"pool": "gpu"}), "eks-platform", "test")
    (problem,) = caught.value.problems
    assert "general: nodeSelector pool=gpu: the nodes have pool=general" in problem.message
    assert "gpu: taint dedicated=gpu:NoSchedule is not tolerated" in problem.message


def test_daemonset_reports_the_groups_it_will_not_cover():
    workloads = {"enabled": True, **OFF, "daemonSet": {"tolerations": []}}
    settings = load_settings(config_with(nodeGroups=[GENERAL, TAINTED], workloads=workloads), "eks-platform", "t")
    (warning,) = [w for w in settings.warnings if w.startswith("eks-platform:workloads.daemonSet")]
    assert "runs on general but not on gpu (taint dedicated=gpu:NoSchedule is not tolerated)" in warning


def test_an_unknown_instance_type_is_one_warning_however_many_workloads_and_groups():
    arm = {"instanceTypes": ["x2gd.large"], "amiType": "AL2023_ARM_64_STANDARD"}
    groups = [{**GENERAL, **arm}, {**TAINTED, **arm, "name": "other"}]
    workloads = {"enabled": True, **OFF, "deployment": {}, "daemonSet": {}}
    settings = load_settings(config_with(nodeGroups=groups, workloads=workloads), "p", "t")
    (warning,) = [w for w in settings.warnings if "x2gd.large" in w]
    assert warning.startswith("eks-platform:nodeGroups[0].instanceTypes: x2gd.large is of a family the instance")
    assert "AWS may refuse it at `pulumi up`" in warning
    assert "requests and capacity are not checked on it" in warning
    # nothing is judged on it: the pods may land there whatever they request
    assert settings.placements["pod"] == ("general",)


# A type's warning depends on whether its family is known: a bare-metal size of a known family exists (the EC2
# instance types pages list m5.metal) but has no figures in the table; an unknown family may not exist at all.
@pytest.mark.parametrize(
    ("instance_type", "says", "never"),
    [
        ("m5.metal", "m5.metal is not in the instance table", "AWS may refuse"),
        ("z1d.large", "z1d.large is of a family the instance table does not know", None),
        ("m5.large", None, "m5.large"),
    ],
)
def test_a_type_outside_the_table_warns_by_what_is_known_of_it(instance_type, says, never):
    settings = load_settings(config_with(nodeGroups=[{**GENERAL, "instanceTypes": [instance_type]}]), "p", "t")
    text = "\n".join(settings.warnings)
    if says:
        assert says in text
    if never:
        assert never not in text


# Field rules of eks-platform:workloads, good beside bad.
FIELD_RULES = [
    ("image pinned", {"pod": {"image": "nginx:1.27.3"}}, {"pod": {"image": "nginx:latest"}}, "pod.image", "latest"),
    (
        "image has a tag",
        {"pod": {"image": "nginx@sha256:" + "a" * 64}},
        {"pod": {"image": "nginx"}},
        "pod.image",
        "no tag",
    ),
    (
        "cron schedule",
        {"cronJob": {"schedule": "*/30 * * * *"}},
        {"cronJob": {"schedule": "0 25 * * *"}},
        "cronJob.schedule",
        "use 0-23",
    ),
    (
        "cron fields",
        {"cronJob": {"schedule": "@daily"}},
        {"cronJob": {"schedule": "0 3 * *"}},
        "cronJob.schedule",
        "has 4 fields",
    ),
    (
        "limits at least the requests",
        {
            "pod": {
                "resources": {
                    "requests": {"cpu": "100m", "memory": "64Mi"},
                    "limits": {"cpu": "100m", "memory": "64Mi"},
                }
            }
        },
        {
            "pod": {
                "resources": {
                    "requests": {"cpu": "200m", "memory": "64Mi"},
                    "limits": {"cpu": "100m", "memory": "64Mi"},
                }
            }
        },
        "pod.resources.limits.cpu",
        'below the request "200m"',
    ),
    (
        "quantities",
        {"pod": {"resources": {"requests": {"cpu": "0.5", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}}},
        {"pod": {"resources": {"requests": {"cpu": "half", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}}},
        "pod.resources.requests.cpu",
        "not a Kubernetes quantity",
    ),
    ("namespace name", {"namespace": "samples"}, {"namespace": "Samples"}, "namespace", '"Samples"'),
    ("replicas", {"deployment": {"replicas": 3}}, {"deployment": {"replicas": 0}}, "deployment.replicas", "at least 1"),
    (
        "jobs need the sample database",
        {"statefulSet": {"enabled": True}},
        {"statefulSet": {"enabled": False}},
        "job.enabled",
        "enable workloads.statefulSet",
    ),
    (
        "toleration effect",
        {"pod": {"tolerations": [{"operator": "Exists", "effect": "NO_EXECUTE"}]}},
        {"pod": {"tolerations": [{"operator": "Exists", "effect": "Always"}]}},
        "pod.tolerations[0].effect",
        '"NoSchedule"',
    ),
    (
        "affinity operator",
        {"pod": {"nodeAffinity": {"required": [{"matchExpressions": [expr("kubernetes.io/os", "Exists")]}]}}},
        {"pod": {"nodeAffinity": {"required": [{"matchExpressions": [expr("pool", "Matches", "x")]}]}}},
        "pod.nodeAffinity.required[0].matchExpressions[0].operator",
        '"In", "NotIn"',
    ),
    ("unknown workload key", {"daemonSet": {}}, {"daemonset": {}}, "daemonset", "did you mean 'daemonSet'"),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), FIELD_RULES, ids=[r[0] for r in FIELD_RULES])
def test_workload_field_rule(rule, good, bad, path, fragment):
    enabled = {"enabled": True}
    good, bad = config_with(workloads={**enabled, **good}), config_with(workloads={**enabled, **bad})
    check_rule(rule, good, bad, f"eks-platform:workloads.{path}", fragment)
