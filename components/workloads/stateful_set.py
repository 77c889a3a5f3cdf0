"""SampleStatefulSet: a small PostgreSQL that keeps its data — stable identity through a headless
Service, one encrypted gp3 volume per replica, and volumes retained when scaled down or deleted.

The password comes from a `secure:` config value or is generated at deploy time; either way it
reaches the pod only as a Secret mounted as a file (POSTGRES_PASSWORD_FILE).
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from .pod_spec import app_labels, awaited, container, empty_dir, pod_security, pod_spec, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import StatefulSetSpec

SECRET = "db-credentials"
DATABASE = "app"
UID = 10001  # the postgres image runs as an arbitrary user (nss_wrapper), given a writable PGDATA
PORT = 5432
SECRET_DIR = "/run/secrets/db"


def credentials_volume() -> dict:
    return {"name": "credentials", "secret": {"secretName": SECRET, "defaultMode": 0o440}}


def postgres_container(spec: StatefulSetSpec) -> dict:
    """PostgreSQL reading its password from the mounted Secret, its data on the claim, ready when it answers."""
    probe = {"exec": {"command": ["pg_isready", "-U", DATABASE, "-d", DATABASE, "-h", "127.0.0.1"]}}
    return container(
        "postgres",
        spec,
        ports=[{"name": "postgres", "containerPort": PORT}],
        env=[
            {"name": "POSTGRES_USER", "value": DATABASE},
            {"name": "POSTGRES_DB", "value": DATABASE},
            {"name": "POSTGRES_PASSWORD_FILE", "value": f"{SECRET_DIR}/password"},
            {"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"},
        ],
        readinessProbe={**probe, "periodSeconds": 10},
        livenessProbe={**probe, "periodSeconds": 20, "initialDelaySeconds": 30},
        volumeMounts=[
            {"name": "data", "mountPath": "/var/lib/postgresql/data"},
            {"name": "credentials", "mountPath": SECRET_DIR, "readOnly": True},
            {"name": "run", "mountPath": "/var/run/postgresql"},
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    )


def stateful_set_spec(spec: StatefulSetSpec, storage_class: pulumi.Input[str]) -> dict:
    """One replica set of pods behind the headless Service, a volume claim each, kept when scaled down or deleted."""
    app = spec.app
    labels = app_labels(app)
    return {
        "serviceName": app,
        "replicas": spec.replicas,
        "selector": {"matchLabels": labels},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "template": {
            "metadata": {"labels": labels},
            "spec": pod_spec(
                app,
                spec,
                [postgres_container(spec)],
                pod_security(UID, fs_group=UID),
                [credentials_volume(), empty_dir("run", "16Mi"), empty_dir("tmp")],
            ),
        },
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "data", "labels": labels},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": storage_class,
                    "resources": {"requests": {"storage": spec.storage_size}},
                },
            }
        ],
    }


class SampleStatefulSet(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        spec: StatefulSetSpec,
        args: SampleArgs,
        storage_class: pulumi.Input[str],
        password: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("eks-platform:index:SampleStatefulSet", name, None, opts)
        app, labels = spec.app, app_labels(spec.app)
        meta = {"name": app, "namespace": args.namespace, "labels": labels}
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        self.secret = k8s.core.v1.Secret(
            f"{name}-credentials",
            metadata={**meta, "name": SECRET},
            type="Opaque",
            string_data={"username": DATABASE, "password": pulumi.Output.secret(password)},
            opts=object_options(self, args),
        )
        # Headless: each replica gets a stable DNS name (db-0.db...) — the StatefulSet's serviceName.
        self.service = k8s.core.v1.Service(
            f"{name}-headless",
            metadata=meta,
            spec={"clusterIP": "None", "selector": labels, "ports": [{"name": "postgres", "port": PORT}]},
            opts=object_options(self, args),
        )
        self.stateful_set = k8s.apps.v1.StatefulSet(
            name,
            metadata=awaited(meta, spec),
            spec=stateful_set_spec(spec, storage_class),
            opts=workload_options(self, args, *spec.lands_on, account, self.secret, self.service),
        )
        self.register_outputs({"name": app, "serviceName": app})
