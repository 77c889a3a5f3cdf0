"""Namespaces: the Kubernetes namespaces the platform owns, each created once, with its labels.

Several components put objects into the same namespace (RoleBindings for a team, sample
workloads); creating namespaces in one place avoids two owners of one object and lets every
user of a namespace depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from settings.namespaces import NamespaceSpec


@dataclass(frozen=True)
class NamespacesArgs:
    namespaces: Sequence[NamespaceSpec]
    provider: k8s.Provider


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
