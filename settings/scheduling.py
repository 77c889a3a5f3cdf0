"""Plan-time placement: where each workload's pods can land, and whether the groups can hold them.

What the scheduler would decide on a real cluster, decided before anything is created: a
workload can land on a node group when its nodeSelector and required node affinity match the
labels the group's nodes will carry, it tolerates every NoSchedule/NoExecute taint of the group,
and its requests fit the allocatable capacity of the group's largest instance type. Preferred
affinity and PreferNoSchedule taints are wishes, never failures: they show as what a workload
prefers or avoids. One computation (`place`) answers both the check that refuses a workload no
group takes and the placement view the render prints.

Capacity (`capacities`): per group, what the workloads that can land only there request at their
replica counts, plus every DaemonSet that runs there once per node (the samples' and the platform's own,
settings/platform_pods.py), against what the group's largest known instance type offers pods
(settings/instance_catalog.py, EKS's allocatable formula) times maxSize. A group that cannot hold them
is an error when something `pulumi up` waits for would stay Pending, else a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .instance_catalog import InstanceType, lookup
from .instance_sizes import known_family
from .instance_types import ARM64, architecture_of
from .model import NodeGroupConfig
from .problems import Problem, key_path
from .quantity import parse_quantity
from .workloads import SAMPLE_APPS, MatchExpression, Workload, WorkloadsConfig

KINDS = {
    "pod": "Pod",
    "deployment": "Deployment",
    "daemonSet": "DaemonSet",
    "statefulSet": "StatefulSet",
    "job": "Job",
    "cronJob": "CronJob",
}
# The kinds pulumi-kubernetes waits for until their pods are ready (provider/pkg/await/awaiters.go in
# pulumi/pulumi-kubernetes; 10 minutes by default, none with the pulumi.com/skipAwait annotation). A CronJob
# has no pods when it is created.
AWAITED_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job")
KUBERNETES_AWAIT = "pulumi-kubernetes waits 10 minutes for"


class _Any:
    """A label every node has, with a value known only once it runs (zone, hostname)."""


class _Suffixed:
    """A label whose value gets a random suffix at apply time (the node group's own name)."""


ANY, SUFFIXED = _Any(), _Suffixed()
Labels = dict[str, frozenset[str] | _Any | _Suffixed]


def node_labels(group: NodeGroupConfig) -> Labels:
    """The labels every node of the group carries: the group's own plus those EKS and the kubelet set."""
    labels: Labels = {key: frozenset({value}) for key, value in group.labels.items()}
    labels.update(
        {
            "eks.amazonaws.com/capacityType": frozenset({group.capacity_type}),
            "eks.amazonaws.com/nodegroup": SUFFIXED,
            "kubernetes.io/os": frozenset({"linux"}),
            "kubernetes.io/arch": frozenset(
                {"arm64" if architecture_of(group.instance_types[0]) == ARM64 else "amd64"}
            ),
            "node.kubernetes.io/instance-type": frozenset(group.instance_types),
            "kubernetes.io/hostname": ANY,
            "topology.kubernetes.io/zone": ANY,
            "topology.kubernetes.io/region": ANY,
        }
    )
    return labels


def _values(found: frozenset[str]) -> str:
    return ", ".join(sorted(found))


def _selector_unmet(key: str, wanted: str, labels: Labels) -> str | None:
    found = labels.get(key)
    if found is None:
        return f"nodeSelector {key}={wanted}: the nodes have no label {key}"
    if isinstance(found, _Suffixed):
        return f"nodeSelector {key}: its value gets a random suffix at apply; select on a label of your own"
    if isinstance(found, _Any) or wanted in found:
        return None
    return f"nodeSelector {key}={wanted}: the nodes have {key}={_values(found)}"


def _expression_unmet(expr: MatchExpression, labels: Labels) -> str | None:
    found, op, wanted = labels.get(expr.key), expr.operator, set(expr.values)
    text = f"{expr.key} {op} [{', '.join(expr.values)}]" if expr.values else f"{expr.key} {op}"
    if isinstance(found, _Suffixed):
        return f"{text}: the value gets a random suffix at apply; use a label of your own"
    if op == "Exists":
        return None if found is not None else f"{text}: the nodes have no label {expr.key}"
    if op == "DoesNotExist":
        return None if found is None else f"{text}: the nodes carry {expr.key}"
    if isinstance(found, _Any):
        return None
    if found is None:
        return None if op == "NotIn" else f"{text}: the nodes have no label {expr.key}"
    if (op == "In" and found & wanted) or (op == "NotIn" and found - wanted):
        return None
    if op in ("Gt", "Lt"):
        numbers = [int(v) for v in found if v.isdigit()]
        limit = int(expr.values[0]) if expr.values and expr.values[0].isdigit() else None
        if limit is not None and any(n > limit if op == "Gt" else n < limit for n in numbers):
            return None
    return f"{text}: the nodes have {expr.key}={_values(found)}"


def _requests(workload: Workload) -> tuple[int, int]:
    """(CPU millicores, memory MiB) one pod of the workload requests."""
    requests = workload.resources.requests
    return round(parse_quantity(requests.cpu) * 1000), round(parse_quantity(requests.memory) / (1024 * 1024))


def largest_type(group: NodeGroupConfig) -> InstanceType | None:
    """The group's instance type with the most allocatable memory (then CPU) among those the table
    knows; None when it knows none of them."""
    return _largest(tuple(group.instance_types))


@cache
def _largest(instance_types: tuple[str, ...]) -> InstanceType | None:
    known = [found for t in instance_types if (found := lookup(t)) is not None]
    if not known:
        return None
    return max(known, key=lambda t: (t.allocatable_memory_mib, t.allocatable_cpu_millicores))


def _fits(workload: Workload, group: NodeGroupConfig) -> str | None:
    """Why the workload's requests fit no node of the group (None: they fit, or no type is known)."""
    largest = largest_type(group)
    if largest is None:
        return None
    cpu, memory = _requests(workload)
    cpu_m, memory_mib = largest.allocatable_cpu_millicores, largest.allocatable_memory_mib
    if cpu > cpu_m or memory > memory_mib:
        requests = workload.resources.requests
        return (
            f"requests cpu {requests.cpu} / memory {requests.memory} exceed what the largest type, {largest.name}, "
            f"offers pods ({cpu_m}m / {memory_mib}Mi)"
        )
    return None


def unknown_types(groups: Sequence[NodeGroupConfig]) -> list[str]:
    """One warning per instance type the table does not hold (at the first group that lists it)."""
    warnings, seen = [], set()
    for i, group in enumerate(groups):
        for instance_type in group.instance_types:
            if instance_type in seen or lookup(instance_type) is not None:
                continue
            seen.add(instance_type)
            path = key_path("nodeGroups", i, "instanceTypes")
            if known_family(instance_type):  # a bare-metal size: it exists, its figures are not in the table
                why = "is not in the instance table (settings/instance_catalog.py)"
            else:
                why = (
                    f"is of a family the instance table does not know (settings/instance_sizes.py): AWS may refuse "
                    f"it at `pulumi up` (aws ec2 describe-instance-types --instance-types {instance_type} tells)"
                )
            warnings.append(f"{path}: {instance_type} {why}; requests and capacity are not checked on it")
    return warnings


def unmet(workload: Workload, group: NodeGroupConfig) -> list[str]:
    """Every reason the workload cannot land on the group (empty: it can)."""
    if group.max_size == 0:
        return ["maxSize is 0: the group never has a node"]
    labels = node_labels(group)
    reasons = [r for k, v in workload.node_selector.items() if (r := _selector_unmet(k, v, labels))]
    if workload.node_affinity.required:
        per_term = [
            [r for e in term.match_expressions if (r := _expression_unmet(e, labels))]
            for term in workload.node_affinity.required
        ]
        if all(per_term):
            reasons.append("required nodeAffinity: " + " | or | ".join("; ".join(t) for t in per_term))
    for taint in group.taints:
        if taint.effect == "PreferNoSchedule":
            continue
        if not any(t.tolerates(taint.key, taint.value, taint.effect) for t in workload.tolerations):
            reasons.append(f"taint {taint.key}={taint.value}:{taint.effect} is not tolerated")
    if fit := _fits(workload, group):
        reasons.append(fit)
    return reasons


def preferences(workload: Workload, group: NodeGroupConfig) -> tuple[int, list[str]]:
    """(total weight of the preferred nodeAffinity terms the group's nodes match, the PreferNoSchedule
    taints the workload does not tolerate): what the scheduler scores, never what it requires."""
    labels = node_labels(group)
    weight = sum(
        term.weight
        for term in workload.node_affinity.preferred
        if not any(_expression_unmet(e, labels) for e in term.match_expressions)
    )
    avoided = [
        f"taint {t.key}={t.value}:{t.effect} is not tolerated"
        for t in group.taints
        if t.effect == "PreferNoSchedule"
        and not any(tol.tolerates(t.key, t.value, t.effect) for tol in workload.tolerations)
    ]
    return weight, avoided


def check_resources(workloads: WorkloadsConfig) -> list[Problem]:
    """Requests above limits: the API server refuses such a pod (apis/core/validation,
    ValidateResourceRequirements: "must be less than or equal to ... limit")."""
    problems = []
    for key, workload in workloads.enabled_workloads():
        limits, requests = workload.resources.limits, workload.resources.requests
        for resource in ("cpu", "memory"):
            if parse_quantity(getattr(limits, resource)) < parse_quantity(getattr(requests, resource)):
                problems.append(
                    Problem(
                        f"{key_path('workloads')}.{key}.resources.limits.{resource}",
                        f'"{getattr(limits, resource)}" is below the request "{getattr(requests, resource)}"',
                    )
                )
    return problems


@dataclass(frozen=True)
class Subject:
    """A workload to place: a sample's config key, or one of the platform's own pods."""

    key: str
    path: str
    kind: str
    name: str
    pods: int | None  # replicas; None for a DaemonSet (one pod on every node it covers)
    workload: Workload
    awaited_by: str | None = None  # who makes `pulumi up` wait for its pods (None: nothing does)


@dataclass(frozen=True)
class Placement:
    key: str
    path: str
    kind: str
    name: str
    pods: int | None
    awaited_by: str | None
    requests: tuple[int, int]  # CPU millicores, memory MiB, per pod
    lands_on: tuple[str, ...]
    prefers: tuple[tuple[str, str], ...]  # (group, why), among lands_on
    avoids: tuple[tuple[str, str], ...]
    excluded: tuple[tuple[str, tuple[str, ...]], ...]  # (group, every reason, worded as the error)
    spread: tuple[str, ...]


def samples(workloads: WorkloadsConfig) -> list[Subject]:
    found = []
    for key, workload in workloads.enabled_workloads():
        kind = KINDS.get(key, "Deployment")  # extraDeployments[i]
        name = SAMPLE_APPS.get(key) or getattr(workload, "name", key)
        pods = None if kind == "DaemonSet" else getattr(workload, "replicas", 1)
        awaited = KUBERNETES_AWAIT if kind in AWAITED_KINDS and not workload.skip_await else None
        found.append(Subject(key, f"{key_path('workloads')}.{key}", kind, name, pods, workload, awaited))
    return found


def place(subject: Subject, groups: Sequence[NodeGroupConfig]) -> Placement:
    verdicts = {g.name: unmet(subject.workload, g) for g in groups}
    landing = [g for g in groups if not verdicts[g.name]]
    prefers, avoids = [], []
    for group in landing:
        weight, avoided = preferences(subject.workload, group)
        if weight:
            prefers.append((group.name, f"preferred nodeAffinity, weight {weight}"))
        avoids += [(group.name, why) for why in avoided]
    spread = tuple(
        f"{t.topology_key} (maxSkew {t.max_skew}, {t.when_unsatisfiable})" for t in subject.workload.topology_spread
    )
    return Placement(
        key=subject.key,
        path=subject.path,
        kind=subject.kind,
        name=subject.name,
        pods=subject.pods,
        awaited_by=subject.awaited_by,
        requests=_requests(subject.workload),
        lands_on=tuple(g.name for g in landing),
        prefers=tuple(prefers),
        avoids=tuple(avoids),
        excluded=tuple((name, tuple(reasons)) for name, reasons in verdicts.items() if reasons),
        spread=spread,
    )


def check_placement(
    workloads: WorkloadsConfig,
    groups: list[NodeGroupConfig],
    platform: Sequence[Subject] = (),
) -> tuple[list[Problem], list[str], tuple[Placement, ...]]:
    """(problems, warnings, the placement of every workload): the samples' and the platform's own pods."""
    problems: list[Problem] = []
    warnings: list[str] = []
    placements = tuple(place(subject, groups) for subject in [*samples(workloads), *platform])
    for p in placements:
        if p.kind == "DaemonSet" and p.lands_on and p.excluded:
            warnings.append(
                f"{p.path}: runs on {', '.join(p.lands_on)} but not on "
                + "; ".join(f"{name} ({', '.join(r)})" for name, r in p.excluded)
            )
        if not p.lands_on:
            detail = "; ".join(f"{name}: {', '.join(reasons)}" for name, reasons in p.excluded)
            # The platform's add-ons run where their own tolerations let them (settings/platform_pods.py).
            fix = (
                f"; {p.name} needs a node group it tolerates: add one, or give the add-on tolerations in its "
                "configurationValues"
                if p.path.startswith(key_path("addons"))
                else ""
            )
            problems.append(
                Problem(p.path, f"can land on no node group, its pods would stay Pending (considered {detail}){fix}")
            )
    return problems, warnings, placements
