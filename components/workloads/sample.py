"""What every sample-workload component receives, and the options its Kubernetes objects use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s


@dataclass(frozen=True)
class SampleArgs:
    namespace: str
    provider: k8s.Provider
    # What every object of the sample waits for (its namespace, the network policies).
    depends_on: Sequence[pulumi.Resource] = field(default_factory=tuple)
    # What its pods need first besides their node groups (WorkloadSpec.lands_on): storage, the database.
    # Only the pod-bearing object waits for these, so a real `pulumi up` does not create pods
    # before their nodes exist — and the dependency graph stays small.
    needs: Sequence[pulumi.Resource] = field(default_factory=tuple)


def object_options(parent: pulumi.Resource, args: SampleArgs, *more: pulumi.Resource) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=parent, provider=args.provider, depends_on=[*args.depends_on, *more])


def workload_options(parent: pulumi.Resource, args: SampleArgs, *more: pulumi.Resource) -> pulumi.ResourceOptions:
    return object_options(parent, args, *args.needs, *more)
