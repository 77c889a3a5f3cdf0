"""The checkov findings we accept, each with its reason. Keep it short: every entry is a decision."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch


@dataclass(frozen=True)
class Allowed:
    check: str
    resource: str  # checkov's "Kind.namespace.name", shell-style wildcards allowed
    reason: str

    def covers(self, check: str, resource: str) -> bool:
        return check == self.check and fnmatch(resource, self.resource)


ALLOWLIST = (
    Allowed(
        "CKV_K8S_43",
        "*",
        "Images are pinned to a version tag (never 'latest'; the settings layer refuses it), which keeps the "
        "samples readable; pin digests for production images with a tool like Renovate.",
    ),
    Allowed(
        "CKV_K8S_23",
        "DaemonSet.*-node-agents.log-collector",
        "The log collector reads root-owned /var/log files of each node: the one documented exception, "
        "alone in a namespace labelled privileged, with no capabilities, no escalation, a read-only root.",
    ),
    Allowed(
        "CKV_K8S_40",
        "DaemonSet.*-node-agents.log-collector",
        "Same exception: it runs as root (UID 0) to read the node's container logs.",
    ),
    Allowed(
        "CKV_K8S_38",
        "Deployment.kube-system.cluster-autoscaler",
        "The cluster autoscaler talks to the Kubernetes API (it watches pods and nodes), so it needs its "
        "service account token; its ClusterRole is the upstream one, read-mostly.",
    ),
)
