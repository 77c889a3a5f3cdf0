"""The load balancers the AWS Load Balancer Controller makes for a plan's Kubernetes objects, so the cost
estimate can price what `pulumi up` does not create itself but causes (kubernetes-sigs/aws-load-balancer-controller,
docs/guide/ingress/annotations.md and docs/guide/service/nlb.md):

- an Ingress of an IngressClass the controller claims gets an Application Load Balancer: one per Ingress, or one
  per `alb.ingress.kubernetes.io/group.name` for every Ingress that names that group (a group's name is
  cluster-wide, not per namespace);
- a Service of type LoadBalancer gets a Network Load Balancer from the controller (its `loadBalancerClass`
  `service.k8s.aws/nlb`, which the controller's webhook sets on new Services by default, or its
  `aws-load-balancer-type` annotation), or a Classic Load Balancer from the in-tree cloud provider.

Standard library only (the CrossGuard pack imports pricing/ in its own venv).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
SERVICE = "kubernetes:core/v1:Service"
INGRESS_ANNOTATIONS = "alb.ingress.kubernetes.io"
# IngressClass.spec.controller of the controller, and the class its Helm chart creates by default (values
# `ingressClass: alb`, `createIngressClassResource: true`): an Ingress of class `alb` is the controller's even
# when the plan does not hold the IngressClass (a chart's objects do not reach the plan).
ALB_CONTROLLER = "ingress.k8s.aws/alb"
ALB_CLASS = "alb"
LEGACY_CLASS = "kubernetes.io/ingress.class"  # the annotation the controller still honours
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
NLB_CLASS = "service.k8s.aws/nlb"
NLB_TYPES = ("external", "nlb-ip", "nlb")  # service.beta.kubernetes.io/aws-load-balancer-type values
DEFAULT_SCHEME = "internal"  # the controller's default scheme, for Ingresses and Services alike


@dataclass(frozen=True)
class LoadBalancer:
    key: str  # stable across renders: "alb:ingress:demo/web", "alb:group:shop", "service:demo/db"
    kind: str  # "ALB", "NLB", "Classic or NLB"
    made_for: str  # "Ingress demo/web", "Ingress group shop (demo/a, demo/b)", "Service demo/db"
    scheme: str | None = None  # an ALB's: internal or internet-facing


def _meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return props.get("metadata") or {}


def _annotations(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return _meta(props).get("annotations") or {}


def _name(props: Mapping[str, Any], fallback: str) -> str:
    meta = _meta(props)
    return f"{meta.get('namespace') or 'default'}/{meta.get('name') or fallback}"


def _alb_classes(classes: Iterable[Mapping[str, Any]]) -> tuple[set[str], str | None]:
    """The IngressClasses the controller claims, and the cluster's default IngressClass (if the plan has one)."""
    claimed, default = {ALB_CLASS}, None
    for props in classes:
        name = _meta(props).get("name")
        if (props.get("spec") or {}).get("controller") == ALB_CONTROLLER:
            claimed.add(name)
        if str(_annotations(props).get(DEFAULT_CLASS)).lower() == "true":
            default = name
    return claimed, default


def ingress_load_balancers(ingresses: Iterable[tuple[str, Mapping[str, Any]]], classes) -> list[LoadBalancer]:
    """One ALB per Ingress group (explicit `group.name`, else the Ingress alone), for the controller's Ingresses."""
    claimed, default = _alb_classes(classes)
    groups: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for fallback, props in ingresses:
        klass = (props.get("spec") or {}).get("ingressClassName") or _annotations(props).get(LEGACY_CLASS) or default
        if klass not in claimed:
            continue
        group = _annotations(props).get(f"{INGRESS_ANNOTATIONS}/group.name")
        key = f"alb:group:{group}" if group else f"alb:ingress:{_name(props, fallback)}"
        groups.setdefault(key, []).append((_name(props, fallback), props))
    found = []
    for key, members in sorted(groups.items()):
        members.sort(key=lambda m: m[0])
        names = [n for n, _ in members]
        made_for = (
            f"Ingress group {key.removeprefix('alb:group:')} ({', '.join(names)})"
            if key.startswith("alb:group:")
            else f"Ingress {names[0]}"
        )
        scheme = str(_annotations(members[0][1]).get(f"{INGRESS_ANNOTATIONS}/scheme") or DEFAULT_SCHEME)
        found.append(LoadBalancer(key, "ALB", made_for, scheme))
    return found


def service_load_balancers(services: Iterable[tuple[str, Mapping[str, Any]]]) -> list[LoadBalancer]:
    """One load balancer per Service of type LoadBalancer."""
    found = []
    for fallback, props in services:
        spec = props.get("spec") or {}
        if spec.get("type") != "LoadBalancer":
            continue
        annotations = _annotations(props)
        nlb = (
            spec.get("loadBalancerClass") == NLB_CLASS
            or annotations.get("service.beta.kubernetes.io/aws-load-balancer-type") in NLB_TYPES
        )
        name = _name(props, fallback)
        found.append(LoadBalancer(f"service:{name}", "NLB" if nlb else "Classic or NLB", f"Service {name}"))
    return sorted(found, key=lambda lb: lb.key)
