"""The sample Deployment behind an ALB (eks-platform:workloads.ingress): the Ingress the AWS Load Balancer
Controller reads (scheme, listener, target type ip), the NetworkPolicy that lets the load balancer's traffic
through the default deny, the rules that keep it from waiting for a load balancer nothing makes, the reviews
that show it, and the guardrail on internet-facing load balancers."""

from __future__ import annotations

import copy
import json

import pytest

from eks_platform.components.workloads import IngressSpec
from eks_platform.runner.engine import Resource, RunResult, run_program
from eks_platform.runner.stack_config import load_stack_config, stack_config_from_dict
from render.access import access_review, access_text
from render.exposure import exposure_review
from render.placement import placement_review, placement_text
from render.policy import evaluate, policy_config
from tests.conftest import check_rule, config_with, run_config

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
SUBNET = "aws:ec2/subnet:Subnet"
ONLY_WEB = {key: {"enabled": False} for key in ("pod", "daemonSet", "statefulSet", "job", "cronJob")}
CONTROLLER_ON = {"metricsServer": {"enabled": False}}


def web(ingress: dict, platform: dict | None = None, **more) -> dict:
    return config_with(
        workloads={"enabled": True, **ONLY_WEB, "ingress": {"enabled": True, **ingress}},
        platformAddons=platform if platform is not None else CONTROLLER_ON,
        **more,
    )


def subnet_cidrs(result, role: str) -> list[str]:
    """The ranges of the subnets that carry the role tag, sorted (resources register in any order)."""
    return sorted(s.inputs["cidrBlock"] for s in result.of_type(SUBNET) if s.inputs["tags"].get(role) == "1")


