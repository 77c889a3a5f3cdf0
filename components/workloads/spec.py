"""What a sample workload is made of, as plain values: image, resources, scheduling, and the node
groups its pods wait for. The sample components take these (no settings models), so a program of
its own can place the samples with nothing but this module.

Each class checks itself when built and says which field is wrong; the platform's program checks
far more (what the API server and the scheduler would refuse) in its settings layer first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")


def _refuse(owner: str, name: str, value: object, valid: str) -> None:
    raise ValueError(f"{owner}.{name}: {value!r} is not valid; {valid}")


@dataclass(frozen=True)
class Expression:
    """A node selector requirement: `key operator values` (Kubernetes NodeSelectorRequirement)."""

    key: str
    operator: str
    """In, NotIn, Exists, DoesNotExist, Gt or Lt."""
    values: Sequence[str] = ()
    """At least one for In/NotIn, none for Exists/DoesNotExist, exactly one integer for Gt/Lt."""

    def __post_init__(self):
        if self.operator not in OPERATORS:
            _refuse("Expression", "operator", self.operator, f"one of {', '.join(OPERATORS)}")


@dataclass(frozen=True)
class Toleration:
    """Lets the pods land on nodes with a matching taint. No key and operator Exists: every taint."""

    key: str | None = None
    operator: str = "Equal"
    """Equal (key and value must match) or Exists (any value)."""
    value: str | None = None
    effect: str | None = None
    """NoSchedule, PreferNoSchedule or NoExecute; None: every effect."""

    def __post_init__(self):
        if self.operator not in ("Equal", "Exists"):
            _refuse("Toleration", "operator", self.operator, "Equal or Exists")
        if self.effect is not None and self.effect not in EFFECTS:
            _refuse("Toleration", "effect", self.effect, f"one of {', '.join(EFFECTS)} or None")


@dataclass(frozen=True)
class Spread:
    """A topology spread constraint over the workload's own pods."""

    topology_key: str = "topology.kubernetes.io/zone"
    max_skew: int = 1
    """At least 1."""
    when_unsatisfiable: str = "ScheduleAnyway"
    """ScheduleAnyway (a wish) or DoNotSchedule (pods stay Pending rather than skew)."""

    def __post_init__(self):
        if self.max_skew < 1:
            _refuse("Spread", "max_skew", self.max_skew, "at least 1")
        if self.when_unsatisfiable not in WHEN_UNSATISFIABLE:
            _refuse("Spread", "when_unsatisfiable", self.when_unsatisfiable, " or ".join(WHEN_UNSATISFIABLE))


@dataclass(frozen=True)
class Resources:
    """Container requests and limits, as Kubernetes quantities (limits at least the requests)."""

    cpu_request: str = "50m"
    memory_request: str = "64Mi"
    cpu_limit: str = "250m"
    memory_limit: str = "128Mi"


@dataclass(frozen=True, kw_only=True)
class WorkloadSpec:
    """One sample: what runs, how much it asks for, where its pods may and would like to land."""

    app: str
    """The Kubernetes name of the sample's objects (and its app.kubernetes.io/name label)."""
    image: str
    """A pinned image reference (a version or a digest)."""
    resources: Resources = field(default_factory=Resources)
    replicas: int = 1
    """Pods, where the kind has replicas (Deployment, StatefulSet); at least 1."""
    node_selector: Mapping[str, str] = field(default_factory=dict)
    required: Sequence[Sequence[Expression]] = ()
    """Required node affinity: terms ORed, the expressions of a term ANDed."""
    preferred: Sequence[tuple[int, Sequence[Expression]]] = ()
    """Preferred node affinity: (weight 1..100, expressions) wishes the scheduler tries to honour."""
    tolerations: Sequence[Toleration] = ()
    topology_spread: Sequence[Spread] = ()
    lands_on: Sequence[pulumi.Resource] = ()
    """The node groups its pods can land on: the pod-bearing object waits for them, so `pulumi up`
    never creates pods before their nodes."""
    skip_await: bool = False
    """Annotate the object `pulumi.com/skipAwait: "true"`: `pulumi up` does not wait for its pods to be
    ready (pulumi-kubernetes waits up to 10 minutes for a Pod, Deployment, StatefulSet, DaemonSet or Job)."""

    def __post_init__(self):
        owner = type(self).__name__
        if not self.app:
            _refuse(owner, "app", self.app, "a Kubernetes object name")
        if self.replicas < 1:
            _refuse(owner, "replicas", self.replicas, "at least 1")
        for weight, _ in self.preferred:
            if not 1 <= weight <= 100:
                _refuse(owner, "preferred", weight, "weights are 1 to 100")


@dataclass(frozen=True, kw_only=True)
class StatefulSetSpec(WorkloadSpec):
    storage_size: str = "1Gi"
    """Each replica's volume claim (gp3, encrypted, through the given StorageClass)."""
    password: pulumi.Input[str] | None = None
    """The database password; None: generated at deploy time (pulumi-random), kept secret."""


@dataclass(frozen=True, kw_only=True)
class JobSpec(WorkloadSpec):
    database: str = "db"
    """The sample database's Service (the StatefulSet's app) the job connects to."""
    backoff_limit: int = 2
    active_deadline_seconds: int = 600
    ttl_seconds_after_finished: int = 3600


@dataclass(frozen=True, kw_only=True)
class CronJobSpec(JobSpec):
    schedule: str = "0 3 * * *"
    """Five cron fields or a macro (@daily); no time zone prefix (Kubernetes has spec.timeZone)."""
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 1


SCHEMES = ("internal", "internet-facing")


@dataclass(frozen=True)
class IngressSpec:
    """The sample Deployment behind an Application Load Balancer the AWS Load Balancer Controller makes."""

    scheme: str = "internal"
    """internal (reachable from the VPC) or internet-facing."""
    port: int = 80
    """The load balancer's HTTP listener."""
    class_name: str = "alb"
    """The IngressClass the controller claims."""
    source_cidrs: Sequence[pulumi.Input[str]] = ()
    """Where the load balancer's traffic comes from (its subnets): the pods' NetworkPolicy admits these. With
    target type `ip` the load balancer sends to the pods' own addresses, from its network interfaces."""

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            _refuse("IngressSpec", "scheme", self.scheme, " or ".join(SCHEMES))
        if not 1 <= self.port <= 65535:
            _refuse("IngressSpec", "port", self.port, "1 to 65535")
        if not self.source_cidrs:
            _refuse("IngressSpec", "source_cidrs", self.source_cidrs, "the CIDRs of the load balancer's subnets")
