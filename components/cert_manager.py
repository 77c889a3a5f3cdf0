"""CertManager: the EKS community add-on `cert-manager` (certificates from Issuers), and, given Route 53 hosted
zones, an IAM role through EKS Pod Identity with which it answers ACME DNS-01 challenges in exactly those zones.

The add-on runs in namespace `cert-manager` (EKS User Guide, "Community add-ons"); its controller's service
account is the chart's `cert-manager.serviceAccountName`, the release's full name `cert-manager`
(cert-manager deploy/charts/cert-manager/templates/_helpers.tpl), which the Pod Identity association names.
A ClusterIssuer's route53 solver then uses those ambient credentials (cert-manager's
--cluster-issuer-ambient-credentials, on by default; a namespaced Issuer needs --issuer-ambient-credentials).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .addons import Addons, AddonsArgs, AddonSpec
from .external_dns import hosted_zone_arns
from .service_account_role import ServiceAccountRole, ServiceAccountRoleArgs

NAMESPACE = "cert-manager"
SERVICE_ACCOUNT = "cert-manager"


def iam_policy(zone_ids: Sequence[str], partition: str) -> str:
    """Upstream's (cert-manager docs, configuration/acme/dns01/route53.md, cert-manager/website @ 061b898f) with
    `hostedzone/*` narrowed to the zones given, and record changes limited to TXT records (the only type a
    DNS-01 challenge writes; Route 53's route53:ChangeResourceRecordSetsRecordTypes condition key)."""
    zones = hosted_zone_arns(zone_ids, partition)
    statements = [
        {
            "Sid": "ChallengeStatus",
            "Effect": "Allow",
            "Action": ["route53:GetChange"],
            "Resource": f"arn:{partition}:route53:::change/*",
        },
        {
            "Sid": "ChallengeRecordsInTheGivenZones",
            "Effect": "Allow",
            "Action": ["route53:ChangeResourceRecordSets"],
            "Resource": zones,
            "Condition": {"ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]}},
        },
        {"Sid": "ReadRecords", "Effect": "Allow", "Action": ["route53:ListResourceRecordSets"], "Resource": zones},
        {"Sid": "FindZones", "Effect": "Allow", "Action": ["route53:ListHostedZonesByName"], "Resource": "*"},
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


@dataclass(frozen=True)
class CertManagerArgs:
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    addon: AddonSpec = field(default_factory=lambda: AddonSpec("cert-manager"))
    """The add-on's version (None: EKS's default for the cluster's Kubernetes version); its name is cert-manager."""
    zone_ids: Sequence[str] = ()
    """Route 53 hosted zones for DNS-01 challenges; none: no IAM role (HTTP-01 and private CAs need none)."""
    partition: str = "aws"
    tags: Mapping[str, str] = field(default_factory=dict)
    wait_for: Sequence[pulumi.Resource] = ()
    """Its pods are Deployments: the add-on is created once these (node groups) exist."""

    def __post_init__(self):
        if self.addon.name != "cert-manager":
            raise ValueError(f"CertManager: args.addon is {self.addon.name!r}; it must be cert-manager")


class CertManager(pulumi.ComponentResource):
    addon: aws.eks.Addon
    role: ServiceAccountRole | None

    def __init__(self, name: str, args: CertManagerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:CertManager", name, None, opts)
        self.role = None
        ready: list[pulumi.Resource] = []
        if args.zone_ids:
            # Pod Identity only: the add-on's service account cannot carry an IRSA annotation from here.
            self.role = ServiceAccountRole(
                f"{name}-role",
                ServiceAccountRoleArgs(
                    cluster_name=args.cluster_name,
                    namespace=NAMESPACE,
                    service_account=SERVICE_ACCOUNT,
                    inline_policy=iam_policy(args.zone_ids, args.partition),
                    tags=args.tags,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            # The agent hands credentials only to pods created after the association: it comes first.
            ready = self.role.ready
        addons = Addons(
            f"{name}-addon",
            AddonsArgs(
                cluster_name=args.cluster_name,
                kubernetes_version=args.kubernetes_version,
                addons=[args.addon],
                tags=args.tags,
                depends_on=[*ready, *args.wait_for],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.addon = addons.by_name["cert-manager"]
        self.register_outputs({"roleArn": self.role.arn if self.role else None, "zones": list(args.zone_ids)})
