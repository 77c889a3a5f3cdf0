"""The guardrails on what runs in the cluster: pinned images, CPU and memory limits, no root or privileged
containers and no host paths (outside the one documented DaemonSet exception), and storage that keeps its data.
Registered in policy/rules.py's RULES on import.

They read the pod template of every kind that has one (POD_TEMPLATES), as the engine sends its inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

if __package__:  # imported as policy.workload_rules (tests, render)
    from .rules import EXCEPTION_ANNOTATION, _get, rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import EXCEPTION_ANNOTATION, _get, rule

STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
POD_TEMPLATES = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

_IMAGE_TAG = re.compile(r":(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*)$")


def _pod_spec(type_: str, props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    path = POD_TEMPLATES.get(type_)
    return _get(props, *path) if path else None


def _containers(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from spec.get("initContainers") or []
    yield from spec.get("containers") or []


def _documented_exception(type_: str, props: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    if type_ != "kubernetes:apps/v1:DaemonSet" or not _get(props, "metadata", "annotations", EXCEPTION_ANNOTATION):
        return False
    host_volumes = {v["name"] for v in spec.get("volumes") or [] if "hostPath" in v}
    mounts = [m for c in _containers(spec) for m in c.get("volumeMounts") or [] if m.get("name") in host_volumes]
    return all(m.get("readOnly") is True for m in mounts)


@rule("workload-image-pinned", "Container images are pinned to a version, never latest.", "medium", *POD_TEMPLATES)
def image_pinned(type_, props, config):
    for container in _containers(_pod_spec(type_, props) or {}):
        image = container.get("image", "")
        match = _IMAGE_TAG.search(image.rsplit("/", 1)[-1])
        if "@sha256:" not in image and (not match or match["tag"] == "latest"):
            yield f"container {container.get('name')} runs {image}, not a pinned version"


@rule("workload-resource-limits", "Every container has CPU and memory limits.", "medium", *POD_TEMPLATES)
def resource_limits(type_, props, config):
    for container in _containers(_pod_spec(type_, props) or {}):
        limits = _get(container, "resources", "limits", default={}) or {}
        missing = [r for r in ("cpu", "memory") if r not in limits]
        if missing:
            yield f"container {container.get('name')} has no {' or '.join(missing)} limit"


@rule(
    "workload-non-root",
    "No privileged or root containers, outside the documented DaemonSet exception.",
    "high",
    *POD_TEMPLATES,
)
def non_root(type_, props, config):
    spec = _pod_spec(type_, props) or {}
    exception = _documented_exception(type_, props, spec)
    pod_context = spec.get("securityContext") or {}
    for container in _containers(spec):
        context = container.get("securityContext") or {}
        if context.get("privileged") is True:
            yield f"container {container.get('name')} is privileged"
        if exception:
            continue
        user = context.get("runAsUser", pod_context.get("runAsUser"))
        non_root_flag = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        if user == 0 or (non_root_flag is not True and user is None):
            yield f"container {container.get('name')} may run as root (set runAsNonRoot and a non-zero runAsUser)"


@rule(
    "workload-no-host-path",
    "No hostPath volumes, outside the documented DaemonSet exception (read-only mounts only).",
    "high",
    *POD_TEMPLATES,
)
def no_host_path(type_, props, config):
    spec = _pod_spec(type_, props) or {}
    if _documented_exception(type_, props, spec):
        return
    for volume in spec.get("volumes") or []:
        if "hostPath" in volume:
            yield f"volume {volume.get('name')} mounts host path {_get(volume, 'hostPath', 'path')}"


@rule(
    "storage-retains-data",
    "Persistent data outlives its claim: StorageClass reclaimPolicy Retain, StatefulSet claims retained (production).",
    "high",
    STORAGE_CLASS,
    STATEFUL_SET,
)
def storage_retains_data(type_, props, config):
    if type_ == STORAGE_CLASS and props.get("reclaimPolicy", "Delete") != "Retain":
        policy = props.get("reclaimPolicy", "Delete")
        yield f"StorageClass reclaimPolicy is {policy}: volumes are deleted with their claims"
    if type_ == STATEFUL_SET:
        retention = _get(props, "spec", "persistentVolumeClaimRetentionPolicy", default={}) or {}
        for when in ("whenDeleted", "whenScaled"):
            if retention.get(when) == "Delete":
                yield f"persistentVolumeClaimRetentionPolicy.{when} is Delete: claims (and data) go with the pods"
