"""What a replacement does to the resources that read it, as the engine plans it (review/ripple.py).

Facts of the engine modelled here: a replaced resource's computed outputs are unknown until it is
created again, so is every input that reads them, and a dependent whose provider cannot update that
input in place is replaced in turn; new launch template data is a new template version; a resource
whose provider is replaced is replaced with it. The scenarios change one value of a checked-in stack;
the pure cases build two small plans by hand.
"""

from __future__ import annotations

import copy

import pytest

from review.report import build_review, review_markdown, review_text
from review.values import Unknown
from tests.conftest import plan_of

SUBNET, VPC, NODE_GROUP = "aws:ec2/subnet:Subnet", "aws:ec2/vpc:Vpc", "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def new_vpc_cidr(values):
    values["eks-platform:network"]["vpcCidr"] = "10.20.0.0/16"


def bigger_disks(values):
    values["eks-platform:nodeGroups"][0].update(diskSize=50, maxUnavailable=2)


def changes_of(review):
    return {(c.type, c.name): c for g in review.groups for c in g.changes}


@pytest.fixture(scope="module")
def vpc_review(dev_plan):
    return build_review("dev", dev_plan, plan_of("dev", new_vpc_cidr), "base")


def test_a_new_vpc_cidr_replaces_the_node_group_through_its_subnets(vpc_review):
    found = changes_of(vpc_review)
    group = found[NODE_GROUP, "general"]
    assert group.action == "replace" and group.forced_by == ["subnetIds[0]", "subnetIds[1]"]
    assert {(c.source.rsplit("::", 1)[-1], c.output) for c in group.causes} == {
        ("network-private-az1", "id"),
        ("network-private-az2", "id"),
    }
    assert all(isinstance(p.new, Unknown) for p in group.properties)
    # the subnets are replaced for their own new block, and for the VPC's new id
    subnet = found[SUBNET, "network-private-az1"]
    assert subnet.action == "replace" and subnet.forced_by == ["cidrBlock", "vpcId"]
    (danger,) = [d for d in vpc_review.dangers if d.kind == "node group replaced"]
    assert danger.subject == (
        "general (forced by subnetIds — its subnetIds come from subnets network-private-az1 and "
        "network-private-az2, which are replaced (cidrBlock, vpcId))"
    )


def test_a_cluster_cannot_follow_its_network_into_a_new_vpc(vpc_review):
    (danger,) = [d for d in vpc_review.dangers if d.kind == "cluster cannot move to another VPC"]
    assert danger.subject == "eks-platform-dev (its vpcId comes from VPC network-vpc, which is replaced (cidrBlock))"
    assert "EKS cannot move a cluster to another VPC" in danger.consequence
    assert "new cluster" in danger.consequence and "move the workloads" in danger.consequence
    # the cluster itself is planned as an update of its subnets (what EKS then refuses), not replaced
    cluster = changes_of(vpc_review)["aws:eks/cluster:Cluster", "cluster-eksCluster"]
    assert cluster.action == "update" and {p.path for p in cluster.properties} == {
        f"vpcConfig.subnetIds[{i}]" for i in range(4)
    }


def test_an_input_the_provider_updates_in_place_is_an_update(vpc_review):
    gateway = changes_of(vpc_review)["aws:ec2/internetGateway:InternetGateway", "network-igw"]
    assert gateway.action == "update" and gateway.because == (
        "its vpcId comes from VPC network-vpc, which is replaced (cidrBlock)"
    )


def test_the_counts_are_the_changes_listed(vpc_review):
    listed = [c for g in vpc_review.groups for c in g.changes]
    assert sum(vpc_review.counts.values()) == len(listed)
    assert vpc_review.counts["replace"] == sum(1 for c in listed if c.action == "replace") == 15


def test_bigger_disks_roll_every_node_of_the_group(dev_plan):
    review = build_review("dev", dev_plan, plan_of("dev", bigger_disks), "base")
    found = changes_of(review)
    assert found[LAUNCH_TEMPLATE, "general-nodes"].action == "update"
    group = found[NODE_GROUP, "general"]
    assert group.action == "update"
    (version,) = [p for p in group.properties if p.path == "launchTemplate.version"]
    assert version.old == "1" and isinstance(version.new, Unknown)
    assert review.rollouts == [
        "node group general: every node (1 now, at most 2) is replaced by a rolling update, 2 node(s) at a time "
        "(updateConfig.maxUnavailable); pods are drained onto the new nodes — its launchTemplate.version comes "
        "from launch template general-nodes, which gets a new version (blockDeviceMappings[0].ebs.volumeSize)"
    ]
    assert not review.dangerous
    assert "Nodes replaced by a rolling update:" in review_text(review)
    assert "**Nodes replaced by a rolling update**" in review_markdown(review)


# ---- pure cases: two small plans written here ----


def entry(type_, name, inputs, reads=None, provider=None, options=None):
    return {
        "urn": f"urn:pulumi:t::p::{type_}::{name}",
        "type": type_,
        "name": name,
        "parent": None,
        "provider": provider,
        "dependsOn": [],
        "options": options or {},
        "inputs": inputs,
        **({"reads": reads} if reads else {}),
    }


