"""SampleDeployment: a web service that stays available — replicas spread across zones and hosts,
probes, a ClusterIP Service and a PodDisruptionBudget so node drains keep one serving; optionally an
Ingress, so a load balancer reaches it."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from .ingress import sample_ingress
from .pod import NGINX_UID, nginx_container
from .pod_spec import app_labels, awaited, empty_dir, pod_security, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import IngressSpec, WorkloadSpec

SERVES_HTTP = "eks-platform/serves-http"  # what the web NetworkPolicy admits traffic to


class SampleDeployment(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        spec: WorkloadSpec,
        args: SampleArgs,
        opts: pulumi.ResourceOptions | None = None,
        ingress: IngressSpec | None = None,
    ):
        """`ingress`: also reachable through a load balancer (an Ingress of that class)."""
        super().__init__("eks-platform:index:SampleDeployment", name, None, opts)
        app, config = spec.app, spec
        labels = app_labels(app)
        meta = {"name": app, "namespace": args.namespace, "labels": labels}
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        self.deployment = k8s.apps.v1.Deployment(
            name,
            metadata=awaited(meta, spec),
            spec={
                "replicas": config.replicas,
                "selector": {"matchLabels": labels},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                "template": {
                    "metadata": {"labels": {**labels, SERVES_HTTP: "true"}},
                    "spec": pod_spec(
                        app, config, [nginx_container(app, config)], pod_security(NGINX_UID), [empty_dir("tmp")]
                    ),
                },
            },
            opts=workload_options(self, args, *spec.lands_on, account),
        )
        service = k8s.core.v1.Service(
            f"{name}-svc",
            metadata=meta,
            spec={"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
            opts=object_options(self, args),
        )
        if ingress is not None:
            sample_ingress(f"{name}-ingress", meta, app, ingress, object_options(self, args, service))
        k8s.policy.v1.PodDisruptionBudget(
            f"{name}-pdb",
            metadata=meta,
            spec={"selector": {"matchLabels": labels}, "maxUnavailable": 1},
            opts=object_options(self, args),
        )
        self.register_outputs({"name": app, "replicas": config.replicas})
