"""The Cluster Autoscaler and the node groups it scales: its objects, its image per Kubernetes
version, its IAM role through EKS Pod Identity (or IRSA), the Auto Scaling group tags that let a
group scale from zero, desiredSize left to it, and every stack rendering with it on or off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eks_platform.runner.engine import run_program
from eks_platform.runner.stack_config import PROJECT_DIR, StackConfig, load_stack_config
from policy.rules import RULES, violations
from render.placement import placement_review
from settings import SettingsError, load_settings
from settings import autoscaling as autoscaling_settings
from settings.quantity import parse_quantity
from tests.conftest import ADDONS_ANYWHERE, TODAY, check_rule, config_with, run_config

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
ASG_TAG = "aws:autoscaling/tag:Tag"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ON = {"enabled": True}


@pytest.fixture(scope="module")
def irsa():
    return run_config(config_with(cluster={"serviceAccountRoles": "irsa"}, autoscaling=ON))


def autoscaler(result):
    return result.one(DEPLOYMENT, "cluster-autoscaler")


def pod(result) -> dict:
    return autoscaler(result).inputs["spec"]["template"]["spec"]


def flags(result) -> dict[str, str]:
    command = pod(result)["containers"][0]["command"]
    return dict(arg.removeprefix("--").split("=", 1) for arg in command[1:])


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_dev_and_prod_run_the_autoscaler_for_their_own_cluster(stack, request):
    result = request.getfixturevalue(stack)
    cluster = result.outputs["clusterName"]
    found = flags(result)
    assert found["cloud-provider"] == "aws"
    # the tags EKS puts on every managed node group's Auto Scaling group (EKS User Guide, "Managed
    # node groups": tagged for Cluster Autoscaler auto-discovery)
    assert found["node-group-auto-discovery"] == (
        f"asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/{cluster}"
    )
    assert found["expander"] == "least-waste"
    objects = {
        (r.type.rsplit(":", 1)[-1], r.inputs["metadata"]["name"])
        for r in result.resources
        if r.parent and "ClusterAutoscaler" in r.urn and r.type.startswith("kubernetes:")
    }
    assert objects == {
        ("ServiceAccount", "cluster-autoscaler"),
        ("ClusterRole", "cluster-autoscaler"),
        ("ClusterRoleBinding", "cluster-autoscaler"),
        ("Role", "cluster-autoscaler"),
        ("RoleBinding", "cluster-autoscaler"),
        ("Deployment", "cluster-autoscaler"),
        ("PodDisruptionBudget", "cluster-autoscaler"),
    }


def test_the_autoscaler_pod_is_critical_restricted_and_on_demand(prod):
    spec = pod(prod)
    assert spec["priorityClassName"] == "system-cluster-critical"
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] > 0
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (container,) = spec["containers"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["resources"]["requests"] == container["resources"]["limits"]
    # it asks for what the placement and capacity checks counted for it
    (counted,) = [w for w in placement_review(prod)["workloads"] if w["workload"] == "autoscaling"]
    requests = container["resources"]["requests"]
    assert round(parse_quantity(requests["cpu"]) * 1000) == counted["requests"]["cpuMillicores"]
    assert parse_quantity(requests["memory"]) / 2**20 == counted["requests"]["memoryMiB"]
    assert spec["nodeSelector"] == {"eks.amazonaws.com/capacityType": "ON_DEMAND"}
    # it waits for the groups it can land on, and only those
    groups = {r.urn: r.name for r in prod.of_type(NODE_GROUP)}
    waits_for = {groups[u] for u in autoscaler(prod).dependencies if u in groups}
    assert waits_for == set(prod.outputs["nodeGroups"]) - {
        name for name, g in prod.outputs["nodeGroups"].items() if g["taints"]
    }


def test_its_cluster_role_is_upstreams_and_cannot_write_workloads(dev):
    role = dev.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "cluster-autoscaler-cluster-role")
    writes = {
        (resource, verb)
        for rule in role.inputs["rules"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
        if verb in ("create", "update", "patch", "delete")
    }
    # events and its own endpoint/lease, evictions, node taints while it drains, job patches: no more
    assert {r for r, _ in writes} <= {"events", "endpoints", "pods/eviction", "pods/status", "nodes", "jobs", "leases"}
    assert not any(r.get("resources") == ["*"] or "*" in r["verbs"] for r in role.inputs["rules"])


# kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml
# (commit 55c37cd5eb): its ClusterRole and Role, rule for rule.
UPSTREAM_CLUSTER_ROLE = """
- {apiGroups: [""], resources: ["events", "endpoints"], verbs: ["create", "patch"]}
- {apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"]}
- {apiGroups: [""], resources: ["pods/status"], verbs: ["update"]}
- {apiGroups: [""], resources: ["endpoints"], resourceNames: ["cluster-autoscaler"], verbs: ["get", "update"]}
- {apiGroups: [""], resources: ["nodes"], verbs: ["watch", "list", "get", "update"]}
- apiGroups: [""]
  resources: ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims",
              "persistentvolumes"]
  verbs: ["watch", "list", "get"]
