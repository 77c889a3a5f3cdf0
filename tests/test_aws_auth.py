"""AwsAuth and the cluster's aws-auth inputs, under the runner: mappings, access entries, RBAC."""

from __future__ import annotations

import json

import pytest

from eks_platform.runner.engine import reveal
from tests.conftest import config_with, run_config

ACCOUNT = "111122223333"
CLUSTER = "eks:index:Cluster"
ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
CRB = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
RB = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
CR = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"
NAMESPACE = "kubernetes:core/v1:Namespace"

CONFIG_MAP_ACCESS = {
    "authenticationMode": "CONFIG_MAP",
    "mapRoles": [
        {"rolearn": f"arn:aws:iam::{ACCOUNT}:role/ops/admin", "username": "admin", "groups": ["admins"]},
        {"rolearn": f"arn:aws:iam::{ACCOUNT}:role/admin", "username": "admin", "groups": ["admins"]},
        {"rolearn": f"arn:aws:iam::{ACCOUNT}:role/viewer", "groups": ["viewers"]},
    ],
    "mapUsers": [{"userarn": f"arn:aws:iam::{ACCOUNT}:user/alice", "username": "alice", "groups": ["team-a"]}],
    "groupBindings": {
        "admins": {"clusterRole": "cluster-admin"},
        "viewers": {"clusterRole": "view"},
        "team-a": {"clusterRole": "edit", "namespaces": ["team-a", "default"]},
    },
}


@pytest.fixture(scope="module")
def config_map():
    return run_config(config_with(nodeGroups=[{"name": "a"}, {"name": "b"}], access=CONFIG_MAP_ACCESS))


def test_config_map_mode_sends_exact_mappings_to_the_cluster(config_map):
    inputs = config_map.one(CLUSTER).inputs
    assert inputs["authenticationMode"] == "CONFIG_MAP"
    assert inputs["roleMappings"] == [
        {"roleArn": f"arn:aws:iam::{ACCOUNT}:role/admin", "username": "admin", "groups": ["admins"]},
        {"roleArn": f"arn:aws:iam::{ACCOUNT}:role/viewer", "username": "viewer:{{SessionName}}", "groups": ["viewers"]},
    ]
    assert inputs["userMappings"] == [
        {"userArn": f"arn:aws:iam::{ACCOUNT}:user/alice", "username": "alice", "groups": ["team-a"]}
    ]


def test_config_map_mode_keeps_every_node_role(config_map):
    roles = {r.outputs["id"] for r in config_map.of_type("aws:iam/role:Role") if r.name.endswith("-node-role")}
    assert set(config_map.one(CLUSTER).inputs["instanceRoles"]) == roles and len(roles) == 2
    assert config_map.of_type(ENTRY) == []


def test_path_and_duplicate_are_reported_as_warnings(config_map):
    assert any("IAM path" in w for w in config_map.warnings)
    assert any("repeats eks-platform:access.mapRoles[0] exactly" in w for w in config_map.warnings)


def test_every_bound_group_gets_its_binding(config_map):
    crbs = {r.inputs["metadata"]["name"]: r.inputs for r in config_map.of_type(CRB)}
    assert set(crbs) == {"eks-platform:admins", "eks-platform:viewers"}
    assert crbs["eks-platform:admins"]["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "cluster-admin",
    }
    assert crbs["eks-platform:viewers"]["subjects"] == [
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "viewers"}
    ]
    rbs = sorted((r.inputs["metadata"]["namespace"], r.inputs["roleRef"]["name"]) for r in config_map.of_type(RB))
    assert rbs == [("default", "edit"), ("team-a", "edit")]


def test_rbac_goes_through_the_cluster_provider_and_waits_for_its_namespace(config_map):
    provider = config_map.one("pulumi:providers:kubernetes", "cluster-k8s").urn
    for r in config_map.of_type(CRB) + config_map.of_type(RB) + config_map.of_type(NAMESPACE):
        assert r.provider == provider
    (team_a,) = config_map.of_type(NAMESPACE)  # "default" exists already: not created
    assert team_a.inputs["metadata"]["name"] == "team-a"
    assert team_a.inputs["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"
    binding = next(r for r in config_map.of_type(RB) if r.inputs["metadata"]["namespace"] == "team-a")
    assert team_a.urn in binding.dependencies


def test_custom_rules_become_a_cluster_role_the_binding_uses():
    rules = [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]}]
    result = run_config(
        config_with(
            access={
                "mapRoles": [{"rolearn": f"arn:aws:iam::{ACCOUNT}:role/debug", "groups": ["debuggers"]}],
                "groupBindings": {"debuggers": {"rules": rules}},
            }
        )
    )
    role = result.one(CR)
    assert role.inputs["metadata"]["name"] == "eks-platform:debuggers"
    assert role.inputs["rules"] == rules
    binding = result.one(CRB)
    assert binding.inputs["roleRef"]["name"] == "eks-platform:debuggers"
    assert role.urn in binding.dependencies


def test_api_mode_creates_access_entries_with_policy_scopes(prod):
    assert "roleMappings" not in prod.one(CLUSTER).inputs
    entries = {e.inputs["principalArn"]: e for e in prod.of_type(ENTRY)}
    assert set(entries) == {
        f"arn:aws:iam::{ACCOUNT}:role/{n}" for n in ("platform-admin", "auditor", "team-a-developer")
    }
    auditor = entries[f"arn:aws:iam::{ACCOUNT}:role/auditor"].inputs
    assert (auditor["type"], auditor["userName"], auditor["kubernetesGroups"]) == (
        "STANDARD",
        "auditor",
        ["platform-viewers"],
    )
    assert auditor["clusterName"] == prod.outputs["clusterName"]
    scopes = {
        (a.inputs["principalArn"].rsplit("/", 1)[-1], a.inputs["policyArn"].rsplit("/", 1)[-1]): a.inputs["accessScope"]
        for a in prod.of_type(ASSOCIATION)
    }
    assert scopes == {
        ("platform-admin", "AmazonEKSClusterAdminPolicy"): {"type": "cluster"},
        ("team-a-developer", "AmazonEKSViewPolicy"): {"type": "namespace", "namespaces": ["team-a"]},
    }
    for association in prod.of_type(ASSOCIATION):
        assert entries[association.inputs["principalArn"]].urn in association.dependencies


