"""The cluster's lifecycle settings: the version lifecycle line for every version EKS runs (dates and prices
written here, "today" passed in), each new key validated (one row per rule, the good value beside the bad),
the defaults, what reaches pulumi-eks' cluster child through the transform and the program's node groups,
the node monitoring agent, and the render's lifecycle section."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pulumi
import pytest

from eks_platform.components.eks_cluster import EKS_CLUSTER, add_to_cluster_child
from eks_platform.runner.engine import run_program
from eks_platform.runner.pulumi_eks import transformed
from eks_platform.runner.stack_config import stack_config_from_dict
from pricing.support import lifecycle_line
from pricing.table import load_prices
from render.lifecycle import lifecycle_review, lifecycle_text
from render.plan import build_plan
from settings import SettingsError, load_settings
from tests.conftest import TODAY, check_rule, config_with, run_config

# The EKS release calendar (Amazon EKS User Guide, kubernetes-versions.html; endoflife.date for 1.35 and 1.36):
# version -> (EKS release, last day of standard support, last day of extended support). Written here, not read
# from settings/versions.py.
CALENDAR = {
    "1.28": ("2023-09-26", "2024-11-26", "2025-11-26"),
    "1.29": ("2024-01-23", "2025-03-23", "2026-03-23"),
    "1.30": ("2024-05-23", "2025-07-23", "2026-07-23"),
    "1.31": ("2024-09-26", "2025-11-26", "2026-11-26"),
    "1.32": ("2025-01-23", "2026-03-23", "2027-03-23"),
    "1.33": ("2025-05-29", "2026-07-29", "2027-07-29"),
    "1.34": ("2025-10-02", "2026-12-02", "2027-12-02"),
    "1.35": ("2026-01-27", "2027-03-27", "2028-03-27"),
    "1.36": ("2026-06-02", "2027-08-02", "2028-08-02"),
}
# EKS in ap-northeast-2 (and every region of the table): USD 0.10 a cluster-hour, 0.60 in extended support
# (AWS pricing page; price table source "eks", published 2025-10-28); 0.50 more for 730 hours.
PRICES = (
    "at USD 0.60 an hour instead of USD 0.10 (+USD 365.00 a month at 730 h; price table: eks, published 2025-10-28)"
)
SEOUL = "ap-northeast-2"


def day(text: str, shift: int = 0) -> date:
    return date.fromisoformat(text) + timedelta(days=shift)


def line(version: str, support_type: str | None, today: date, region: str = SEOUL) -> str:
    return lifecycle_line(version, support_type, today, region, load_prices())


def _rows():
    for version, (released, end, last) in CALENDAR.items():
        after = f"1.{int(version.split('.')[1]) + 1}"
        in_standard = max(day(released), day(end, -30))
        yield (
            f"{version} STANDARD in standard support",
            version, "STANDARD", in_standard,
            f"Kubernetes {version}: standard support until {end}; then, with supportType STANDARD, EKS upgrades the "
            f"control plane to {after} itself",
        )  # fmt: skip
        extended = (
            f"Kubernetes {version}: standard support until {end}; then, with supportType EXTENDED, extended support "
            f"from {day(end, 1)} until {last} {PRICES}, and on {last} EKS upgrades it to {after} itself"
        )
        yield f"{version} EXTENDED on the last day of standard support", version, "EXTENDED", day(end), extended
        yield (
            f"{version} unset is EKS's EXTENDED",
            version, None, in_standard,
            extended.replace("supportType EXTENDED", "supportType unset (EKS's default, EXTENDED)"),
        )  # fmt: skip
        yield (
            f"{version} EXTENDED on the first day of extended support",
            version, "EXTENDED", day(end, 1),
            f"Kubernetes {version}: in EKS extended support until {last} (since {day(end, 1)}), with supportType "
            f"EXTENDED, {PRICES}; then EKS upgrades it to {after} itself; upgrade one minor version at a time",
        )  # fmt: skip
        yield (
            f"{version} STANDARD past standard support",
            version, "STANDARD", day(last),
            f"Kubernetes {version}: standard support ended on {end}, and with supportType STANDARD EKS upgrades such "
            f"a cluster to {after} itself; set version {after}",
        )  # fmt: skip
        yield (
            f"{version} the day after extended support",
            version, "EXTENDED", day(last, 1),
            f"Kubernetes {version}: EKS no longer runs it (extended support ended on {last})",
        )  # fmt: skip
        yield (
            f"{version} the day before its EKS release",
            version, "STANDARD", day(released, -1),
            f"Kubernetes {version}: not on EKS before {released}",
        )  # fmt: skip


ROWS = list(_rows())


@pytest.mark.parametrize(("case", "version", "support_type", "today", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_the_lifecycle_line_of_every_version(case, version, support_type, today, expected):
    assert line(version, support_type, today) == expected


def test_a_region_without_prices_says_so_instead_of_guessing():
    text = line("1.35", "EXTENDED", date(2026, 11, 27), region="mx-central-1")
    assert "at prices unknown here (pricing/prices.json has no EKS prices for mx-central-1)" in text
    assert "USD" not in text


def test_a_version_outside_the_calendar_is_named():
    assert line("1.37", "STANDARD", date(2026, 11, 27)) == (
        "Kubernetes 1.37: not in the EKS version calendar (settings/versions.py)"
    )


def test_the_preview_warning_follows_the_support_type():
    def warning(support_type: str) -> str:
        config = config_with(cluster={"version": "1.34", "upgradePolicy": {"supportType": support_type}})
        settings = load_settings(config, "eks-platform", "test", today=date(2026, 11, 27))
        (found,) = [w for w in settings.warnings if w.startswith("eks-platform:cluster.version")]
        return found

    assert "EKS upgrades the control plane to 1.35 itself; plan the upgrade to 1.35" in warning("STANDARD")
    assert "extended support from 2026-12-03 until 2027-12-02 at USD 0.60 an hour" in warning("EXTENDED")


# --- validation: (rule, good config, bad config, key path, fragment: the bad value and what is valid) ----------

NG = {"name": "general", "maxSize": 3}
RULES = [
    ("supportType is STANDARD or EXTENDED",
     config_with(cluster={"upgradePolicy": {"supportType": "EXTENDED"}}),
     config_with(cluster={"upgradePolicy": {"supportType": "extended"}}),
     "eks-platform:cluster.upgradePolicy.supportType", '"extended" must be one of "STANDARD", "EXTENDED"'),
    ("upgradePolicy has supportType only",
     config_with(cluster={"upgradePolicy": {}}),
     config_with(cluster={"upgradePolicy": {"support": "STANDARD"}}),
     "eks-platform:cluster.upgradePolicy.support", "known keys: supportType"),
    ("zonalShiftConfig.enabled is a boolean",
     config_with(cluster={"zonalShiftConfig": {"enabled": True}}),
     config_with(cluster={"zonalShiftConfig": {"enabled": "sometimes"}}),
     "eks-platform:cluster.zonalShiftConfig.enabled", '"sometimes" must be true or false'),
    ("controlPlaneScalingConfig.tier is an EKS tier",
     config_with(cluster={"controlPlaneScalingConfig": {"tier": "tier-8xl"}}),
     config_with(cluster={"controlPlaneScalingConfig": {"tier": "tier-16xl"}}),
     "eks-platform:cluster.controlPlaneScalingConfig.tier",
     '"tier-16xl" must be one of "standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl"'),
    ("updateStrategy is DEFAULT or MINIMAL",
     config_with(nodeGroups=[{**NG, "updateStrategy": "MINIMAL"}]),
     config_with(nodeGroups=[{**NG, "updateStrategy": "minimal"}]),
     "eks-platform:nodeGroups[0].updateStrategy", '"minimal" must be one of "DEFAULT", "MINIMAL"'),
    ("nodeRepairConfig.enabled is a boolean",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"enabled": False}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"enabled": 2}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.enabled", "2 must be true or false"),
    ("a repair count is at least 1",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedCount": 1}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedCount": 0}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedCount", "0 must be at least 1"),
    ("a repair percentage is at most 100",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxUnhealthyNodeThresholdPercentage": 100}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxUnhealthyNodeThresholdPercentage": 101}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxUnhealthyNodeThresholdPercentage", "101 must be at most 100"),
    ("a repair percentage is at least 1",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedPercentage": 1}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedPercentage": 0}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage", "0 must be at least 1"),
    ("unhealthy threshold: a count or a percentage",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxUnhealthyNodeThresholdCount": 2}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxUnhealthyNodeThresholdCount": 2,
                                                          "maxUnhealthyNodeThresholdPercentage": 20}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxUnhealthyNodeThresholdPercentage",
     "20 is set beside maxUnhealthyNodeThresholdCount 2; EKS takes one of them"),
    ("parallel repairs: a count or a percentage",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedPercentage": 50}}]),
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"maxParallelNodesRepairedCount": 1,
                                                          "maxParallelNodesRepairedPercentage": 50}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage",
     "50 is set beside maxParallelNodesRepairedCount 1; EKS takes one of them"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def lifecycle_warnings(config: dict) -> list[str]:
    settings = load_settings(config, "eks-platform", "test", today=TODAY)
    return [w for w in settings.warnings if "updateStrategy" in w or "nodeRepairConfig" in w or "zonalShift" in w]


WEB = {"enabled": True, "pod": {"enabled": False}, "daemonSet": {"enabled": False}, "statefulSet": {"enabled": False}}
WEB |= {"job": {"enabled": False}, "cronJob": {"enabled": False}}
ZONES = [{"topologyKey": "topology.kubernetes.io/zone", "maxSkew": 1}]
HOSTS = [{"topologyKey": "kubernetes.io/hostname", "maxSkew": 1}]
SHIFT = {"zonalShiftConfig": {"enabled": True}}
# (case, config, the warning's start or None for no warning)
WARNINGS = [
    ("MINIMAL with every node in one batch", config_with(nodeGroups=[{**NG, "updateStrategy": "MINIMAL"}]),
     "eks-platform:nodeGroups[0].updateStrategy: MINIMAL terminates nodes before their replacements launch, and "
     "maxUnavailable 1 covers all 1 node(s)"),
    ("MINIMAL with more nodes than one batch",
     config_with(nodeGroups=[{**NG, "updateStrategy": "MINIMAL", "desiredSize": 2}]), None),
    ("MINIMAL on a group at zero nodes",
     config_with(nodeGroups=[{**NG, "updateStrategy": "MINIMAL", "minSize": 0}]), None),
    ("repair limits with repair off",
     config_with(nodeGroups=[{**NG, "nodeRepairConfig": {"enabled": False, "maxParallelNodesRepairedCount": 1}}]),
     "eks-platform:nodeGroups[0].nodeRepairConfig: its limits do nothing while enabled is false"),
    ("zonal shift on, replicas not spread over zones",
     config_with(cluster=SHIFT, workloads={**WEB, "deployment": {"replicas": 2, "topologySpread": HOSTS}}),
     "eks-platform:workloads.deployment: 2 replicas not spread over zones while cluster.zonalShiftConfig.enabled "
     "is true"),
    ("zonal shift on, replicas spread over zones",
     config_with(cluster=SHIFT, workloads={**WEB, "deployment": {"replicas": 2, "topologySpread": ZONES}}), None),
    ("zonal shift on, one replica",
     config_with(cluster=SHIFT, workloads={**WEB, "deployment": {"replicas": 1}}), None),
    ("zonal shift off: spread is the placement view's business",
     config_with(workloads={**WEB, "deployment": {"replicas": 2, "topologySpread": HOSTS}}), None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "config", "warning"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_lifecycle_warnings(case, config, warning):
    found = lifecycle_warnings(config)
    if warning is None:
        assert found == [], case
    else:
        (only,) = found
        assert only.startswith(warning), (case, only)


def test_zonal_shift_names_every_unspread_statefulset_and_extra_deployment_too():
    config = config_with(
        cluster=SHIFT,
        workloads={
            **WEB,
            "deployment": {"replicas": 3, "topologySpread": ZONES},
            "statefulSet": {"replicas": 2},
            "extraDeployments": [{"name": "api", "replicas": 2, "topologySpread": HOSTS}],
        },
    )
    found = [w.split(":")[1] for w in lifecycle_warnings(config)]
    assert found == ["workloads.statefulSet", "workloads.extraDeployments[0]"]


# --- defaults and what reaches AWS --------------------------------------------------------------------------


def test_defaults_leave_the_support_type_to_eks_and_repair_nodes():
    settings = load_settings(config_with(), "eks-platform", "test", today=TODAY)
    c, (group,) = settings.cluster, settings.node_groups
    assert c.upgrade_policy.support_type is None
    assert c.zonal_shift_config.enabled is False
    assert c.control_plane_scaling_config.tier == "standard"
    assert group.node_repair_config.enabled is True and group.update_strategy == "DEFAULT"


@pytest.fixture(scope="module")
def minimal():
    return run_config(config_with())


def test_the_cluster_child_gets_zonal_shift_and_tier_through_the_transform_and_no_support_type_unless_set(minimal):
    child = minimal.one(EKS_CLUSTER).inputs
    assert child["zonalShiftConfig"] == {"enabled": False}
    assert child["controlPlaneScalingConfig"] == {"tier": "standard"}
    assert "upgradePolicy" not in child
    component = minimal.one("eks:index:Cluster")
    assert component.options["transforms"] == 1  # registered on the component: the engine runs it on its children
    assert "zonalShiftConfig" not in component.inputs and "upgradePolicy" not in component.inputs


def test_a_stack_that_sets_them_sends_them():
    result = run_config(
        config_with(
            cluster={
                "upgradePolicy": {"supportType": "STANDARD"},
                "zonalShiftConfig": {"enabled": True},
                "controlPlaneScalingConfig": {"tier": "tier-2xl"},
            },
            nodeGroups=[
                {
                    "name": "general",
                    "maxSize": 3,
                    "desiredSize": 2,
                    "updateStrategy": "MINIMAL",
                    "nodeRepairConfig": {"maxUnhealthyNodeThresholdPercentage": 30, "maxParallelNodesRepairedCount": 1},
                },
            ],
        )
    )
    child = result.one(EKS_CLUSTER).inputs
    # upgradePolicy goes through pulumi-eks' own input, the others through the transform
    assert result.one("eks:index:Cluster").inputs["upgradePolicy"] == {"supportType": "STANDARD"}
    assert child["upgradePolicy"] == {"supportType": "STANDARD"}
    assert child["zonalShiftConfig"] == {"enabled": True}
    assert child["controlPlaneScalingConfig"] == {"tier": "tier-2xl"}
    group = result.one("aws:eks/nodeGroup:NodeGroup").inputs
    assert group["updateConfig"] == {"maxUnavailable": 1, "updateStrategy": "MINIMAL"}
    assert group["nodeRepairConfig"] == {
        "enabled": True,
        "maxUnhealthyNodeThresholdPercentage": 30,
        "maxParallelNodesRepairedCount": 1,
    }


def test_the_transform_touches_only_the_eks_cluster():
    transform = add_to_cluster_child({"zonalShiftConfig": {"enabled": True}})

    def args(type_: str) -> pulumi.ResourceTransformArgs:
        return pulumi.ResourceTransformArgs(True, type_, "x", {"version": "1.35"}, pulumi.ResourceOptions())

    result = transform(args(EKS_CLUSTER))
    assert result.props == {"version": "1.35", "zonalShiftConfig": {"enabled": True}}
    for other in ("eks:index:Cluster", "pulumi:providers:kubernetes", "kubernetes:core/v1:ConfigMap"):
        assert transform(args(other)) is None


def test_the_model_runs_the_components_transforms_on_each_child_in_order():
    def first(args):
        return pulumi.ResourceTransformResult({**args.props, "a": 1, "b": 1}, args.opts)

    def second(args):
        return pulumi.ResourceTransformResult({**args.props, "b": 2}, args.opts) if args.name == "x" else None

    assert transformed(EKS_CLUSTER, "x", {"v": 0}, [first, second]) == {"v": 0, "a": 1, "b": 2}
    assert transformed(EKS_CLUSTER, "y", {"v": 0}, [second]) == {"v": 0}


def test_a_first_preview_knows_the_fields_the_transform_adds():
    result = run_program(stack_config_from_dict("test", config_with(cluster=SHIFT)), preview=True)
    child = result.one(EKS_CLUSTER).inputs
    assert child["zonalShiftConfig"] == {"enabled": True}
    assert child["controlPlaneScalingConfig"] == {"tier": "standard"}


# --- the node monitoring agent ------------------------------------------------------------------------------

AGENT = "eks-node-monitoring-agent"


def test_the_agent_runs_where_a_group_repairs_and_is_counted_on_every_node():
    both = config_with(nodeGroups=[{"name": "a"}, {"name": "b", "nodeRepairConfig": {"enabled": False}}])
    settings = load_settings(both, "eks-platform", "test", today=TODAY)
    assert AGENT in {a.name for a in settings.addons}
    (agent,) = [p for p in settings.placement if p.key == f"addons.{AGENT}"]
    # a DaemonSet that tolerates every taint: on both groups, 10m CPU and 30Mi per node (chart values.yaml)
    assert (agent.kind, agent.lands_on, agent.requests) == ("DaemonSet", ("a", "b"), (10, 30))
    assert all(f"addons.{AGENT}" in c.daemonsets for c in settings.capacity)


def test_no_group_repairs_no_agent():
    off = config_with(nodeGroups=[{"name": "a", "nodeRepairConfig": {"enabled": False}}])
    settings = load_settings(off, "eks-platform", "test", today=TODAY)
    assert AGENT not in {a.name for a in settings.addons}
    assert not [p for p in settings.placement if p.key == f"addons.{AGENT}"]
    result = run_config(off)
    assert AGENT not in {a.inputs["addonName"] for a in result.of_type("aws:eks/addon:Addon")}


# --- the render's lifecycle section ---------------------------------------------------------------------------


def test_the_render_says_what_happens_to_dev_and_prod(dev, prod, monkeypatch):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", "2027-02-01")
    dev_text, prod_text = lifecycle_text(lifecycle_review(dev)), lifecycle_text(lifecycle_review(prod))
    assert dev_text.startswith("Lifecycle (as of 2027-02-01):\n")
    assert (
        "support: Kubernetes 1.35: standard support until 2027-03-27; then, with supportType STANDARD, EKS upgrades "
        "the control plane to 1.36 itself" in dev_text
    )
    assert f"extended support from 2027-03-28 until 2028-03-27 {PRICES}" in prod_text
    assert "zonal shift: off" in dev_text and "zonal shift: on: ARC zonal autoshift" in prod_text
    for group in ("general", "system"):
        assert (
            f"node group {group}: auto repair on; updates DEFAULT, 1 node(s) at a time (new nodes launch before old "
            "ones are drained)" in prod_text
        )
    assert "control plane tier: standard (no charge beyond the cluster hour)" in prod_text


def test_a_provisioned_tier_is_priced_in_the_render(monkeypatch):
    result = run_config(config_with(cluster={"controlPlaneScalingConfig": {"tier": "tier-xl"}}))  # us-east-1
    review = lifecycle_review(result)
    # EKS pricing, US East (N. Virginia): tier-xl USD 1.65 an hour on top of the cluster hour; x 730 = 1,204.50
    assert review["tier"] == (
        "tier-xl: USD 1.65 an hour on top of the cluster hour, +USD 1,204.50 a month (price table: eks-provisioned, "
        "published 2026)"
    )
    cost = build_plan(result)["cost"]
    (cluster_line,) = [x for x in cost["lines"] if x["key"] == "cluster"]
    assert cluster_line["desired"] == round((0.10 + 1.65) * 730, 2)
    json.dumps(review)  # plan.json carries it as is


def test_a_region_without_tier_prices_says_the_price_is_unknown():
    result = run_config(config_with(region="eu-west-1", cluster={"controlPlaneScalingConfig": {"tier": "tier-xl"}}))
    assert lifecycle_review(result)["tier"] == (
        "tier-xl: price unknown, pricing/prices.json has no tier-xl price for eu-west-1"
    )


def test_a_bad_value_creates_nothing():
    with pytest.raises(SettingsError):
        load_settings(config_with(cluster={"zonalShiftConfig": {"enabled": "x"}}), "eks-platform", "test", today=TODAY)
