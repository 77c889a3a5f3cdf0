"""Where the platform's own controllers run — the Cluster Autoscaler, the AWS Load Balancer Controller,
ExternalDNS: on on-demand nodes (a reclaimed SPOT node would take the controller down just when it is
needed), tolerating the taints of the on-demand groups only when no untainted on-demand group exists, with
requests equal to limits. The placement check then places them like the samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import NodeGroupConfig
from .workloads import NodeAffinity, ResourceAmounts, Resources, Toleration, Workload

ON_DEMAND = {"eks.amazonaws.com/capacityType": "ON_DEMAND"}


def controller_workload(
    image: str | None, requests: Mapping[str, str], groups: Sequence[NodeGroupConfig], what: str, stops: str
) -> tuple[Workload, list[str]]:
    """The controller as a workload to place; `what` names it and `stops` says what stops while its only
    node is reclaimed, in the warning a stack without on-demand groups gets. `image` None: a Helm chart's
    own image (placement reads only the scheduling fields and the requests)."""
    on_demand = [g for g in groups if g.capacity_type == "ON_DEMAND" and g.max_size > 0]
    untainted = [g for g in on_demand if not [t for t in g.taints if t.effect != "PreferNoSchedule"]]
    tolerations: tuple[Toleration, ...] = ()
    if on_demand and not untainted:
        tolerations = tuple(
            Toleration(key=t.key, operator="Equal", value=t.value, effect=t.effect)
            for g in on_demand
            for t in g.taints
            if t.effect != "PreferNoSchedule"
        )
    warnings = []
    if not on_demand:
        warnings.append(
            f"{what} runs on SPOT nodes (no on-demand node group): when its node is reclaimed, {stops} until it "
            "is rescheduled"
        )
    amounts = ResourceAmounts(cpu=requests["cpu"], memory=requests["memory"])
    fields = {
        "resources": Resources(requests=amounts, limits=amounts),
        "node_selector": dict(ON_DEMAND) if on_demand else {},
        "tolerations": tolerations,
    }
    if image is None:
        return Workload.model_construct(**fields, node_affinity=NodeAffinity(), topology_spread=()), warnings
    return Workload(image=image, **fields), warnings
