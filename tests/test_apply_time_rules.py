"""What AWS refuses only during `pulumi up`, refused before anything is created: one row per limit,
good and bad at the boundary. Each limit comes from the API reference named in the row."""

from __future__ import annotations

import pytest

from tests.conftest import ADDONS_ANYWHERE, check_rule, config_with


def ng(**fields) -> list[dict]:
    return [{"name": "general", **fields}]


def tags(count: int, prefix: str = "t") -> dict[str, str]:
    return {f"{prefix}{i}": "x" for i in range(count)}


PREFIX = "example.com/"

# (rule, good config, bad config, path in the error, fragment of its message)
RULES = [
    # EKS CreateNodegroup, Taint: key 1-63 characters, prefix included.
    (
        "taint key at most 63 characters",
        config_with(
            nodeGroups=ng(taints=[{"key": PREFIX + "k" * (63 - len(PREFIX)), "effect": "NoSchedule"}]),
            addons=ADDONS_ANYWHERE,
        ),
        config_with(
            nodeGroups=ng(taints=[{"key": PREFIX + "k" * (64 - len(PREFIX)), "effect": "NoSchedule"}]),
            addons=ADDONS_ANYWHERE,
        ),
        "eks-platform:nodeGroups[0].taints[0].key",
        "EKS allows taint keys of 1 to 63",
    ),
    # EKS CreateNodegroup: at most 50 taints per node group.
    (
        "at most 50 taints",
        config_with(
            nodeGroups=ng(taints=[{"key": f"k{i}", "effect": "NoSchedule"} for i in range(50)]), addons=ADDONS_ANYWHERE
        ),
        config_with(
            nodeGroups=ng(taints=[{"key": f"k{i}", "effect": "NoSchedule"} for i in range(51)]), addons=ADDONS_ANYWHERE
        ),
        "eks-platform:nodeGroups[0].taints",
        "has 51 taints; EKS allows 50",
    ),
    # EKS CreateNodegroup, labels: keys and values 1-63 characters.
    (
        "label key at most 63 characters",
        config_with(nodeGroups=ng(labels={PREFIX + "k" * (63 - len(PREFIX)): "v"})),
        config_with(nodeGroups=ng(labels={PREFIX + "k" * (64 - len(PREFIX)): "v"})),
        f'eks-platform:nodeGroups[0].labels["{PREFIX + "k" * (64 - len(PREFIX))}"]',
        "label keys of 1 to 63",
    ),
    (
        "label value not empty",
        config_with(nodeGroups=ng(labels={"example.com/pool": "a"})),
        config_with(nodeGroups=ng(labels={"example.com/pool": ""})),
        'eks-platform:nodeGroups[0].labels["example.com/pool"]',
        "label values of 1 to 63",
    ),
    # EKS NodegroupUpdateConfig: maxUnavailable 1-100.
    (
        "maxUnavailable at most 100",
        config_with(nodeGroups=ng(maxSize=200, maxUnavailable=100)),
        config_with(nodeGroups=ng(maxSize=200, maxUnavailable=101)),
        "eks-platform:nodeGroups[0].maxUnavailable",
        "1 to 100",
    ),
    # 50 user tags per resource; a subnet also carries 5 of the platform's.
    (
        "cluster tags leave room for the platform's",
        config_with(cluster={"tags": tags(45)}),
        config_with(cluster={"tags": tags(46)}),
        "eks-platform:cluster.tags",
        "AWS allows 50 per resource",
    ),
    # ... and a node group's tags add to the cluster's (3 of the platform's on nodes).
    (
        "node group tags and cluster tags together",
        config_with(cluster={"tags": tags(40)}, nodeGroups=ng(tags={**tags(40), **tags(7, "n")})),
        config_with(cluster={"tags": tags(40)}, nodeGroups=ng(tags=tags(8, "n"))),
        "eks-platform:nodeGroups[0].tags",
        "carry 51 tags",
    ),
    # IAM tag naming rules: letters, digits, spaces and _.:/=+-@ (the stack's tags land on IAM roles).
    (
        "cluster tag value allowed by IAM",
        config_with(cluster={"tags": {"owner": "team a@example.com"}}),
        config_with(cluster={"tags": {"owner": "team|a"}}),
        "eks-platform:cluster.tags.owner",
        "'|'",
    ),
    (
        "cluster tag key allowed by IAM",
        config_with(cluster={"tags": {"cost-center": "1"}}),
        config_with(cluster={"tags": {"cost*center": "1"}}),
        'eks-platform:cluster.tags["cost*center"]',
        "'*'",
    ),
    (
        "node group tags are AWS tags",
        config_with(nodeGroups=ng(tags={"team": "a"})),
        config_with(nodeGroups=ng(tags={"aws:team": "a"})),
        'eks-platform:nodeGroups[0].tags["aws:team"]',
        "reserved by AWS",
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def _tag_sets(inputs: dict):
    if isinstance(inputs.get("tags"), dict):
        yield inputs["tags"]
    for spec in inputs.get("tagSpecifications") or []:
        yield spec["tags"]


def test_at_the_limit_no_resource_carries_more_than_50_tags():
    # Counted on what the program registers, not on the rule's constants: a tag the platform
    # starts adding somewhere makes this fail until the rule knows it.
    from tests.conftest import run_config

    result = run_config(config_with(cluster={"tags": tags(40)}, nodeGroups=ng(tags={**tags(40), **tags(7, "n")})))
    counts = {(r.type, r.name): max(map(len, _tag_sets(r.inputs)), default=0) for r in result.resources}
    assert max(counts.values()) == 50, sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    result = run_config(config_with(cluster={"tags": tags(45)}))
    assert max(len(t) for r in result.resources for t in _tag_sets(r.inputs)) == 50
