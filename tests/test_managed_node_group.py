"""ManagedNodeGroup: the launch template (IMDSv2, encrypted gp3) and the EKS node group on it."""

from __future__ import annotations

import pytest

from tests.conftest import config_with, run_config

MNG = "aws:eks/nodeGroup:NodeGroup"
LT = "aws:ec2/launchTemplate:LaunchTemplate"


def test_design_note_node_group(dev):
    inputs = dev.one(MNG).inputs
    assert inputs["instanceTypes"] == ["t3.medium"]
    assert inputs["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    assert inputs["capacityType"] == "ON_DEMAND"
    assert inputs["amiType"] == "AL2023_x86_64_STANDARD"
    assert inputs["labels"] == {"platform.example.com/pool": "general"}
    assert inputs["version"] == "1.35"
    assert inputs["nodeGroupNamePrefix"] == "general-"
    assert inputs["updateConfig"] == {"maxUnavailable": 1, "updateStrategy": "DEFAULT"}
    assert inputs["nodeRepairConfig"] == {"enabled": True}


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


def test_bottlerocket_boots_two_volumes_both_encrypted_and_the_data_volume_sized(edge):
    # Bottlerocket's README, "Default Volumes": /dev/xvda holds the OS partition sets, /dev/xvdb images and pod data
    os_volume, data_volume = edge.one(LT).inputs["blockDeviceMappings"]
    encrypted_gp3 = {"volumeType": "gp3", "encrypted": "true", "deleteOnTermination": "true"}
    assert os_volume == {"deviceName": "/dev/xvda", "ebs": encrypted_gp3}  # the snapshot's own size
    assert data_volume == {"deviceName": "/dev/xvdb", "ebs": {**encrypted_gp3, "volumeSize": 30}}


def test_node_group_uses_its_launch_template_and_nothing_that_conflicts_with_it(prod):
    for mng in prod.of_type(MNG):
        lt = prod.one(LT, f"{mng.name}-nodes")
        assert mng.inputs["launchTemplate"] == {"id": lt.outputs["id"], "version": "1"}
        # EKS refuses a disk size, remote access or an AMI next to a launch template (CreateNodegroup).
        assert set(mng.inputs).isdisjoint({"diskSize", "remoteAccess", "releaseVersion"})


def test_tainted_group_gets_taints_in_eks_spelling(prod):
    inputs = prod.one(MNG, "system").inputs
    assert inputs["taints"] == [{"key": "platform.example.com/dedicated", "value": "system", "effect": "NO_SCHEDULE"}]
    assert inputs["instanceTypes"] == ["m7g.large"]
    assert inputs["amiType"] == "AL2023_ARM_64_STANDARD"


def test_node_group_runs_as_its_own_role_in_private_subnets(prod):
    private = sorted(s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if "private" in s.name)
    for mng in prod.of_type(MNG):
        role = prod.one("aws:iam/role:Role", f"{mng.name}-node-role")
        assert mng.inputs["nodeRoleArn"] == role.outputs["arn"]
        assert sorted(mng.inputs["subnetIds"]) == private
        assert mng.inputs["clusterName"] == "eks-platform-prod"


def test_node_group_waits_for_the_cluster_and_the_node_addons(prod):
    cluster = prod.one("eks:index:Cluster").urn
    addons = {a.inputs["addonName"]: a.urn for a in prod.of_type("aws:eks/addon:Addon")}
    for mng in prod.of_type(MNG):
        assert cluster in mng.dependencies
        assert {addons["vpc-cni"], addons["kube-proxy"]} <= set(mng.dependencies)
        assert addons["coredns"] not in mng.dependencies


@pytest.mark.parametrize("ignore, expected", [(True, ["scalingConfig.desiredSize"]), (False, None)])
def test_desired_size_drift_is_ignored_only_for_autoscalers(ignore, expected):
    result = run_config(config_with(nodeGroups=[{"name": "general", "ignoreScalingChanges": ignore}]))
    assert result.one(MNG).options.get("ignoreChanges") == expected


def test_max_unavailable_reaches_the_node_group():
    result = run_config(config_with(nodeGroups=[{"name": "general", "maxSize": 5, "maxUnavailable": 3}]))
    assert result.one(MNG).inputs["updateConfig"] == {"maxUnavailable": 3, "updateStrategy": "DEFAULT"}


def test_node_group_tags_reach_group_and_instances_after_the_cluster_tags():
    result = run_config(
        config_with(
            cluster={"tags": {"team": "platform", "cost": "shared"}},
            nodeGroups=[{"name": "general", "tags": {"cost": "batch"}}],
        )
    )
    assert result.one(MNG).inputs["tags"]["cost"] == "batch"
    assert result.one(MNG).inputs["tags"]["team"] == "platform"
    instance_tags = result.one(LT).inputs["tagSpecifications"][0]["tags"]
    assert (instance_tags["cost"], instance_tags["Name"]) == ("batch", "eks-platform-test-general-node")


def test_the_instances_and_their_volumes_carry_the_same_tags(dev):
    # EBS volumes are tagged only by a `volume` tag specification (EC2 LaunchTemplateTagSpecificationRequest):
    # without it the node's disks carry no cost or owner tags.
    specifications = dev.one(LT).inputs["tagSpecifications"]
    assert [s["resourceType"] for s in specifications] == ["instance", "volume"]
    instance, volume = (s["tags"] for s in specifications)
    assert volume == instance and volume["Name"] == "eks-platform-dev-general-node"
    assert volume["eks-platform/cluster"] == "eks-platform-dev"
