"""Helm releases in the render: the chart, version, repository and values `pulumi up` installs are shown (plan.json
and the printed preview), the chart's own objects are not pretended into manifests/, and the deployer's policy
covers the release type like any Kubernetes object (authorized by EKS access, not IAM)."""

from __future__ import annotations

from deployer.policy import plan_types
from deployer.rows import find_rows
from deployer.table import PREFIXES, ROWS
from render.helm import flattened, helm_review, helm_text
from render.manifests import manifest_files

RELEASE = "kubernetes:helm.sh/v3:Release"


def test_the_render_shows_the_chart_version_and_values_pulumi_up_installs(dev, dev_plan):
    (row,) = helm_review(dev)
    assert row["release"] == "kube-system/aws-load-balancer-controller"
    assert (row["chart"], row["version"], row["repository"]) == (
        "aws-load-balancer-controller",
        "3.5.0",
        "https://aws.github.io/eks-charts",
    )
    values = row["values"]
    assert values["clusterName"] == dev.outputs["clusterName"]
    assert values["vpcId"] == dev.outputs["vpcId"] and values["region"] == dev.outputs["region"]
    # the chart creates no service account: the program's, bound to the controller's role, is named
    account = dev.one("kubernetes:core/v1:ServiceAccount", "aws-load-balancer-controller-sa").inputs["metadata"]
    assert values["serviceAccount"] == {"create": False, "name": account["name"]}
    assert values["createIngressClassResource"] is False
    assert dev_plan["helmReleases"] == helm_review(dev)
    text = helm_text(helm_review(dev))
    assert "expands the chart's manifests at `pulumi preview`" in text
    assert "    kube-system/aws-load-balancer-controller: chart aws-load-balancer-controller 3.5.0 from" in text
    assert f"        clusterName: {dev.outputs['clusterName']}\n" in text


def test_manifests_hold_the_programs_objects_not_the_charts(dev):
    files = dict(manifest_files(dev))
    assert any("ingressclass-cluster-alb" in name for name in files)
    assert any("serviceaccount-kube-system-aws-load-balancer-controller" in name for name in files)
    assert not [name for name in files if "deployment-kube-system-aws-load-balancer-controller" in name]
    assert not [text for text in files.values() if "helm.sh" in text]


def test_values_flatten_to_paths_a_reader_can_find():
    values = {"nodeSelector": {"eks.amazonaws.com/capacityType": "ON_DEMAND"}, "sources": ["service", "ingress"]}
    assert list(flattened(values)) == [
        ('nodeSelector["eks.amazonaws.com/capacityType"]', "ON_DEMAND"),
        ("sources", ["service", "ingress"]),
    ]
    assert list(flattened({"tolerations": [{"key": "a"}]})) == [("tolerations[0].key", "a")]


def test_the_deployers_policy_covers_releases_as_kubernetes_objects(dev_plan, edge_plan):
    for plan in (dev_plan, edge_plan):
        exact, prefixed = find_rows(plan_types(plan), ROWS, PREFIXES)
        assert RELEASE not in exact and prefixed[RELEASE].prefix == "kubernetes:"
    # an existing VPC's range, read for the sample Ingress's NetworkPolicy
    assert ROWS["aws:ec2/getVpc:getVpc"].read == ("ec2:DescribeVpcs",)
