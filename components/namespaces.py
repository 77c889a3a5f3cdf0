"""Namespaces: the Kubernetes namespaces the platform owns, each created once, with its labels.

Several components put objects into the same namespace (RoleBindings for a team, sample
workloads); creating namespaces in one place avoids two owners of one object and lets every
user of a namespace depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s


@dataclass(frozen=True)
class NamespaceSpec:
    name: str
    """A DNS label: lowercase letters, digits and '-', at most 63 characters."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """E.g. the Pod Security Standards labels (pod-security.kubernetes.io/enforce: restricted)."""
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NamespacesArgs:
    namespaces: Sequence[NamespaceSpec]
    """Each created once; names must be unique."""
    provider: k8s.Provider
    """The cluster's Kubernetes provider."""

    def __post_init__(self):
        names = [n.name for n in self.namespaces]
        if len(names) != len(set(names)):
            raise ValueError(f"Namespaces: args.namespaces repeats a name ({', '.join(sorted(names))})")


class Namespaces(pulumi.ComponentResource):
    by_name: dict[str, k8s.core.v1.Namespace]

    def __init__(self, name: str, args: NamespacesArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:Namespaces", name, None, opts)
        self.by_name = {
            spec.name: k8s.core.v1.Namespace(
                f"{name}-{spec.name}",
                metadata={
                    "name": spec.name,
                    "labels": dict(spec.labels),
                    **({"annotations": dict(spec.annotations)} if spec.annotations else {}),
                },
                opts=pulumi.ResourceOptions(parent=self, provider=args.provider),
            )
            for spec in args.namespaces
        }
        self.register_outputs({"names": sorted(self.by_name)})
