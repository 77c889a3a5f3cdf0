"""SampleJob: a one-off schema migration against the sample database, run to completion once."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from .pod_spec import app_labels, awaited, container, empty_dir, pod_security, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import JobSpec
from .stateful_set import DATABASE, PORT, SECRET_DIR, UID, credentials_volume

DB_CLIENT_LABEL = "eks-platform/db-client"  # what the database's NetworkPolicy admits
MIGRATION = "CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())"


def db_client_pod(app: str, workload: JobSpec, sql: str) -> dict[str, Any]:
    """A pod template running one SQL statement with psql; the password is read from the mounted Secret."""
    command = (
        f'PGPASSWORD="$(cat {SECRET_DIR}/password)" exec psql -h {workload.database} -p {PORT} -U {DATABASE} '
        f"-d {DATABASE} "
        f'-v ON_ERROR_STOP=1 -c "{sql}"'
    )
    client = container(
        app,
        workload,
        command=["sh", "-c", command],
        volumeMounts=[
            {"name": "credentials", "mountPath": SECRET_DIR, "readOnly": True},
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    )
    return {
        "metadata": {"labels": {**app_labels(app), DB_CLIENT_LABEL: "true"}},
        "spec": pod_spec(
            app,
            workload,
            [client],
            pod_security(UID),
            [credentials_volume(), empty_dir("tmp")],
            restart_policy="Never",
        ),
    }


def job_spec(app: str, workload: JobSpec, sql: str) -> dict[str, Any]:
    return {
        "backoffLimit": workload.backoff_limit,
        "activeDeadlineSeconds": workload.active_deadline_seconds,
        "ttlSecondsAfterFinished": workload.ttl_seconds_after_finished,
        "template": db_client_pod(app, workload, sql),
    }


class SampleJob(pulumi.ComponentResource):
    def __init__(self, name: str, spec: JobSpec, args: SampleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SampleJob", name, None, opts)
        app = spec.app
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        self.job = k8s.batch.v1.Job(
            name,
            metadata=awaited({"name": app, "namespace": args.namespace, "labels": app_labels(app)}, spec),
            spec=job_spec(app, spec, MIGRATION),
            opts=workload_options(self, args, *spec.lands_on, account),
        )
        self.register_outputs({"name": app})
