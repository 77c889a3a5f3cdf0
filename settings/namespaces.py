"""The Kubernetes namespaces the platform creates, and the Pod Security labels they carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PSS = "pod-security.kubernetes.io"

# Team namespaces (RoleBinding targets): the baseline profile is enforced, restricted is
# reported (warn + audit) so teams see what a stricter policy would refuse.
TEAM_LABELS = {f"{PSS}/enforce": "baseline", f"{PSS}/warn": "restricted", f"{PSS}/audit": "restricted"}


@dataclass(frozen=True)
class NamespaceSpec:
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
