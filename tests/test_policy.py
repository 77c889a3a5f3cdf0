"""Every policy rule both ways, the CrossGuard adapter, per-stack enforcement, and the render's verdict."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR
from policy import rules
from policy.pack import policies
from policy.rules import RULES, rule_settings, violations
from render.__main__ import main
from render.policy import evaluate, policy_config

CLUSTER = "aws:eks/cluster:Cluster"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
DAEMONSET = "kubernetes:apps/v1:DaemonSet"
# The aws:eks/cluster:Cluster pulumi-eks creates, in the AWS provider's input shape.
SAFE_CLUSTER = {
    "vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"], "subnetIds": ["s1", "s2"]},
    "encryptionConfig": {"provider": {"keyArn": "arn:aws:kms:eu-west-1:111122223333:key/k"}, "resources": ["secrets"]},
    "enabledClusterLogTypes": ["api", "audit"],
    "deletionProtection": True,
}
AWS_AUTH = "kubernetes:core/v1:ConfigMap"


def aws_auth(map_users: str) -> dict:
    return {
        "metadata": {"name": "aws-auth", "namespace": "kube-system"},
        "data": {"mapRoles": "[]", "mapUsers": map_users},
    }


SAFE_LT = {
    "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1},
    "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}],
}
CONTAINER = {
    "name": "app",
    "image": "nginx:1.27.3",
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
    "securityContext": {"runAsNonRoot": True, "runAsUser": 10001},
}


def workload(container=None, volumes=None, kind=DEPLOYMENT, annotations=None) -> tuple[str, dict]:
    spec = {"containers": [container or CONTAINER], **({"volumes": volumes} if volumes else {})}
    metadata = {"name": "w", **({"annotations": annotations} if annotations else {})}
    return kind, {"metadata": metadata, "spec": {"template": {"spec": spec}}}


HOST_LOGS = [{"name": "logs", "hostPath": {"path": "/var/log"}}]
ROOT_READER = {
    **CONTAINER,
    "securityContext": {"runAsUser": 0},
    "volumeMounts": [{"name": "logs", "mountPath": "/var/log", "readOnly": True}],
}
EXCEPTION = {rules.EXCEPTION_ANNOTATION: "reads node logs"}
ADMIN = "arn:aws:iam::111122223333:role/platform-admin"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

# (rule, (type, good props), (type, bad props), fragment of the violation, rule config)
CASES = [
    (
        "eks-public-endpoint-restricted",
        (CLUSTER, SAFE_CLUSTER),
        (CLUSTER, {**SAFE_CLUSTER, "vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}}),
        "accepts 0.0.0.0/0",
        {},
    ),
    (
        "eks-public-endpoint-restricted",
        (CLUSTER, {"vpcConfig": {"endpointPublicAccess": False}}),
        (CLUSTER, {"vpcConfig": {"subnetIds": ["s1"]}}),  # the AWS provider's default is public, 0.0.0.0/0
        "accepts 0.0.0.0/0",
        {},
    ),
    (
        "eks-secrets-encryption",
        (CLUSTER, SAFE_CLUSTER),
        (CLUSTER, {k: v for k, v in SAFE_CLUSTER.items() if k != "encryptionConfig"}),
        "secrets encryption is off",
        {},
    ),
    (
        "eks-audit-logging",
        (CLUSTER, SAFE_CLUSTER),
        (CLUSTER, {**SAFE_CLUSTER, "enabledClusterLogTypes": ["api"]}),
        "audit log is off",
        {},
    ),
    (
        "eks-cluster-deletion-protection",
        (CLUSTER, SAFE_CLUSTER),
        (CLUSTER, {**SAFE_CLUSTER, "deletionProtection": False}),
        "deletion protection is off",
        {},
    ),
    (
        "node-group-uses-launch-template",
        ("aws:eks/nodeGroup:NodeGroup", {"launchTemplate": {"id": "lt-1", "version": "1"}}),
        ("aws:eks/nodeGroup:NodeGroup", {"instanceTypes": ["t3.medium"]}),
        "names no launch template",
        {},
    ),
    (
        "node-imdsv2-hop-limit-1",
        (LT, SAFE_LT),
        (LT, {**SAFE_LT, "metadataOptions": {"httpTokens": "optional", "httpPutResponseHopLimit": 1}}),
        "IMDSv2 is not required",
        {},
    ),
    (
        "node-imdsv2-hop-limit-1",
        (LT, SAFE_LT),
        (LT, {**SAFE_LT, "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 2}}),
        "hop limit is 2",
        {},
    ),
    (
        "node-volumes-encrypted",
        (LT, SAFE_LT),
        (LT, {**SAFE_LT, "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20}}]}),
        "/dev/xvda is not encrypted",
        {},
    ),
    (
        "no-system-masters-for-iam-users",
        (AWS_AUTH, aws_auth("- userarn: arn:aws:iam::1:user/b\n  groups: [viewers]\n")),
        (AWS_AUTH, aws_auth("- userarn: arn:aws:iam::1:user/b\n  groups: [viewers, system:masters]\n")),
        "user/b is mapped to system:masters",
        {},
    ),
    (
        "no-system-masters-for-iam-users",
        (AWS_AUTH, aws_auth("[]")),
        (AWS_AUTH, aws_auth("- userarn: arn:aws:iam::1:user/c\n  groups: [system:masters]\n")),
        "user/c is mapped to system:masters",
        {},
    ),
    (
        "cluster-admin-for-admins-only",
        (ASSOCIATION, {"policyArn": CLUSTER_ADMIN, "principalArn": ADMIN}),
        (ASSOCIATION, {"policyArn": CLUSTER_ADMIN, "principalArn": "arn:aws:iam::111122223333:role/ci"}),
        "role/ci gets AmazonEKSClusterAdminPolicy",
        {"admins": [ADMIN]},
    ),
    (
        "workload-image-pinned",
        workload(),
        workload({**CONTAINER, "image": "registry.example.com:5000/team/app:latest"}),
        "not a pinned version",
        {},
    ),
    ("workload-image-pinned", workload(), workload({**CONTAINER, "image": "nginx"}), "runs nginx", {}),
    (
        "workload-resource-limits",
        workload(),
        workload({**CONTAINER, "resources": {"limits": {"cpu": "1"}}}),
        "no memory limit",
        {},
    ),
    (
        "workload-non-root",
        workload(),
        workload({**CONTAINER, "securityContext": {"privileged": True, "runAsNonRoot": True}}),
        "is privileged",
        {},
    ),
    ("workload-non-root", workload(), workload({**CONTAINER, "securityContext": {}}), "may run as root", {}),
    (
        "workload-non-root",
        workload(ROOT_READER, HOST_LOGS, DAEMONSET, EXCEPTION),
        workload(ROOT_READER, HOST_LOGS, DAEMONSET),
        "may run as root",
        {},
    ),
    (
        "workload-no-host-path",
        workload(ROOT_READER, HOST_LOGS, DAEMONSET, EXCEPTION),
        workload(ROOT_READER, HOST_LOGS, DEPLOYMENT, EXCEPTION),
        "mounts host path /var/log",
        {},
    ),
    (
        "workload-no-host-path",
        workload(ROOT_READER, HOST_LOGS, DAEMONSET, EXCEPTION),
        workload(
            {**ROOT_READER, "volumeMounts": [{"name": "logs", "mountPath": "/var/log"}]},
            HOST_LOGS,
            DAEMONSET,
            EXCEPTION,
        ),
        "mounts host path",
        {},
    ),
    (
        "storage-retains-data",
        ("kubernetes:storage.k8s.io/v1:StorageClass", {"reclaimPolicy": "Retain"}),
        ("kubernetes:storage.k8s.io/v1:StorageClass", {"provisioner": "ebs.csi.aws.com"}),
        "reclaimPolicy is Delete",
        {},
    ),
    (
        "storage-retains-data",
        (
            "kubernetes:apps/v1:StatefulSet",
            {"spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain"}}},
        ),
        (
            "kubernetes:apps/v1:StatefulSet",
            {"spec": {"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete"}}},
        ),
        "whenScaled is Delete",
        {},
    ),
]
BY_NAME = {r.name: r for r in RULES}


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


SCALE = {"Effect": "Allow", "Action": ["autoscaling:SetDesiredCapacity"], "Resource": "*"}
TAGGED = {"Null": {"aws:ResourceTag/k8s.io/cluster-autoscaler/c": "false"}}
POD_IDENTITY = {
    "Effect": "Allow",
    "Principal": {"Service": "pods.eks.amazonaws.com"},
    "Action": ["sts:AssumeRole", "sts:TagSession"],
}
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE = "aws:iam/role:Role"
CASES += [
    (
        "iam-autoscaling-writes-tag-scoped",
        (ROLE_POLICY, {"policy": document({**SCALE, "Condition": TAGGED})}),
        (ROLE_POLICY, {"policy": document(SCALE)}),
        "allows autoscaling:SetDesiredCapacity on every Auto Scaling group",
        {},
    ),
    (
        "iam-autoscaling-writes-tag-scoped",
        # reading is not writing; one named group is not every group
        (
            "aws:iam/policy:Policy",
            {
                "policy": document(
                    {"Effect": "Allow", "Action": "autoscaling:Describe*", "Resource": "*"},
                    {**SCALE, "Resource": "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:u:autoScalingGroupName/a"},
                )
            },
        ),
        (
            "aws:iam/policy:Policy",
            {"policy": document({"Effect": "Allow", "Action": "autoscaling:*", "Resource": "*"})},
        ),
        "TerminateInstanceInAutoScalingGroup",
        {},
    ),
    (
        "iam-autoscaling-writes-tag-scoped",
        (ROLE_POLICY, {"policy": document({**SCALE, "Effect": "Deny"})}),
        (
            ROLE_POLICY,
            {"policy": document({**SCALE, "Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})},
        ),
        "UpdateAutoScalingGroup",
        {},
    ),
    (
        "iam-role-trust-names-its-principal",
        (ROLE, {"assumeRolePolicy": document(POD_IDENTITY)}),
        (ROLE, {"assumeRolePolicy": document(POD_IDENTITY, {**POD_IDENTITY, "Principal": {"AWS": "*"}})}),
        "any principal",
        {},
    ),
    (
        "iam-role-trust-names-its-principal",
        (
            ROLE,
            {
                "assumeRolePolicy": document(
                    {**POD_IDENTITY, "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}
                )
            },
        ),
        (ROLE, {"assumeRolePolicy": document({**POD_IDENTITY, "Principal": "*"})}),
        "any principal",
        {},
    ),
    (
        "iam-role-trust-names-its-principal",
        (ROLE, {"assumeRolePolicy": document({**POD_IDENTITY, "Effect": "Deny", "Principal": "*"})}),
        (ROLE, {"assumeRolePolicy": document({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}})}),
        "NotPrincipal",
        {},
    ),
]


@pytest.mark.parametrize(
    ("name", "good", "bad", "fragment", "config"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_both_ways(name, good, bad, fragment, config):
    rule = BY_NAME[name]
    assert violations(rule, *good, config) == []
    found = violations(rule, *bad, config)
    assert found and any(fragment in v for v in found), found


def test_every_rule_has_a_case():
    assert {c[0] for c in CASES} == set(BY_NAME)


def test_crossguard_policies_report_through_report_violation():
    by_name = {p.name: p for p in policies()}
    assert set(by_name) == set(BY_NAME)
    reported = []
    args = SimpleNamespace(
        resource_type=LT,
        props={"metadataOptions": {"httpTokens": "optional"}},
        urn="urn:pulumi:prod::eks-platform::aws:ec2/launchTemplate:LaunchTemplate::general-nodes",
        get_config=lambda: {},
    )
    by_name["node-imdsv2-hop-limit-1"].validate(args, lambda message, urn: reported.append((message, urn)))
    assert [urn for _, urn in reported] == [args.urn, args.urn]
    assert by_name["cluster-admin-for-admins-only"].config_schema.properties["admins"]["type"] == "array"


def test_enforcement_comes_from_the_stack_policy_config():
    dev, prod = policy_config("dev"), policy_config("prod")
    assert rule_settings(dev, "eks-audit-logging") == ("advisory", {})
    assert rule_settings(dev, "storage-retains-data")[0] == "disabled"
    assert rule_settings(prod, "eks-audit-logging") == ("mandatory", {})
    assert rule_settings(prod, "cluster-admin-for-admins-only") == ("mandatory", {"admins": [ADMIN]})
    assert rule_settings({}, "anything") == ("advisory", {})


def test_prod_passes_every_mandatory_rule(prod):
    assert evaluate(prod, policy_config("prod")) == []


def test_dev_passes_with_its_advisories_listed(dev):
    found = evaluate(dev, policy_config("dev"))
    assert found and {v["enforcement"] for v in found} == {"advisory"}
    assert {v["policy"] for v in found} == {"eks-public-endpoint-restricted"}


def test_render_exits_3_naming_the_rule_and_resource(tmp_path, capsys):
    prod = (PROJECT_DIR / "Pulumi.prod.yaml").read_text().replace("- 203.0.113.0/24", "- 0.0.0.0/0")
    stack = tmp_path / "open.yaml"
    stack.write_text(prod)
    code = main(["--stack", "prod", "--config", str(stack), "--out", str(tmp_path / "out")])
    assert code == 3
    out = capsys.readouterr().out
    assert "[mandatory] eks-public-endpoint-restricted (high) aws:eks/cluster:Cluster::cluster-eksCluster" in out
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert plan["policy"][0]["policy"] == "eks-public-endpoint-restricted"


def test_render_of_prod_exits_0(tmp_path):
    assert main(["--stack", "prod", "--out", str(tmp_path / "p")]) == 0


def test_no_rule_reads_a_remote_components_properties():
    # A real preview shows analyzers eks:index:* components without properties.
    assert all(not t.startswith("eks:index:") for rule in RULES for t in rule.resource_types)


@pytest.mark.parametrize(
    ("name", "good", "bad", "fragment", "config"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_messages_do_not_repeat_the_rule_description(name, good, bad, fragment, config):
    # pulumi-policy already puts the description before every message.
    rule = BY_NAME[name]
    for message in violations(rule, *bad, config):
        assert rule.description.lower().rstrip(".") not in message.lower()
