"""`eks-platform:platformAddons`: what a cluster a team ships to needs on day one beyond the five core
add-ons — metrics-server and the AWS Load Balancer Controller (on by default), ExternalDNS and
cert-manager (off until given the Route 53 hosted zones they may change).

A section of its own rather than more keys under `eks-platform:addons`: that section is the EKS add-ons
every cluster runs (no `enabled`, each pinned or at EKS's default version); these can be switched off,
carry settings of their own (hosted zones, a record policy), and two of them are Helm releases whose
chart version is pinned with the code, next to the IAM policy written for that version. The two that EKS
offers as community add-ons and that need no configuration from the platform — metrics-server and
cert-manager (EKS User Guide, "Community add-ons": add-on names `metrics-server`, `cert-manager`) — are EKS
add-ons like the core five: pinned (`version`) or at EKS's default for the cluster's Kubernetes version.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from .addons import Addon, addon_version_error
from .controller_placement import controller_workload
from .fields import Section, checked, one_of
from .model import NodeGroupConfig
from .problems import Problem, key_path, show
from .workloads import Workload

# Route 53 hosted zone ids: "Z" and upper-case letters and digits, at most 32 characters (Route 53 API
# reference, HostedZone.Id: "ResourceId", max length 32; the API returns it as /hostedzone/<id>).
_HOSTED_ZONE = re.compile(r"^Z[A-Z0-9]{1,31}$")
SECTION = "platformAddons"


def hosted_zone_error(text: str) -> str | None:
    if text.startswith("/hostedzone/"):
        return f"is the API's path; give the id alone ({text.removeprefix('/hostedzone/')})"
    if not _HOSTED_ZONE.match(text):
        return "is not a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ (Z, then capital letters and digits)"
    return None


AddonVersion = Annotated[str, checked(addon_version_error)]
HostedZoneId = Annotated[str, checked(hosted_zone_error)]


class MetricsServerConfig(Section):
    """`kubectl top` and HorizontalPodAutoscalers read the metrics API it serves."""

    enabled: bool = True
    version: AddonVersion | None = None
    configuration_values: dict[str, Any] = Field(default_factory=dict)


class LoadBalancerControllerConfig(Section):
    """Load balancers for Ingresses (ALB) and Services of type LoadBalancer (NLB)."""

    enabled: bool = True


class ExternalDnsConfig(Section):
    """DNS records in Route 53 for the hostnames of Ingresses and Services."""

    enabled: bool = False
    hosted_zone_ids: tuple[HostedZoneId, ...] = ()
    # upsert-only never deletes a record; sync also deletes the records of objects that are gone
    # (ExternalDNS --policy; its chart's default is upsert-only).
    policy: Annotated[str, one_of(("upsert-only", "sync"))] = "upsert-only"


class CertManagerConfig(Section):
    """Certificates from Issuers; with hosted zones, ACME DNS-01 challenges answered in Route 53."""

    enabled: bool = False
    version: AddonVersion | None = None
    hosted_zone_ids: tuple[HostedZoneId, ...] = ()


class PlatformAddonsConfig(Section):
    metrics_server: MetricsServerConfig = MetricsServerConfig()
    aws_load_balancer_controller: LoadBalancerControllerConfig = LoadBalancerControllerConfig()
    external_dns: ExternalDnsConfig = ExternalDnsConfig()
    cert_manager: CertManagerConfig = CertManagerConfig()


# The controllers' pods, placed like the Cluster Autoscaler (settings/controller_placement.py) and counted in
# capacity (settings/platform_pods.py). The Load Balancer Controller: its chart's replicaCount (2: one leader,
# one standby that also answers the webhooks) and the requests its values.yaml suggests (aws/eks-charts
# stable/aws-load-balancer-controller/values.yaml @ 5239609, resources: 100m / 128Mi, commented out there).
# ExternalDNS: one replica (its chart's Deployment has no replica setting) and the platform's own requests
# (the chart sets none: kubernetes-sigs/external-dns charts/external-dns/values.yaml @ chart 1.21.1).
LOAD_BALANCER_CONTROLLER_KEY = f"{SECTION}.awsLoadBalancerController"
LOAD_BALANCER_CONTROLLER_REPLICAS = 2
LOAD_BALANCER_CONTROLLER_REQUESTS = {"cpu": "100m", "memory": "128Mi"}
EXTERNAL_DNS_KEY = f"{SECTION}.externalDns"
EXTERNAL_DNS_REQUESTS = {"cpu": "50m", "memory": "100Mi"}


@dataclass(frozen=True)
class PlatformAddons:
    """What the stack runs of them: EKS add-ons, placed controllers, the zones a controller may change."""

    metrics_server: Addon | None = None
    load_balancer_controller: Workload | None = None
    external_dns: Workload | None = None
    external_dns_zones: tuple[str, ...] = ()
    external_dns_policy: str = "upsert-only"
    cert_manager: Addon | None = None
    cert_manager_zones: tuple[str, ...] = ()


def plan_platform_addons(
    config: PlatformAddonsConfig, groups: Sequence[NodeGroupConfig]
) -> tuple[PlatformAddons, list[str]]:
    m, c, d = config.metrics_server, config.cert_manager, config.external_dns
    warnings: list[str] = []
    controller = dns = None
    if config.aws_load_balancer_controller.enabled:
        controller, found = controller_workload(
            None, LOAD_BALANCER_CONTROLLER_REQUESTS, groups, "the AWS Load Balancer Controller",
            "load balancers stop following their targets (and new Services wait for its webhook)",
        )  # fmt: skip
        warnings += found
    if d.enabled:
        dns, found = controller_workload(
            None, EXTERNAL_DNS_REQUESTS, groups, "ExternalDNS", "DNS records stop changing"
        )
        warnings += found
    # Both EKS add-ons run Deployments: created once there are nodes; removing one removes its software.
    plan = PlatformAddons(
        metrics_server=Addon("metrics-server", m.version, dict(m.configuration_values), True, False)
        if m.enabled
        else None,
        load_balancer_controller=controller,
        external_dns=dns,
        external_dns_zones=tuple(d.hosted_zone_ids) if d.enabled else (),
        external_dns_policy=d.policy,
        cert_manager=Addon("cert-manager", c.version, {}, True, False) if c.enabled else None,
        cert_manager_zones=tuple(c.hosted_zone_ids) if c.enabled else (),
    )
    return plan, warnings


def platform_addon_problems(config: PlatformAddonsConfig, service_account_roles: str | None) -> Iterator[Problem]:
    """The rules between the section's keys (and the cluster's `serviceAccountRoles`)."""
    dns = config.external_dns
    if dns.enabled and not dns.hosted_zone_ids:
        yield Problem(
            key_path(SECTION, "externalDns", "hostedZoneIds"),
            "is empty, but externalDns is enabled: list the Route 53 hosted zones it may change (its IAM role "
            "covers exactly those), or set enabled: false",
        )
    for key, zones in (("externalDns", dns.hosted_zone_ids), ("certManager", config.cert_manager.hosted_zone_ids)):
        for zone, count in Counter(zones).items():
            if count > 1:
                index = zones.index(zone, zones.index(zone) + 1)
                yield Problem(key_path(SECTION, key, "hostedZoneIds", index), f"{show(zone)} is listed {count} times")
    cert = config.cert_manager
    if cert.enabled and cert.hosted_zone_ids and service_account_roles == "irsa":
        yield Problem(
            key_path(SECTION, "certManager", "hostedZoneIds"),
            "needs an IAM role for cert-manager's service account, which the EKS add-on creates without the "
            "eks.amazonaws.com/role-arn annotation IRSA needs; use cluster.serviceAccountRoles: podIdentity "
            "(the default), or leave the zones out",
        )
