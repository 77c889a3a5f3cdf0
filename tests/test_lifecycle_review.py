"""The review of a change of each lifecycle field (as `make diff` shows it: two renders of dev or prod), the
danger EKS would refuse, the upgrade steps' update strategy, and the production guardrails."""

from __future__ import annotations

import pytest

from review.changes import diff_plans
from review.report import review_markdown, review_text
from tests.test_review import plan_of, review

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def cluster_key(key: str, value):
    def change(values):
        values["eks-platform:cluster"][key] = value

    return change


def group_key(key: str, value, group: int = 0):
    def change(values):
        values["eks-platform:nodeGroups"][group][key] = value

    return change


# Named at module level: plan_of renders each once per module.
def unchanged(values):
    pass


def dev_extended(values):
    cluster_key("upgradePolicy", {"supportType": "EXTENDED"})(values)


def dev_unset(values):
    values["eks-platform:cluster"].pop("upgradePolicy")


def dev_zonal_shift(values):
    cluster_key("zonalShiftConfig", {"enabled": True})(values)


def dev_tier(values):
    cluster_key("controlPlaneScalingConfig", {"tier": "tier-xl"})(values)


def dev_no_repair(values):
    group_key("nodeRepairConfig", {"enabled": False})(values)


def dev_minimal(values):
    group_key("updateStrategy", "MINIMAL")(values)


def dev_to_1_36(values):
    cluster_key("version", "1.36")(values)


# (field, change, the resource and input path the review shows, old → new, the lifecycle note's start)
CHANGES = [
    ("supportType", dev_extended, CLUSTER, 'upgradePolicy.supportType: "STANDARD" → "EXTENDED"',
     "supportType STANDARD → EXTENDED: Kubernetes 1.35: standard support until 2027-03-27; then, with supportType "
     "EXTENDED, extended support from 2027-03-28 until 2028-03-27 at USD 0.60 an hour instead of USD 0.10 "
     "(+USD 365.00 a month"),
    ("zonalShiftConfig", dev_zonal_shift, CLUSTER, "zonalShiftConfig.enabled: false → true",
     "zonal shift turned on: ARC may cordon a whole zone's nodes"),
    ("controlPlaneScalingConfig", dev_tier, CLUSTER, 'controlPlaneScalingConfig.tier: "standard" → "tier-xl"',
     "control plane tier standard → tier-xl: price unknown, pricing/prices.json has no tier-xl price for "
     "ap-northeast-2"),
    ("nodeRepairConfig", dev_no_repair, NODE_GROUP, "nodeRepairConfig.enabled: true → false",
     "node group general: auto repair turned off: an unhealthy node stays until someone replaces it"),
    ("updateStrategy", dev_minimal, NODE_GROUP, 'updateConfig.updateStrategy: "DEFAULT" → "MINIMAL"',
     "node group general: updates DEFAULT → MINIMAL (old nodes are terminated before their replacements launch)"),
    ("version", dev_to_1_36, CLUSTER, 'version: "1.35" → "1.36"',
     "version 1.35 → 1.36: Kubernetes 1.36: standard support until 2027-08-02; then, with supportType STANDARD, "
     "EKS upgrades the control plane to 1.37 itself"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "change", "type_", "shown", "note"), CHANGES, ids=[c[0] for c in CHANGES])
def test_the_review_of_a_change_of_each_field(field, change, type_, shown, note):
    base, head = plan_of("dev", unchanged), plan_of("dev", change)
    (changed,) = [c for c in diff_plans(base, head) if c.type == type_]
    # in place: none of them forces a replacement (review/replace_on_change.py)
    assert changed.action == "update" and changed.forced_by == []
    r = review("dev", base, head)
    text = review_text(r)
    assert shown in text, field
    assert any(n.startswith(note) for n in r.lifecycle), (field, r.lifecycle)
    assert text.index("Lifecycle:") < text.index("Changes:")
    assert f"- {r.lifecycle[0]}" in review_markdown(r)
    assert not [d for d in r.dangers if d.kind == "change EKS refuses"]