- {apiGroups: ["extensions"], resources: ["replicasets", "daemonsets"], verbs: ["watch", "list", "get"]}
- {apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["watch", "list"]}
- {apiGroups: ["apps"], resources: ["statefulsets", "replicasets", "daemonsets"], verbs: ["watch", "list", "get"]}
- apiGroups: ["resource.k8s.io"]
  resources: ["deviceclasses", "resourceslices", "resourceclaims"]
  verbs: ["watch", "list", "get"]
- apiGroups: ["storage.k8s.io"]
  resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"]
  verbs: ["watch", "list", "get"]
- {apiGroups: ["batch", "extensions"], resources: ["jobs"], verbs: ["get", "list", "watch", "patch"]}
- {apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"]}
- {apiGroups: ["coordination.k8s.io"], resourceNames: ["cluster-autoscaler"], resources: ["leases"],
   verbs: ["get", "update"]}
"""
UPSTREAM_ROLE = """
- {apiGroups: [""], resources: ["configmaps"], verbs: ["create", "list", "watch"]}
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"]
  verbs: ["delete", "get", "update", "watch"]
"""


def test_its_rbac_is_upstreams_rule_for_rule(dev):
    import yaml

    cluster_role = dev.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "cluster-autoscaler-cluster-role")
    role = dev.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "cluster-autoscaler-role")
    assert cluster_role.inputs["rules"] == yaml.safe_load(UPSTREAM_CLUSTER_ROLE)
    assert role.inputs["rules"] == yaml.safe_load(UPSTREAM_ROLE)


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_the_image_is_the_release_of_the_clusters_minor_version(version):
    settings = load_settings(
        config_with(cluster={"version": version}, autoscaling=ON), "eks-platform", "test", today=TODAY
    )
    repository, _, tag = settings.autoscaler.image.rpartition(":")
    assert repository == "registry.k8s.io/autoscaling/cluster-autoscaler"
    assert tag.startswith(f"v{version}."), settings.autoscaler.image


def test_the_deployment_runs_the_release_of_its_clusters_version(edge, dev):
    # edge runs 1.34, dev 1.35: each Deployment carries the release of its own minor version
    assert pod(edge)["containers"][0]["image"].rpartition(":")[2].startswith("v1.34.")
    assert pod(dev)["containers"][0]["image"].rpartition(":")[2].startswith("v1.35.")


def test_a_version_without_a_release_is_a_config_error(monkeypatch):
    monkeypatch.delitem(autoscaling_settings.RELEASES, "1.35")
    config = config_with(cluster={"version": "1.35"}, autoscaling=ON)
    with pytest.raises(SettingsError) as caught:
        load_settings(config, "eks-platform", "test", today=TODAY)
    (problem,) = caught.value.problems
    assert problem.path == "eks-platform:autoscaling.enabled"
    assert "no release for Kubernetes 1.35" in problem.message and "set it false" in problem.message
    # the same version loads with the autoscaler off
    load_settings(config_with(cluster={"version": "1.35"}), "eks-platform", "test", today=TODAY)


def test_the_iam_policy_writes_only_to_this_clusters_groups(dev):
    cluster = dev.outputs["clusterName"]
    inline = dev.one("aws:iam/rolePolicy:RolePolicy", "cluster-autoscaler-role-inline")
    statements = json.loads(inline.inputs["policy"])["Statement"]
    writes = [s for s in statements if any(a in s["Action"] for a in ("autoscaling:SetDesiredCapacity",))]
    (write,) = writes
    assert sorted(write["Action"]) == [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    assert write["Condition"] == {"Null": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster}": "false"}}
    (describe_groups,) = [s for s in statements if s["Action"] == ["eks:DescribeNodegroup"]]
    assert describe_groups["Resource"] == f"arn:aws:eks:{dev.outputs['region']}:*:nodegroup/{cluster}/*/*"
    # every other statement only reads
    for s in statements:
        if s is not write:
            assert all(a.split(":")[1].startswith(("Describe", "Get")) for a in s["Action"]), s
    rule = next(r for r in RULES if r.name == "iam-autoscaling-writes-tag-scoped")
    assert violations(rule, inline.type, inline.inputs, {}) == []


@pytest.mark.parametrize("account", ["cluster-autoscaler", "ebs-csi-controller-sa"])
def test_each_controller_role_trusts_only_eks_pod_identity(dev, account):
    association = next(a for a in dev.of_type(ASSOCIATION) if a.inputs["serviceAccount"] == account)
    assert association.inputs["namespace"] == "kube-system"
    assert association.inputs["clusterName"] == dev.outputs["clusterName"]
    role = next(r for r in dev.of_type("aws:iam/role:Role") if r.outputs["arn"] == association.inputs["roleArn"])
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    rule = next(r for r in RULES if r.name == "iam-role-trust-names-its-principal")
    assert violations(rule, role.type, role.inputs, {}) == []


def test_pod_identity_needs_the_agent_and_the_autoscaler_waits_for_it(dev):
    agent = dev.one("aws:eks/addon:Addon", "eks-pod-identity-agent")
    association = next(a for a in dev.of_type(ASSOCIATION) if a.inputs["serviceAccount"] == "cluster-autoscaler")
    deployment = autoscaler(dev)
    assert association.urn in deployment.dependencies
    role_component = dev.one("eks-platform:index:ServiceAccountRole", "cluster-autoscaler-role")
    assert agent.urn in role_component.dependencies


def test_irsa_is_one_option_away(irsa):
    result = irsa
    assert result.of_type(ASSOCIATION) == []
    role = result.one("aws:iam/role:Role", "cluster-autoscaler-role")
    account = result.one("kubernetes:core/v1:ServiceAccount", "cluster-autoscaler-sa")
    assert account.inputs["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": role.outputs["arn"]}
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    issuer = result.outputs["oidcIssuerUrl"].removeprefix("https://")
    assert statement["Principal"] == {"Federated": result.outputs["oidcProviderArn"]}
    assert (
        statement["Condition"]["StringEquals"][f"{issuer}:sub"]
        == "system:serviceaccount:kube-system:cluster-autoscaler"
    )


def test_ebs_csi_driver_with_irsa_trusts_only_its_service_account(irsa):
    result = irsa
    addon = result.one("aws:eks/addon:Addon", "aws-ebs-csi-driver")
    role = result.one("aws:iam/role:Role", "ebs-csi-role")
    assert result.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation") == []
    assert addon.inputs["serviceAccountRoleArn"] == role.outputs["arn"]
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"]["Federated"] == result.outputs["oidcProviderArn"]
    issuer = result.outputs["oidcIssuerUrl"].removeprefix("https://")
    assert statement["Condition"]["StringEquals"] == {
        f"{issuer}:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        f"{issuer}:aud": "sts.amazonaws.com",
    }


def test_the_render_names_each_service_accounts_role(dev, irsa):
    from render.identities import service_account_roles

    rows = {r["serviceAccount"]: r for r in service_account_roles(dev)}
    assert set(rows) == {
        "kube-system/cluster-autoscaler",
        "kube-system/ebs-csi-controller-sa",
        "kube-system/aws-load-balancer-controller",
    }
    assert rows["kube-system/ebs-csi-controller-sa"]["role"] == "ebs-csi-role"
    assert rows["kube-system/ebs-csi-controller-sa"]["permissions"] == ["AmazonEBSCSIDriverPolicy"]
    assert {r["via"] for r in rows.values()} == {"EKS Pod Identity"}
    assert {(r["serviceAccount"], r["via"]) for r in service_account_roles(irsa)} == {
        ("kube-system/cluster-autoscaler", "IRSA (OIDC trust)"),
        ("kube-system/ebs-csi-controller-sa", "IRSA (OIDC trust)"),
    }


SCALE_FROM_ZERO = {
    "name": "batch",
    "minSize": 0,
    "maxSize": 4,
    "labels": {"example.com/pool": "batch"},
    "taints": [{"key": "example.com/batch", "value": "true", "effect": "NoSchedule"}],
}


@pytest.fixture(scope="module")
def two_groups():
    """(autoscaler on, autoscaler off), each with a general group and one that starts at zero."""
    groups = [{"name": "general"}, SCALE_FROM_ZERO]
    return run_config(config_with(nodeGroups=groups, autoscaling=ON)), run_config(config_with(nodeGroups=groups))


def test_a_group_that_starts_at_zero_shows_its_labels_and_taints_on_its_auto_scaling_group(two_groups):
    result, _ = two_groups
    batch = result.one(NODE_GROUP, "batch")
    asg = batch.outputs["resources"][0]["autoscalingGroups"][0]["name"]
    tags = {t.inputs["tag"]["key"]: t.inputs["tag"] for t in result.of_type(ASG_TAG)}
    # only the group that starts at zero: one with a node shows the autoscaler a real node
    assert {t.inputs["autoscalingGroupName"] for t in result.of_type(ASG_TAG)} == {asg}
    template = "k8s.io/cluster-autoscaler/node-template"
    assert tags[f"{template}/label/example.com/pool"]["value"] == "batch"
    assert tags[f"{template}/taint/example.com/batch"]["value"] == "true:NoSchedule"
    # EKS puts its own label on every node; the group's labels and taints are all that is added
    assert {k for k in tags if k.startswith(f"{template}/label/")} == {f"{template}/label/example.com/pool"}
    assert all(t["propagateAtLaunch"] is False for t in tags.values())


def test_without_the_autoscaler_no_group_is_tagged(two_groups):
    _, result = two_groups
    assert result.of_type(ASG_TAG) == []
    assert result.of_type("eks-platform:index:ClusterAutoscaler") == []


def test_with_the_autoscaler_pulumi_leaves_desired_size_alone(two_groups):
    on, off = two_groups
    for group in on.of_type(NODE_GROUP):
        assert group.options["ignoreChanges"] == ["scalingConfig.desiredSize"], group.name
    for group in off.of_type(NODE_GROUP):
        assert "ignoreChanges" not in group.options, group.name


def _placement(groups: list[dict]):
    settings = load_settings(config_with(nodeGroups=groups, autoscaling=ON), "eks-platform", "test", today=TODAY)
    mine = tuple(w for w in settings.warnings if w.startswith("eks-platform:autoscaling"))
    return settings.autoscaler, settings.placements["autoscaling"], mine


def test_it_prefers_an_untainted_on_demand_group():
    pod_, lands_on, warnings = _placement(
        [{"name": "spot", "capacityType": "SPOT"}, {"name": "general"}, {**SCALE_FROM_ZERO, "name": "tainted"}]
    )
    assert lands_on == ("general",) and pod_.tolerations == () and warnings == ()


def test_it_tolerates_the_taints_of_the_only_on_demand_groups():
    pod_, lands_on, _ = _placement([{"name": "spot", "capacityType": "SPOT"}, SCALE_FROM_ZERO])
    assert lands_on == ("batch",)
    assert [(t.key, t.value, t.effect) for t in pod_.tolerations] == [("example.com/batch", "true", "NoSchedule")]


def test_only_spot_capacity_is_a_warning_not_an_error():
    _, lands_on, warnings = _placement([{"name": "spot", "capacityType": "SPOT"}])
    assert lands_on == ("spot",)
    (warning,) = warnings
    assert warning.startswith("eks-platform:autoscaling: ") and "SPOT" in warning


def test_a_group_with_max_size_zero_hosts_nothing():
    # EKS refuses maxSize 0 (the settings do too); a library user's group can still have it
    from settings.scheduling import unmet

    settings = load_settings(config_with(autoscaling=ON), "eks-platform", "test", today=TODAY)
    (group,) = settings.node_groups
    assert unmet(settings.autoscaler, group) == []
    parked = group.model_copy(update={"min_size": 0, "max_size": 0, "desired_size": 0})
    assert unmet(settings.autoscaler, parked) == ["maxSize is 0: the group never has a node"]


def test_it_must_land_somewhere():
    # a single group, tainted and SPOT: nothing the autoscaler tolerates
    groups = [{**SCALE_FROM_ZERO, "capacityType": "SPOT"}]
    with pytest.raises(SettingsError) as caught:
        config = config_with(nodeGroups=groups, autoscaling=ON, addons=ADDONS_ANYWHERE)
        load_settings(config, "eks-platform", "test", today=TODAY)
    (problem,) = caught.value.problems
    assert problem.path == "eks-platform:autoscaling" and "can land on no node group" in problem.message
    assert "example.com/batch" in problem.message


# (rule, good, bad, path, fragment)
RULES_TABLE = [
    (
        "expander",
        {"expander": "priority"},
        {"expander": "cheapest"},
        "eks-platform:autoscaling.expander",
        "least-waste",
    ),
    (
        "scale-down time",
        {"scaleDownUnneededTime": "1h30m"},
        {"scaleDownUnneededTime": "ten minutes"},
        "eks-platform:autoscaling.scaleDownUnneededTime",
        '"10m"',
    ),
    (
        "utilization threshold above 0",
        {"scaleDownUtilizationThreshold": 0.1},
        {"scaleDownUtilizationThreshold": 0},
        "eks-platform:autoscaling.scaleDownUtilizationThreshold",
        "0 must be above 0",
    ),
    (
        "utilization threshold at most 1",
        {"scaleDownUtilizationThreshold": 1},
        {"scaleDownUtilizationThreshold": 1.5},
        "eks-platform:autoscaling.scaleDownUtilizationThreshold",
        "1.5 must be at most 1",
    ),
    (
        "enabled is a boolean",
        {"enabled": False},
        {"enabled": "sometimes"},
        "eks-platform:autoscaling.enabled",
        "sometimes",
    ),
    (
        "unknown key",
        {"balanceSimilarNodeGroups": True},
        {"balanceSimilarNodegroups": True},
        "eks-platform:autoscaling.balanceSimilarNodegroups",
        "did you mean 'balanceSimilarNodeGroups'",
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES_TABLE, ids=[r[0] for r in RULES_TABLE])
def test_autoscaling_config_rule(rule, good, bad, path, fragment):
    check_rule(rule, config_with(autoscaling=good), config_with(autoscaling=bad), path, fragment)


def test_settings_reach_the_command_line():
    config = {
        "enabled": True,
        "expander": "priority",
        "scaleDownUnneededTime": "1h30m",
        "scaleDownUtilizationThreshold": 0.25,
        "balanceSimilarNodeGroups": True,
    }
    found = flags(run_config(config_with(autoscaling=config)))
    assert (found["expander"], found["scale-down-unneeded-time"]) == ("priority", "1h30m")
    assert (found["scale-down-utilization-threshold"], found["balance-similar-node-groups"]) == ("0.25", "true")


def _stack_files() -> list[Path]:
    return sorted([*PROJECT_DIR.glob("Pulumi.*.yaml"), *(PROJECT_DIR / "tests" / "stacks").glob("Pulumi.*.yaml")])


@pytest.mark.parametrize("path", _stack_files(), ids=lambda p: p.name)
def test_every_stack_renders_with_the_autoscaler_off(path):
    stack = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
    config = load_stack_config(stack, path)
    values = {**config.values, "eks-platform:autoscaling": {"enabled": False}}
    result = run_program(StackConfig(config.project, stack, values, config.secret_keys))
    assert result.of_type("eks-platform:index:ClusterAutoscaler") == []
    assert result.of_type(NODE_GROUP)
