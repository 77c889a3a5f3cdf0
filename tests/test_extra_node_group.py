"""examples/extra-node-group: another Pulumi project uses the components as a library — installed
package, plain Args, no settings layer — on the platform's cluster read through a StackReference,
and runs on the project's runner. The reference returns the outputs the runner produces for dev."""

from __future__ import annotations

from importlib.metadata import distribution

import pytest

from eks_platform.runner.engine import RunResult, reveal, run_program
from eks_platform.runner.stack_config import PROJECT_DIR, stack_config_from_dict

EXAMPLE = PROJECT_DIR / "examples" / "extra-node-group"
PLATFORM = "acme/eks-platform/dev"
TEAM_ROLE = "arn:aws:iam::111122223333:role/team-b"


@pytest.fixture(scope="module")
def example(dev) -> RunResult:
    values = {"extra-node-group:platformStack": PLATFORM, "extra-node-group:teamRoleArn": TEAM_ROLE}
    config = stack_config_from_dict("dev", values, project_dir=EXAMPLE)
    return run_program(config, EXAMPLE / "__main__.py", stack_references={PLATFORM: dev.outputs})


def test_the_components_come_from_the_installed_package():
    files = {str(f) for f in distribution("eks-platform").files or []}
    assert any("eks_platform" in f for f in files), sorted(files)[:10]
    text = (EXAMPLE / "__main__.py").read_text()
    assert "from eks_platform.components." in text and "from settings" not in text and "import settings" not in text


def test_the_node_group_joins_the_platform_cluster_on_its_subnets(example, dev):
    node_group = example.one("aws:eks/nodeGroup:NodeGroup")
    role = example.one("aws:iam/role:Role")
    assert node_group.inputs["clusterName"] == dev.outputs["clusterName"]
    assert node_group.inputs["version"] == dev.outputs["kubernetesVersion"]
    assert node_group.inputs["subnetIds"] == dev.outputs["privateSubnetIds"]
    assert node_group.inputs["nodeRoleArn"] == role.outputs["arn"]
    assert node_group.inputs["scalingConfig"] == {"minSize": 0, "maxSize": 3, "desiredSize": 0}
    assert node_group.inputs["taints"] == [
        {"key": "team-b.example.com/pool", "value": "batch", "effect": "NO_SCHEDULE"}
    ]
    # the component's own safe defaults come with it
    template = example.one("aws:ec2/launchTemplate:LaunchTemplate")
    assert template.inputs["metadataOptions"]["httpTokens"] == "required"
    assert template.inputs["tagSpecifications"][0]["tags"]["Name"] == f"{dev.outputs['clusterName']}-team-b-batch-node"


def test_the_team_gets_an_access_entry_and_edit_in_its_namespace(example, dev):
    entry = example.one("aws:eks/accessEntry:AccessEntry").inputs
    assert (entry["principalArn"], entry["kubernetesGroups"], entry["clusterName"]) == (
        TEAM_ROLE,
        ["team-b"],
        dev.outputs["clusterName"],
    )
    binding = example.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs
    assert (binding["roleRef"]["name"], binding["metadata"]["namespace"]) == ("edit", "team-b")
    provider = example.one("pulumi:providers:kubernetes")
    assert reveal(provider.inputs["kubeconfig"]) == reveal(dev.outputs["kubeconfig"])
