"""The parts every sample pod shares: labels, the restricted security context, scheduling, its
own ServiceAccount. Pure functions returning Kubernetes API dicts (camelCase, as in the docs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from .spec import Expression, WorkloadSpec

PART_OF = "eks-platform-samples"

# Pod Security Standards "restricted", per container.
RESTRICTED = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "seccompProfile": {"type": "RuntimeDefault"},
}


def app_labels(app: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": PART_OF}


def pod_security(uid: int, fs_group: int | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    if fs_group is not None:
        context["fsGroup"] = fs_group
    return context


def resources(workload: WorkloadSpec) -> dict[str, Any]:
    r = workload.resources
    return {
        "requests": {"cpu": r.cpu_request, "memory": r.memory_request},
        "limits": {"cpu": r.cpu_limit, "memory": r.memory_limit},
    }


def container(name: str, workload: WorkloadSpec, **fields: Any) -> dict[str, Any]:
    """A container with the restricted context, pinned image, requests and limits."""
    security = {**RESTRICTED, **fields.pop("security", {})}
    return {
        "name": name,
        "image": workload.image,
        "imagePullPolicy": "Always",
        "resources": resources(workload),
        "securityContext": security,
        **{k: v for k, v in fields.items() if v},
    }


def _expression(e: Expression) -> dict[str, Any]:
    return {"key": e.key, "operator": e.operator, **({"values": list(e.values)} if e.values else {})}


def scheduling(workload: WorkloadSpec, selector: dict[str, str]) -> dict[str, Any]:
    """nodeSelector, nodeAffinity, tolerations and topology spread, as the spec asks (only those set)."""
    spec: dict[str, Any] = {}
    if workload.node_selector:
        spec["nodeSelector"] = dict(workload.node_selector)
    affinity: dict[str, Any] = {}
    if workload.required:
        affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {
            "nodeSelectorTerms": [{"matchExpressions": [_expression(e) for e in term]} for term in workload.required]
        }
    if workload.preferred:
        affinity["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": weight, "preference": {"matchExpressions": [_expression(e) for e in term]}}
            for weight, term in workload.preferred
        ]
    if affinity:
        spec["affinity"] = {"nodeAffinity": affinity}
    if workload.tolerations:
        spec["tolerations"] = [
            {k: v for k, v in (("key", t.key), ("operator", t.operator), ("value", t.value), ("effect", t.effect)) if v}
            for t in workload.tolerations
        ]
    if workload.topology_spread:
        spec["topologySpreadConstraints"] = [
            {
                "topologyKey": t.topology_key,
                "maxSkew": t.max_skew,
                "whenUnsatisfiable": t.when_unsatisfiable,
                "labelSelector": {"matchLabels": selector},
            }
            for t in workload.topology_spread
        ]
    return spec


def pod_spec(
    app: str,
    workload: WorkloadSpec,
    containers: Sequence[dict[str, Any]],
    security: dict[str, Any],
    volumes: Sequence[dict[str, Any]] = (),
    restart_policy: str | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "serviceAccountName": app,
        "automountServiceAccountToken": False,
        "securityContext": security,
        "containers": list(containers),
        **scheduling(workload, app_labels(app)),
    }
    if volumes:
        spec["volumes"] = list(volumes)
    if restart_policy:
        spec["restartPolicy"] = restart_policy
    return spec


SKIP_AWAIT = "pulumi.com/skipAwait"


def awaited(metadata: dict[str, Any], spec: WorkloadSpec) -> dict[str, Any]:
    """The pod-bearing object's metadata, with the annotation that keeps pulumi-kubernetes from waiting for
    its pods when the spec opts out (pulumi/pulumi-kubernetes provider/pkg/metadata/annotations.go)."""
    if not spec.skip_await:
        return metadata
    return {**metadata, "annotations": {**metadata.get("annotations", {}), SKIP_AWAIT: "true"}}


def service_account(name: str, app: str, namespace: str, opts: pulumi.ResourceOptions) -> k8s.core.v1.ServiceAccount:
    """Each sample runs as its own ServiceAccount, with no API token mounted."""
    return k8s.core.v1.ServiceAccount(
        name,
        metadata={"name": app, "namespace": namespace, "labels": app_labels(app)},
        automount_service_account_token=False,
        opts=opts,
    )


def empty_dir(name: str, size: str = "64Mi") -> dict[str, Any]:
    """Writable scratch space for an image that writes, with a read-only root filesystem."""
    return {"name": name, "emptyDir": {"sizeLimit": size}}
