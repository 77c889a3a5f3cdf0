"""What a stack costs: the price table, the cost model over a plan, the review's cost change, the budget
guardrail. Expected figures are written here (AWS prices of ap-northeast-2 and eu-west-1, read from the
sources pricing/prices.json names), never read from the table they check."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from pricing.cost import Resource, estimate
from pricing.report import cost_changes, cost_section, cost_text
from pricing.table import load_prices, parse_table
from render.plan import build_plan
from render.policy import evaluate
from review.report import build_review, review_text
from settings.instance_catalog import CATALOG
from tests.conftest import plan_of

DAY = date(2026, 12, 6)  # 1.35 in standard support, 1.34 in extended support (ended 2026-12-02)
H = 730
# ap-northeast-2 (Seoul), USD: EKS cluster-hour, on-demand Linux per hour, gp3 per GB-month, NAT per hour,
# in-use public IPv4 per hour, KMS key per month, Application Load Balancer per hour and per LCU-hour.
SEOUL = {"eks": 0.10, "t3.medium": 0.052, "t3.large": 0.104, "m6i.large": 0.118, "m7g.large": 0.1003}
SEOUL |= {"gp3": 0.0912, "nat": 0.059, "ipv4": 0.005, "kms": 1.0, "alb": 0.0225, "lcu": 0.008}
# The sample Ingress's ALB (dev and prod enable it), at the hour plus the one LCU-hour an hour the model assumes.
SEOUL_ALB = round((0.0225 + 1 * 0.008) * 730, 2)


def c(x: float) -> float:
    return round(x, 2)


def usd(x: float) -> str:
    return f"${x:,.2f}"


def dev_expected(
    instance: str = "t3.medium", desired: int = 1, top: int = 2, nats: int = 1, albs: int = 1
) -> dict[str, float]:
    s = SEOUL
    fixed = c(s["eks"] * H) + c(s["kms"]) + c(nats * s["nat"] * H) + c(nats * s["ipv4"] * H) + c(1 * s["gp3"])
    fixed += albs * c((s["alb"] + s["lcu"]) * H)
    return {
        "desired": c(fixed + c(s[instance] * H * desired) + c(20 * s["gp3"] * desired)),
        "max": c(fixed + c(s[instance] * H * top) + c(20 * s["gp3"] * top)),
    }


def test_dev_costs_what_the_seoul_prices_say(dev_plan):
    section = cost_section(dev_plan, today=DAY)
    assert section["region"] == "ap-northeast-2"
    assert section["total"] == dev_expected() == {"desired": 182.86, "max": 222.65}
    assert section["complete"] and section["components"]["logs"] == {"desired": None, "max": None}
    assert section["components"]["node groups"] == {"desired": c(0.052 * H), "max": c(0.052 * H * 2)}
    assert (
        section["components"]["load balancers"]
        == {"desired": 22.27, "max": 22.27}
        == {"desired": SEOUL_ALB, "max": SEOUL_ALB}
    )
    alb = next(x for x in section["lines"] if x["key"] == "alb:ingress:demo/web")
    assert alb["item"] == "load balancer for Ingress demo/web: ALB, internal" and "1 LCU an hour assumed" in alb["note"]
    assert "1 LCU an hour assumed" in section["notCounted"]


def test_prod_costs_what_the_seoul_prices_say(prod_plan):
    s = SEOUL
    nodes = {"desired": c(s["m6i.large"] * H * 3) + c(s["m7g.large"] * H * 2)}
    nodes["max"] = c(s["m6i.large"] * H * 6) + c(s["m7g.large"] * H * 4)
    disks = {"desired": c(50 * s["gp3"] * 3) + c(50 * s["gp3"] * 2), "max": c(50 * s["gp3"] * 6) + c(50 * s["gp3"] * 4)}
    fixed = c(s["eks"] * H) + s["kms"] + c(3 * s["nat"] * H) + c(3 * s["ipv4"] * H) + c(10 * s["gp3"])
    fixed += c((s["alb"] + s["lcu"]) * H)
    section = cost_section(prod_plan, today=DAY)
    for at in ("desired", "max"):
        assert section["total"][at] == c(fixed + nodes[at] + disks[at])
    assert section["components"]["network"] == {"desired": 140.16, "max": 140.16}
    assert section["total"] == {"desired": 665.0, "max": 1092.66}
    assert section["components"]["load balancers"] == {"desired": SEOUL_ALB, "max": SEOUL_ALB}
    assert "m6i.large, the first type" in next(x["note"] for x in section["lines"] if x["key"] == "nodegroup:general")


def test_a_spot_group_is_flagged_not_priced_and_left_out_of_the_total(edge):
    section = cost_section(build_plan(edge, []), today=DAY)
    spot = next(x for x in section["lines"] if x["key"] == "nodegroup:edge")
    assert spot["desired"] is None and not spot["counted"] and spot["note"].startswith("SPOT: not priced")
    # eu-west-1: c6g.large 0.073/h on demand, the ceiling of 3 nodes; 1.34 is in extended support (0.10 + 0.50).
    assert f"up to USD {c(0.073 * H * 3)}/month at on-demand prices" in spot["note"]
    assert section["total"]["desired"] == c(0.60 * H)
    assert "SPOT: not priced" in cost_text(section)


def test_a_region_without_prices_is_unknown_never_guessed(dev_plan):
    plan = copy.deepcopy(dev_plan)
    plan["outputs"]["region"] = "sa-east-1"
    section = cost_section(plan, today=DAY)
    assert section["pricesRead"] is None and not section["complete"] and section["total"]["desired"] == 0
    assert all(x["desired"] is None for x in section["lines"] if x["counted"])
    assert "unknown — the price table has no prices for sa-east-1" in cost_text(section)


def test_an_instance_type_missing_for_the_region_is_unknown(dev_plan):
    plan = copy.deepcopy(dev_plan)
    group = next(r for r in plan["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup")
    group["inputs"]["instanceTypes"] = ["m7a.large"]  # not offered in ap-northeast-2 by the table's source
    section = cost_section(plan, today=DAY)
    assert not section["complete"] and section["unknown"] == ["node group general: m7a.large x 1 (max 2)"]


# --- the control plane: support policy and provisioned tiers (issue 20 reads these) -------------------

TABLE = {
    "read": "2026-12-06",
    "sources": {"t": {"what": "w", "from": "test", "published": "2026-01-01", "read": "2026-12-06"}},
    "regions": {
        "r-1": {
            "eksClusterHour": {"usd": 0.10, "source": "t"},
            "eksExtendedSupportHour": {"usd": 0.50, "source": "t"},
            "eksTierHour": {"tier-xl": {"usd": 1.65, "source": "t"}},
        }
    },
}


@pytest.mark.parametrize(
    ("support", "tier", "hourly"),
    [
        ("standard", "standard", 0.10),
        ("extended", "standard", 0.60),
        ("standard", "tier-xl", 1.75),
        ("extended", "tier-xl", 2.25),
        ("standard", "tier-8xl", None),
    ],
)
def test_control_plane_hourly(support, tier, hourly):
    assert parse_table(TABLE).control_plane_hourly("r-1", support, tier) == hourly
    assert parse_table(TABLE).control_plane_hourly("nowhere", support) is None


def test_an_unknown_support_type_is_an_error():
    with pytest.raises(ValueError, match="support must be one of"):
        parse_table(TABLE).control_plane_hourly("r-1", "premium")


@pytest.mark.parametrize(
    ("version", "policy", "monthly"),
    [("1.35", None, 73.0), ("1.34", None, 438.0), ("1.34", "EXTENDED", 438.0), ("1.34", "STANDARD", 73.0)],
)
def test_the_support_policy_sets_the_control_plane_price(version, policy, monthly):
    """cluster.upgradePolicy.supportType is not a stack setting yet (issue 20): the cost model reads the
    cluster's upgradePolicy, so the price follows it once the program sends it."""
    props = {"version": version, **({"upgradePolicy": {"supportType": policy}} if policy else {})}
    found = estimate([Resource("aws:eks/cluster:Cluster", "c", props)], "ap-northeast-2", load_prices(), DAY)
    assert found.total("desired") == monthly


