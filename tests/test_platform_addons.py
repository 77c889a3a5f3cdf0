"""eks-platform:platformAddons: its validation rules both ways, its defaults (metrics-server and the AWS Load
Balancer Controller on, ExternalDNS and cert-manager off), what each stack runs, where the controllers land and
what capacity counts, and the order `pulumi up` creates them in (the controller's Service webhook)."""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings
from tests.conftest import MINIMAL, TODAY, check_rule, config_with, run_config

ZONE = "Z0123456789ABCDEFGHIJ"
OTHER_ZONE = "Z9876543210ZYXWVUTSRQ"
RELEASE = "kubernetes:helm.sh/v3:Release"
ADDON = "aws:eks/addon:Addon"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"


def addons(**sections) -> dict:
    return config_with(platformAddons=sections)


def dns(**fields) -> dict:
    return addons(externalDns={"enabled": True, "hostedZoneIds": [ZONE], **fields})


def cert(**fields) -> dict:
    return addons(certManager={"enabled": True, **fields})


# (rule, good config, bad config, key path of the problem, fragment of its message)
RULES = [
    ("an unknown key, named with its path", addons(metricsServer={"enabled": False}),
     addons(metricServer={"enabled": False}), "eks-platform:platformAddons.metricServer",
     "did you mean 'metricsServer'"),
    ("an unknown key inside an add-on", dns(policy="sync"), dns(polcy="sync"),
     "eks-platform:platformAddons.externalDns.polcy", "did you mean 'policy'"),
    ("a hosted zone id is Z and capitals", dns(), dns(hostedZoneIds=["z0123456789abcdefghij"]),
     "eks-platform:platformAddons.externalDns.hostedZoneIds[0]", "not a Route 53 hosted zone id"),
    ("a hosted zone id is the id, not the API's path", cert(hostedZoneIds=[ZONE]),
     cert(hostedZoneIds=[f"/hostedzone/{ZONE}"]), "eks-platform:platformAddons.certManager.hostedZoneIds[0]",
     f"give the id alone ({ZONE})"),
    ("a hosted zone id has at most 32 characters", dns(hostedZoneIds=["Z" + "A" * 31]),
     dns(hostedZoneIds=["Z" + "A" * 32]), "eks-platform:platformAddons.externalDns.hostedZoneIds[0]",
     "not a Route 53 hosted zone id"),
    ("ExternalDNS needs its zones", dns(), addons(externalDns={"enabled": True}),
     "eks-platform:platformAddons.externalDns.hostedZoneIds", "is empty, but externalDns is enabled"),
    ("a zone is listed once", dns(hostedZoneIds=[ZONE, OTHER_ZONE]), dns(hostedZoneIds=[ZONE, OTHER_ZONE, ZONE]),
     "eks-platform:platformAddons.externalDns.hostedZoneIds[2]", f'"{ZONE}" is listed 2 times'),
    ("the record policy", dns(policy="sync"), dns(policy="create-only"),
     "eks-platform:platformAddons.externalDns.policy", '"upsert-only", "sync"'),
    ("an EKS add-on version", addons(metricsServer={"version": "v0.7.2-eksbuild.1"}),
     addons(metricsServer={"version": "0.7.2"}), "eks-platform:platformAddons.metricsServer.version",
     "not an EKS add-on version"),
    ("cert-manager's role needs Pod Identity",
     {**cert(hostedZoneIds=[ZONE]), "eks-platform:cluster": {"serviceAccountRoles": "podIdentity"}},
     {**cert(hostedZoneIds=[ZONE]), "eks-platform:cluster": {"serviceAccountRoles": "irsa"}},
     "eks-platform:platformAddons.certManager.hostedZoneIds", "use cluster.serviceAccountRoles: podIdentity"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def test_cert_manager_without_zones_gets_no_role_whatever_the_identity_mode():
    config = {**cert(), "eks-platform:cluster": {"serviceAccountRoles": "irsa"}}
    settings = load_settings(config, "eks-platform", "test", today=TODAY)
    assert settings.platform_addons.cert_manager is not None and settings.platform_addons.cert_manager_zones == ()


def test_the_defaults_run_metrics_server_and_the_load_balancer_controller_only():
    config = {k: v for k, v in MINIMAL.items() if k != "eks-platform:platformAddons"}
    plan = load_settings(config, "eks-platform", "test", today=TODAY).platform_addons
    assert plan.metrics_server is not None and plan.metrics_server.version is None  # EKS's default version
    assert plan.load_balancer_controller is not None
    assert plan.external_dns is None and plan.cert_manager is None


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_dev_and_prod_run_metrics_server_and_the_controller(stack, request):
    result = request.getfixturevalue(stack)
    assert "metrics-server" in {a.inputs["addonName"] for a in result.of_type(ADDON)}
    (release,) = result.of_type(RELEASE)
    assert (release.inputs["chart"], release.inputs["namespace"]) == ("aws-load-balancer-controller", "kube-system")
    assert not [r for r in result.resources if r.type == "eks-platform:index:ExternalDns"]


def test_edge_runs_external_dns_and_cert_manager_for_its_zones(edge):
    releases = {r.inputs["chart"]: r for r in edge.of_type(RELEASE)}
    values = releases["external-dns"].inputs["values"]
    assert values["extraArgs"] == [f"--zone-id-filter={ZONE}"]
    assert values["txtOwnerId"] == "edge" and values["policy"] == "sync"
    assert values["provider"] == {"name": "aws"} and values["serviceAccount"]["name"] == "external-dns"
    associations = {(a.inputs["namespace"], a.inputs["serviceAccount"]) for a in edge.of_type(ASSOCIATION)}
    assert {("kube-system", "external-dns"), ("cert-manager", "cert-manager")} <= associations
    assert "cert-manager" in {a.inputs["addonName"] for a in edge.of_type(ADDON)}


def test_controllers_land_on_on_demand_nodes_and_count_in_capacity(prod):
    from render.placement import placement_review

    review = {w["workload"]: w for w in placement_review(prod)["workloads"]}
    controller = review["platformAddons.awsLoadBalancerController"]
    assert controller["pods"] == 2 and controller["landsOn"] == ["general"]
    assert controller["requests"] == {"cpuMillicores": 100, "memoryMiB": 128}
    general = next(c for c in placement_review(prod)["capacity"] if c["group"] == "general")
    assert {"workload": "platformAddons.awsLoadBalancerController", "pods": 2} in general["onlyHere"]
    values = prod.one(RELEASE, "aws-load-balancer-controller").inputs["values"]
    assert values["nodeSelector"] == {"eks.amazonaws.com/capacityType": "ON_DEMAND"}
    assert values["resources"]["requests"] == {"cpu": "100m", "memory": "128Mi"}
    assert values["replicaCount"] == 2 and values["podDisruptionBudget"] == {"maxUnavailable": 1}
    assert values["priorityClassName"] == "system-cluster-critical"


def test_with_only_tainted_on_demand_groups_the_controller_tolerates_their_taints():
    taint = {"key": "dedicated", "value": "system", "effect": "NoSchedule"}
    config = {
        **config_with(
            nodeGroups=[{"name": "system", "taints": [taint]}],
            platformAddons={"metricsServer": {"configurationValues": {"tolerations": [{"operator": "Exists"}]}}},
            addons={
                "coredns": {"configurationValues": {"tolerations": [{"operator": "Exists"}]}},
                "aws-ebs-csi-driver": {
                    "configurationValues": {"controller": {"tolerations": [{"operator": "Exists"}]}}
                },
            },
        )
    }
    pod = load_settings(config, "eks-platform", "test", today=TODAY).platform_addons.load_balancer_controller
    assert [(t.key, t.value, t.effect) for t in pod.tolerations] == [("dedicated", "system", "NoSchedule")]


def test_metrics_server_must_land_somewhere():
    taint = {"key": "dedicated", "value": "system", "effect": "NoSchedule"}
    config = config_with(nodeGroups=[{"name": "system", "taints": [taint]}], platformAddons={})
    with pytest.raises(SettingsError) as caught:
        load_settings(config, "eks-platform", "test", today=TODAY)
    assert any(p.path == "eks-platform:platformAddons.metricsServer" for p in caught.value.problems)


def test_services_wait_for_the_controllers_webhook_and_service_makers_come_first(dev, edge):
    release = dev.one(RELEASE, "aws-load-balancer-controller")
    before = {r.name for r in dev.resources if r.urn in release.dependencies and r.type == ADDON}
    # the EKS add-ons that create Services are created before the webhook that admits every new Service exists
    assert {"coredns", "metrics-server", "aws-ebs-csi-driver", "eks-pod-identity-agent"} <= before
    service = dev.one("kubernetes:core/v1:Service", "samples-deployment-svc")
    assert release.urn in service.dependencies
    dns_release = edge.one(RELEASE, "external-dns")
    assert edge.one(RELEASE, "aws-load-balancer-controller").urn in dns_release.dependencies
    assert edge.one(ADDON, "cert-manager").urn in edge.one(RELEASE, "aws-load-balancer-controller").dependencies


def test_switched_off_nothing_of_them_is_created():
    result = run_config(config_with(platformAddons={"metricsServer": {"enabled": False},
                                                    "awsLoadBalancerController": {"enabled": False}}))  # fmt: skip
    assert not result.of_type(RELEASE)
    assert "metrics-server" not in {a.inputs["addonName"] for a in result.of_type(ADDON)}
    assert not result.of_type("kubernetes:networking.k8s.io/v1:IngressClass")


def test_with_irsa_the_controllers_service_accounts_name_their_roles():
    result = run_config(
        config_with(cluster={"serviceAccountRoles": "irsa"}, platformAddons={
            "metricsServer": {"enabled": False}, "externalDns": {"enabled": True, "hostedZoneIds": [ZONE]}})
    )  # fmt: skip
    assert not result.of_type(ASSOCIATION)
    account = result.one("kubernetes:core/v1:ServiceAccount", "aws-load-balancer-controller-sa")
    role = result.one("aws:iam/role:Role", "aws-load-balancer-controller-role")
    assert account.inputs["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": role.outputs["arn"]}
    values = result.one(RELEASE, "external-dns").inputs["values"]
    dns_role = result.one("aws:iam/role:Role", "external-dns-role")
    assert values["serviceAccount"]["annotations"] == {"eks.amazonaws.com/role-arn": dns_role.outputs["arn"]}
