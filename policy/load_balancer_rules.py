"""The guardrail on load balancers the stack asks for: an internet-facing one only where the policy config allows
it. Registered in policy/rules.py's RULES on import.

An Ingress asks the AWS Load Balancer Controller for an ALB, a Service of type LoadBalancer for an NLB; both are
internal unless their scheme annotation says internet-facing (the controller's default: its docs/guide,
ingress annotation `alb.ingress.kubernetes.io/scheme`, service annotation
`service.beta.kubernetes.io/aws-load-balancer-scheme`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

if __package__:  # imported as policy.load_balancer_rules (tests, render)
    from .rules import rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import rule

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
SCHEME_ANNOTATIONS = {
    INGRESS: "alb.ingress.kubernetes.io/scheme",
    SERVICE: "service.beta.kubernetes.io/aws-load-balancer-scheme",
}
INTERNET_FACING = "internet-facing"


def _asks_for_load_balancer(type_: str, props: Mapping[str, Any]) -> bool:
    return type_ == INGRESS or ((props.get("spec") or {}).get("type") == "LoadBalancer")


@rule(
    "load-balancers-internal",
    "Ingresses and Services of type LoadBalancer make internal load balancers; an internet-facing one only for "
    "an object listed (namespace/name) under allowInternetFacing in the policy config.",
    "high",
    INGRESS,
    SERVICE,
    config_schema={"allowInternetFacing": {"type": "array", "items": {"type": "string"}, "default": []}},
)
def internal_load_balancers(type_, props, config):
    if not _asks_for_load_balancer(type_, props):
        return
    metadata = props.get("metadata") or {}
    annotations = metadata.get("annotations") or {}
    if annotations.get(SCHEME_ANNOTATIONS[type_]) != INTERNET_FACING:
        return
    name = f"{metadata.get('namespace') or 'default'}/{metadata.get('name')}"
    if name in (config.get("allowInternetFacing") or []):
        return
    kind = "Ingress" if type_ == INGRESS else "Service"
    yield (
        f"{kind} {name} asks for an internet-facing load balancer; make it internal, or list {name} under "
        f"allowInternetFacing in {config.get('configFile', 'the policy config')}"
    )
