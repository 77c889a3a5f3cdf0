"""SampleWorkloads: one sample of each workload kind — Pod, Deployment, DaemonSet,
StatefulSet, Job, CronJob — plus the network policies around them. Each kind is a child component
of its own (one file each); every sample is described by plain values (spec.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from .cron_job import SampleCronJob
from .daemon_set import SampleDaemonSet
from .deployment import SampleDeployment
from .job import SampleJob
from .network_policies import SampleNetworkPolicies
from .pod import SamplePod
from .sample import SampleArgs
from .spec import (
    CronJobSpec,
    Expression,
    IngressSpec,
    JobSpec,
    Resources,
    Spread,
    StatefulSetSpec,
    Toleration,
    WorkloadSpec,
)
from .stateful_set import SampleStatefulSet

__all__ = [
    "CronJobSpec",
    "Expression",
    "IngressSpec",
    "JobSpec",
    "Resources",
    "SampleWorkloads",
    "SampleWorkloadsArgs",
    "Spread",
    "StatefulSetSpec",
    "Toleration",
    "WorkloadSpec",
]


@dataclass(frozen=True)
class SampleWorkloadsArgs:
    namespace: str
    """Where the samples run (created elsewhere, passed in `namespaces`); Pod Security restricted."""
    provider: k8s.Provider
    """The cluster's Kubernetes provider."""
    namespaces: Mapping[str, k8s.core.v1.Namespace]
    """Namespace name -> its resource: each sample waits for its namespace."""
    storage_class: pulumi.Input[str] = ""
    """The StorageClass the database's volume claims use (needed with `stateful_set`)."""
    pod: WorkloadSpec | None = None
    deployment: WorkloadSpec | None = None
    extra_deployments: Sequence[WorkloadSpec] = ()
    """More web Deployments like `deployment`, each with an `app` of its own."""
    daemon_set: WorkloadSpec | None = None
    agents_namespace: str | None = None
    """The DaemonSet's own namespace (it mounts host paths): required with `daemon_set`."""
    daemon_set_annotations: Mapping[str, str] = field(default_factory=dict)
    """On the DaemonSet: why it is an exception to the restricted profile."""
    stateful_set: StatefulSetSpec | None = None
    job: JobSpec | None = None
    """Works on the sample database: requires `stateful_set`."""
    cron_job: CronJobSpec | None = None
    """Works on the sample database: requires `stateful_set`."""
    storage: Sequence[pulumi.Resource] = ()
    """What the database's volumes need first (the EBS CSI driver)."""
    ingress: IngressSpec | None = None
    """`deployment` behind a load balancer too (an Ingress); requires `deployment`."""
    wait_for: Sequence[pulumi.Resource] = ()
    """Created after these: the AWS Load Balancer Controller's release, whose webhook admits every new Service
    (and makes the Ingress's load balancer)."""

    def __post_init__(self):
        def refuse(name: str, why: str) -> None:
            raise ValueError(f"SampleWorkloads: args.{name} {why}")

        for name in ("job", "cron_job"):
            if getattr(self, name) is not None and self.stateful_set is None:
                refuse(name, "is set but args.stateful_set is not: the sample job works on the sample database")
        if self.daemon_set is not None and not self.agents_namespace:
            refuse(
                "agents_namespace", "is required with args.daemon_set (the DaemonSet runs in a namespace of its own)"
            )
        if self.ingress is not None and self.deployment is None:
            refuse("ingress", "is set but args.deployment is not: the Ingress exposes the sample Deployment")
        if self.stateful_set is not None and not self.storage_class:
            refuse("storage_class", "is required with args.stateful_set (its volume claims use it)")
        apps = [s.app for s in (self.pod, self.deployment, self.stateful_set, self.job, self.cron_job) if s]
        apps += [s.app for s in self.extra_deployments]
        if len(apps) != len(set(apps)):
            refuse("extra_deployments", f"repeats an app name ({', '.join(sorted(apps))}); each sample needs its own")
        for namespace in (self.namespace, self.agents_namespace if self.daemon_set else None):
            if namespace and namespace not in self.namespaces:
                refuse("namespaces", f"has no {namespace!r}: the samples' namespaces are created by the caller")

    @property
    def kinds(self) -> set[str]:
        present = {
            "pod": self.pod,
            "deployment": self.deployment or (self.extra_deployments or None),
            "daemonSet": self.daemon_set,
            "statefulSet": self.stateful_set,
            "job": self.job,
            "cronJob": self.cron_job,
        }
        return {kind for kind, spec in present.items() if spec}


class SampleWorkloads(pulumi.ComponentResource):
    def __init__(self, name: str, args: SampleWorkloadsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SampleWorkloads", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        database = args.stateful_set.app if args.stateful_set else "db"
        exposed = (args.deployment.app, args.ingress) if args.deployment and args.ingress else None
        policies = SampleNetworkPolicies(
            f"{name}-network",
            SampleArgs(args.namespace, args.provider, depends_on=tuple(args.namespaces.values())),
            args.kinds,
            deny_only=[args.agents_namespace] if args.daemon_set and args.agents_namespace else [],
            database=database,
            opts=child,
            exposed=exposed,
        )

        def sample(*needs: pulumi.Resource, namespace: str = args.namespace) -> SampleArgs:
            first = (args.namespaces[namespace], policies, *args.wait_for)
            return SampleArgs(namespace, args.provider, first, needs)

        if args.pod:
            SamplePod(f"{name}-pod", args.pod, sample(), opts=child)
        if args.deployment:
            SampleDeployment(f"{name}-deployment", args.deployment, sample(), opts=child, ingress=args.ingress)
        for extra in args.extra_deployments:
            SampleDeployment(f"{name}-deployment-{extra.app}", extra, sample(), opts=child)
        if args.daemon_set:
            agents = sample(namespace=args.agents_namespace)
            SampleDaemonSet(f"{name}-daemonset", args.daemon_set, agents, args.daemon_set_annotations, opts=child)
        if args.stateful_set:
            if args.stateful_set.password is not None:
                password = pulumi.Output.secret(args.stateful_set.password)
            else:
                password = random.RandomPassword(f"{name}-db-password", length=32, special=False, opts=child).result
            db = SampleStatefulSet(
                f"{name}-statefulset",
                args.stateful_set,
                sample(*args.storage),
                storage_class=args.storage_class,
                password=password,
                opts=child,
            )
            if args.job:
                SampleJob(f"{name}-job", args.job, sample(db), opts=child)
            if args.cron_job:
                SampleCronJob(f"{name}-cronjob", args.cron_job, sample(db), opts=child)
        self.register_outputs({"namespace": args.namespace, "kinds": sorted(args.kinds)})
