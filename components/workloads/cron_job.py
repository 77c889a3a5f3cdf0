"""SampleCronJob: periodic maintenance of the sample database (VACUUM ANALYZE), never overlapping."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from .job import job_spec
from .pod_spec import app_labels, service_account
from .sample import SampleArgs, object_options, workload_options
from .spec import CronJobSpec


class SampleCronJob(pulumi.ComponentResource):
    def __init__(self, name: str, spec: CronJobSpec, args: SampleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SampleCronJob", name, None, opts)
        app, config = spec.app, spec
        account = service_account(f"{name}-sa", app, args.namespace, object_options(self, args))
        self.cron_job = k8s.batch.v1.CronJob(
            name,
            metadata={"name": app, "namespace": args.namespace, "labels": app_labels(app)},
            spec={
                "schedule": config.schedule,
                "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": 300,
                "successfulJobsHistoryLimit": config.successful_jobs_history_limit,
                "failedJobsHistoryLimit": config.failed_jobs_history_limit,
                "jobTemplate": {"spec": job_spec(app, config, "VACUUM (ANALYZE)")},
            },
            opts=workload_options(self, args, *spec.lands_on, account),
        )
        self.register_outputs({"name": app, "schedule": config.schedule})
