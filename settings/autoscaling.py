"""`eks-platform:autoscaling`: the Cluster Autoscaler that makes each node group's minSize/maxSize
real — without it desiredSize never moves and pending pods wait for a person.

It finds the node groups by the tags EKS puts on every managed node group's Auto Scaling group
(`k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/<cluster>`; EKS User Guide,
"Managed node groups": nodes "are automatically tagged for auto-discovery by the Kubernetes Cluster
Autoscaler"), runs the release built for the cluster's Kubernetes minor version (the autoscaler's
README: use the matching minor), and gets AWS credentials through EKS Pod Identity.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from .controller_placement import controller_workload
from .fields import Section, checked, one_of
from .workloads import Workload

# registry.k8s.io/autoscaling/cluster-autoscaler: the newest patch of each minor, from the
# kubernetes/autoscaler repository's tags (cluster-autoscaler-1.xx.y), read 2026-11-27 (tags up
# to 2026-07-22). A Kubernetes minor without a release here is a config error.
RELEASES = {
    "1.30": "v1.30.7",
    "1.31": "v1.31.5",
    "1.32": "v1.32.7",
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
    "1.36": "v1.36.1",
}
IMAGE = "registry.k8s.io/autoscaling/cluster-autoscaler"
EXPANDERS = ("least-waste", "priority", "random", "most-pods")
_DURATION = re.compile(r"^(\d+h)?(\d+m)?(\d+s)?$")


def image_for(version: str) -> str | None:
    release = RELEASES.get(version)
    return f"{IMAGE}:{release}" if release else None


def duration_error(text: str) -> str | None:
    if not text or not _DURATION.match(text):
        return 'is not a duration like "10m", "1h30m" or "90s"'
    return None


class AutoscalingConfig(Section):
    enabled: bool = True
    """The platform's node groups scale between minSize and maxSize (desiredSize is then only the
    initial size: `pulumi up` leaves it to the autoscaler)."""
    expander: Annotated[str, one_of(EXPANDERS)] = "least-waste"
    scale_down_unneeded_time: Annotated[str, checked(duration_error)] = "10m"
    scale_down_utilization_threshold: float = Field(default=0.5, gt=0, le=1)
    balance_similar_node_groups: bool = False


# Where the autoscaler runs: an on-demand node (a reclaimed SPOT node would take it down just when
# capacity is short), with the upstream example's requests, as a cluster-critical pod.
AUTOSCALER_KEY = "autoscaling"
REQUESTS = {"cpu": "100m", "memory": "600Mi"}


def autoscaler_workload(version: str, groups: list) -> tuple[Workload | None, list[str]]:
    """The autoscaler as a workload the placement check places like the samples (settings/controller_placement.py);
    (None, ...) when the Kubernetes version has no release (a config error reported by the loader)."""
    image = image_for(version)
    if image is None:
        return None, []
    return controller_workload(image, REQUESTS, groups, "the Cluster Autoscaler", "scaling stops")
