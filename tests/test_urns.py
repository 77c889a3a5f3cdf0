"""URNs as the Pulumi engine makes them, and the aliases that keep what earlier versions created.

The engine's rule (pulumi/pulumi pkg/resource/deploy/deployment.go `generateURN`): the qualified type
is the parent's full qualified type, `$`, the resource's own type; the root stack is left out. Every
expected URN below is written by hand or computed here from the parent chain, never by the code
under test. An alias that names a URN no earlier version had matches nothing in the real state, and
`pulumi up` would create the resource a second time and delete the first (a node group, a role).
"""

from __future__ import annotations

import copy

import pytest

from eks_platform.components.urns import alias_urn, child_urn, resource_urn, stack_urn
from render.plan import build_plan
from review.changes import diff_plans
from review.report import build_review

DEV = "urn:pulumi:dev::eks-platform::"


def engine_qualified_type(entry: dict, by_urn: dict) -> str:
    """The test's own walk up the parent chain: every ancestor's type, the root stack left out."""
    types = [entry["type"]]
    parent = by_urn.get(entry["parent"])
    while parent is not None:
        types.insert(0, parent["type"])
        parent = by_urn.get(parent["parent"])
    return "$".join(types)


@pytest.fixture(scope="module")
def plans(dev, prod, edge):
    return {"dev": build_plan(dev), "prod": build_plan(prod), "edge": build_plan(edge)}


@pytest.mark.parametrize("stack", ["dev", "prod", "edge"])
def test_every_urn_in_the_plan_is_the_engines(plans, stack):
    plan = plans[stack]
    by_urn = {r["urn"]: r for r in plan["resources"]}
    root = f"urn:pulumi:{stack}::eks-platform::pulumi:pulumi:Stack::eks-platform-{stack}"
    for entry in plan["resources"]:
        assert entry["parent"] in by_urn or entry["parent"] == root, entry["urn"]
        expected = f"urn:pulumi:{stack}::eks-platform::{engine_qualified_type(entry, by_urn)}::{entry['name']}"
        assert entry["urn"] == expected
    assert len(by_urn) == len(plan["resources"])  # no two resources share a URN


@pytest.mark.parametrize(
    ("type_", "name", "urn"),
    [
        # depth 1: a top-level component (no `pulumi:pulumi:Stack$`)
        ("eks-platform:index:Network", "network", DEV + "eks-platform:index:Network::network"),
        # depth 3: the autoscaler's role, inside its ServiceAccountRole, inside the ClusterAutoscaler
        (
            "aws:iam/role:Role",
            "cluster-autoscaler-role",
            DEV + "eks-platform:index:ClusterAutoscaler$eks-platform:index:ServiceAccountRole$aws:iam/role:Role"
            "::cluster-autoscaler-role",
        ),
        # what pulumi-eks creates inside eks:index:Cluster, itself inside the EksCluster component
        (
            "aws:eks/cluster:Cluster",
            "cluster-eksCluster",
            DEV + "eks-platform:index:EksCluster$eks:index:Cluster$aws:eks/cluster:Cluster::cluster-eksCluster",
        ),
        (
            "kubernetes:core/v1:ConfigMap",
            "cluster-nodeAccess",
            DEV + "eks-platform:index:EksCluster$eks:index:Cluster$kubernetes:core/v1:ConfigMap::cluster-nodeAccess",
        ),
        # two Addons components: each add-on under its own (the mock engine gave both the same prefix)
        (
            "aws:eks/addon:Addon",
            "aws-ebs-csi-driver",
            DEV + "eks-platform:index:EbsCsiDriver$eks-platform:index:Addons$aws:eks/addon:Addon::aws-ebs-csi-driver",
        ),
    ],
)
def test_urns_written_by_hand(dev, type_, name, urn):
    assert dev.one(type_, name).urn == urn


def test_the_rule_itself():
    stack = stack_urn("dev", "eks-platform")
    assert stack == "urn:pulumi:dev::eks-platform::pulumi:pulumi:Stack::eks-platform-dev"
    top = resource_urn("dev", "eks-platform", "eks-platform:index:A", "a", stack)
    assert top == DEV + "eks-platform:index:A::a" == resource_urn("dev", "eks-platform", "eks-platform:index:A", "a")
    grandchild = child_urn(child_urn(top, "eks-platform:index:B", "b"), "aws:iam/role:Role", "r")
    assert grandchild == DEV + "eks-platform:index:A$eks-platform:index:B$aws:iam/role:Role::r"


def test_an_alias_resolves_by_the_same_rule():
    role = DEV + "eks-platform:index:A$eks-platform:index:B$aws:iam/role:Role::r"
    b = DEV + "eks-platform:index:A$eks-platform:index:B::b"
    old_parent = DEV + "eks-platform:index:A$eks:index:Cluster$eks:index:ServiceRole::x"
    # a parent given as a URN keeps its own full qualified type
    assert alias_urn(role, b, name="old", parent=old_parent) == (
        DEV + "eks-platform:index:A$eks:index:Cluster$eks:index:ServiceRole$aws:iam/role:Role::old"
    )
    # unset fields are the resource's own; no parent (or the root stack) means top level
    assert alias_urn(role, b, name="old") == DEV + "eks-platform:index:A$eks-platform:index:B$aws:iam/role:Role::old"
    assert alias_urn(role, b, no_parent=True) == DEV + "aws:iam/role:Role::r"
    assert alias_urn(role, b, parent=stack_urn("dev", "eks-platform")) == DEV + "aws:iam/role:Role::r"


