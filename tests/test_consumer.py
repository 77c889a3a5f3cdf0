"""examples/app-on-platform, a project that reads this platform through a StackReference.

The reference is mocked with the outputs the runner produces for the dev stack — the platform's
real output contract, not a copy — so renaming or dropping an output the consumer uses fails here.
"""

from __future__ import annotations

import sys

import pytest

from eks_platform.runner.engine import ProgramError, RunResult, Secret, reveal, run_program
from eks_platform.runner.stack_config import PROJECT_DIR, stack_config_from_dict

CONSUMER = PROJECT_DIR / "examples" / "app-on-platform"
PLATFORM = "acme/eks-platform/dev"
sys.path.insert(0, str(CONSUMER))
from placement import NoNodeGroup, placement  # noqa: E402


def run_consumer(platform_outputs: dict, **config) -> RunResult:
    values = {"app-on-platform:platformStack": PLATFORM, **{f"app-on-platform:{k}": v for k, v in config.items()}}
    stack = stack_config_from_dict("dev", values, project_dir=CONSUMER)
    return run_program(stack, CONSUMER / "__main__.py", stack_references={PLATFORM: platform_outputs})


@pytest.fixture(scope="module")
def consumer(dev) -> RunResult:
    return run_consumer(dev.outputs)


def test_deploys_through_the_platform_kubeconfig_kept_secret(consumer, dev):
    provider = consumer.one("pulumi:providers:kubernetes")
    assert isinstance(provider.inputs["kubeconfig"], Secret)
    assert reveal(provider.inputs["kubeconfig"]) == reveal(dev.outputs["kubeconfig"])
    assert all(r.provider == provider.urn for r in consumer.resources if r.type.startswith("kubernetes:"))


def test_lands_on_a_platform_node_group_by_its_labels(consumer, dev):
    spec = consumer.one("kubernetes:apps/v1:Deployment").inputs["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == dev.outputs["nodeGroups"]["general"]["labels"]
    namespace = consumer.one("kubernetes:core/v1:Namespace").inputs["metadata"]
    assert namespace["annotations"]["app-on-platform/cluster"] == dev.outputs["clusterName"]
    assert consumer.outputs["cluster"] == dev.outputs["clusterName"]


def test_opens_its_node_port_on_the_security_group_the_nodes_really_have(consumer, dev):
    rule = consumer.one("aws:ec2/securityGroupRule:SecurityGroupRule").inputs
    # The security group EKS created for the cluster and put on every managed node (our launch
    # template names none), read from the aws:eks/cluster:Cluster pulumi-eks creates.
    nodes_group = dev.one("aws:eks/cluster:Cluster").outputs["vpcConfig"]["clusterSecurityGroupId"]
    assert rule["securityGroupId"] == nodes_group
    service = consumer.one("kubernetes:core/v1:Service").inputs["spec"]
    assert (rule["fromPort"], rule["toPort"]) == (service["ports"][0]["nodePort"],) * 2
    assert (rule["type"], rule["cidrBlocks"]) == ("ingress", ["10.0.0.0/8"])


def test_tainted_group_brings_its_tolerations(prod):
    result = run_consumer(prod.outputs, nodeGroup="system")
    spec = result.one("kubernetes:apps/v1:Deployment").inputs["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == {"platform.example.com/pool": "system"}
    assert spec["tolerations"] == [
        {"key": "platform.example.com/dedicated", "operator": "Equal", "value": "system", "effect": "NoSchedule"}
    ]


# The failed program leaves coroutines nobody awaits: expected, and not what this test is about.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
@pytest.mark.parametrize("output", ["clusterName", "kubeconfig", "nodeGroups", "clusterSecurityGroupId"])
def test_fails_loudly_when_the_platform_drops_an_output_it_uses(dev, output):
    trimmed = {k: v for k, v in dev.outputs.items() if k != output}
    with pytest.raises(ProgramError, match=output):
        run_consumer(trimmed)


def test_placement_errors_name_the_choices():
    groups = {"a": {"labels": {"pool": "a"}, "taints": [{"key": "k", "value": "v", "effect": "NoSchedule"}]}}
    with pytest.raises(NoNodeGroup, match="no untainted node group"):
        placement(groups)
    with pytest.raises(NoNodeGroup, match="'b' is not in the platform's nodeGroups"):
        placement(groups, "b")
