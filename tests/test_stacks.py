"""The checked-in stacks evaluate cleanly, and the stack outputs — the contract other projects
read through StackReference — are all there, secret where they must be."""

from __future__ import annotations

import pytest

from eks_platform.runner.engine import Secret, reveal

# Documented in README ("Stack outputs"). Removing or renaming one breaks consumers: this
# list changes only together with the README and a note to consumers.
OUTPUT_CONTRACT = {
    "clusterName",
    "kubeconfig",
    "clusterEndpoint",
    "clusterCertificateAuthority",
    "oidcProviderArn",
    "oidcIssuerUrl",
    "region",
    "kubernetesVersion",
    "vpcId",
    "privateSubnetIds",
    "publicSubnetIds",
    "clusterSecurityGroupId",
    "nodeGroups",
    "updateKubeconfigCommand",
}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_outputs_contract(stack, request):
    result = request.getfixturevalue(stack)
    assert set(result.outputs) == OUTPUT_CONTRACT
    secret = {name for name, value in result.outputs.items() if isinstance(value, Secret)}
    assert secret == {"kubeconfig"}
    assert result.outputs["clusterName"] == f"eks-platform-{stack}"
    assert result.outputs["region"] == "ap-northeast-2"
    assert result.outputs["oidcProviderArn"].startswith("arn:aws:iam::")
    assert result.outputs["oidcIssuerUrl"].startswith("https://oidc.eks.ap-northeast-2.amazonaws.com/id/")


def test_dev_reproduces_the_design_note(dev):
    (group,) = dev.of_type("aws:eks/nodeGroup:NodeGroup")
    assert group.inputs["instanceTypes"] == ["t3.medium"]
    assert group.inputs["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    assert dev.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]["endpointPublicAccess"] is True


def test_dev_warns_that_its_endpoint_is_open(dev):
    assert any("0.0.0.0/0" in w for w in dev.warnings)


def test_prod_is_the_hardened_profile(prod):
    cluster = prod.one("aws:eks/cluster:Cluster").inputs
    assert cluster["deletionProtection"] is True
    cidrs = cluster["vpcConfig"]["publicAccessCidrs"]
    assert cidrs and "0.0.0.0/0" not in cidrs
    assert len(prod.of_type("aws:ec2/natGateway:NatGateway")) == 3
    groups = prod.of_type("aws:eks/nodeGroup:NodeGroup")
    assert len(groups) >= 2
    assert any(g.inputs.get("taints") for g in groups)
    assert prod.warnings == []


def test_node_groups_output_describes_each_group(prod):
    groups = prod.outputs["nodeGroups"]
    assert set(groups) == {"general", "system"}
    system = groups["system"]
    assert system["roleArn"] == prod.one("aws:iam/role:Role", "system-node-role").outputs["arn"]
    assert system["labels"] == {"platform.example.com/pool": "system"}
    assert system["taints"] == [{"key": "platform.example.com/dedicated", "value": "system", "effect": "NoSchedule"}]


def test_every_component_has_the_platform_type_token_and_parents_its_children(prod):
    components = [r for r in prod.resources if r.type.startswith("eks-platform:index:")]
    assert {c.type for c in components} == {
        "eks-platform:index:Network",
        "eks-platform:index:EksCluster",
        "eks-platform:index:Addons",
        "eks-platform:index:NodeRole",
        "eks-platform:index:ManagedNodeGroup",
        "eks-platform:index:Namespaces",
        "eks-platform:index:AwsAuth",
        "eks-platform:index:EbsCsiDriver",
        "eks-platform:index:ServiceAccountRole",
        "eks-platform:index:ClusterAutoscaler",
        "eks-platform:index:PlatformAddons",
        "eks-platform:index:AwsLoadBalancerController",
        "eks-platform:index:SampleWorkloads",
        "eks-platform:index:SampleNetworkPolicies",
        "eks-platform:index:SamplePod",
        "eks-platform:index:SampleDeployment",
        "eks-platform:index:SampleDaemonSet",
        "eks-platform:index:SampleStatefulSet",
        "eks-platform:index:SampleJob",
        "eks-platform:index:SampleCronJob",
    }
    component_urns = {c.urn for c in components}
    for resource in prod.resources:
        if resource not in components and not resource.created_by:
            assert resource.parent in component_urns, f"{resource.type} {resource.name} is not under a component"


def test_update_kubeconfig_command_names_cluster_and_region(dev):
    assert reveal(dev.outputs["updateKubeconfigCommand"]) == (
        "aws eks update-kubeconfig --name eks-platform-dev --region ap-northeast-2"
    )
