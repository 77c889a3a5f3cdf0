"""The Kubernetes namespaces the platform creates, and the Pod Security labels they carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# On the namespace and on the DaemonSet, saying why; the policy pack honours it only there, and owns its name.
from policy.rules import EXCEPTION_ANNOTATION

__all__ = ["AGENTS_EXCEPTION", "AGENTS_LABELS", "EXCEPTION_ANNOTATION", "RESTRICTED_LABELS", "TEAM_LABELS"]

PSS = "pod-security.kubernetes.io"

# Team namespaces (RoleBinding targets): the baseline profile is enforced, restricted is
# reported (warn + audit) so teams see what a stricter policy would refuse.
TEAM_LABELS = {f"{PSS}/enforce": "baseline", f"{PSS}/warn": "restricted", f"{PSS}/audit": "restricted"}
# The sample workloads: restricted, enforced.
RESTRICTED_LABELS = {f"{PSS}/enforce": "restricted", f"{PSS}/warn": "restricted", f"{PSS}/audit": "restricted"}
# The per-node agent's namespace: hostPath is refused by baseline and restricted, so this one
# namespace is privileged — and says why, on itself.
AGENTS_LABELS = {f"{PSS}/enforce": "privileged", f"{PSS}/warn": "restricted", f"{PSS}/audit": "restricted"}
AGENTS_EXCEPTION = (
    "Pod Security exception: the log-collector DaemonSet reads /var/log of every node through a read-only "
    "hostPath volume, which the baseline and restricted profiles refuse. Nothing else runs here."
)


@dataclass(frozen=True)
class NamespacePlan:
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
