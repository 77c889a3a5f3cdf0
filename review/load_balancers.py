"""What a change does to the load balancers the stack's Ingresses and Services of type LoadBalancer ask for.

Pulumi sees the Kubernetes object; the load balancer is the AWS Load Balancer Controller's, made and deleted by
it (kubernetes-sigs/aws-load-balancer-controller docs/guide). So a change that looks small on the object can
replace the load balancer behind it, and its DNS name — the name clients, DNS records and ExternalDNS point at:

- the object deleted, or re-created (Pulumi replaces it): the controller deletes its load balancer; a new one
  gets a new DNS name;
- its scheme changed (internal ↔ internet-facing): ELB cannot change a load balancer's scheme (CreateLoadBalancer
  sets it, ModifyLoadBalancerAttributes does not), so the controller deletes it and creates another;
- an Ingress moved to another class, group (`group.name`) or `load-balancer-name`: it leaves its load balancer
  for another one (a new one, unless the group already has it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pricing.load_balancers import DEFAULT_SCHEME, INGRESS, INGRESS_ANNOTATIONS, SERVICE

from .changes import ResourceChange
from .dangers import Danger

SCHEME = {
    INGRESS: f"{INGRESS_ANNOTATIONS}/scheme",
    SERVICE: "service.beta.kubernetes.io/aws-load-balancer-scheme",
}
PUBLIC = ", now reachable from the internet"
NEW_NAME = "clients and DNS records that use its DNS name break until they follow the new one"


def _inputs(entry: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (entry or {}).get("inputs") or {}


def _makes_load_balancer(type_: str, inputs: Mapping[str, Any]) -> bool:
    return type_ == INGRESS or (type_ == SERVICE and (inputs.get("spec") or {}).get("type") == "LoadBalancer")


def _annotations(inputs: Mapping[str, Any]) -> Mapping[str, Any]:
    return (inputs.get("metadata") or {}).get("annotations") or {}


def _subject(change: ResourceChange) -> str:
    meta = _inputs(change.entry).get("metadata") or {}
    kind = "Ingress" if change.type == INGRESS else "Service"
    return f"{kind} {meta.get('namespace', 'default')}/{meta.get('name', change.name)}"


def _moved(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """What puts an Ingress on another load balancer: its class, its group, its load balancer's name."""
    fields = {
        "ingressClassName": lambda i: (i.get("spec") or {}).get("ingressClassName"),
        "group.name": lambda i: _annotations(i).get(f"{INGRESS_ANNOTATIONS}/group.name"),
        "load-balancer-name": lambda i: _annotations(i).get(f"{INGRESS_ANNOTATIONS}/load-balancer-name"),
    }
    changed = [(name, read(before), read(after)) for name, read in fields.items()]
    return [f"{name} {old!r} → {new!r}" for name, old, new in changed if old != new]


def load_balancer_dangers(changes: list[ResourceChange]) -> list[Danger]:
    found = []
    for c in changes:
        before, after = _inputs(c.base), _inputs(c.head)
        if not (_makes_load_balancer(c.type, before) or _makes_load_balancer(c.type, after)):
            continue
        if c.action in ("delete", "replace") and _makes_load_balancer(c.type, before):
            consequence = "its controller deletes the load balancer with the object"
            if c.action == "replace":
                consequence += "; the new object gets a new one, with a new DNS name"
            found.append(
                Danger(
                    f"load balancer {'deleted' if c.action == 'delete' else 're-created'}",
                    _subject(c),
                    f"{consequence}: {NEW_NAME}",
                )
            )
            continue
        if c.action != "update" or not _makes_load_balancer(c.type, before):
            continue
        key = SCHEME[c.type]
        old, new = (str(_annotations(i).get(key) or DEFAULT_SCHEME) for i in (before, after))
        if old != new:
            found.append(
                Danger(
                    "load balancer scheme changed",
                    f"{_subject(c)} ({old} → {new})",
                    "a load balancer's scheme cannot change: its controller deletes it and creates another "
                    f"(unreachable meanwhile){PUBLIC if new == 'internet-facing' else ''}; {NEW_NAME}",
                )
            )
        if c.type == INGRESS and (moved := _moved(before, after)):
            found.append(
                Danger(
                    "Ingress moved to another load balancer",
                    f"{_subject(c)} ({'; '.join(moved)})",
                    f"it leaves its load balancer for another (a new one unless the group has it): {NEW_NAME}",
                )
            )
    return found
