"""manifests/: every Kubernetes object the program creates, one YAML document per file.

File names start with the object's install rank, so `kubectl apply -f manifests/` (which goes
in file-name order) creates namespaces and CRDs before what lives in them, RBAC before the
workloads that rely on it — Helm's install order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from eks_platform.runner.engine import RunResult

from .plan import mask

INSTALL_ORDER = (
    "Namespace",
    "CustomResourceDefinition",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
)
_FIRST_KEYS = ("apiVersion", "kind", "metadata")


class _Dumper(yaml.CSafeDumper):
    """libyaml's emitter (several times faster; PyYAML's wheels carry it). Multi-line strings (a
    ConfigMap's files) are written as literal blocks, as a person would write them."""


def _text(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\n\n")) and " \n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def is_manifest(type_token: str) -> bool:
    """Kubernetes objects, not providers, patches or YAML/Helm wrappers."""
    if not type_token.startswith("kubernetes:") or type_token.startswith(("kubernetes:yaml", "kubernetes:helm")):
        return False
    return not type_token.endswith("Patch")


def _ordered(value: Any, top: bool = False) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (top and k in _FIRST_KEYS and _FIRST_KEYS.index(k) - 3, k))
        return {k: _ordered(value[k]) for k in keys}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def kubernetes_objects(result: RunResult) -> list[dict]:
    objects = [_ordered(mask(r.inputs), top=True) for r in result.resources if is_manifest(r.type)]
    return sorted(objects, key=_install_key)


def _install_key(obj: dict) -> tuple:
    kind = obj.get("kind", "")
    rank = INSTALL_ORDER.index(kind) if kind in INSTALL_ORDER else len(INSTALL_ORDER)
    meta = obj.get("metadata", {})
    return (rank, kind, meta.get("namespace", ""), meta.get("name", ""))


def manifest_files(result: RunResult) -> Iterator[tuple[str, str]]:
    """(file name, YAML text) per object, in install order."""
    for obj in kubernetes_objects(result):
        kind = obj.get("kind", "Object")
        rank = INSTALL_ORDER.index(kind) if kind in INSTALL_ORDER else len(INSTALL_ORDER)
        meta = obj.get("metadata", {})
        scope = meta.get("namespace", "cluster")
        stem = re.sub(r"[^a-z0-9.-]+", "-", f"{kind}-{scope}-{meta.get('name', 'unnamed')}".lower())
        name = f"{rank:02d}-{stem}.yaml"
        yield name, yaml.dump(obj, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True)
