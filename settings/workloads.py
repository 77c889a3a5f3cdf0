"""`eks-platform:workloads`: the sample workloads, one per kind — Pod, Deployment, DaemonSet,
StatefulSet, Job, CronJob — each with its image, resources and scheduling (nodeSelector,
nodeAffinity, tolerations, topology spread).

Field syntax is checked here; whether a workload can land on any node group is checked in
`scheduling.py`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .fields import DnsLabel, LabelValue, Section, SelectorKey, TaintEffect, checked, one_of
from .ingress import IngressConfig
from .quantity import quantity_error

_IMAGE = re.compile(
    r"^(?P<repository>[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*)"
    r"(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
# The Kubernetes names of the samples' objects, by config key (the DaemonSet's live in a namespace
# of their own; the others share one, so an extra Deployment may not take their names).
SAMPLE_APPS = {
    "pod": "nginx",
    "deployment": "web",
    "daemonSet": "log-collector",
    "statefulSet": "db",
    "job": "db-migrate",
    "cronJob": "db-maintenance",
}
_INTEGER = re.compile(r"^-?[0-9]+$")
CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day of week", 0, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)


def image_error(image: str) -> str | None:
    match = _IMAGE.match(image)
    if not match:
        return "is not an image reference like registry/repository:1.2.3"
    if not match["tag"] and not match["digest"]:
        return "has no tag: pin a version (repository:1.2.3) or a digest (@sha256:...)"
    if match["tag"] == "latest" and not match["digest"]:
        return "uses the tag 'latest': pin a version so every node runs the same image"
    return None


def _cron_value(bound: str, name: str, low: int, names: tuple[str, ...]) -> int | None:
    if bound.upper() in names:
        return names.index(bound.upper()) + (1 if name == "month" else 0)
    return int(bound) if bound.isdigit() else None


def cron_error(schedule: str) -> str | None:
    """Kubernetes CronJob schedules: five fields, or a macro; no TZ= prefix (use timeZone)."""
    if schedule in CRON_MACROS:
        return None
    if schedule.startswith(("TZ=", "CRON_TZ=")):
        return "must not set a time zone in the schedule; Kubernetes has spec.timeZone for that"
    fields = schedule.split()
    if len(fields) != 5:
        return (
            f"has {len(fields)} fields; a schedule has 5 (minute hour day-of-month month day-of-week) "
            "or is a macro like @daily"
        )
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for part in text.split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return f"{name} field '{text}' has an invalid step '/{step}'"
            if base == "*" or (base == "?" and name.startswith("day")):
                continue
            values = [_cron_value(bound, name, low, names) for bound in base.split("-", 1)]
            for bound, value in zip(base.split("-", 1), values, strict=True):
                if value is None or not low <= value <= high:
                    return f"{name} field '{text}' has '{bound}'; use {low}-{high}"
            if len(values) == 2 and values[0] > values[1]:
                return f"{name} field '{text}' has a range that ends before it starts"
    return None


Quantity = Annotated[str, checked(quantity_error)]
Image = Annotated[str, checked(image_error)]


class ResourceAmounts(Section):
    cpu: Quantity
    memory: Quantity


class Resources(Section):
    requests: ResourceAmounts = ResourceAmounts(cpu="50m", memory="64Mi")
    limits: ResourceAmounts = ResourceAmounts(cpu="250m", memory="128Mi")


class MatchExpression(Section):
    key: SelectorKey
    operator: Annotated[str, one_of(("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"))]
    values: tuple[LabelValue, ...] = Field(default=(), validate_default=True)

    @field_validator("values")
    @classmethod
    def _values_fit_operator(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        # What the API server refuses (Kubernetes API reference, NodeSelectorRequirement; enforced by
        # apis/core/validation ValidateNodeSelectorRequirement).
        operator = info.data.get("operator")
        if operator in ("In", "NotIn") and not values:
            raise PydanticCustomError("syntax", f"[] is empty; operator {operator} needs at least one value")
        if operator in ("Exists", "DoesNotExist") and values:
            raise PydanticCustomError("syntax", f"{list(values)} must be empty with operator {operator}")
        if operator in ("Gt", "Lt") and (len(values) != 1 or not _INTEGER.match(values[0])):
            raise PydanticCustomError(
                "syntax", f'{list(values)} must be exactly one integer with operator {operator} (e.g. ["3"])'
            )
        return values


class NodeSelectorTerm(Section):
    match_expressions: tuple[MatchExpression, ...] = Field(min_length=1)


class PreferredTerm(Section):
    weight: int = Field(ge=1, le=100)
    match_expressions: tuple[MatchExpression, ...] = Field(min_length=1)


class NodeAffinity(Section):
    """`required`: terms ORed, expressions in a term ANDed (the pod stays Pending if none matches);
    `preferred`: weighted wishes the scheduler tries to honour."""

    required: tuple[NodeSelectorTerm, ...] = ()
    preferred: tuple[PreferredTerm, ...] = ()


class Toleration(Section):
    key: SelectorKey | None = None
    operator: Annotated[str, one_of(("Equal", "Exists"))] = Field(default="Equal", validate_default=True)
    value: LabelValue | None = None
    effect: TaintEffect | None = None

    # What the API server refuses (Kubernetes API reference, Toleration; apis/core/validation
    # ValidateTolerations): an empty key needs operator Exists, and Exists takes no value.
    @field_validator("operator")
    @classmethod
    def _empty_key_needs_exists(cls, operator: str, info: ValidationInfo) -> str:
        if info.data.get("key") is None and operator == "Equal" and "key" in info.data:
            raise PydanticCustomError(
                "syntax", '"Equal" needs a key; a toleration without a key must use operator Exists (tolerates all)'
            )
        return operator

    @field_validator("value")
    @classmethod
    def _exists_takes_no_value(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and info.data.get("operator") == "Exists":
            raise PydanticCustomError("syntax", f'"{value}" must be empty with operator Exists')
        return value

    def tolerates(self, key: str, value: str, effect: str) -> bool:
        if self.effect is not None and self.effect != effect:
            return False
        if self.key is None:
            return self.operator == "Exists"
        if self.key != key:
            return False
        return self.operator == "Exists" or (self.value or "") == value


class TopologySpread(Section):
    topology_key: SelectorKey = "topology.kubernetes.io/zone"
    max_skew: int = Field(default=1, ge=1)
    when_unsatisfiable: Annotated[str, one_of(("DoNotSchedule", "ScheduleAnyway"))] = "ScheduleAnyway"


class Workload(Section):
    enabled: bool = True
    image: Image
    # pulumi.com/skipAwait: "true" on the object: `pulumi up` does not wait for its pods to be ready
    # (pulumi-kubernetes waits 10 minutes for a Pod, Deployment, StatefulSet, DaemonSet or Job otherwise).
    skip_await: bool = False
    resources: Resources = Resources()
    node_selector: dict[SelectorKey, LabelValue] = Field(default_factory=dict)
    node_affinity: NodeAffinity = NodeAffinity()
    tolerations: tuple[Toleration, ...] = ()
    topology_spread: tuple[TopologySpread, ...] = ()


class PodWorkload(Workload):
    image: Image = "nginxinc/nginx-unprivileged:1.27.3-alpine"


class DeploymentWorkload(Workload):
    image: Image = "nginxinc/nginx-unprivileged:1.27.3-alpine"
    replicas: int = Field(default=2, ge=1, le=50)
    topology_spread: tuple[TopologySpread, ...] = (
        TopologySpread(topology_key="topology.kubernetes.io/zone"),
        TopologySpread(topology_key="kubernetes.io/hostname"),
    )


class DaemonSetWorkload(Workload):
    image: Image = "fluent/fluent-bit:3.2.4"
    # Tolerate every taint, so the agent runs on every node group.
    tolerations: tuple[Toleration, ...] = (Toleration(operator="Exists"),)


class NamedDeployment(DeploymentWorkload):
    """One more web Deployment (Service, PodDisruptionBudget, ServiceAccount) beside the sample."""

    name: DnsLabel


class StatefulSetWorkload(Workload):
    image: Image = "postgres:17.2-bookworm"
    replicas: int = Field(default=1, ge=1, le=5)
    storage_size: Quantity = "1Gi"
    # A `secure:` value (pulumi config set --secret --path ...); generated at deploy time if unset.
    password: SecretStr | None = None
    resources: Resources = Resources(
        requests=ResourceAmounts(cpu="100m", memory="256Mi"), limits=ResourceAmounts(cpu="500m", memory="512Mi")
    )


class JobWorkload(Workload):
    image: Image = "postgres:17.2-bookworm"
    backoff_limit: int = Field(default=2, ge=0, le=10)
    active_deadline_seconds: int = Field(default=600, ge=30)
    ttl_seconds_after_finished: int = Field(default=3600, ge=0)


class CronJobWorkload(JobWorkload):
    schedule: Annotated[str, checked(cron_error)] = "0 3 * * *"
    successful_jobs_history_limit: int = Field(default=3, ge=0, le=10)
    failed_jobs_history_limit: int = Field(default=1, ge=0, le=10)


class WorkloadsConfig(Section):
    enabled: bool = False
    namespace: DnsLabel = "demo"
    pod: PodWorkload = PodWorkload()
    deployment: DeploymentWorkload = DeploymentWorkload()
    daemon_set: DaemonSetWorkload = DaemonSetWorkload()
    stateful_set: StatefulSetWorkload = StatefulSetWorkload()
    job: JobWorkload = JobWorkload()
    cron_job: CronJobWorkload = CronJobWorkload()
    extra_deployments: tuple[NamedDeployment, ...] = ()
    # The sample Deployment behind an ALB (settings/ingress.py).
    ingress: IngressConfig = IngressConfig()

    @property
    def agents_namespace(self) -> str:
        """The DaemonSet's own namespace: the documented exception to the restricted profile."""
        return f"{self.namespace}-node-agents"

    def enabled_workloads(self) -> list[tuple[str, Workload]]:
        """(config key, workload) for every enabled sample, in the order of the kinds: Pod first, CronJob last."""
        if not self.enabled:
            return []
        found = [
            ("pod", self.pod),
            ("deployment", self.deployment),
            ("daemonSet", self.daemon_set),
            ("statefulSet", self.stateful_set),
            ("job", self.job),
            ("cronJob", self.cron_job),
            *((f"extraDeployments[{i}]", d) for i, d in enumerate(self.extra_deployments)),
        ]
        return [(key, w) for key, w in found if w.enabled]
