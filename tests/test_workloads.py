"""The sample workloads under the runner: each kind with its scheduling, security and storage."""

from __future__ import annotations

import json

import pytest

from eks_platform.runner.engine import ProgramError, Secret, reveal, run_program
from eks_platform.runner.stack_config import StackConfig, stack_config_from_dict
from tests.conftest import config_with, run_config

POD = "kubernetes:core/v1:Pod"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
DAEMONSET = "kubernetes:apps/v1:DaemonSet"
STATEFULSET = "kubernetes:apps/v1:StatefulSet"
JOB = "kubernetes:batch/v1:Job"
CRONJOB = "kubernetes:batch/v1:CronJob"
SERVICE = "kubernetes:core/v1:Service"
NAMESPACE = "kubernetes:core/v1:Namespace"
POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
KINDS = (POD, DEPLOYMENT, DAEMONSET, STATEFULSET, JOB, CRONJOB)


def samples(result, kind: str) -> list:
    """The sample workloads' objects of a kind (the platform's own cluster autoscaler is a Deployment too)."""
    return [r for r in result.of_type(kind) if "eks-platform:index:Sample" in r.urn]


def sample(result, kind: str):
    (found,) = samples(result, kind)
    return found


def pod_spec(resource) -> dict:
    spec = resource.inputs["spec"]
    if resource.type == POD:
        return spec
    if resource.type == CRONJOB:
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return spec["template"]["spec"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_each_kind_is_registered_once(stack, request):
    result = request.getfixturevalue(stack)
    for kind in KINDS:
        assert len(samples(result, kind)) == 1, kind


@pytest.mark.parametrize("kind", [k for k in KINDS if k != DAEMONSET])
def test_restricted_baseline(dev, kind):
    resource = sample(dev, kind)
    spec = pod_spec(resource)
    assert resource.inputs["metadata"]["namespace"] == "demo"
    assert spec["automountServiceAccountToken"] is False
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert spec["securityContext"]["runAsUser"] >= 10000
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context["readOnlyRootFilesystem"] is True
        assert set(container["resources"]) == {"requests", "limits"}
        assert ":latest" not in container["image"] and ":" in container["image"]
    account = next(
        r
        for r in dev.of_type("kubernetes:core/v1:ServiceAccount")
        if r.inputs["metadata"]["name"] == spec["serviceAccountName"]
    )
    assert account.inputs["automountServiceAccountToken"] is False


def test_namespaces_enforce_their_pod_security_level(dev):
    labels = {r.inputs["metadata"]["name"]: r.inputs["metadata"] for r in dev.of_type(NAMESPACE)}
    assert labels["demo"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    agents = labels["demo-node-agents"]
    assert agents["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    assert "hostPath" in agents["annotations"]["eks-platform/pod-security-exception"]


def test_pod_is_the_notes_nginx_placed_by_node_selector(dev):
    pod = sample(dev, POD)
    assert pod.inputs["metadata"]["name"] == "nginx"
    assert pod.inputs["metadata"]["labels"]["app"] == "nginx"
    spec = pod_spec(pod)
    assert spec["nodeSelector"] == {"platform.example.com/pool": "general"}
    assert spec["containers"][0]["image"].startswith("nginxinc/nginx-unprivileged:")


def test_deployment_spreads_over_zones_and_hosts_behind_a_service_and_pdb(dev):
    deployment = sample(dev, DEPLOYMENT)
    spec = pod_spec(deployment)
    selector = deployment.inputs["spec"]["selector"]["matchLabels"]
    spreads = {c["topologyKey"]: c for c in spec["topologySpreadConstraints"]}
    assert set(spreads) == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    assert all(c["labelSelector"]["matchLabels"] == selector for c in spreads.values())
    affinity = spec["affinity"]["nodeAffinity"]
    assert affinity["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchExpressions"] == [
        {"key": "platform.example.com/pool", "operator": "In", "values": ["general"]}
    ]
    assert affinity["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] == 50
    container = spec["containers"][0]
    assert container["readinessProbe"]["httpGet"]["port"] == 8080 and "livenessProbe" in container
    service = next(s for s in dev.of_type(SERVICE) if s.inputs["metadata"]["name"] == "web")
    assert service.inputs["spec"]["selector"] == selector
    pdb = sample(dev, "kubernetes:policy/v1:PodDisruptionBudget")
    assert pdb.inputs["spec"]["selector"]["matchLabels"] == selector


def test_daemonset_tolerates_every_taint_and_reads_host_logs_read_only(prod):
    daemonset = sample(prod, DAEMONSET)
    assert daemonset.inputs["metadata"]["namespace"] == "demo-node-agents"
    spec = pod_spec(daemonset)
    assert spec["tolerations"] == [{"operator": "Exists"}]
    (host,) = [v for v in spec["volumes"] if "hostPath" in v]
    assert host["hostPath"]["path"] == "/var/log"
    mount = next(m for m in spec["containers"][0]["volumeMounts"] if m["name"] == host["name"])
    assert mount["readOnly"] is True
    context = spec["containers"][0]["securityContext"]
    assert context["capabilities"] == {"drop": ["ALL"]} and context["readOnlyRootFilesystem"] is True


def test_statefulset_keeps_its_data_on_encrypted_gp3(prod):
    statefulset = sample(prod, STATEFULSET)
    spec = statefulset.inputs["spec"]
    headless = next(s for s in prod.of_type(SERVICE) if s.inputs["spec"].get("clusterIP") == "None")
    assert spec["serviceName"] == headless.inputs["metadata"]["name"]
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    (claim,) = spec["volumeClaimTemplates"]
    storage_class = prod.one("kubernetes:storage.k8s.io/v1:StorageClass")
    assert claim["spec"]["storageClassName"] == storage_class.inputs["metadata"]["name"]
    assert claim["spec"]["resources"]["requests"]["storage"] == "10Gi"
    sc = storage_class.inputs
    assert (sc["provisioner"], sc["volumeBindingMode"], sc["reclaimPolicy"]) == (
        "ebs.csi.aws.com",
        "WaitForFirstConsumer",
        "Retain",
    )
    assert sc["parameters"]["type"] == "gp3" and sc["parameters"]["encrypted"] == "true"


def test_dev_storage_class_deletes_volumes_with_their_claims(dev):
    assert dev.one("kubernetes:storage.k8s.io/v1:StorageClass").inputs["reclaimPolicy"] == "Delete"


def test_prod_database_lands_on_the_tainted_pool(prod):
    spec = pod_spec(sample(prod, STATEFULSET))
    assert spec["nodeSelector"] == {"platform.example.com/pool": "system"}
    assert spec["tolerations"] == [
        {"key": "platform.example.com/dedicated", "operator": "Equal", "value": "system", "effect": "NoSchedule"}
    ]


def test_ebs_csi_driver_runs_with_a_pod_identity_role_for_its_service_account(dev):
    addon = dev.one("aws:eks/addon:Addon", "aws-ebs-csi-driver")
    role = dev.one("aws:iam/role:Role", "ebs-csi-role")
    association = dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "ebs-csi-role-association")
    assert association.inputs["roleArn"] == role.outputs["arn"]
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == (
        "kube-system",
        "ebs-csi-controller-sa",
    )
    assert association.inputs["clusterName"] == dev.outputs["clusterName"]
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert sorted(statement["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    # the first version's attachment stays (deleting it would detach the policy the role still needs)
    attachment = dev.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ebs-csi-policy")
    assert attachment.inputs["role"] == role.outputs["name"]
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    # the add-on names no role (that is IRSA's way) and starts only once the association exists
    assert "serviceAccountRoleArn" not in addon.inputs
    assert association.urn in addon.dependencies


def test_database_password_is_generated_and_secret(dev):
    secret = dev.one("kubernetes:core/v1:Secret")
    assert isinstance(secret.inputs["stringData"], Secret)
    generated = dev.one("random:index/randomPassword:RandomPassword")
    assert reveal(secret.inputs["stringData"])["password"] == reveal(generated.outputs["result"])
    env = {e["name"]: e for e in pod_spec(sample(dev, STATEFULSET))["containers"][0]["env"]}
    assert "POSTGRES_PASSWORD" not in env and env["POSTGRES_PASSWORD_FILE"]["value"].startswith("/run/secrets/")


def test_database_password_from_secure_config():
    workloads = {"enabled": True, "statefulSet": {"password": "s3cret-from-config"}}
    config = config_with(workloads=workloads)
    base = stack_config_from_dict("test", config)
    result = run_program(StackConfig(base.project, "test", base.values, frozenset({"eks-platform:workloads"})))
    assert result.of_type("random:index/randomPassword:RandomPassword") == []
    assert reveal(result.one("kubernetes:core/v1:Secret").inputs["stringData"])["password"] == "s3cret-from-config"


def test_plain_text_password_is_refused_without_echoing_it():
    with pytest.raises(ProgramError) as caught:
        run_config(config_with(workloads={"enabled": True, "statefulSet": {"password": "hunter2"}}))
    assert caught.value.user_error and caught.value.resources == []
    assert "eks-platform:workloads.statefulSet.password: is plain text" in caught.value.message
    assert "hunter2" not in caught.value.message


def test_jobs_bound_their_runs(dev):
    job = sample(dev, JOB).inputs["spec"]
    assert (job["backoffLimit"], job["activeDeadlineSeconds"], job["ttlSecondsAfterFinished"]) == (2, 600, 3600)
    assert job["template"]["spec"]["restartPolicy"] == "Never"
    cron = sample(dev, CRONJOB).inputs["spec"]
    assert (cron["schedule"], cron["concurrencyPolicy"]) == ("0 3 * * *", "Forbid")
    assert (cron["successfulJobsHistoryLimit"], cron["failedJobsHistoryLimit"]) == (3, 1)


def test_default_deny_with_the_allows_the_samples_need(dev):
    policies = {
        (p.inputs["metadata"]["namespace"], p.inputs["metadata"]["name"]): p.inputs["spec"] for p in dev.of_type(POLICY)
    }
    assert policies[("demo", "default-deny")] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert ("demo-node-agents", "default-deny") in policies
    assert policies[("demo", "allow-db-from-clients")]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 5432}]
    job_labels = sample(dev, JOB).inputs["spec"]["template"]["metadata"]["labels"]
    assert job_labels["eks-platform/db-client"] == "true"


def test_network_policies_are_enforced_by_the_vpc_cni(dev):
    configuration = json.loads(dev.one("aws:eks/addon:Addon", "vpc-cni").inputs["configurationValues"])
    assert configuration["enableNetworkPolicy"] == "true"  # a string in the add-on's schema


def test_workloads_wait_for_the_node_groups_they_land_on(prod):
    groups = {r.name: r.urn for r in prod.of_type("aws:eks/nodeGroup:NodeGroup")}
    expected = {
        POD: {"general"},
        DEPLOYMENT: {"general"},
        DAEMONSET: {"general", "system"},
        STATEFULSET: {"system"},
        JOB: {"system"},
        CRONJOB: {"system"},
    }
    for kind, landing in expected.items():
        waits_for = {name for name, urn in groups.items() if urn in sample(prod, kind).dependencies}
        assert waits_for == landing, kind
    # objects without pods do not wait for nodes
    service = next(s for s in prod.of_type(SERVICE) if s.inputs["metadata"]["name"] == "web")
    assert not set(groups.values()) & set(service.dependencies)


def test_workloads_are_off_unless_enabled():
    result = run_config(config_with())
    assert not [r for r in result.resources if r.type in KINDS]
    assert result.of_type("eks-platform:index:SampleWorkloads") == []


def test_a_kind_can_be_switched_off():
    result = run_config(
        config_with(workloads={"enabled": True, "pod": {"enabled": False}, "cronJob": {"enabled": False}})
    )
    assert samples(result, POD) == [] and samples(result, CRONJOB) == []
    assert len(samples(result, DEPLOYMENT)) == 1
