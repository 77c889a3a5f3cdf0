"""SampleNetworkPolicies: deny everything in the sample namespaces, then allow what the samples need.

Enforced on EKS by the VPC CNI's network policy agent (EksCluster turns it on).
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_kubernetes as k8s

from .deployment import SERVES_HTTP
from .job import DB_CLIENT_LABEL
from .pod_spec import app_labels
from .sample import SampleArgs, object_options
from .spec import IngressSpec
from .stateful_set import PORT as DB_PORT

WEB_PORT = 8080  # the nginx containers' port (pod.nginx_container), the Service's targetPort `http`

DNS = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}


def _allows(kinds: set[str], database: str = "db") -> dict[str, dict]:
    same_namespace = {"podSelector": {}}
    policies: dict[str, dict] = {
        "default-deny": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        "allow-dns": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [DNS]},
    }
    if "deployment" in kinds:
        policies["allow-web-from-namespace"] = {
            "podSelector": {"matchLabels": {SERVES_HTTP: "true"}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [same_namespace], "ports": [{"protocol": "TCP", "port": WEB_PORT}]}],
        }
    if "statefulSet" in kinds:
        clients = {"podSelector": {"matchLabels": {DB_CLIENT_LABEL: "true"}}}
        policies["allow-db-from-clients"] = {
            "podSelector": {"matchLabels": app_labels(database)},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [clients], "ports": [{"protocol": "TCP", "port": DB_PORT}]}],
        }
        policies["allow-clients-to-db"] = {
            "podSelector": {"matchLabels": {DB_CLIENT_LABEL: "true"}},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [{"podSelector": {"matchLabels": app_labels(database)}}],
                    "ports": [{"protocol": "TCP", "port": DB_PORT}],
                }
            ],
        }
    return policies


def load_balancer_policy(app: str, ingress: IngressSpec) -> dict:
    """The load balancer's traffic to the exposed app's pods: with target type ip it comes from the load
    balancer's network interfaces in its subnets, to the pods' port (health checks too)."""
    return {
        "podSelector": {"matchLabels": app_labels(app)},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [{"ipBlock": {"cidr": cidr}} for cidr in ingress.source_cidrs],
                "ports": [{"protocol": "TCP", "port": WEB_PORT}],
            }
        ],
    }


class SampleNetworkPolicies(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        args: SampleArgs,
        kinds: set[str],
        deny_only: Sequence[str] = (),
        database: str = "db",
        opts: pulumi.ResourceOptions | None = None,
        exposed: tuple[str, IngressSpec] | None = None,
    ):
        """`kinds`: the samples present (deployment, statefulSet, ...), whose traffic is allowed;
        `deny_only`: more namespaces that get the default deny alone; `database`: the database's app;
        `exposed`: (app, its Ingress) whose load balancer's traffic is allowed."""
        super().__init__("eks-platform:index:SampleNetworkPolicies", name, None, opts)
        namespaces = {args.namespace: _allows(kinds, database)}
        if exposed is not None:
            namespaces[args.namespace]["allow-web-from-load-balancer"] = load_balancer_policy(*exposed)
        for namespace in deny_only:
            namespaces[namespace] = {"default-deny": _allows(set())["default-deny"]}
        for namespace, policies in namespaces.items():
            for policy, spec in policies.items():
                k8s.networking.v1.NetworkPolicy(
                    f"{name}-{namespace}-{policy}",
                    metadata={"name": policy, "namespace": namespace},
                    spec=spec,
                    opts=object_options(self, args),
                )
        self.register_outputs({"namespaces": sorted(namespaces)})
