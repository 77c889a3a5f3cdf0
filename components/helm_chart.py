"""A Helm chart pinned to one version, installed as a `kubernetes.helm.sh/v3.Release`.

Why a Release and not the v4 Chart: a Release is one custom resource of the Kubernetes provider, so the
engine (and the offline render, on the mock engine) sees the chart, its version, its repository and the
values it is installed with as the resource's inputs; Helm expands the chart's manifests inside the
provider at preview and up. The v4 Chart is a multi-language component: under mocks it registers as one
opaque resource with none of its children, and at preview it needs the chart downloaded. The price: a
Release's objects are not resources of the stack (`pulumi preview` shows the Release changing, not which
of its objects do), and Helm does not upgrade a chart's CRDs (crds/) on a version bump.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s


@dataclass(frozen=True)
class HelmChart:
    repository: str
    """The chart repository's URL (`helm repo add`)."""
    chart: str
    version: str
    """The chart's version, pinned: a new one comes with a change of this file, reviewed."""
    app_version: str
    """The application version the chart ships (its appVersion), for the render and the docs."""
    source: str
    """Where the pin was read."""


def pod_values(
    requests: Mapping[str, str] | None, node_selector: Mapping[str, str], tolerations: Sequence[Mapping[str, str]]
) -> dict[str, Any]:
    """Where a chart's pods run and what they ask for, in the keys most charts share (`resources`, `nodeSelector`,
    `tolerations`); requests are the limits too. Empty ones are left to the chart's defaults."""
    values: dict[str, Any] = {}
    if requests:
        values["resources"] = {"requests": dict(requests), "limits": dict(requests)}
    if node_selector:
        values["nodeSelector"] = dict(node_selector)
    if tolerations:
        values["tolerations"] = [dict(t) for t in tolerations]
    return values


def helm_release(
    name: str,
    chart: HelmChart,
    namespace: str,
    values: pulumi.Input[Mapping[str, Any]],
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
    depends_on: Sequence[pulumi.Resource] = (),
) -> k8s.helm.v3.Release:
    """The release, named after the chart: its objects get the chart's own names (a generated release name
    would put a random suffix on the Deployment, its service account and its webhook Service)."""
    return k8s.helm.v3.Release(
        name,
        name=chart.chart,
        chart=chart.chart,
        version=chart.version,
        repository_opts={"repo": chart.repository},
        namespace=namespace,
        values=values,
        # A failed upgrade rolls back to the release that worked, rather than leaving a half-applied one.
        atomic=True,
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, depends_on=list(depends_on)),
    )