def test_api_mode_converts_aws_auth_mappings():
    result = run_config(
        config_with(
            access={
                "authenticationMode": "API",
                "mapRoles": [{"rolearn": f"arn:aws:iam::{ACCOUNT}:role/admin", "groups": ["system:masters"]}],
            }
        )
    )
    inputs = result.one(CLUSTER).inputs
    assert "roleMappings" not in inputs and "instanceRoles" not in inputs
    assert result.one(ENTRY).inputs["principalArn"] == f"arn:aws:iam::{ACCOUNT}:role/admin"
    assert result.one(ASSOCIATION).inputs["policyArn"].endswith("/AmazonEKSClusterAdminPolicy")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stacks_configure_an_admin_a_read_only_and_a_namespaced_group(stack, request):
    result = request.getfixturevalue(stack)
    grants = {r.inputs["roleRef"]["name"] for r in result.of_type(CRB)}
    assert "view" in grants
    namespaced = [r for r in result.of_type(RB) if r.inputs["metadata"]["namespace"] == "team-a"]
    assert namespaced and namespaced[0].inputs["roleRef"]["name"] == "edit"
    admin = "cluster-admin" in grants or any(
        a.inputs["policyArn"].endswith("AmazonEKSClusterAdminPolicy") for a in result.of_type(ASSOCIATION)
    )
    assert admin


def _loaded(kubeconfig: str):
    from kubernetes.config import kube_config  # the official client's loader (a quarter second to import)

    loader = kube_config.KubeConfigLoader(config_dict=json.loads(kubeconfig))
    loader.set_active_context()
    return loader, kube_config.ExecProvider(loader._user["exec"], None)


def test_kubeconfig_loads_in_the_kubernetes_client(dev):
    loader, provider = _loaded(reveal(dev.outputs["kubeconfig"]))
    assert loader._cluster["server"] == dev.outputs["clusterEndpoint"]
    assert loader._cluster["certificate-authority-data"] == dev.outputs["clusterCertificateAuthority"]
    assert provider.api_version == "client.authentication.k8s.io/v1beta1"
    assert provider.args == [
        "aws",
        "--region",
        "ap-northeast-2",
        "eks",
        "get-token",
        "--cluster-name",
        "eks-platform-dev",
        "--output",
        "json",
    ]


def test_kubeconfig_profile_and_role_for_people(prod):
    _, provider = _loaded(reveal(prod.outputs["kubeconfig"]))
    assert provider.args[provider.args.index("--role-arn") + 1] == f"arn:aws:iam::{ACCOUNT}:role/platform-admin"
    assert "--role-arn" in reveal(prod.outputs["updateKubeconfigCommand"])
    # the provider deploying the stack keeps the deployer's own credentials
    _, deployer = _loaded(reveal(prod.one("pulumi:providers:kubernetes", "cluster-k8s").inputs["kubeconfig"]))
    assert "--role-arn" not in deployer.args


def test_kubeconfig_profile_is_passed_as_an_argument():
    result = run_config(config_with(kubeconfig={"profile": "platform"}))
    _, provider = _loaded(reveal(result.outputs["kubeconfig"]))
    assert provider.args[provider.args.index("--profile") + 1] == "platform"


def test_the_aws_auth_config_map_pulumi_eks_writes_is_in_the_render(config_map):
    # The whole document, as pulumi-eks' createAwsAuthData dumps it (js-yaml style): the mappings,
    # then one entry per node role.
    config_map_ = config_map.one("kubernetes:core/v1:ConfigMap", "cluster-nodeAccess")
    assert config_map_.created_by == "pulumi-eks 4.4.0"
    assert config_map_.inputs["metadata"] == {
        "name": "aws-auth",
        "namespace": "kube-system",
        "annotations": {"pulumi.com/patchForce": "true"},
    }
    node = "arn:aws:iam::123456789012:role/eks-platform-test-{}-node"
    assert config_map_.inputs["data"] == {
        "mapRoles": (
            f"- rolearn: arn:aws:iam::{ACCOUNT}:role/admin\n  username: admin\n  groups:\n    - admins\n"
            f"- rolearn: arn:aws:iam::{ACCOUNT}:role/viewer\n  username: viewer:{{{{SessionName}}}}\n"
            "  groups:\n    - viewers\n"
            f"- rolearn: {node.format('a')}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n"
            "  groups:\n    - system:bootstrappers\n    - system:nodes\n"
            f"- rolearn: {node.format('b')}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n"
            "  groups:\n    - system:bootstrappers\n    - system:nodes\n"
        ),
        "mapUsers": f"- userarn: arn:aws:iam::{ACCOUNT}:user/alice\n  username: alice\n  groups:\n    - team-a\n",
    }
    provider = config_map.one("pulumi:providers:kubernetes", "cluster-eks-k8s")
    assert config_map_.provider == provider.urn


def test_api_mode_has_no_aws_auth_config_map(prod):
    assert prod.of_type("kubernetes:core/v1:ConfigMap") == [] or all(
        c.inputs["metadata"]["name"] != "aws-auth" for c in prod.of_type("kubernetes:core/v1:ConfigMap")
    )
