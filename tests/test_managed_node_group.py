"""ManagedNodeGroup: the launch template (IMDSv2, encrypted gp3) and what pulumi-eks receives."""

from __future__ import annotations

import pulumi
import pytest

from components.managed_node_group import update_config_transform
from tests.conftest import config_with, run_config

MNG = "eks:index:ManagedNodeGroup"
LT = "aws:ec2/launchTemplate:LaunchTemplate"


def test_design_note_node_group(dev):
    inputs = dev.one(MNG).inputs
    assert inputs["instanceTypes"] == ["t3.medium"]
    assert inputs["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    assert inputs["capacityType"] == "ON_DEMAND"
    assert inputs["amiType"] == "AL2023_x86_64_STANDARD"
    assert inputs["labels"] == {"platform.example.com/pool": "general"}
    assert inputs["version"] == "1.34"


def test_launch_template_requires_imdsv2_with_hop_limit_1(prod):
    for lt in prod.of_type(LT):
        assert lt.inputs["metadataOptions"] == {
            "httpEndpoint": "enabled",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 1,
            "instanceMetadataTags": "disabled",
        }


def test_root_volume_is_encrypted_gp3_of_the_configured_size(prod):
    (mapping,) = prod.one(LT, "general-nodes").inputs["blockDeviceMappings"]
    assert mapping["deviceName"] == "/dev/xvda"
    assert mapping["ebs"] == {"volumeSize": 50, "volumeType": "gp3", "encrypted": "true", "deleteOnTermination": "true"}


def test_bottlerocket_data_volume_is_the_one_sized():
    result = run_config(config_with(nodeGroups=[{"name": "br", "amiType": "BOTTLEROCKET_x86_64", "diskSize": 40}]))
    (mapping,) = result.one(LT).inputs["blockDeviceMappings"]
    assert (mapping["deviceName"], mapping["ebs"]["volumeSize"]) == ("/dev/xvdb", 40)


def test_node_group_uses_its_launch_template_and_nothing_that_conflicts_with_it(prod):
    for mng in prod.of_type(MNG):
        lt = prod.one(LT, f"{mng.name}-nodes")
        assert mng.inputs["launchTemplate"] == {"id": lt.outputs["id"], "version": "1"}
        # pulumi-eks refuses these next to a custom launch template (would fail at `pulumi up`).
        for conflicting in ("diskSize", "enableImdSv2", "userData", "kubeletExtraArgs", "amiId", "bootstrapExtraArgs"):
            assert conflicting not in mng.inputs


def test_tainted_group_gets_taints_in_eks_spelling(prod):
    inputs = prod.one(MNG, "system").inputs
    assert inputs["taints"] == [{"key": "platform.example.com/dedicated", "value": "system", "effect": "NO_SCHEDULE"}]
    assert inputs["instanceTypes"] == ["m7g.large"]
    assert inputs["amiType"] == "AL2023_ARM_64_STANDARD"


def test_node_group_runs_as_its_own_role_in_private_subnets(prod):
    private = sorted(s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if "private" in s.name)
    for mng in prod.of_type(MNG):
        role = prod.one("aws:iam/role:Role", f"{mng.name}-node-role")
        assert mng.inputs["nodeRole"] == role.outputs["id"]
        assert sorted(mng.inputs["subnetIds"]) == private
        assert mng.inputs["cluster"] == prod.one("eks:index:Cluster").urn


def test_ignore_scaling_changes_is_passed_for_autoscalers():
    result = run_config(config_with(nodeGroups=[{"name": "general", "ignoreScalingChanges": True}]))
    assert result.one(MNG).inputs["ignoreScalingChanges"] is True


def _transform_args(type_: str) -> pulumi.ResourceTransformArgs:
    return pulumi.ResourceTransformArgs(
        custom=True, type_=type_, name="ng", props={"scalingConfig": {"minSize": 1}}, opts=pulumi.ResourceOptions()
    )


@pytest.mark.parametrize("max_unavailable", [1, 3])
def test_update_config_reaches_the_node_group_pulumi_eks_creates(max_unavailable):
    result = update_config_transform(max_unavailable)(_transform_args("aws:eks/nodeGroup:NodeGroup"))
    assert result.props == {"scalingConfig": {"minSize": 1}, "updateConfig": {"maxUnavailable": max_unavailable}}


def test_update_config_leaves_other_children_alone():
    assert update_config_transform(2)(_transform_args("aws:ec2/launchTemplate:LaunchTemplate")) is None


def test_update_config_transform_is_registered_on_each_node_group(prod):
    assert all(mng.options.get("transforms") == 1 for mng in prod.of_type(MNG))
