"""SampleDaemonSet: one log-collector pod per node (Fluent Bit tailing container logs).

It reads /var/log of the node through a read-only hostPath volume and runs as root to read
those files: the one documented exception to the restricted profile, so it lives in its own
namespace whose labels and annotation say so. Everything else stays locked down: no privilege
escalation, all capabilities dropped, read-only root filesystem, RuntimeDefault seccomp.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as k8s

from .pod_spec import app_labels, awaited, container, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import WorkloadSpec

FLUENT_BIT_CONFIG = """\
[SERVICE]
    HTTP_Server  On
    HTTP_Listen  0.0.0.0
    HTTP_Port    2020
    Health_Check On

[INPUT]
    Name              tail
    Path              /var/log/containers/*.log
    multiline.parser  cri
    Mem_Buf_Limit     5MB
    Skip_Long_Lines   On

[OUTPUT]
    Name   stdout
    Match  *
"""


class SampleDaemonSet(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        spec: WorkloadSpec,
        args: SampleArgs,
        annotations: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        """`annotations` go on the DaemonSet: say there why it is an exception to the restricted profile
        (it runs as root and mounts the node's /var/log read-only)."""
        super().__init__("eks-platform:index:SampleDaemonSet", name, None, opts)
        app, config = spec.app, spec
        labels = app_labels(app)
        meta = {"name": app, "namespace": args.namespace, "labels": labels}
        exception = {"annotations": dict(annotations)} if annotations else {}
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        settings = k8s.core.v1.ConfigMap(
            f"{name}-config",
            metadata=meta,
            data={"fluent-bit.conf": FLUENT_BIT_CONFIG},
            opts=object_options(self, args),
        )
        probe = {"httpGet": {"path": "/api/v1/health", "port": 2020}, "periodSeconds": 15}
        agent = container(
            app,
            config,
            args=["--config=/fluent-bit/etc/fluent-bit.conf"],
            ports=[{"name": "metrics", "containerPort": 2020}],
            readinessProbe=probe,
            livenessProbe={**probe, "initialDelaySeconds": 10},
            volumeMounts=[
                {"name": "varlog", "mountPath": "/var/log", "readOnly": True},
                {"name": "config", "mountPath": "/fluent-bit/etc/", "readOnly": True},
            ],
            # Container log files are root-owned: the exception is reading them as root.
            security={"runAsNonRoot": False, "runAsUser": 0},
        )
        self.daemon_set = k8s.apps.v1.DaemonSet(
            name,
            metadata=awaited({**meta, **exception}, spec),
            spec={
                "selector": {"matchLabels": labels},
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": pod_spec(
                        app,
                        config,
                        [agent],
                        {"seccompProfile": {"type": "RuntimeDefault"}},
                        volumes=[
                            {"name": "varlog", "hostPath": {"path": "/var/log", "type": "Directory"}},
                            {"name": "config", "configMap": {"name": app}},
                        ],
                    ),
                },
            },
            opts=workload_options(self, args, *spec.lands_on, account, settings),
        )
        self.register_outputs({"name": app})