# --- the shipped table --------------------------------------------------------------------------------


def test_every_catalog_instance_type_has_a_us_east_1_price():
    missing = [t for t in CATALOG if load_prices().instance_hourly("us-east-1", t) is None]
    assert missing == []


def test_every_figure_names_a_source_with_dates():
    prices = load_prices()
    for region in ("ap-northeast-2", "eu-west-1"):  # the regions of the stacks
        for name in (
            *("eksClusterHour", "natGatewayHour", "publicIpv4Hour", "gp3GbMonth", "kmsKeyMonth", "logsIngestGb"),
            *("albHour", "albLcuHour"),
        ):
            source = prices.source_of(region, name)
            assert source and source.published and source.read, (region, name)
        assert prices.regions[region].instance_source in prices.sources
    assert prices.usd("ap-northeast-2", "natGatewayGb") == 0.059


# --- the review -----------------------------------------------------------------------------------------


def _group(plan):
    return next(r for r in plan["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup")["inputs"]


# Changes of dev's stack config, rendered once per worker (tests/conftest.py plan_of): what `make diff` compares.
def larger_nodes(values):
    values["eks-platform:nodeGroups"][0]["instanceTypes"] = ["t3.large"]


def two_nodes_and_a_nat_gateway_per_zone(values):
    values["eks-platform:nodeGroups"][0]["desiredSize"] = 2
    values["eks-platform:network"]["natGateways"] = "perAz"


def test_the_review_shows_the_cost_of_an_instance_type_change(dev_plan, monkeypatch):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", str(DAY))
    text = review_text(build_review("dev", dev_plan, plan_of("dev", larger_nodes), "base"))
    up = c((SEOUL["t3.large"] - SEOUL["t3.medium"]) * H)
    what = "node group general: t3.medium x 1 (max 2) → t3.large x 1 (max 2)"
    assert f"+ {usd(up)}/month at desired, + {usd(up * 2)}/month at max: {what}" in text
    assert text.index("Cost (per month):") < text.index("Changes:")


def test_the_review_shows_the_cost_of_node_counts_and_nat_gateways(dev_plan, monkeypatch):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", str(DAY))
    review = build_review("dev", dev_plan, plan_of("dev", two_nodes_and_a_nat_gateway_per_zone), "base")
    shown = [str(x) for x in review.cost]
    what = "node group general: t3.medium x 1 (max 2) → t3.medium x 2 (max 2)"
    assert f"+ {usd(SEOUL['t3.medium'] * H)}/month at desired, + $0.00/month at max: {what}" in shown
    nat_month = usd(SEOUL["nat"] * H)
    assert f"+ {nat_month}/month at desired, + {nat_month}/month at max: NAT gateways x 1 → NAT gateways x 2" in shown
    ipv4_month = usd(SEOUL["ipv4"] * H)
    assert any(line.startswith(f"+ {ipv4_month}/month at desired") for line in shown), shown
    expected, before = dev_expected(desired=2, top=2, nats=2), dev_expected()
    total = review.cost[-1]
    assert (total.desired, total.max) == (
        c(expected["desired"] - before["desired"]),
        c(expected["max"] - before["max"]),
    )


def on_1_34_extended(values):
    values["eks-platform:cluster"].update(version="1.34", upgradePolicy={"supportType": "EXTENDED"})


def on_1_34_standard(values):
    values["eks-platform:cluster"].update(version="1.34", upgradePolicy={"supportType": "STANDARD"})


def on_1_35_extended(values):
    values["eks-platform:cluster"].update(version="1.35", upgradePolicy={"supportType": "EXTENDED"})


EXTENDED_SURCHARGE = usd(0.50 * H)  # USD 0.60 an hour in extended support instead of 0.10, in Seoul too


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (on_1_35_extended, "EKS control plane 1.34 (extended support) → EKS control plane 1.35 (standard support)"),
        (on_1_34_standard, "EKS control plane 1.34 (extended support) → EKS control plane 1.34 (standard support)"),
    ],
)
def test_the_review_shows_the_cost_of_the_support_policy(monkeypatch, head, what):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", str(DAY))
    review = build_review("dev", plan_of("dev", on_1_34_extended), plan_of("dev", head), "base")
    shown = [str(x) for x in review.cost]
    assert f"- {EXTENDED_SURCHARGE}/month at desired, - {EXTENDED_SURCHARGE}/month at max: {what}" in shown


