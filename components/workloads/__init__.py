"""SampleWorkloads: one sample of each kind the design note presents, wired to the platform's
node groups — Pod, Deployment, DaemonSet, StatefulSet, Job, CronJob — plus the network
policies around them. Each kind is a child component of its own (one file each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from settings.workloads import WorkloadsConfig

from .cron_job import SampleCronJob
from .daemon_set import SampleDaemonSet
from .deployment import SampleDeployment
from .job import SampleJob
from .network_policies import SampleNetworkPolicies
from .pod import SamplePod
from .sample import SampleArgs
from .stateful_set import SampleStatefulSet


@dataclass(frozen=True)
class SampleWorkloadsArgs:
    config: WorkloadsConfig
    provider: k8s.Provider
    namespaces: Mapping[str, k8s.core.v1.Namespace]
    storage_class: pulumi.Input[str]
    # Node group name -> its resource, and workload key -> the groups it lands on (settings.placements).
    node_groups: Mapping[str, pulumi.Resource] = field(default_factory=dict)
    placements: Mapping[str, Sequence[str]] = field(default_factory=dict)
    storage: Sequence[pulumi.Resource] = field(default_factory=tuple)


class SampleWorkloads(pulumi.ComponentResource):
    def __init__(self, name: str, args: SampleWorkloadsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:SampleWorkloads", name, None, opts)
        cfg = args.config
        keys = {key for key, _ in cfg.enabled_workloads()}
        kinds = {key.split("[")[0] for key in keys} | ({"deployment"} if cfg.extra_deployments else set())
        child = pulumi.ResourceOptions(parent=self)
        policies = SampleNetworkPolicies(
            f"{name}-network",
            SampleArgs(cfg.namespace, args.provider, depends_on=tuple(args.namespaces.values())),
            kinds,
            deny_only=[cfg.agents_namespace] if "daemonSet" in kinds else [],
            opts=child,
        )

        def sample(key: str, *extra_needs: pulumi.Resource, namespace: str = cfg.namespace) -> SampleArgs:
            nodes = tuple(args.node_groups[g] for g in args.placements.get(key, ()))
            return SampleArgs(namespace, args.provider, (args.namespaces[namespace], policies), nodes + extra_needs)

        if "pod" in keys:
            SamplePod(f"{name}-pod", cfg.pod, sample("pod"), opts=child)
        if "deployment" in keys:
            SampleDeployment(f"{name}-deployment", cfg.deployment, sample("deployment"), opts=child)
        for i, extra in enumerate(cfg.extra_deployments):
            if extra.enabled:
                SampleDeployment(
                    f"{name}-deployment-{extra.name}",
                    extra,
                    sample(f"extraDeployments[{i}]"),
                    app=extra.name,
                    opts=child,
                )
        if "daemonSet" in keys:
            agents = sample("daemonSet", namespace=cfg.agents_namespace)
            SampleDaemonSet(f"{name}-daemonset", cfg.daemon_set, agents, opts=child)
        if "statefulSet" in keys:
            if cfg.stateful_set.password is not None:
                password = pulumi.Output.secret(cfg.stateful_set.password.get_secret_value())
            else:
                password = random.RandomPassword(f"{name}-db-password", length=32, special=False, opts=child).result
            db = SampleStatefulSet(
                f"{name}-statefulset",
                cfg.stateful_set,
                sample("statefulSet", *args.storage),
                storage_class=args.storage_class,
                password=password,
                opts=child,
            )
            if "job" in keys:
                SampleJob(f"{name}-job", cfg.job, sample("job", db), opts=child)
            if "cronJob" in keys:
                SampleCronJob(f"{name}-cronjob", cfg.cron_job, sample("cronJob", db), opts=child)
        self.register_outputs({"namespace": cfg.namespace, "kinds": sorted(kinds)})
