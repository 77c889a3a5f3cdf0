"""What pulumi-eks' eks:index:Cluster creates inside itself, as the render lists it.

The list is pinned to the pulumi-eks version it was read from: bumping pulumi-eks in
requirements.txt fails here until someone reads the new source, runs it under Node mocks on the
renders' inputs (docs/pulumi-eks.md says how) and updates runner/pulumi_eks.py.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from eks_platform.runner import pulumi_eks
from eks_platform.runner.engine import ProgramError
from eks_platform.runner.stack_config import PROJECT_DIR
from tests.conftest import config_with, run_config


def test_the_model_was_read_from_the_pinned_pulumi_eks():
    pinned = re.search(r"^pulumi-eks==(\S+)$", (PROJECT_DIR / "requirements.txt").read_text(), re.M)
    assert pinned and pinned[1] == "4.4.0" == version("pulumi-eks") == pulumi_eks.VERIFIED_VERSION


def inside(result) -> list[tuple[str, str]]:
    cluster = result.one("eks:index:Cluster")
    return sorted((r.type, r.name) for r in result.children(cluster))


def test_dev_lists_the_cluster_its_provider_and_aws_auth(dev):
    # Checked against pulumi-eks 4.4.0's TypeScript under Node mocks on dev's inputs.
    assert inside(dev) == [
        ("aws:eks/cluster:Cluster", "cluster-eksCluster"),
        ("kubernetes:core/v1:ConfigMap", "cluster-nodeAccess"),
        ("pulumi:providers:kubernetes", "cluster-eks-k8s"),
    ]


def test_prod_in_api_mode_has_no_aws_auth(prod):
    assert inside(prod) == [
        ("aws:eks/cluster:Cluster", "cluster-eksCluster"),
        ("pulumi:providers:kubernetes", "cluster-eks-k8s"),
    ]


def test_every_child_says_who_creates_it(prod):
    for child in prod.children(prod.one("eks:index:Cluster")):
        assert child.created_by == "pulumi-eks 4.4.0"


SKIPPING = {
    "skipDefaultSecurityGroups": True,
    "createOidcProvider": False,
    "useDefaultVpcCni": True,
    "skipDefaultNodeGroup": True,
    "serviceRole": "role",
    "kubeProxyAddonOptions": {"enabled": False},
    "corednsAddonOptions": {"enabled": False},
}


@pytest.mark.parametrize(
    "change, what",
    [
        ({"skipDefaultSecurityGroups": False}, "security group"),
        ({"createOidcProvider": True}, "OIDC provider"),
        ({"useDefaultVpcCni": False}, "vpc-cni"),
        ({"skipDefaultNodeGroup": False}, "default node group"),
        ({"serviceRole": None}, "IAM role"),
        ({"kubeProxyAddonOptions": {}}, "kube-proxy"),
        ({"corednsAddonOptions": {"enabled": True}}, "coredns"),
        ({"fargate": True}, "Fargate"),
        ({"storageClasses": "gp3"}, "StorageClasses"),
    ],
)
def test_an_input_that_would_create_an_unlisted_child_is_refused(change, what):
    assert pulumi_eks.unmodelled(SKIPPING) == []
    (reason,) = pulumi_eks.unmodelled({**SKIPPING, **change})
    assert what in reason


def test_a_run_whose_pulumi_eks_would_hide_something_fails(monkeypatch):
    monkeypatch.setitem(pulumi_eks._MUST_SKIP, "skipDefaultSecurityGroups", (False, "two security groups"))
    with pytest.raises(ProgramError, match="two security groups"):
        run_config(config_with())


def test_user_mappings_absent_means_no_map_users():
    result = run_config(config_with(access={"authenticationMode": "CONFIG_MAP"}))
    data = result.one("kubernetes:core/v1:ConfigMap", "cluster-nodeAccess").inputs["data"]
    assert set(data) == {"mapRoles"}


def _names(result, urns):
    by_urn = {r.urn: r for r in result.resources}
    return sorted((by_urn[u].type, by_urn[u].name) for u in urns)


def test_what_pulumi_eks_creates_waits_for_what_it_reads(dev):
    """cluster.ts createCore: the cluster reads the service role, the subnets and the KMS key; the
    provider reads the cluster's endpoint and CA; aws-auth's mapRoles names the node roles."""
    cluster = dev.one("aws:eks/cluster:Cluster")
    assert _names(dev, cluster.dependencies) == [
        ("aws:ec2/subnet:Subnet", "network-private-az1"),
        ("aws:ec2/subnet:Subnet", "network-private-az2"),
        ("aws:ec2/subnet:Subnet", "network-public-az1"),
        ("aws:ec2/subnet:Subnet", "network-public-az2"),
        ("aws:iam/role:Role", "cluster-service-role"),
        ("aws:kms/key:Key", "cluster-secrets"),
    ]
    assert _names(dev, cluster.property_dependencies["encryptionConfig"]) == [("aws:kms/key:Key", "cluster-secrets")]
    provider = dev.one("pulumi:providers:kubernetes", "cluster-eks-k8s")
    assert provider.dependencies == [cluster.urn]
    aws_auth = dev.one("kubernetes:core/v1:ConfigMap", "cluster-nodeAccess")
    assert _names(dev, aws_auth.dependencies) == [("aws:iam/role:Role", "general-node-role")]
    assert aws_auth.provider == provider.urn


def test_the_plan_and_the_graph_show_those_dependencies(dev):
    from render.plan import build_plan
    from render.tree import mermaid

    plan = {r["urn"]: r for r in build_plan(dev)["resources"]}
    cluster = dev.one("aws:eks/cluster:Cluster")
    assert plan[cluster.urn]["dependsOn"] == cluster.dependencies and len(cluster.dependencies) == 6
    inside_graph = mermaid(dev).split("# Inside pulumi-eks 4.4.0", 1)[1]
    nodes = dict(re.findall(r'^    (r\d+)\["([^<]+)<br/>', inside_graph, re.M))
    edges = {(nodes[a], nodes[b]) for a, b in re.findall(r"^    (r\d+) --> (r\d+)$", inside_graph, re.M)}
    assert ("cluster-secrets", "cluster-eksCluster") in edges
    assert ("cluster-service-role", "cluster-eksCluster") in edges
    assert ("network-private-az1", "cluster-eksCluster") in edges
    assert ("cluster-eksCluster", "cluster-eks-k8s") in edges
    assert ("general-node-role", "cluster-nodeAccess") in edges
    # Listed in the order `pulumi up` creates them: each after what it waits for.
    created = [
        name for name in nodes.values() if name in {"cluster-eksCluster", "cluster-eks-k8s", "cluster-nodeAccess"}
    ]
    assert created == ["cluster-eksCluster", "cluster-eks-k8s", "cluster-nodeAccess"]