def without_the_ingress(values):
    values["eks-platform:workloads"]["ingress"]["enabled"] = False


ALB_LINE = "load balancer for Ingress demo/web: ALB, internal"


@pytest.mark.parametrize(("sign", "what"), [("-", f"{ALB_LINE} (removed)"), ("+", f"{ALB_LINE} (new)")])
def test_the_review_shows_the_alb_an_ingress_adds_or_removes(dev_plan, monkeypatch, sign, what):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", str(DAY))
    sides = (dev_plan, plan_of("dev", without_the_ingress))
    review = build_review("dev", *(sides if sign == "-" else sides[::-1]), "base")
    alb = f"{sign} {usd(SEOUL_ALB)}/month"
    assert [str(x) for x in review.cost] == [f"{alb} at desired, {alb} at max: {x}" for x in (what, "total")]
    assert what in review_text(review)


def test_an_unchanged_stack_has_no_cost_lines(dev_plan):
    assert cost_changes(dev_plan, dev_plan) == ([], None)


# --- the guardrail --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "at", "violated"),
    [(190, "desired", False), (180, "desired", True), (230, "max", False), (220, "max", True), (220, None, True)],
)
def test_the_monthly_budget(dev, monkeypatch, budget, at, violated):
    monkeypatch.setenv("EKS_PLATFORM_TODAY", str(DAY))
    rule = {"enforcementLevel": "mandatory", "monthlyUsd": budget, **({"at": at} if at else {})}
    found = [
        v
        for v in evaluate(dev, {"all": "disabled", "stack-monthly-budget": rule})
        if v["policy"] == "stack-monthly-budget"
    ]
    assert bool(found) == violated
    if violated:
        assert (
            found[0]["enforcement"] == "mandatory" and f"above the budget of USD {budget:,.2f}" in found[0]["message"]
        )


def test_no_budget_no_verdict(dev):
    assert not [v for v in evaluate(dev, {"all": "mandatory"}) if v["policy"] == "stack-monthly-budget"]


def test_plan_json_carries_the_cost(dev_plan):
    assert json.loads(json.dumps(dev_plan))["cost"]["notCounted"].startswith("data transfer")
