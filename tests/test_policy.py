"""Every policy rule both ways, the CrossGuard adapter, per-stack enforcement, and the render's verdict."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import yaml
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from eks_platform.runner.stack_config import PROJECT_DIR
from policy import rules
from policy.pack import policies
from policy.rules import RULES, StackResource, rule_settings, stack_violations, violations
from render.__main__ import main
from render.policy import evaluate, policy_config

CLUSTER = "aws:eks/cluster:Cluster"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
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
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
NLB_PUBLIC = {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"}


def ingress(scheme: str | None, name: str = "web") -> dict:
    annotations = {"alb.ingress.kubernetes.io/scheme": scheme} if scheme else {}
    return {"metadata": {"name": name, "namespace": "demo", "annotations": annotations}, "spec": {}}


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

INTRUDER = "arn:aws:iam::111122223333:role/ci"
ENTRY = "aws:eks/accessEntry:AccessEntry"
CRB = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
PROD_ADMINS = {"admins": [ADMIN], "configFile": "policy/config/prod.json"}


def res(type_: str, name: str, props: dict, parent: str | None = None) -> StackResource:
    return StackResource(type_, f"urn:pulumi:prod::eks-platform::{type_}::{name}", name, props, parent)


# A managed node group and its launch template, side by side under one component (the platform's ManagedNodeGroup).
MNG = "urn:pulumi:prod::eks-platform::eks-platform:index:ManagedNodeGroup::edge"
ENCRYPTED = {"volumeType": "gp3", "encrypted": "true"}


def node_group(ami_type: str, *devices: str, encrypted: bool = True, parent: str = MNG) -> list[StackResource]:
    ebs = ENCRYPTED if encrypted else {"volumeType": "gp3"}
    mappings = [{"deviceName": d, "ebs": ebs} for d in devices]
    template = res(LT, f"{ami_type}-nodes", {"blockDeviceMappings": mappings}, parent)
    group = res(NODE_GROUP, ami_type, {"amiType": ami_type, "launchTemplate": {"id": "lt-1", "version": "1"}}, MNG)
    return [template, group]


def entry(arn: str, *groups: str, username: str = "") -> StackResource:
    props = {"principalArn": arn, "kubernetesGroups": list(groups), "userName": username}
    return res(ENTRY, arn.rsplit("/", 1)[-1], props)


def binding(role: str, *subjects: dict) -> StackResource:
    return res(CRB, f"bind-{role}", {"roleRef": {"kind": "ClusterRole", "name": role}, "subjects": list(subjects)})


def aws_auth_roles(*mappings: dict) -> StackResource:
    data = {"mapRoles": yaml.safe_dump(list(mappings)), "mapUsers": "[]"}
    return res(AWS_AUTH, "aws-auth", {"metadata": {"name": "aws-auth", "namespace": "kube-system"}, "data": data})


TEAM = {"kind": "Group", "name": "team", "apiGroup": "rbac.authorization.k8s.io"}
# dev-sized, in ap-northeast-2: the cluster (73.00/month), 1 to 2 t3.medium (37.96 each) with
# 20 GiB gp3 (1.82 each); a NAT gateway adds 43.07.
_BUDGET_STACK = [
    res("aws:ec2/subnet:Subnet", "a", {"availabilityZone": "ap-northeast-2a"}),
    res("aws:eks/cluster:Cluster", "cluster", {"version": "1.35"}),
    res(
        "aws:eks/nodeGroup:NodeGroup",
        "general",
        {"instanceTypes": ["t3.medium"], "scalingConfig": {"desiredSize": 1, "maxSize": 2}},
    ),
]
# A rule that reads the whole stack: (rule, good resources, bad resources, fragment of the violation, config)
# Volumes a node boots with: Bottlerocket's README, "Default Volumes" (/dev/xvda the OS, /dev/xvdb the data);
# Amazon Linux: the root volume /dev/xvda.
STACK_CASES = [
    (
        "node-volumes-encrypted",
        node_group("BOTTLEROCKET_ARM_64", "/dev/xvda", "/dev/xvdb"),
        node_group("BOTTLEROCKET_ARM_64", "/dev/xvdb"),
        "BOTTLEROCKET_ARM_64 nodes boot with /dev/xvda, which the launch template does not map",
        {},
    ),
    (
        "node-volumes-encrypted",
        node_group("AL2023_x86_64_STANDARD", "/dev/xvda"),
        node_group("AL2023_x86_64_STANDARD", "/dev/xvda", encrypted=False),
        "volume /dev/xvda is not encrypted",
        {},
    ),
    (
        "node-volumes-encrypted",
        node_group("BOTTLEROCKET_x86_64", "/dev/xvda", "/dev/xvdb"),
        [res(NODE_GROUP, "bare", {"amiType": "BOTTLEROCKET_x86_64"}, MNG)],
        "no launch template: its nodes boot /dev/xvda, /dev/xvdb encrypted only if the account encrypts",
        {},
    ),
    (
        "node-volumes-encrypted",
        node_group("AL2023_x86_64_STANDARD", "/dev/xvda"),
        node_group("AL2023_x86_64_STANDARD", "/dev/xvda", parent="urn:pulumi:prod::eks-platform::other::x"),
        "its launch template is not in this stack",
        {},
    ),
    (
        "stack-monthly-budget",
        _BUDGET_STACK,
        [*_BUDGET_STACK, res("aws:ec2/natGateway:NatGateway", "nat", {})],
        "the monthly cost at maxSize, USD 195.64, is above the budget of USD 160.00",
        {"monthlyUsd": 160},
    ),
    (
        "cluster-admin-for-admins-only",
        [res(ASSOCIATION, "a", {"policyArn": CLUSTER_ADMIN, "principalArn": ADMIN})],
        [res(ASSOCIATION, "a", {"policyArn": CLUSTER_ADMIN, "principalArn": INTRUDER})],
        f"{INTRUDER} gets cluster-admin through AmazonEKSClusterAdminPolicy but is not listed in the admins of "
        "policy/config/prod.json",
        PROD_ADMINS,
    ),
    (
        "cluster-admin-for-admins-only",
        [
            entry(INTRUDER, "team"),
            binding("view", TEAM),
            entry(ADMIN, "admins"),
            binding("cluster-admin", {**TEAM, "name": "admins"}),
        ],
        [entry(INTRUDER, "team"), binding("cluster-admin", TEAM)],
        f"{INTRUDER} gets cluster-admin through group team bound to cluster-admin",
        PROD_ADMINS,
    ),
    (
        "cluster-admin-for-admins-only",
        [
            aws_auth_roles({"rolearn": INTRUDER, "username": "ops", "groups": []}),
            binding("cluster-admin", {"kind": "User", "name": "dev"}),
        ],
        [
            aws_auth_roles({"rolearn": INTRUDER, "username": "ops", "groups": []}),
            binding("cluster-admin", {"kind": "User", "name": "ops"}),
        ],
        "through user ops bound to cluster-admin",
        PROD_ADMINS,
    ),
    (
        "cluster-admin-for-admins-only",
        [aws_auth_roles({"rolearn": ADMIN, "username": "admin", "groups": ["system:masters"]})],
        [aws_auth_roles({"rolearn": INTRUDER, "username": "ci", "groups": ["system:masters"]})],
        f"{INTRUDER} gets cluster-admin through the system:masters group",
        PROD_ADMINS,
    ),
    (
        "cluster-admin-for-admins-only",
        [binding("view", {"kind": "ServiceAccount", "name": "bot", "namespace": "ops"})],
        [binding("cluster-admin", {"kind": "ServiceAccount", "name": "bot", "namespace": "ops"})],
        "service account ops/bot gets cluster-admin through a ClusterRoleBinding",
        PROD_ADMINS,
    ),
]


def stack_messages(name: str, resources: list[StackResource], config: dict) -> list[str]:
    found: list[tuple[str, str]] = []
    stack_violations(BY_NAME[name], resources, config, found)
    return [message for message, _ in found]


@pytest.mark.parametrize(
    ("name", "good", "bad", "fragment", "config"), STACK_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(STACK_CASES)]
)
def test_stack_rule_both_ways(name, good, bad, fragment, config):
    assert stack_messages(name, good, config) == []
    found = stack_messages(name, bad, config)
    assert found and any(fragment in m for m in found), found


def test_a_stack_rule_reports_what_it_can_decide_before_an_unknown_stops_it():
    unknown = unknown_checking_proxy(
        {"metadata": {"name": "aws-auth", "namespace": "kube-system"}, "data": {"mapRoles": UNKNOWN_STRING_VALUE}}
    )
    resources = [entry(INTRUDER, "team"), binding("cluster-admin", TEAM), res(AWS_AUTH, "aws-auth", unknown)]
    found: list[tuple[str, str]] = []
    with pytest.raises(UnknownValueError):
        stack_violations(BY_NAME["cluster-admin-for-admins-only"], resources, PROD_ADMINS, found)
    assert found == [
        (
            f"{INTRUDER} gets cluster-admin through group team bound to cluster-admin but is not listed in the admins "
            "of policy/config/prod.json",
            resources[1].urn,
        )
    ]


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
        "allows autoscaling:SetDesiredCapacity on Auto Scaling groups beyond the cluster's",
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
    # An internet-facing load balancer only where the policy config lists it (namespace/name).
    (
        "load-balancers-internal",
        (INGRESS, ingress("internal")),
        (INGRESS, ingress("internet-facing")),
        "Ingress demo/web asks for an internet-facing load balancer",
        {},
    ),
    (
        "load-balancers-internal",
        # the controller's default scheme is internal; a listed object may face the internet
        (INGRESS, ingress(None)),
        (INGRESS, ingress("internet-facing", name="shop")),
        "list demo/shop under allowInternetFacing",
        {"allowInternetFacing": ["demo/web"]},
    ),
    (
        "load-balancers-internal",
        (INGRESS, ingress("internet-facing")),
        (
            SERVICE,
            {
                **ingress(None),
                "metadata": {"name": "nlb", "namespace": "demo", "annotations": NLB_PUBLIC},
                "spec": {"type": "LoadBalancer"},
            },
        ),
        "Service demo/nlb asks for an internet-facing load balancer",
        {"allowInternetFacing": ["demo/web"]},
    ),
    (
        "load-balancers-internal",
        # a Service that makes no load balancer asks for nothing, whatever it carries
        (
            SERVICE,
            {
                "metadata": {"name": "web", "namespace": "demo", "annotations": NLB_PUBLIC},
                "spec": {"type": "ClusterIP"},
            },
        ),
        (SERVICE, {"metadata": {"name": "web", "annotations": NLB_PUBLIC}, "spec": {"type": "LoadBalancer"}}),
        "Service default/web",
        {},
    ),
]


# The cluster's lifecycle (policy/lifecycle_rules.py), each way it can be missing.
CASES += [
    (
        "eks-support-type-explicit",
        (CLUSTER, {"upgradePolicy": {"supportType": "STANDARD"}}),
        (CLUSTER, {}),
        "upgradePolicy.supportType is not set",
        {},
    ),
    (
        "eks-support-type-explicit",
        (CLUSTER, {"upgradePolicy": {"supportType": "EXTENDED"}}),
        (CLUSTER, {"upgradePolicy": {}}),
        "EKS's default (EXTENDED) decides",
        {},
    ),
    (
        "eks-zonal-shift-enabled",
        (CLUSTER, {"zonalShiftConfig": {"enabled": True}}),
        (CLUSTER, {"zonalShiftConfig": {"enabled": False}}),
        "zonal shift is off",
        {},
    ),
    ("eks-zonal-shift-enabled", (CLUSTER, {"zonalShiftConfig": {"enabled": True}}), (CLUSTER, {}), "zonal shift", {}),
    (
        "node-group-auto-repair",
        (NODE_GROUP, {"nodeRepairConfig": {"enabled": True, "maxParallelNodesRepairedCount": 1}}),
        (NODE_GROUP, {"nodeRepairConfig": {"enabled": False}}),
        "node auto repair is off",
        {},
    ),
    ("node-group-auto-repair", (NODE_GROUP, {"nodeRepairConfig": {"enabled": True}}), (NODE_GROUP, {}), "repair", {}),
    (
        "node-group-update-keeps-nodes",
        (
            NODE_GROUP,
            {"updateConfig": {"maxUnavailable": 1, "updateStrategy": "MINIMAL"}, "scalingConfig": {"desiredSize": 2}},
        ),
        (
            NODE_GROUP,
            {"updateConfig": {"maxUnavailable": 2, "updateStrategy": "MINIMAL"}, "scalingConfig": {"desiredSize": 2.0}},
        ),
        "updateStrategy MINIMAL with maxUnavailable 2 and desiredSize 2",
        {},
    ),
    (
        "node-group-update-keeps-nodes",
        # DEFAULT launches first; a group at zero has nothing to lose
        (
            NODE_GROUP,
            {"updateConfig": {"maxUnavailable": 3, "updateStrategy": "DEFAULT"}, "scalingConfig": {"desiredSize": 0}},
        ),
        (
            NODE_GROUP,
            {"updateConfig": {"maxUnavailable": 3, "updateStrategy": "MINIMAL"}, "scalingConfig": {"desiredSize": 1}},
        ),
        "an update terminates every node",
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
    assert {c[0] for c in CASES} | {c[0] for c in STACK_CASES} == set(BY_NAME)


def test_crossguard_policies_report_through_report_violation():
    by_name = {p.name: p for p in policies()}
    assert set(by_name) == set(BY_NAME)
    reported = []
    args = SimpleNamespace(
        resource_type=LT,
        props={"metadataOptions": {"httpTokens": "optional"}},
        urn="urn:pulumi:prod::eks-platform::eks-platform:index:ManagedNodeGroup"
        "$aws:ec2/launchTemplate:LaunchTemplate::general-nodes",
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


EXIT_3 = [
    (
        ("- 203.0.113.0/24", "- 0.0.0.0/0"),
        "[mandatory] eks-public-endpoint-restricted (high) aws:eks/cluster:Cluster::cluster-eksCluster: ",
    ),
    # a team's group bound to cluster-admin: the auditor role, mapped into platform-viewers, is no admin
    (
        ("clusterRole: view", "clusterRole: cluster-admin"),
        "[mandatory] cluster-admin-for-admins-only (critical) kubernetes:rbac.authorization.k8s.io/v1:"
        "ClusterRoleBinding::access-platform-viewers: arn:aws:iam::111122223333:role/auditor gets cluster-admin "
        "through group platform-viewers bound to cluster-admin but is not listed in the admins of "
        "policy/config/prod.json",
    ),
]


@pytest.mark.parametrize(("change", "verdict"), EXIT_3, ids=["open API", "group bound to cluster-admin"])
def test_render_exits_3_naming_the_rule_and_resource(tmp_path, capsys, change, verdict):
    text = (PROJECT_DIR / "Pulumi.prod.yaml").read_text()
    assert change[0] in text
    stack = tmp_path / "changed.yaml"
    stack.write_text(text.replace(*change))
    code = main(["--stack", "prod", "--config", str(stack), "--out", str(tmp_path / "out")])
    assert code == 3
    out = capsys.readouterr().out
    assert verdict in out
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert [v["policy"] for v in plan["policy"] if v["enforcement"] == "mandatory"] == [verdict.split()[1]]


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
