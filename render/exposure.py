"""What the stack exposes through load balancers: each Ingress (an ALB of the AWS Load Balancer Controller) and
Service of type LoadBalancer, with the scheme that says who can reach it. Part of the access review: who can
reach the cluster's API, and who can reach what runs in it.

Defaults as the controller applies them (kubernetes-sigs/aws-load-balancer-controller docs/guide: ingress
annotation `alb.ingress.kubernetes.io/scheme` and service annotation `service.beta.kubernetes.io/
aws-load-balancer-scheme` both default to internal; an Ingress listens on HTTP 80 unless `listen-ports` says
otherwise; target type `instance` unless `target-type` says ip).
"""

from __future__ import annotations

import json
from typing import Any

from eks_platform.runner.engine import RunResult, reveal

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
INGRESS_SCHEME = "alb.ingress.kubernetes.io/scheme"
SERVICE_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme"
DEFAULT_SCHEME = "internal"


def scheme_of(kind: str, annotations: dict[str, Any]) -> str:
    key = INGRESS_SCHEME if kind == "Ingress" else SERVICE_SCHEME
    return str(annotations.get(key) or DEFAULT_SCHEME)


def _listeners(annotations: dict[str, Any]) -> str:
    try:
        ports = json.loads(annotations.get("alb.ingress.kubernetes.io/listen-ports") or '[{"HTTP": 80}]')
    except (TypeError, ValueError):
        return "unreadable listen-ports"
    return ", ".join(f"{protocol}:{port}" for entry in ports for protocol, port in entry.items())


def _backends(spec: dict[str, Any]) -> list[str]:
    found = []
    for rule in spec.get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            service = (path.get("backend") or {}).get("service") or {}
            port = service.get("port") or {}
            found.append(f"Service {service.get('name')} port {port.get('name') or port.get('number')}")
    return found


def exposure_review(result: RunResult) -> list[dict[str, Any]]:
    rows = []
    for r in result.resources:
        inputs = reveal(r.inputs) or {}
        meta = inputs.get("metadata") or {}
        annotations = meta.get("annotations") or {}
        name = f"{meta.get('namespace', 'default')}/{meta.get('name', r.name)}"
        if r.type == INGRESS:
            spec = inputs.get("spec") or {}
            target = annotations.get("alb.ingress.kubernetes.io/target-type", "instance")
            rows.append(
                {
                    "object": f"Ingress {name}",
                    "loadBalancer": f"ALB of class {spec.get('ingressClassName', '(default)')}",
                    "scheme": scheme_of("Ingress", annotations),
                    "listeners": _listeners(annotations),
                    "to": f"{', '.join(_backends(spec)) or 'no backend'}, target type {target}",
                }
            )
        elif r.type == SERVICE and (inputs.get("spec") or {}).get("type") == "LoadBalancer":
            ports = ", ".join(str(p.get("port")) for p in inputs["spec"].get("ports") or [])
            rows.append(
                {
                    "object": f"Service {name}",
                    "loadBalancer": "NLB",
                    "scheme": scheme_of("Service", annotations),
                    "listeners": ports,
                    "to": "its pods",
                }
            )
    return sorted(rows, key=lambda row: row["object"])


def exposure_lines(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = ["    Reachable through load balancers:"]
    for row in rows:
        who = "the internet" if row["scheme"] == "internet-facing" else "the VPC and what is routed to it"
        lines.append(
            f"        {row['object']}: {row['scheme']} {row['loadBalancer']}, reachable from {who}; "
            f"{row['listeners']} → {row['to']}"
        )
    return lines