def test_removing_the_support_type_says_the_cluster_keeps_it():
    r = review("dev", plan_of("dev", unchanged), plan_of("dev", dev_unset))
    assert (
        "upgradePolicy.supportType removed: the cluster keeps STANDARD (the AWS provider reads it back); EKS's "
        "default EXTENDED applies only to a new cluster" in r.lifecycle
    )


def on(version: str, support_type: str):
    def change(values):
        cluster_key("version", version)(values)
        cluster_key("upgradePolicy", {"supportType": support_type})(values)

    return change


def test_changing_the_support_type_in_extended_support_is_a_change_eks_refuses():
    # 1.32's standard support ended on 2026-03-23; the suite runs as of 2026-11-27
    r = review("dev", plan_of("dev", on("1.32", "EXTENDED")), plan_of("dev", on("1.32", "STANDARD")))
    (danger,) = [d for d in r.dangers if d.kind == "change EKS refuses"]
    assert danger.subject == "upgradePolicy.supportType EXTENDED → STANDARD on Kubernetes 1.32"
    assert "only while the version is in standard support" in danger.consequence
    # 1.34 is in standard support until 2026-12-02: the same change is fine
    fine = review("dev", plan_of("dev", on("1.34", "EXTENDED")), plan_of("dev", on("1.34", "STANDARD")))
    assert not [d for d in fine.dangers if d.kind == "change EKS refuses"]


def test_the_upgrade_steps_name_each_groups_update_strategy():
    def upgrade_minimal(values):
        dev_to_1_36(values)
        dev_minimal(values)

    r = review("dev", plan_of("dev", unchanged), plan_of("dev", upgrade_minimal))
    (step,) = [s for s in r.upgrade.steps if s.startswith("node group general")]
    assert "1 of 1 node(s) at a time (max 2), MINIMAL: old nodes are terminated before their replacements launch" in (
        step
    )


# --- production guardrails: each one refuses prod's render (mandatory), dev's only advises or stays quiet ----


def prod_no_support_type(values):
    values["eks-platform:cluster"].pop("upgradePolicy")


def prod_no_zonal_shift(values):
    cluster_key("zonalShiftConfig", {"enabled": False})(values)


def prod_system_without_repair(values):
    group_key("nodeRepairConfig", {"enabled": False}, group=1)(values)


def prod_system_minimal_all_at_once(values):
    group_key("updateStrategy", "MINIMAL", group=1)(values)
    group_key("maxUnavailable", 2, group=1)(values)  # system runs 2 nodes


def prod_tier_xl(values):
    # a provisioned tier is priced into the cost the budget guardrail holds prod to (unpriced in Seoul: unknown)
    cluster_key("controlPlaneScalingConfig", {"tier": "tier-xl"})(values)


GUARDED = [
    (prod_no_support_type, "eks-support-type-explicit", "aws:eks/cluster:Cluster::cluster-eksCluster"),
    (prod_no_zonal_shift, "eks-zonal-shift-enabled", "aws:eks/cluster:Cluster::cluster-eksCluster"),
    (prod_system_without_repair, "node-group-auto-repair", "aws:eks/nodeGroup:NodeGroup::system"),
    (prod_system_minimal_all_at_once, "node-group-update-keeps-nodes", "aws:eks/nodeGroup:NodeGroup::system"),
    (prod_tier_xl, "stack-monthly-budget", "aws:eks/cluster:Cluster::cluster-eksCluster"),
]


def test_prod_passes_every_lifecycle_guardrail():
    names = {g[1] for g in GUARDED}
    assert len(names) == len(GUARDED)
    assert not [v for v in plan_of("prod", unchanged)["policy"] if v["policy"] in names]


@pytest.mark.parametrize(("change", "rule", "resource"), GUARDED, ids=[g[1] for g in GUARDED])
def test_prod_refuses_a_cluster_without_it(change, rule, resource):
    (verdict,) = [v for v in plan_of("prod", change)["policy"] if v["policy"] == rule]
    assert (verdict["enforcement"], verdict["resource"]) == ("mandatory", resource)


def test_dev_does_not_require_zonal_shift():
    assert not [v for v in plan_of("dev", unchanged)["policy"] if v["policy"] == "eks-zonal-shift-enabled"]
