"""Every access rule, table-driven (good row beside bad), plus what the plan makes of valid input."""

from __future__ import annotations

import pytest

from settings import load_settings
from tests.conftest import check_rule, config_with

ACCOUNT = "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/admin"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
BIND = {"ops": {"clusterRole": "admin"}, "devs": {"clusterRole": "view"}}


def access(**fields) -> dict:
    return config_with(access={"groupBindings": BIND, **fields})


def role(arn: str = ROLE, **fields) -> dict:
    return {"rolearn": arn, "username": "admin", "groups": ["ops"], **fields}


def user(arn: str = USER, **fields) -> dict:
    return {"userarn": arn, "username": "alice", "groups": ["devs"], **fields}


def entry(arn: str = ROLE, **fields) -> dict:
    return {"principalArn": arn, **fields}


# (rule, good config, bad config, path in the error, fragment of its message)
RULES = [
    (
        "ARN has a 12-digit account",
        access(mapRoles=[role()]),
        access(mapRoles=[role("arn:aws:iam::1234:role/admin")]),
        "eks-platform:access.mapRoles[0].rolearn",
        "12-digit account",
    ),
    (
        "ARN partition is aws, aws-cn or aws-us-gov",
        access(mapRoles=[role("arn:aws-us-gov:iam::111122223333:role/admin")]) | {"aws:region": "us-gov-west-1"},
        access(mapRoles=[role("arn:aws-eu:iam::111122223333:role/admin")]),
        "eks-platform:access.mapRoles[0].rolearn",
        "partition aws, aws-cn or aws-us-gov",
    ),
    (
        "ARN partition matches the cluster's region",
        access(mapRoles=[role()]),
        access(mapRoles=[role("arn:aws-cn:iam::111122223333:role/admin")]),
        "eks-platform:access.mapRoles[0].rolearn",
        "partition aws-cn but the cluster is in aws",
    ),
    (
        "role ARNs only in mapRoles",
        access(mapRoles=[role()]),
        access(mapRoles=[role(USER)]),
        "eks-platform:access.mapRoles[0].rolearn",
        "map it under mapUsers",
    ),
    (
        "user ARNs only in mapUsers",
        access(mapUsers=[user()]),
        access(mapUsers=[user(ROLE)]),
        "eks-platform:access.mapUsers[0].userarn",
        "map it under mapRoles",
    ),
    (
        "a username or a group",
        access(mapRoles=[{"rolearn": ROLE, "groups": ["ops"]}]),
        access(mapRoles=[{"rolearn": ROLE}]),
        "eks-platform:access.mapRoles[0]",
        "needs a username or at least one group",
    ),
    (
        "username templates aws-iam-authenticator expands",
        access(mapRoles=[role(username="admin:{{SessionName}}")]),
        access(mapRoles=[role(username="admin:{{SessionID}}")]),
        "eks-platform:access.mapRoles[0].username",
        "{{SessionID}}",
    ),
    (
        "no duplicate ARNs (different mappings)",
        access(mapRoles=[role(), role(f"arn:aws:iam::{ACCOUNT}:role/other")]),
        access(mapRoles=[role(), role(groups=["devs"])]),
        "eks-platform:access.mapRoles[1]",
        "differently from eks-platform:access.mapRoles[0]",
    ),
    (
        "no duplicate ARNs once the IAM path is stripped",
        access(mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/team/admin")]),
        access(mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/team/admin"), role(username="root")]),
        "eks-platform:access.mapRoles[1]",
        "differently",
    ),
    (
        "no duplicate ARNs across aws-auth and access entries",
        access(mapRoles=[role()], accessEntries=[entry(f"arn:aws:iam::{ACCOUNT}:role/ci", groups=["devs"])]),
        access(mapRoles=[role()], accessEntries=[entry(groups=["ops"])]),
        "eks-platform:access.accessEntries[0]",
        "differently from eks-platform:access.mapRoles[0]",
    ),
    (
        "one access entry per principal, even without noDuplicateArns",
        access(noDuplicateArns=False, accessEntries=[entry(groups=["ops"])]),
        access(noDuplicateArns=False, accessEntries=[entry(groups=["ops"]), entry(groups=["devs"])]),
        "eks-platform:access.accessEntries[1]",
        "already has an access entry",
    ),
    (
        "the platform's node roles are not mapped",
        access(mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/eks-platform-test-general-nodes")]),
        access(mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/eks-platform-test-general-node")]),
        "eks-platform:access.mapRoles[0].rolearn",
        "shadow the node mapping",
    ),
    (
        "every non-system group is bound",
        access(mapRoles=[role(groups=["ops", "system:masters"])]),
        access(mapRoles=[role(groups=["ops", "auditors"])]),
        "eks-platform:access.mapRoles[0].groups",
        'group "auditors" has no entry in access.groupBindings',
    ),
    (
        "access entries need an access-entry mode",
        access(authenticationMode="API_AND_CONFIG_MAP", accessEntries=[entry(groups=["ops"])]),
        access(authenticationMode="CONFIG_MAP", accessEntries=[entry(groups=["ops"])]),
        "eks-platform:access.accessEntries",
        '"API_AND_CONFIG_MAP" or "API"',
    ),
    (
        "authentication mode",
        access(authenticationMode="CONFIG_MAP"),
        access(authenticationMode="IAM"),
        "eks-platform:access.authenticationMode",
        '"CONFIG_MAP", "API_AND_CONFIG_MAP", "API"',
    ),
    (
        "access entry groups avoid reserved prefixes",
        access(accessEntries=[entry(groups=["ops"])]),
        access(accessEntries=[entry(groups=["system:masters"])]),
        "eks-platform:access.accessEntries[0].groups[0]",
        "AmazonEKSClusterAdminPolicy",
    ),
    (
        "access policy is an EKS cluster access policy",
        access(accessEntries=[entry(policies=[{"policy": "AmazonEKSEditPolicy"}])]),
        access(accessEntries=[entry(policies=[{"policy": "AdministratorAccess"}])]),
        "eks-platform:access.accessEntries[0].policies[0].policy",
        '"AdministratorAccess" is not an EKS cluster access policy',
    ),
    (
        "access policy scope",
        access(accessEntries=[entry(policies=[{"policy": "AmazonEKSEditPolicy", "scope": {"namespaces": ["a"]}}])]),
        access(accessEntries=[entry(policies=[{"policy": "AmazonEKSEditPolicy", "scope": "everywhere"}])]),
        "eks-platform:access.accessEntries[0].policies[0].scope",
        'must be "cluster" or {namespaces',
    ),
    (
        "access policy namespaces are namespace names",
        access(
            accessEntries=[entry(policies=[{"policy": "AmazonEKSEditPolicy", "scope": {"namespaces": ["team-a"]}}])]
        ),
        access(
            accessEntries=[entry(policies=[{"policy": "AmazonEKSEditPolicy", "scope": {"namespaces": ["Team_A"]}}])]
        ),
        "eks-platform:access.accessEntries[0].policies[0].scope.namespaces[0]",
        '"Team_A"',
    ),
    (
        "binding has a ClusterRole or rules",
        access(groupBindings={"ops": {"rules": [{"resources": ["pods"], "verbs": ["get"]}]}}),
        access(groupBindings={"ops": {}}),
        "eks-platform:access.groupBindings.ops",
        "exactly one of clusterRole",
    ),
    (
        "binding has not both",
        access(groupBindings={"ops": {"clusterRole": "view"}}),
        access(groupBindings={"ops": {"clusterRole": "view", "rules": [{"resources": ["pods"], "verbs": ["get"]}]}}),
        "eks-platform:access.groupBindings.ops",
        "exactly one of clusterRole",
    ),
    (
        "bindings are for your own groups",
        access(groupBindings={"ops": {"clusterRole": "view"}}),
        access(groupBindings={"system:authenticated": {"clusterRole": "view"}}),
        'eks-platform:access.groupBindings["system:authenticated"]',
        "Kubernetes system group",
    ),
    (
        "RBAC verbs",
        access(groupBindings={"ops": {"rules": [{"resources": ["pods"], "verbs": ["get", "list"]}]}}),
        access(groupBindings={"ops": {"rules": [{"resources": ["pods"], "verbs": ["read"]}]}}),
        "eks-platform:access.groupBindings.ops.rules[0].verbs[0]",
        '"read" must be one of',
    ),
    (
        "binding namespaces are namespace names",
        access(groupBindings={"ops": {"clusterRole": "edit", "namespaces": ["team-a"]}}),
        access(groupBindings={"ops": {"clusterRole": "edit", "namespaces": ["team a"]}}),
        "eks-platform:access.groupBindings.ops.namespaces[0]",
        '"team a"',
    ),
    (
        "group names",
        access(mapRoles=[role(groups=["ops"])]),
        access(mapRoles=[role(groups=["ops team"])]),
        "eks-platform:access.mapRoles[0].groups[0]",
        '"ops team"',
    ),
    (
        "unknown access key",
        access(mapRoles=[role()]),
        access(mapRole=[role()]),
        "eks-platform:access.mapRole",
        "did you mean 'mapRoles'",
    ),
    (
        "kubeconfig roleArn is a role",
        config_with(kubeconfig={"roleArn": ROLE, "profile": "platform"}),
        config_with(kubeconfig={"roleArn": USER}),
        "eks-platform:kubeconfig.roleArn",
        "an IAM role ARN is needed",
    ),
    # The deployer is cluster admin through EKS's cluster-creator access entry: listing it again
    # fails at `pulumi up` (ResourceInUseException) or is silently ignored.
    (
        "deployer not in accessEntries",
        access(authenticationMode="API", deployer=f"arn:aws:iam::{ACCOUNT}:role/ci", accessEntries=[entry()]),
        access(authenticationMode="API", deployer=ROLE, accessEntries=[entry()]),
        "eks-platform:access.accessEntries[0].principalArn",
        "ResourceInUseException",
    ),
    (
        "deployer not in mapRoles",
        access(deployer=f"arn:aws:iam::{ACCOUNT}:role/ci", mapRoles=[role()]),
        access(deployer=ROLE, mapRoles=[role()]),
        "eks-platform:access.mapRoles[0].rolearn",
        "is the deployer (access.deployer)",
    ),
    (
        "deployer not in mapRoles, even with an IAM path",
        access(authenticationMode="CONFIG_MAP", deployer=f"arn:aws:iam::{ACCOUNT}:role/ci", mapRoles=[role()]),
        access(
            authenticationMode="CONFIG_MAP", deployer=ROLE, mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/ops/admin")]
        ),
        "eks-platform:access.mapRoles[0].rolearn",
        "grants it nothing more",
    ),
    (
        "deployer not in mapUsers",
        access(deployer=ROLE, mapUsers=[user()]),
        access(deployer=USER, mapUsers=[user()]),
        "eks-platform:access.mapUsers[0].userarn",
        "EKS ignores the aws-auth mapping",
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_access_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def plan_of(config: dict):
    settings = load_settings(config, "eks-platform", "test")
    return settings.access, settings.warnings


def test_role_arn_path_is_stripped_with_a_warning():
    plan, warnings = plan_of(access(mapRoles=[role(f"arn:aws:iam::{ACCOUNT}:role/team/sub/admin")]))
    assert [m.arn for m in plan.role_mappings] == [ROLE]
    assert any("IAM path" in w and f"mapped as {ROLE}" in w for w in warnings)


def test_access_entry_keeps_its_role_path():
    arn = f"arn:aws:iam::{ACCOUNT}:role/team/admin"
    plan, _ = plan_of(access(accessEntries=[entry(arn, groups=["ops"])]))
    assert [e.principal_arn for e in plan.access_entries] == [arn]  # EKS matches paths in access entries


def test_exact_duplicate_is_dropped_with_a_warning():
    plan, warnings = plan_of(access(mapRoles=[role(), role(groups=["ops"])]))
    assert len(plan.role_mappings) == 1
    assert any("repeats eks-platform:access.mapRoles[0] exactly" in w for w in warnings)


def test_duplicates_are_kept_when_no_duplicate_arns_is_off():
    plan, _ = plan_of(access(noDuplicateArns=False, mapRoles=[role(), role(groups=["devs"])]))
    assert len(plan.role_mappings) == 2


def test_system_masters_for_an_iam_user_is_a_warning():
    _, warnings = plan_of(access(mapUsers=[user(groups=["system:masters"])]))
    assert any(w.startswith("eks-platform:access.mapUsers[0]") and "system:masters" in w for w in warnings)


def test_missing_username_gets_a_session_or_user_name():
    plan, _ = plan_of(
        access(mapRoles=[{"rolearn": ROLE, "groups": ["ops"]}], mapUsers=[{"userarn": USER, "groups": ["devs"]}])
    )
    assert plan.role_mappings[0].username == "admin:{{SessionName}}"
    assert plan.user_mappings[0].username == "alice"


def test_api_mode_converts_mappings_to_access_entries():
    plan, warnings = plan_of(
        access(
            authenticationMode="API",
            mapRoles=[role(groups=["ops", "system:masters", "system:bootstrappers"])],
            mapUsers=[user()],
        )
    )
    assert plan.role_mappings == () and plan.user_mappings == ()
    admin, alice = plan.access_entries
    assert (admin.principal_arn, admin.username, admin.groups) == (ROLE, "admin", ("ops",))
    assert [p.policy_arn for p in admin.policies] == [
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    ]
    assert admin.policies[0].scope == "cluster"
    assert (alice.principal_arn, alice.groups, alice.policies) == (USER, ("devs",), ())
    assert any("system:bootstrappers has no access-entry equivalent" in w for w in warnings)


def test_access_policy_short_names_become_arns_of_the_partition():
    config = access(
        accessEntries=[entry(f"arn:aws-cn:iam::{ACCOUNT}:role/ci", policies=[{"policy": "AmazonEKSViewPolicy"}])]
    )
    plan, _ = plan_of(config | {"aws:region": "cn-north-1"})
    (policy,) = plan.access_entries[0].policies
    assert policy.policy_arn == "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"


def test_unused_binding_is_a_warning():
    _, warnings = plan_of(access(mapRoles=[role()]))
    assert any("groupBindings.devs" in w and "grants nobody" in w for w in warnings)


def test_binding_namespaces_become_platform_namespaces():
    config = access(groupBindings={"ops": {"clusterRole": "edit", "namespaces": ["team-b", "default", "team-a"]}})
    settings = load_settings(config, "eks-platform", "test")
    assert [ns.name for ns in settings.namespaces] == ["team-a", "team-b"]
    assert all(ns.labels["pod-security.kubernetes.io/enforce"] == "baseline" for ns in settings.namespaces)
