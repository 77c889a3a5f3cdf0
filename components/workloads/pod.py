"""SamplePod: a single nginx Pod, as for a quick test — an unprivileged nginx."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from .pod_spec import app_labels, awaited, container, empty_dir, pod_security, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import WorkloadSpec

NGINX_UID = 10101  # nginx-unprivileged runs as any user; it only writes to /tmp (an emptyDir)


def nginx_container(name: str, workload, port: int = 8080) -> dict:
    probe = {"httpGet": {"path": "/", "port": port}, "periodSeconds": 10}
    return container(
        name,
        workload,
        ports=[{"name": "http", "containerPort": port}],
        readinessProbe=probe,
        livenessProbe={**probe, "initialDelaySeconds": 5},
        volumeMounts=[{"name": "tmp", "mountPath": "/tmp"}],
    )


class SamplePod(pulumi.ComponentResource):
    def __init__(self, name: str, spec: WorkloadSpec, args: SampleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SamplePod", name, None, opts)
        app = spec.app
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        self.pod = k8s.core.v1.Pod(
            name,
            metadata=awaited(
                {"name": app, "namespace": args.namespace, "labels": {"app": app, **app_labels(app)}}, spec
            ),
            spec=pod_spec(app, spec, [nginx_container(app, spec)], pod_security(NGINX_UID), [empty_dir("tmp")]),
            opts=workload_options(self, args, *spec.lands_on, account),
        )
        self.register_outputs({"name": app})
