"""Capacity at maxSize: can each node group hold every pod that can land only on it?

Per group: the replicas of the workloads whose pods can land only there, plus one pod per node of every
DaemonSet that covers it (the samples' and the platform's own add-ons, settings/platform_pods.py), against
what the group's largest known instance type offers pods (settings/instance_catalog.py, EKS's allocatable
formula) times maxSize. Workloads that can land on several groups are not charged to any one of them.

A group that cannot hold them leaves pods Pending. When even the pods something waits for at `pulumi up`
do not fit (pulumi-kubernetes for a Pod, Deployment, StatefulSet, DaemonSet or Job; the AWS provider for an
EKS add-on), one of them stays Pending and `pulumi up` fails after its timeout: a config error. When they
fit and only pods nothing waits for are left over (pulumi.com/skipAwait), it is a warning: `pulumi up`
succeeds with those pods Pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import NodeGroupConfig
from .problems import Problem, key_path
from .scheduling import Placement, largest_type


@dataclass(frozen=True)
class Capacity:
    group: str
    path: str  # the group's maxSize
    nodes: int
    instance_type: str | None  # the largest type the table knows; None: capacity not checked
    per_node: tuple[int, int, int] | None  # CPU millicores, memory MiB, pods a node offers pods
    only_here: tuple[tuple[str, int], ...]  # (workload, pods) of the workloads that can land only here
    daemonsets: tuple[str, ...]  # the DaemonSets (samples' and add-ons') that run on each node of the group
    needs: tuple[int, int, int]
    offers: tuple[int, int, int] | None
    short: tuple[str, ...]  # what does not fit even at maxSize
    awaited_short: tuple[str, ...] = ()  # what does not fit counting only the pods `pulumi up` waits for
    awaited: tuple[tuple[str, str], ...] = ()  # (workload, who waits for it) among those counted here
    not_awaited: tuple[str, ...] = ()  # the workloads counted here that nothing waits for


def mib(value: int) -> str:
    return f"{value / 1024:.1f}Gi" if value >= 1024 else f"{value}Mi"


def _short(needs: tuple[int, int, int], offers: tuple[int, int, int]) -> list[str]:
    cpu, memory, pods = needs
    short = []
    if cpu > offers[0]:
        short.append(f"CPU {cpu}m > {offers[0]}m")
    if memory > offers[1]:
        short.append(f"memory {mib(memory)} > {mib(offers[1])}")
    if pods > offers[2]:
        short.append(f"pods {pods} > {offers[2]}")
    return short


def _needs(only: Sequence[Placement], daemonsets: Sequence[Placement], nodes: int) -> tuple[int, int, int]:
    return (
        sum(p.pods * p.requests[0] for p in only) + nodes * sum(p.requests[0] for p in daemonsets),
        sum(p.pods * p.requests[1] for p in only) + nodes * sum(p.requests[1] for p in daemonsets),
        sum(p.pods for p in only) + nodes * len(daemonsets),
    )


def capacity(index: int, group: NodeGroupConfig, placements: Sequence[Placement]) -> Capacity:
    only = [p for p in placements if p.pods is not None and p.lands_on == (group.name,)]
    daemonsets = [p for p in placements if p.pods is None and group.name in p.lands_on]
    nodes = group.max_size
    needs = _needs(only, daemonsets, nodes)
    # What `pulumi up` waits for, alone: when even that does not fit, a pod it waits for stays Pending.
    awaited_needs = _needs([p for p in only if p.awaited_by], [p for p in daemonsets if p.awaited_by], nodes)
    largest = largest_type(group)
    per_node = offers = None
    if largest is not None:
        per_node = (largest.allocatable_cpu_millicores, largest.allocatable_memory_mib, largest.max_pods)
        offers = (per_node[0] * nodes, per_node[1] * nodes, per_node[2] * nodes)
    counted = [*only, *daemonsets]
    return Capacity(
        group=group.name,
        path=key_path("nodeGroups", index, "maxSize"),
        nodes=nodes,
        instance_type=largest.name if largest else None,
        per_node=per_node,
        only_here=tuple((p.key, p.pods) for p in only),
        daemonsets=tuple(p.key for p in daemonsets),
        needs=needs,
        offers=offers,
        short=tuple(_short(needs, offers)) if offers else (),
        awaited_short=tuple(_short(awaited_needs, offers)) if offers else (),
        awaited=tuple((p.key, p.awaited_by) for p in counted if p.awaited_by),
        not_awaited=tuple(p.key for p in counted if not p.awaited_by),
    )


def capacities(groups: Sequence[NodeGroupConfig], placements: Sequence[Placement]) -> tuple[Capacity, ...]:
    return tuple(capacity(i, group, placements) for i, group in enumerate(groups))


def capacity_verdicts(found: Sequence[Capacity]) -> tuple[list[Problem], list[str]]:
    """(problems, warnings): a short group is a problem when `pulumi up` waits for one of its pods."""
    problems, warnings = [], []
    for c in found:
        if not c.short:
            continue
        workloads = ", ".join(f"{key} ×{pods}" for key, pods in c.only_here) or "none"
        what = (
            f"even at maxSize {c.nodes} × {c.instance_type} the group cannot hold what can land only there "
            f"({'; '.join(c.short)}): {workloads}, and on each node {', '.join(c.daemonsets) or 'nothing'}"
        )
        fix = "raise maxSize, choose a larger instance type, or let those workloads land elsewhere"
        if c.awaited_short:
            waiting: dict[str, list[str]] = {}
            for key, who in c.awaited:
                waiting.setdefault(who, []).append(key)
            waits = "; ".join(f"{who} {', '.join(keys)}" for who, keys in waiting.items())
            problems.append(
                Problem(c.path, f"{c.nodes}: {what}; pods stay Pending and `pulumi up` fails: {waits}; {fix}")
            )
        else:
            opted = ", ".join(c.not_awaited)
            warnings.append(
                f"{c.path}: {what}; what `pulumi up` waits for fits, and nothing waits for the rest ({opted}: "
                f"pulumi.com/skipAwait, or no pods at creation), so `pulumi up` succeeds with pods Pending; {fix}"
            )
    return problems, warnings