def read(type_, name, output="id"):
    return [{"from": f"urn:pulumi:t::p::{type_}::{name}", "output": output}]


def network(node_group_options=None):
    return {
        "resources": [
            entry(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}),
            entry(SUBNET, "a", {"cidrBlock": "10.0.0.0/24", "vpcId": "vpc-1"}, {"vpcId": read(VPC, "vpc")}),
            entry(
                NODE_GROUP,
                "ng",
                {"subnetIds": ["subnet-1"], "scalingConfig": {"desiredSize": 3, "maxSize": 6}},
                {"subnetIds[0]": read(SUBNET, "a")},
                options=node_group_options,
            ),
        ]
    }


def with_input(plan, resource, **inputs):
    changed = copy.deepcopy(plan)
    for e in changed["resources"]:
        if e["name"] == resource:
            e["inputs"].update(inputs)
    return changed


def test_a_replacement_ripples_until_nothing_more_changes():
    base = network()
    review = build_review("t", base, with_input(base, "vpc", cidrBlock="10.1.0.0/16"), "base")
    found = changes_of(review)
    assert {k: c.action for k, c in found.items()} == {
        (VPC, "vpc"): "replace",
        (SUBNET, "a"): "replace",
        (NODE_GROUP, "ng"): "replace",
    }
    assert found[NODE_GROUP, "ng"].because == (
        "its subnetIds come from subnet a, which is replaced (vpcId — its vpcId comes from VPC vpc, "
        "which is replaced (cidrBlock))"
    )


def _all(review):
    return [c for g in review.groups for c in g.changes]


def test_ignore_changes_stops_the_ripple():
    base = network({"ignoreChanges": ["subnetIds"]})
    review = build_review("t", base, with_input(base, "vpc", cidrBlock="10.1.0.0/16"), "base")
    assert {c.name for c in _all(review)} == {"vpc", "a"}


@pytest.mark.parametrize(
    ("change", "rolled"),
    [
        ({"tagSpecifications": [{"resourceType": "volume", "tags": {"a": "b"}}]}, True),  # template data
        ({"metadataOptions": {"httpPutResponseHopLimit": 2}}, True),
        ({"tags": {"team": "x"}}, False),  # the template's own tags: no new version
    ],
)
def test_which_launch_template_changes_make_a_new_version(change, rolled):
    base = {
        "resources": [
            entry(LAUNCH_TEMPLATE, "lt", {"tags": {}, "tagSpecifications": []}),
            entry(
                NODE_GROUP,
                "ng",
                {"launchTemplate": {"id": "lt-1", "version": "1"}, "updateConfig": {"maxUnavailablePercentage": 25}},
                {"launchTemplate.version": read(LAUNCH_TEMPLATE, "lt", "latestVersion")},
            ),
        ]
    }
    review = build_review("t", base, with_input(base, "lt", **change), "base")
    assert ("ng" in {c.name for c in _all(review)}) is rolled
    if rolled:
        (line,) = review.rollouts
        assert "25% of the nodes at a time (updateConfig.maxUnavailablePercentage)" in line


def test_a_replaced_provider_replaces_what_it_manages():
    provider = entry("pulumi:providers:kubernetes", "k8s", {"kubeconfig": "{...}"}, {"kubeconfig": read(VPC, "vpc")})
    base = {
        "resources": [
            entry(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}),
            provider,
            entry("kubernetes:core/v1:Namespace", "ns", {"metadata": {"name": "x"}}, provider=provider["urn"]),
        ]
    }
    review = build_review("t", base, with_input(base, "vpc", cidrBlock="10.1.0.0/16"), "base")
    found = {c.name: c for c in _all(review)}
    assert found["k8s"].action == "replace" and found["ns"].action == "replace"
    assert found["ns"].because.startswith("its provider is kubernetes provider k8s, which is replaced (kubeconfig")
    assert [d.kind for d in review.dangers] == ["namespace replaced"]


def test_what_a_multi_language_component_returns_is_new_when_what_it_creates_is_replaced():
    remote = entry("eks:index:Cluster", "c", {"name": "c"})
    cluster = {**entry("aws:eks/cluster:Cluster", "c-eksCluster", {"name": "c"}), "parent": remote["urn"]}
    cluster.update(urn="urn:pulumi:t::p::eks:index:Cluster$aws:eks/cluster:Cluster::c-eksCluster", createdBy="x")
    reader = entry(
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "oidc",
        {"url": "https://oidc.example/id/X"},
        {"url": read("eks:index:Cluster", "c", "oidcProviderUrl")},
    )
    base = {"resources": [remote, cluster, reader]}
    review = build_review("t", base, with_input(base, "c-eksCluster", name="d"), "base")
    found = {c.name: c for c in _all(review)}
    assert found["oidc"].action == "replace"
    assert found["oidc"].because == "its url comes from cluster c-eksCluster, which is replaced (name)"