def load_balancer_sources(result) -> list[str]:
    policy = result.one(POLICY, "samples-network-demo-allow-web-from-load-balancer").inputs["spec"]
    (rule,) = policy["ingress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 8080}]  # the nginx container's port, not the Service's
    assert policy["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "web"
    return [source["ipBlock"]["cidr"] for source in rule["from"]]


def test_dev_exposes_its_web_deployment_through_an_internal_alb(dev):
    ingress = dev.one(INGRESS, "samples-deployment-ingress").inputs
    assert ingress["metadata"]["annotations"] == {
        "alb.ingress.kubernetes.io/scheme": "internal",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]',
    }
    assert (
        ingress["spec"]["ingressClassName"]
        == dev.one("kubernetes:networking.k8s.io/v1:IngressClass", "aws-load-balancer-controller-ingress-class").inputs[
            "metadata"
        ]["name"]
    )
    (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
    assert path["backend"] == {"service": {"name": "web", "port": {"name": "http"}}}
    # an internal ALB lives in the private subnets (their kubernetes.io/role/internal-elb tag)
    assert sorted(load_balancer_sources(dev)) == subnet_cidrs(dev, "kubernetes.io/role/internal-elb")
    dependencies = set(dev.one(INGRESS, "samples-deployment-ingress").dependencies)
    assert dev.one("kubernetes:core/v1:Service", "samples-deployment-svc").urn in dependencies
    assert dev.one("kubernetes:helm.sh/v3:Release", "aws-load-balancer-controller").urn in dependencies


def test_an_internet_facing_alb_on_its_own_port_comes_from_the_public_subnets():
    result = run_config(web({"scheme": "internet-facing", "port": 8443}))
    annotations = result.one(INGRESS, "samples-deployment-ingress").inputs["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
    assert json.loads(annotations["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTP": 8443}]
    assert sorted(load_balancer_sources(result)) == subnet_cidrs(result, "kubernetes.io/role/elb")


def test_in_an_existing_vpc_the_load_balancers_traffic_comes_from_the_vpcs_range():
    network = {"vpcId": "vpc-0123456789abcdef0", "privateSubnetIds": ["subnet-0aaaaaaa1", "subnet-0aaaaaaa2"]}
    result = run_config(web({}, network=network))
    (lookup,) = [i for i in result.invokes if i.token == "aws:ec2/getVpc:getVpc"]
    assert lookup.args["id"] == "vpc-0123456789abcdef0"
    assert load_balancer_sources(result) == ["<IPv4 range of vpc-0123456789abcdef0, looked up at preview>"]


def test_without_an_ingress_nothing_is_exposed():
    result = run_config(config_with(workloads={"enabled": True, **ONLY_WEB}, platformAddons=CONTROLLER_ON))
    assert not result.of_type(INGRESS)
    assert not [p for p in result.of_type(POLICY) if "load-balancer" in p.name]
    assert access_review(result)["exposure"] == []


OFF = {"enabled": False}
NO_PUBLIC = {"vpcId": "vpc-0123456789abcdef0", "privateSubnetIds": ["subnet-0aaaaaaa1", "subnet-0aaaaaaa2"]}
# (rule, good, bad, path, fragment)
RULES = [
    ("the controller makes the load balancer", web({}), web({}, platform={"awsLoadBalancerController": OFF}),
     "eks-platform:workloads.ingress.enabled", "platformAddons.awsLoadBalancerController.enabled is false"),
    ("the samples are on", web({}),
     config_with(workloads={"ingress": {"enabled": True}}, platformAddons=CONTROLLER_ON),
     "eks-platform:workloads.ingress.enabled", "workloads.enabled is false"),
    ("the deployment is on", web({}),
     config_with(workloads={"enabled": True, **ONLY_WEB, "deployment": OFF, "ingress": {"enabled": True}},
                 platformAddons=CONTROLLER_ON),
     "eks-platform:workloads.ingress.enabled", "workloads.deployment.enabled is false"),
    ("the scheme", web({"scheme": "internet-facing"}), web({"scheme": "public"}),
     "eks-platform:workloads.ingress.scheme", '"internal", "internet-facing"'),
    ("the listener port", web({"port": 65535}), web({"port": 0}), "eks-platform:workloads.ingress.port",
     "must be at least 1"),
    ("internet-facing needs public subnets", web({"scheme": "internal"}, network=NO_PUBLIC),
     web({"scheme": "internet-facing"}, network=NO_PUBLIC), "eks-platform:workloads.ingress.scheme",
     "needs public subnets (network.publicSubnetIds)"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def test_the_access_and_placement_reviews_show_it(dev):
    (row,) = access_review(dev)["exposure"]
    assert row["object"] == "Ingress demo/web" and row["scheme"] == "internal" and row["listeners"] == "HTTP:80"
    assert "target type ip" in row["to"]
    assert "Ingress demo/web: internal ALB of class alb, reachable from the VPC" in access_text(access_review(dev))
    review = placement_review(dev)
    (deployment,) = [w for w in review["workloads"] if w["workload"] == "deployment"]
    assert deployment["exposedBy"].startswith("Ingress demo/web: internal ALB, HTTP 80")
    assert "        reached through Ingress demo/web" in placement_text(review)


def _prod_with(scheme: str):
    values = copy.deepcopy(load_stack_config("prod").values)
    values["eks-platform:workloads"]["ingress"]["scheme"] = scheme
    return run_program(stack_config_from_dict("prod", values))


def test_prod_refuses_an_internet_facing_alb_unless_its_policy_config_allows_it():
    result = _prod_with("internet-facing")
    found = [v for v in evaluate(result, policy_config("prod")) if v["policy"] == "load-balancers-internal"]
    assert [(v["enforcement"], v["resource"]) for v in found] == [
        ("mandatory", f"{INGRESS}::samples-deployment-ingress")
    ]
    assert "allowInternetFacing in policy/config/prod.json" in found[0]["message"]
    allowed = {**policy_config("prod"), "load-balancers-internal": {"allowInternetFacing": ["demo/web"]}}
    assert [v for v in evaluate(result, allowed) if v["policy"] == "load-balancers-internal"] == []


def test_the_component_checks_its_own_arguments():
    with pytest.raises(ValueError, match=r"IngressSpec\.scheme"):
        IngressSpec(scheme="public", source_cidrs=["10.0.0.0/16"])
    with pytest.raises(ValueError, match=r"IngressSpec\.source_cidrs"):
        IngressSpec()


def _object(name: str, type_: str, annotations: dict, spec: dict) -> Resource:
    inputs = {"metadata": {"name": name, "namespace": "shop", "annotations": annotations}, "spec": spec}
    return Resource(f"urn:{name}", type_, name, True, None, None, [], inputs, {})


def test_the_exposure_review_applies_the_controllers_defaults():
    """No scheme annotation: internal; no listen-ports: HTTP 80; no target type: instance (the controller's own
    defaults). A Service of type LoadBalancer counts; a ClusterIP Service exposes nothing."""
    public = {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"}
    result = RunResult("p", "s", [
        _object("api", INGRESS, {}, {"ingressClassName": "alb"}),
        _object("nlb", "kubernetes:core/v1:Service", public, {"type": "LoadBalancer", "ports": [{"port": 443}]}),
        _object("inside", "kubernetes:core/v1:Service", public, {"type": "ClusterIP"}),
    ], {}, [], [])  # fmt: skip
    rows = {row["object"]: row for row in exposure_review(result)}
    assert set(rows) == {"Ingress shop/api", "Service shop/nlb"}
    ingress, service = rows["Ingress shop/api"], rows["Service shop/nlb"]
    assert (ingress["scheme"], ingress["listeners"], ingress["to"]) == (
        "internal",
        "HTTP:80",
        "no backend, target type instance",
    )
    assert (service["scheme"], service["listeners"]) == ("internet-facing", "443")
