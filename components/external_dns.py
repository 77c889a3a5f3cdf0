"""ExternalDNS: Route 53 records for the hostnames of Ingresses and Services, in the hosted zones it is given.

Upstream's Helm chart at a pinned version (kubernetes-sigs/external-dns), told to touch only the given zones
(`--zone-id-filter`), to own its records under the cluster's name (`--txt-owner-id`, so two clusters sharing
a zone leave each other's records alone), and an IAM role through EKS Pod Identity (or IRSA) with upstream's
policy scoped to exactly those zones and to the record types of upstream's ABAC example.

A Helm release rather than the EKS community add-on `external-dns`: the platform must set the zone
filter and the owner id, and the add-on's configuration schema (`aws eks describe-addon-configuration`)
cannot be read offline, whereas the chart's values are in its source at the pinned version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from .helm_chart import HelmChart, helm_release, pod_values
from .service_account_role import ControllerIdentity, ServiceAccountRole

NAMESPACE = "kube-system"
NAME = "external-dns"
POLICIES = ("upsert-only", "sync")
CHART = HelmChart(
    repository="https://kubernetes-sigs.github.io/external-dns/",
    chart="external-dns",
    version="1.21.1",
    app_version="v0.21.0",
    source="kubernetes-sigs/external-dns charts/external-dns/Chart.yaml @ tag external-dns-helm-chart-1.21.1",
)


def hosted_zone_arns(zone_ids: Sequence[str], partition: str) -> list[str]:
    return [f"arn:{partition}:route53:::hostedzone/{zone}" for zone in zone_ids]


# The record types upstream's ABAC example lets it change (docs/tutorials/aws.md, "IAM Permissions with ABAC"):
# never the zone's NS or SOA records.
RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT")


def iam_policy(zone_ids: Sequence[str], partition: str) -> str:
    """Upstream's policy (docs/tutorials/aws.md @ v0.21.0) with `hostedzone/*` narrowed to the zones given and
    record changes limited to upstream's ABAC record types; ListHostedZones takes no resource (Service
    Authorization Reference), so it stays on `*`."""
    zones = hosted_zone_arns(zone_ids, partition)
    statements = [
        {
            "Sid": "ChangeRecordsInTheGivenZones",
            "Effect": "Allow",
            "Action": ["route53:ChangeResourceRecordSets"],
            "Resource": zones,
            "Condition": {
                "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": list(RECORD_TYPES)}
            },
        },
        {
            "Sid": "ReadTheGivenZones",
            "Effect": "Allow",
            "Action": ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
            "Resource": zones,
        },
        {"Sid": "ListZones", "Effect": "Allow", "Action": ["route53:ListHostedZones"], "Resource": "*"},
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


@dataclass(frozen=True)
class ExternalDnsArgs(ControllerIdentity):
    cluster_name: pulumi.Input[str]
    """Its records' owner id (TXT registry): records another owner made are left alone."""
    region: str
    zone_ids: Sequence[str]
    """The Route 53 hosted zones it may change: at least one."""
    provider: pulumi.ProviderResource
    policy: str = "upsert-only"
    """upsert-only (never deletes a record) or sync (also deletes the records of objects that are gone)."""
    requests: Mapping[str, str] | None = None
    """CPU and memory, requested and the limit; None: the chart's default (none)."""
    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: Sequence[Mapping[str, str]] = ()
    lands_on: Sequence[pulumi.Resource] = ()
    """The node groups its pod can land on: the release waits for them."""
    depends_on: Sequence[pulumi.Resource] = ()

    def __post_init__(self):
        if not self.zone_ids:
            raise ValueError("ExternalDns: args.zone_ids is empty; give the hosted zones it may change")
        if self.policy not in POLICIES:
            raise ValueError(f"ExternalDns: args.policy is {self.policy!r}; one of {', '.join(POLICIES)}")
        self.check_identity("ExternalDns")


def chart_values(args: ExternalDnsArgs, cluster: str, role_arn: str | None) -> dict[str, Any]:
    """The chart's values (charts/external-dns/values.yaml @ the pinned chart)."""
    values: dict[str, Any] = {
        "provider": {"name": "aws"},
        # Upstream's Helm example sets the region (docs/tutorials/aws.md, "Using Helm").
        "env": [{"name": "AWS_DEFAULT_REGION", "value": args.region}],
        "serviceAccount": {"create": True, "name": NAME},
        "sources": ["service", "ingress"],
        "policy": args.policy,
        "registry": "txt",
        "txtOwnerId": cluster,
        "extraArgs": [f"--zone-id-filter={zone}" for zone in args.zone_ids],
        "priorityClassName": "system-cluster-critical",
        **pod_values(args.requests, args.node_selector, args.tolerations),
    }
    if role_arn:
        values["serviceAccount"]["annotations"] = {"eks.amazonaws.com/role-arn": role_arn}
    return values


class ExternalDns(pulumi.ComponentResource):
    release: k8s.helm.v3.Release
    role: ServiceAccountRole

    def __init__(self, name: str, args: ExternalDnsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ExternalDns", name, None, opts)
        self.role = ServiceAccountRole(
            f"{name}-role",
            args.role_args(args.cluster_name, NAMESPACE, NAME, iam_policy(args.zone_ids, args.partition)),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        # The role's ARN only where the service account must name it (IRSA): with Pod Identity the values are
        # known before the role exists.
        role_arn = self.role.arn if args.identity == "irsa" else None
        values = pulumi.Output.all(args.cluster_name, role_arn).apply(lambda v: chart_values(args, v[0], v[1]))
        first = [*self.role.ready, *args.lands_on, *args.depends_on]
        self.release = helm_release(name, CHART, NAMESPACE, values, args.provider, self, first)
        self.register_outputs({"roleArn": self.role.arn, "zones": list(args.zone_ids)})
