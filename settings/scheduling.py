"""Plan-time schedulability: can each sample workload land on at least one node group?

What the scheduler would decide on a real cluster, decided before anything is created: a
workload can land on a node group when its nodeSelector and required node affinity match the
labels the group's nodes will carry, it tolerates every NoSchedule/NoExecute taint of the group,
and its requests fit the allocatable capacity of the group's largest instance type. Preferred
affinity and PreferNoSchedule taints are wishes, never failures.
"""

from __future__ import annotations

from collections.abc import Sequence

from .instance_types import ARM64, allocatable, architecture_of
from .model import NodeGroupConfig
from .problems import Problem, key_path
from .quantity import parse_quantity
from .workloads import MatchExpression, Workload, WorkloadsConfig


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


def _fits(workload: Workload, group: NodeGroupConfig) -> tuple[str | None, str | None]:
    """(unmet reason, note) for the workload's requests on the group's largest known instance type."""
    sizes = {t: allocatable(t) for t in group.instance_types}
    known = {t: a for t, a in sizes.items() if a is not None}
    unknown = sorted(t for t, a in sizes.items() if a is None)
    note = f"{', '.join(unknown)} not in the capacity table: requests not checked there" if unknown else None
    if not known:
        return None, note
    largest, (cpu_m, memory_mib) = max(known.items(), key=lambda kv: (kv[1][1], kv[1][0]))
    cpu = parse_quantity(workload.resources.requests.cpu) * 1000
    memory = parse_quantity(workload.resources.requests.memory) / (1024 * 1024)
    if cpu > cpu_m or memory > memory_mib:
        requests = workload.resources.requests
        return (
            f"requests cpu {requests.cpu} / memory {requests.memory} exceed what the largest type, {largest}, "
            f"offers pods ({cpu_m}m / {memory_mib}Mi)",
            note,
        )
    return None, note


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
    fit, _ = _fits(workload, group)
    if fit:
        reasons.append(fit)
    return reasons


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


def check_placement(
    workloads: WorkloadsConfig,
    groups: list[NodeGroupConfig],
    platform: Sequence[tuple[str, str, Workload]] = (),
) -> tuple[list[Problem], list[str], dict[str, tuple[str, ...]]]:
    """(problems, warnings, placements): placements maps each workload to the node groups it can land on.
    `platform`: the platform's own pods placed the same way, as (key, key path, workload)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    placements: dict[str, tuple[str, ...]] = {}
    samples = [(key, f"{key_path('workloads')}.{key}", w) for key, w in workloads.enabled_workloads()]
    for key, path, workload in [*samples, *platform]:
        verdicts = {g.name: unmet(workload, g) for g in groups}
        landing = [name for name, reasons in verdicts.items() if not reasons]
        placements[key] = tuple(landing)
        missed = {name: reasons for name, reasons in verdicts.items() if reasons}
        notes = sorted({n for g in groups if (n := _fits(workload, g)[1])})
        warnings += [f"{path}: {n}" for n in notes]
        if key == "daemonSet" and landing and missed:
            warnings.append(
                f"{path}: runs on {', '.join(landing)} but not on "
                + "; ".join(f"{name} ({', '.join(r)})" for name, r in missed.items())
            )
        if not landing:
            detail = "; ".join(f"{name}: {', '.join(reasons)}" for name, reasons in missed.items())
            problems.append(
                Problem(path, f"can land on no node group, its pods would stay Pending (considered {detail})")
            )
    return problems, warnings, placements
