"""Where each workload's pods land and whether the node groups hold them, in every render.

Not a second scheduler: the program's own settings are loaded again from the config it ran with,
and their placement (settings/scheduling.py `place`, the computation the schedulability check
refuses a Pending workload with) and capacity are shown as they are.
"""

from __future__ import annotations

import os
from typing import Any

from eks_platform.runner.engine import RunResult
from settings import SettingsError, load_settings
from settings.capacity import Capacity, mib
from settings.runtime_config import decode_config
from settings.scheduling import Placement
from settings.versions import today


def _settings(result: RunResult):
    config = result.config
    if config is None:
        return None
    try:
        return load_settings(
            decode_config(config.runtime_values()),
            config.project,
            config.stack,
            config.secret_keys,
            today=today(),
            environment=os.environ,
        )
    except SettingsError:  # the program failed on it too: there is no render
        return None


def placement_review(result: RunResult) -> dict[str, Any] | None:
    # The printed preview and plan.json both show it: the settings are loaded once per run.
    if "_placement_review" not in vars(result):
        vars(result)["_placement_review"] = _review(result)
    return vars(result)["_placement_review"]


def _review(result: RunResult) -> dict[str, Any] | None:
    settings = _settings(result)
    if settings is None:
        return None
    workloads = [_workload(p) for p in settings.placement]
    ingress = settings.workloads.ingress
    if settings.workloads.enabled and ingress.enabled:
        for entry in workloads:
            if entry["workload"] == "deployment":
                # Target type ip: the load balancer sends to each pod's own address, on whichever group it lands.
                name = f"{settings.workloads.namespace}/{entry['name']}"
                entry["exposedBy"] = (
                    f"Ingress {name}: {ingress.scheme} ALB, HTTP {ingress.port}, straight to each pod's IP "
                    "(target type ip) on whichever group it lands"
                )
    return {"workloads": workloads, "capacity": [_capacity(c) for c in settings.capacity]}


def _workload(p: Placement) -> dict[str, Any]:
    entry = {
        "workload": p.key,
        "path": p.path,
        "kind": p.kind,
        "name": p.name,
        "requests": {"cpuMillicores": p.requests[0], "memoryMiB": p.requests[1]},
        "awaitedBy": p.awaited_by,
        "prefers": [{"group": g, "why": why} for g, why in p.prefers],
        "avoids": [{"group": g, "why": why} for g, why in p.avoids],
        "spread": list(p.spread),
    }
    if p.kind == "DaemonSet":
        entry |= {"covers": list(p.lands_on), "doesNotCover": [{"group": g, "why": list(r)} for g, r in p.excluded]}
    else:
        entry |= {
            "pods": p.pods,
            "landsOn": list(p.lands_on),
            "excluded": [{"group": g, "why": list(r)} for g, r in p.excluded],
        }
    return entry


def _capacity(c: Capacity) -> dict[str, Any]:
    return {
        "group": c.group,
        "maxSize": c.nodes,
        "instanceType": c.instance_type,
        "perNode": _amounts(c.per_node),
        "offers": _amounts(c.offers),
        "needs": _amounts(c.needs),
        "onlyHere": [{"workload": key, "pods": pods} for key, pods in c.only_here],
        "daemonSets": list(c.daemonsets),
        "short": list(c.short),
    }


def _amounts(values: tuple[int, int, int] | None) -> dict[str, int] | None:
    if values is None:
        return None
    return {"cpuMillicores": values[0], "memoryMiB": values[1], "pods": values[2]}


def placement_text(review: dict[str, Any] | None) -> str:
    if not review or not review["workloads"]:
        return ""
    lines = ["Placement (the schedulability check's own verdicts):"]
    for w in review["workloads"]:
        if w["kind"] == "DaemonSet":
            head = f"{w['workload']} ({w['kind']} {w['name']}, one pod per node): covers {', '.join(w['covers'])}"
            excluded = w["doesNotCover"]
        else:
            head = (
                f"{w['workload']} ({w['kind']} {w['name']}, {w['pods']} pod{'s' if w['pods'] != 1 else ''}): "
                f"lands on {', '.join(w['landsOn']) or 'no group'}"
            )
            excluded = w["excluded"]
        lines.append(f"    {head}")
        if "exposedBy" in w:
            lines.append(f"        reached through {w['exposedBy']}")
        lines += [f"        prefers {p['group']}: {p['why']}" for p in w["prefers"]]
        lines += [f"        avoids {a['group']}: {a['why']}" for a in w["avoids"]]
        if w["spread"]:
            lines.append(f"        spreads over {'; '.join(w['spread'])}")
        lines += [f"        not on {e['group']}: {'; '.join(e['why'])}" for e in excluded]
    lines += ["", "Capacity at maxSize (what can land only on the group, and what runs on each of its nodes):"]
    for c in review["capacity"]:
        needs = c["needs"]
        wanted = f"needs {needs['cpuMillicores']}m CPU, {mib(needs['memoryMiB'])}, {needs['pods']} pods"
        if c["offers"] is None:
            lines.append(f"    {c['group']}: {wanted}; no instance type of the group is in the table, not checked")
            continue
        offers, per_node = c["offers"], c["perNode"]
        verdict = "TOO SMALL: " + "; ".join(c["short"]) if c["short"] else "fits"
        lines.append(
            f"    {c['group']}: {c['maxSize']} × {c['instanceType']} ({per_node['cpuMillicores']}m, "
            f"{mib(per_node['memoryMiB'])}, {per_node['pods']} pods each) offer {offers['cpuMillicores']}m CPU, "
            f"{mib(offers['memoryMiB'])}, {offers['pods']} pods; {wanted} — {verdict}"
        )
        only = ", ".join(f"{o['workload']} ×{o['pods']}" for o in c["onlyHere"]) or "nothing"
        per = ", ".join(c["daemonSets"])
        lines.append(f"        only here: {only}; on each node: {per}")
    return "\n".join(lines) + "\n"
