"""SamplePod: the design note's nginx Pod — a single pod for a test — as an unprivileged nginx."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from settings.workloads import PodWorkload

from .pod_spec import app_labels, container, empty_dir, pod_security, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options

APP = "nginx"
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
    def __init__(self, name: str, config: PodWorkload, args: SampleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SamplePod", name, None, opts)
        account = service_account(f"{name}-sa", APP, args.namespace, object_options(self, args))
        self.pod = k8s.core.v1.Pod(
            name,
            metadata={"name": APP, "namespace": args.namespace, "labels": {"app": APP, **app_labels(APP)}},
            spec=pod_spec(APP, config, [nginx_container(APP, config)], pod_security(NGINX_UID), [empty_dir("tmp")]),
            opts=workload_options(self, args, account),
        )
        self.register_outputs({"name": APP})