# Where each moved resource lived before, in the engine's form, from git history and pulumi-eks' source:
# - until 5800b9b ("Nothing hidden") pulumi-eks created the cluster role (ServiceRole `<name>-eksRole`,
#   servicerole.ts: role `<name>-role`, attachment `<name>-<sha1(policy id)[:8]>`), the OIDC provider
#   (`<name>-oidcProvider`), kube-proxy (`<name>-kube-proxy`) and vpc-cni (VpcCniAddon `<name>-vpc-cni`
#   with an Addon of the same name), all under eks:index:Cluster `cluster` (cluster.ts createCore,
#   `{ parent }` = the Cluster), itself under the EksCluster component `cluster`; and each node group
#   (nodegroup.ts createManagedNodeGroup: aws.eks.NodeGroup `<name>` under eks:index:ManagedNodeGroup
#   `<name>`, under our ManagedNodeGroup `<name>`);
# - until 559144f the EBS CSI role was EbsCsiDriver's own child `ebs-csi-role`; until 5800b9b its add-on
#   was EbsCsiDriver's child `ebs-csi-addon` (61c0e86).
PREVIOUS = {
    ("aws:eks/nodeGroup:NodeGroup", "general"): "eks-platform:index:ManagedNodeGroup$eks:index:ManagedNodeGroup"
    "$aws:eks/nodeGroup:NodeGroup::general",
    ("aws:iam/role:Role", "cluster-service-role"): "eks-platform:index:EksCluster$eks:index:Cluster"
    "$eks:index:ServiceRole$aws:iam/role:Role::cluster-eksRole-role",
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cluster-service-role-cluster-policy"): (
        "eks-platform:index:EksCluster$eks:index:Cluster$eks:index:ServiceRole"
        "$aws:iam/rolePolicyAttachment:RolePolicyAttachment::cluster-eksRole-4b490823"
    ),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc"): "eks-platform:index:EksCluster"
    "$eks:index:Cluster$aws:iam/openIdConnectProvider:OpenIdConnectProvider::cluster-oidcProvider",
    ("aws:eks/addon:Addon", "kube-proxy"): "eks-platform:index:EksCluster$eks:index:Cluster"
    "$aws:eks/addon:Addon::cluster-kube-proxy",
    ("aws:eks/addon:Addon", "vpc-cni"): "eks-platform:index:EksCluster$eks:index:Cluster$eks:index:VpcCniAddon"
    "$aws:eks/addon:Addon::cluster-vpc-cni",
    ("aws:eks/addon:Addon", "aws-ebs-csi-driver"): "eks-platform:index:EbsCsiDriver$aws:eks/addon:Addon::ebs-csi-addon",
    ("aws:iam/role:Role", "ebs-csi-role"): "eks-platform:index:EbsCsiDriver$aws:iam/role:Role::ebs-csi-role",
}
# Kept where they were (no alias needed): the same URN as in the version that made them.
KEPT = [
    "eks-platform:index:EbsCsiDriver$aws:iam/rolePolicyAttachment:RolePolicyAttachment::ebs-csi-policy",
    "eks-platform:index:NodeRole$aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    "::general-node-role-AmazonEKSWorkerNodePolicy",
    "eks-platform:index:NodeRole$aws:iam/role:Role::general-node-role",
    "eks-platform:index:ManagedNodeGroup$aws:ec2/launchTemplate:LaunchTemplate::general-nodes",
]


@pytest.mark.parametrize(("resource", "previous"), PREVIOUS.items(), ids=[n for _, n in PREVIOUS])
def test_a_moved_resource_aliases_the_urn_it_had(dev, resource, previous):
    assert dev.one(*resource).options["aliases"] == [DEV + previous]


def test_resources_kept_in_place_keep_their_urn(dev):
    urns = {r.urn for r in dev.resources}
    assert [DEV + k for k in KEPT if DEV + k not in urns] == []
    # EKS installs coredns itself; pulumi-eks made no add-on of it without a default node group
    assert "aliases" not in dev.one("aws:eks/addon:Addon", "coredns").options


def legacy_urns(plan: dict) -> dict:
    """The plan as an older runner rendered it: the Python mock monitor's URNs (the parent's last type
    only; top-level resources under `pulumi:pulumi:Stack$`)."""
    old = copy.deepcopy(plan)
    by_urn = {r["urn"]: r for r in old["resources"]}
    renamed: dict[str, str] = {}

    def legacy(entry: dict) -> str:
        if entry["urn"] not in renamed:
            parent = by_urn.get(entry["parent"])
            last = (legacy(parent) if parent else entry["parent"]).split("::")[2].split("$")[-1]
            renamed[entry["urn"]] = f"{DEV}{last}${entry['type']}::{entry['name']}"
        return renamed[entry["urn"]]

    for entry in old["resources"]:
        legacy(entry)
    for entry in old["resources"]:
        entry["urn"], entry["parent"] = renamed[entry["urn"]], renamed.get(entry["parent"], entry["parent"])
        entry["dependsOn"] = [renamed.get(u, u) for u in entry["dependsOn"]]
        entry["provider"] = renamed.get(entry["provider"], entry["provider"])
    return old


def test_a_base_rendered_with_the_mock_engines_urns_compares_by_the_engines(plans):
    head = plans["dev"]
    base = legacy_urns(head)
    assert {r["urn"] for r in base["resources"]} != {r["urn"] for r in head["resources"]}
    # compared as they are, nearly everything would be deleted and created again
    naive = {c.action for c in diff_plans(base, head)}
    assert naive == {"create", "delete"}
    assert build_review("dev", base, head, "base").unchanged
