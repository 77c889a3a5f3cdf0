"""EksCluster: what pulumi-eks receives, the secrets key, the kubeconfig and the Kubernetes provider."""

from __future__ import annotations

import json

import pytest

from eks_platform.runner.engine import Secret, reveal
from settings import load_settings
from tests.conftest import config_with, run_config

CLUSTER = "eks:index:Cluster"


def test_cluster_inputs_follow_the_stack_config(prod):
    inputs = prod.one(CLUSTER).inputs
    assert inputs["name"] == "eks-platform-prod"
    assert inputs["version"] == "1.35"
    assert inputs["skipDefaultNodeGroup"] is True
    assert inputs["endpointPublicAccess"] is True
    assert inputs["endpointPrivateAccess"] is True
    assert inputs["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert inputs["enabledClusterLogTypes"] == ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    assert inputs["deletionProtection"] is True
    assert inputs["nodeAssociatePublicIpAddress"] is False
    assert inputs["tags"]["environment"] == "prod"


def test_cluster_runs_in_the_network_it_was_given(prod):
    inputs = prod.one(CLUSTER).inputs
    assert inputs["vpcId"] == prod.one("aws:ec2/vpc:Vpc").outputs["id"]
    private = sorted(s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if "private" in s.name)
    assert sorted(inputs["privateSubnetIds"]) == private


def test_secrets_are_encrypted_with_a_rotating_key_of_our_own(dev):
    key = dev.one("aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    assert dev.one(CLUSTER).inputs["encryptionConfigKeyArn"] == key.outputs["arn"]


def test_secrets_encryption_off_creates_no_key():
    result = run_config(config_with(cluster={"secretsEncryption": False}))
    assert result.of_type("aws:kms/key:Key") == []
    assert "encryptionConfigKeyArn" not in result.one(CLUSTER).inputs


def test_every_node_role_is_an_instance_role_in_config_map_modes():
    groups = [{"name": "a"}, {"name": "b"}]
    for mode in ("CONFIG_MAP", "API_AND_CONFIG_MAP"):
        result = run_config(config_with(nodeGroups=groups, access={"authenticationMode": mode}))
        roles = {r.outputs["id"] for r in result.of_type("aws:iam/role:Role") if r.name.endswith("-node-role")}
        assert len(roles) == 2
        assert set(result.one(CLUSTER).inputs["instanceRoles"]) == roles
        assert result.one(CLUSTER).inputs["authenticationMode"] == mode


def test_api_mode_passes_no_instance_roles_or_mappings(prod):
    # pulumi-eks refuses instanceRoles, roleMappings and userMappings in API mode.
    inputs = prod.one(CLUSTER).inputs
    assert inputs["authenticationMode"] == "API"
    for refused in ("instanceRoles", "roleMappings", "userMappings"):
        assert refused not in inputs


def test_unrestricted_public_endpoint_sends_no_cidrs(dev):
    assert "publicAccessCidrs" not in dev.one(CLUSTER).inputs


def test_kubeconfig_is_secret_and_authenticates_through_aws_eks_get_token(dev):
    assert isinstance(dev.outputs["kubeconfig"], Secret)
    config = json.loads(reveal(dev.outputs["kubeconfig"]))
    (cluster,) = config["clusters"]
    assert cluster["cluster"]["server"] == dev.outputs["clusterEndpoint"]
    assert cluster["cluster"]["certificate-authority-data"] == dev.outputs["clusterCertificateAuthority"]
    (user,) = config["users"]
    exec_ = user["user"]["exec"]
    assert exec_["command"] == "aws"
    assert exec_["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    args = exec_["args"]
    assert args[args.index("--cluster-name") + 1] == "eks-platform-dev"
    assert args[args.index("--region") + 1] == "ap-northeast-2"
    assert "token" not in json.dumps(user["user"]).replace("get-token", "")
    assert config["current-context"] == config["contexts"][0]["name"]


def test_kubernetes_provider_uses_a_secret_kubeconfig_of_the_deployer(dev):
    provider = dev.one("pulumi:providers:kubernetes", "cluster-k8s")
    assert isinstance(provider.inputs["kubeconfig"], Secret)
    config = json.loads(reveal(provider.inputs["kubeconfig"]))
    assert config["clusters"][0]["cluster"]["server"] == dev.outputs["clusterEndpoint"]
    assert provider.parent == dev.one("eks-platform:index:EksCluster").urn


# --- what pulumi-eks would create itself, and what the program owns instead ------------------


def test_pulumi_eks_is_told_to_create_nothing_the_program_owns(dev):
    inputs = dev.one(CLUSTER).inputs
    assert inputs["skipDefaultSecurityGroups"] is True
    assert inputs["createOidcProvider"] is False
    assert inputs["useDefaultVpcCni"] is True
    assert inputs["kubeProxyAddonOptions"] == {"enabled": False}
    assert inputs["corednsAddonOptions"] == {"enabled": False}
    assert inputs["bootstrapSelfManagedAddons"] is False
    assert inputs["serviceRole"] == dev.one("aws:iam/role:Role", "cluster-service-role").outputs["id"]


def test_cluster_role_trusts_eks_and_holds_only_the_cluster_policy(dev):
    role = dev.one("aws:iam/role:Role", "cluster-service-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    attachments = dev.one(
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "cluster-service-role-policies"
    )
    assert attachments.inputs["policyArns"] == ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]
    assert attachments.inputs["roleName"] == role.outputs["name"]
    # the cluster is created once its role can act
    assert attachments.urn in dev.one(CLUSTER).dependencies


def test_the_cluster_policy_stays_attached_through_the_move_from_pulumi_eks_role(dev):
    # pulumi-eks' ServiceRole attached the policy as `<name>-eksRole-<first 8 hex of sha1(policy id)>`
    # (nodejs/eks/servicerole.ts); the program's attachment is that one under an alias, so the old
    # one is not deleted (its DetachRolePolicy would take the policy off the control plane's role).
    role = dev.one("aws:iam/role:Role", "cluster-service-role")
    (attachment,) = [
        a
        for a in dev.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if a.inputs["role"] == role.outputs["name"]
    ]
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    # its alias (and the role's) names what pulumi-eks registered: tests/test_urns.py
    assert attachment.options["aliases"][0].endswith("::cluster-eksRole-4b490823")


def test_the_cluster_pulumi_eks_creates_gets_the_programs_values(prod):
    cluster = prod.one("aws:eks/cluster:Cluster")
    assert cluster.created_by == "pulumi-eks 4.4.0"
    assert cluster.inputs["roleArn"] == prod.one("aws:iam/role:Role", "cluster-service-role").outputs["arn"]
    assert cluster.inputs["accessConfig"] == {
        "authenticationMode": "API",
        "bootstrapClusterCreatorAdminPermissions": True,
    }
    assert cluster.inputs["encryptionConfig"] == {
        "provider": {"keyArn": prod.one("aws:kms/key:Key").outputs["arn"]},
        "resources": ["secrets"],
    }
    vpc = cluster.inputs["vpcConfig"]
    public = [s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if "public" in s.name]
    private = [s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if "private" in s.name]
    assert sorted(vpc["subnetIds"]) == sorted(public + private)
    assert "securityGroupIds" not in vpc  # no extra security group: EKS's own cluster security group only
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert cluster.inputs["tags"]["Name"] == "cluster-eksCluster"


def test_cluster_security_group_output_is_the_one_eks_creates(dev):
    cluster = dev.one("aws:eks/cluster:Cluster")
    assert dev.outputs["clusterSecurityGroupId"] == cluster.outputs["vpcConfig"]["clusterSecurityGroupId"]


def test_oidc_provider_is_the_programs_own_without_a_thumbprint(dev):
    oidc = dev.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert oidc.inputs["url"] == dev.outputs["oidcIssuerUrl"]
    assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert "thumbprintLists" not in oidc.inputs  # IAM fetches it; nothing is fetched at preview
    assert dev.outputs["oidcProviderArn"] == oidc.outputs["arn"]


def _exec_args(kubeconfig: str) -> list[str]:
    return json.loads(kubeconfig)["users"][0]["user"]["exec"]["args"]


# The AWS provider's order (Terraform AWS provider, "Authentication and Configuration": the provider configuration
# before environment variables): aws:profile, else AWS_PROFILE. The Kubernetes providers follow it, so the cluster's
# creator (its first admin) is who writes into it; when both are set and differ, the stack warns.
@pytest.mark.parametrize(
    "environment, config, expected",
    [
        ({}, {}, None),
        ({}, {"aws:profile": "from-config"}, "from-config"),
        ({"AWS_PROFILE": "from-env"}, {}, "from-env"),
        ({"AWS_PROFILE": "from-env"}, {"aws:profile": "from-config"}, "from-config"),
    ],
)
def test_both_kubernetes_providers_authenticate_with_the_deployers_profile(monkeypatch, environment, config, expected):
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    result = run_config({**config_with(kubeconfig={"profile": "for-people"}), **config})
    ours = _exec_args(reveal(result.one("pulumi:providers:kubernetes", "cluster-k8s").inputs["kubeconfig"]))
    pulumi_eks = _exec_args(reveal(result.one("pulumi:providers:kubernetes", "cluster-eks-k8s").inputs["kubeconfig"]))
    for args in (ours, pulumi_eks):
        assert (args[args.index("--profile") + 1] if "--profile" in args else None) == expected
    # the exported kubeconfig keeps the profile for people
    people = _exec_args(reveal(result.outputs["kubeconfig"]))
    assert people[people.index("--profile") + 1] == "for-people"


@pytest.mark.parametrize("public, private", [(True, True), (True, False), (False, True)])
def test_the_endpoint_flags_reach_the_cluster_as_configured(public, private):
    result = run_config(config_with(cluster={"endpointPublicAccess": public, "endpointPrivateAccess": private}))
    vpc = result.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]
    assert (vpc["endpointPublicAccess"], vpc["endpointPrivateAccess"]) == (public, private)


@pytest.mark.parametrize(
    ("environment", "profile", "warns"),
    [
        ({"AWS_PROFILE": "ops"}, "ops", False),
        ({"AWS_PROFILE": "ops"}, "deployer", True),
        ({}, "deployer", False),
    ],
)
def test_a_profile_in_config_and_another_in_the_environment_warn(environment, profile, warns):
    settings = load_settings({**config_with(), "aws:profile": profile}, "p", "t", environment=environment)
    found = [w for w in settings.warnings if w.startswith("aws:profile:")]
    assert settings.aws_profile == profile
    assert bool(found) == warns
    if warns:
        assert 'the Kubernetes providers use "deployer"' in found[0] and 'AWS_PROFILE "ops"' in found[0]
