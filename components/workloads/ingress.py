"""The sample Deployment's Ingress: an Application Load Balancer made by the AWS Load Balancer Controller.

Annotations of the controller (kubernetes-sigs/aws-load-balancer-controller docs/guide/ingress/annotations.md):
`scheme` (internal or internet-facing), `target-type: ip` (the load balancer sends to the pods' own addresses,
so it reaches them on any node, and no NodePort is opened), `listen-ports` (one HTTP listener).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s

from .spec import IngressSpec

ANNOTATION = "alb.ingress.kubernetes.io"


def annotations(spec: IngressSpec) -> dict[str, str]:
    return {
        f"{ANNOTATION}/scheme": spec.scheme,
        f"{ANNOTATION}/target-type": "ip",
        f"{ANNOTATION}/listen-ports": json.dumps([{"HTTP": spec.port}], separators=(",", ":")),
    }


def sample_ingress(
    name: str, metadata: dict, service: str, spec: IngressSpec, opts: pulumi.ResourceOptions
) -> k8s.networking.v1.Ingress:
    """The Ingress for `service`'s port `http`; pulumi-kubernetes waits until the load balancer has an address."""
    backend = {"service": {"name": service, "port": {"name": "http"}}}
    return k8s.networking.v1.Ingress(
        name,
        metadata={**metadata, "annotations": annotations(spec)},
        spec={
            "ingressClassName": spec.class_name,
            "rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}],
        },
        opts=opts,
    )
