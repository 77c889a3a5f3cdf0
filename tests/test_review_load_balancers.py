"""The review's load balancer dangers (review/load_balancers.py), one row per case: what replaces or deletes the
load balancer behind an Ingress or a Service of type LoadBalancer, and what does not."""

from __future__ import annotations

import copy

import pytest

from review.changes import diff_plans
from review.load_balancers import load_balancer_dangers
from review.report import build_review

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
SCHEME = "alb.ingress.kubernetes.io/scheme"


def ingress(annotations: dict | None = None, name: str = "web", class_name: str = "alb", labels=None) -> dict:
    meta = {"name": name, "namespace": "demo", "annotations": annotations or {}, "labels": labels or {}}
    return {
        "type": INGRESS,
        "name": "samples-deployment-ingress",
        "urn": "urn:pulumi:dev::eks-platform::kubernetes:networking.k8s.io/v1:Ingress::samples-deployment-ingress",
        "inputs": {"metadata": meta, "spec": {"ingressClassName": class_name}},
        "options": {},
    }


def service(kind: str = "LoadBalancer", annotations: dict | None = None) -> dict:
    return {
        "type": SERVICE,
        "name": "svc",
        "urn": "urn:pulumi:dev::eks-platform::kubernetes:core/v1:Service::svc",
        "inputs": {"metadata": {"name": "api", "namespace": "demo", "annotations": annotations or {}},
                   "spec": {"type": kind}},
        "options": {},
    }  # fmt: skip


def plan(*entries: dict) -> dict:
    return {"resources": [copy.deepcopy(e) for e in entries]}


INTERNAL, PUBLIC = {SCHEME: "internal"}, {SCHEME: "internet-facing"}
# (case, base plan, head plan, the dangers' kinds, a fragment of the first one's text)
CASES = [
    ("an Ingress deleted", plan(ingress()), plan(), ["load balancer deleted"], "Ingress demo/web"),
    ("an Ingress renamed is re-created", plan(ingress()), plan(ingress(name="www")), ["load balancer re-created"],
     "a new one, with a new DNS name"),
    ("the scheme made internet-facing", plan(ingress(INTERNAL)), plan(ingress(PUBLIC)),
     ["load balancer scheme changed"], "now reachable from the internet"),
    ("the scheme made internal", plan(ingress(PUBLIC)), plan(ingress(INTERNAL)), ["load balancer scheme changed"],
     "(internet-facing → internal)"),
    ("no scheme is internal: writing it out changes nothing", plan(ingress()), plan(ingress(INTERNAL)), [], ""),
    ("another IngressClass", plan(ingress()), plan(ingress(class_name="nginx")),
     ["Ingress moved to another load balancer"], "ingressClassName 'alb' → 'nginx'"),
    ("joining a group", plan(ingress()), plan(ingress({"alb.ingress.kubernetes.io/group.name": "shared"})),
     ["Ingress moved to another load balancer"], "group.name None → 'shared'"),
    ("a label changes nothing", plan(ingress()), plan(ingress(labels={"team": "a"})), [], ""),
    ("a LoadBalancer Service deleted", plan(service()), plan(), ["load balancer deleted"], "Service demo/api"),
    ("a ClusterIP Service deleted makes no load balancer", plan(service("ClusterIP")), plan(), [], ""),
    ("a Service's scheme", plan(service()),
     plan(service(annotations={"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"})),
     ["load balancer scheme changed"], "internal → internet-facing"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "base", "head", "kinds", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_load_balancer_dangers(case, base, head, kinds, fragment):
    found = load_balancer_dangers(diff_plans(base, head))
    assert [d.kind for d in found] == kinds, case
    if kinds:
        assert fragment in f"{found[0].subject} {found[0].consequence}", str(found[0])


def test_the_review_of_a_change_reports_them():
    review = build_review("dev", plan(ingress(INTERNAL)), plan(ingress(PUBLIC)), "main")
    assert [d.kind for d in review.dangers] == ["load balancer scheme changed"]
