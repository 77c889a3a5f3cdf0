"""The five EKS add-ons: the program's own aws.eks.Addon resources, each pinned or at EKS's default
version (never the most recent build), created before or after the node groups as they need."""

from __future__ import annotations

import json

from render.addons import addon_review
from tests.conftest import check_rule, config_with, run_config

ADDON = "aws:eks/addon:Addon"
LOOKUP = "aws:eks/getAddonVersion:getAddonVersion"
FIVE = {"vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver"}
# Where some node group has auto repair on (dev and prod: every group, the default).
MONITORING = "eks-node-monitoring-agent"


def addons(result) -> dict:
    return {a.inputs["addonName"]: a for a in result.of_type(ADDON)}


def test_each_stack_runs_the_five_addons_the_node_monitoring_agent_and_metrics_server_at_the_eks_default_version(
    dev, prod
):
    # metrics-server is an EKS add-on of eks-platform:platformAddons, on by default (tests/test_platform_addons.py)
    for result in (dev, prod):
        assert set(addons(result)) == FIVE | {MONITORING, "metrics-server"}
        lookups = [i.args for i in result.invokes if i.token == LOOKUP]
        assert sorted(a["addonName"] for a in lookups) == sorted(FIVE | {MONITORING, "metrics-server"})
        assert all(a["mostRecent"] is False and a["kubernetesVersion"] == "1.35" for a in lookups)


def test_coredns_and_the_ebs_controller_wait_for_every_node_group(prod):
    node_groups = {r.urn for r in prod.of_type("aws:eks/nodeGroup:NodeGroup")}
    found = addons(prod)

    def waits(urn):  # on the add-on itself: no reliance on how an engine treats a component's dependencies
        return set(next(r for r in prod.resources if r.urn == urn).dependencies)

    assert node_groups <= waits(found["coredns"].urn)
    assert node_groups <= waits(found["aws-ebs-csi-driver"].urn)
    for early in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent", MONITORING):
        assert not node_groups & waits(found[early].urn), early


def test_vpc_cni_runs_the_network_policy_agent_at_info_log_level(dev):
    config = json.loads(addons(dev)["vpc-cni"].inputs["configurationValues"])
    assert config == {
        "enableNetworkPolicy": "true",
        "env": {"AWS_VPC_K8S_CNI_LOGLEVEL": "INFO", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL": "INFO"},
    }


def test_a_pinned_version_and_configuration_are_used_as_given():
    result = run_config(
        config_with(
            addons={
                "coredns": {"version": "v1.11.4-eksbuild.2", "configurationValues": {"replicaCount": 3}},
                "vpc-cni": {"configurationValues": {"env": {"WARM_IP_TARGET": "5"}}},
            }
        )
    )
    found = addons(result)
    assert found["coredns"].inputs["addonVersion"] == "v1.11.4-eksbuild.2"
    assert json.loads(found["coredns"].inputs["configurationValues"]) == {"replicaCount": 3}
    assert "coredns" not in {i.args["addonName"] for i in result.invokes if i.token == LOOKUP}
    # merged over the platform's defaults: one more variable keeps network policy on
    vpc_cni = json.loads(found["vpc-cni"].inputs["configurationValues"])
    assert vpc_cni["enableNetworkPolicy"] == "true" and vpc_cni["env"]["WARM_IP_TARGET"] == "5"
    review = {r["name"]: r for r in addon_review(result)}
    assert review["coredns"]["source"] == "pinned in eks-platform:addons.coredns.version"
    assert review["kube-proxy"]["source"].startswith("EKS default for Kubernetes 1.35")


def test_every_addon_is_overwritten_back_to_the_stack_on_drift(prod):
    for addon in addons(prod).values():
        assert addon.inputs["resolveConflictsOnCreate"] == addon.inputs["resolveConflictsOnUpdate"] == "OVERWRITE"
    preserved = {name for name, a in addons(prod).items() if a.inputs.get("preserve")}
    assert preserved == {"vpc-cni", "kube-proxy", "coredns"}


def test_unknown_addon_names_the_known_ones():
    check_rule(
        "unknown add-on",
        config_with(addons={"coredns": {}}),
        config_with(addons={"core-dns": {}}),
        "eks-platform:addons.core-dns",
        "did you mean 'coredns'",
    )


def test_addon_version_syntax():
    check_rule(
        "add-on version",
        config_with(addons={"kube-proxy": {"version": "v1.35.3-eksbuild.13"}}),
        config_with(addons={"kube-proxy": {"version": "1.35.3"}}),
        "eks-platform:addons.kube-proxy.version",
        "like v1.19.2-eksbuild.1",
    )
