"""PlatformAddons: metrics-server, the AWS Load Balancer Controller, ExternalDNS and cert-manager, in the order
`pulumi up` must create them.

The Load Balancer Controller's chart registers a webhook every new Service goes through, refused while no
controller pod answers it (components/load_balancer_controller.py). So the EKS add-ons that create Services
(metrics-server's, cert-manager's webhook, and those passed in `create_services_first`) are created before its
release, and what creates Services afterwards — ExternalDNS's release here, the caller's workloads through
`services_wait_for` — waits until the release is ready.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from .addons import Addons, AddonsArgs, AddonSpec
from .cert_manager import CertManager, CertManagerArgs
from .external_dns import ExternalDns, ExternalDnsArgs
from .load_balancer_controller import AwsLoadBalancerController, AwsLoadBalancerControllerArgs


@dataclass(frozen=True)
class PlatformAddonsArgs:
    cluster_name: pulumi.Input[str]
    kubernetes_version: str
    metrics_server: AddonSpec | None = None
    """The metrics-server EKS add-on (its name must be metrics-server); None: not installed."""
    load_balancer_controller: AwsLoadBalancerControllerArgs | None = None
    external_dns: ExternalDnsArgs | None = None
    cert_manager: CertManagerArgs | None = None
    create_services_first: Sequence[pulumi.Resource] = ()
    """Other creators of Services (EKS add-ons such as coredns): created before the controller's webhook."""
    wait_for: Sequence[pulumi.Resource] = ()
    """The node groups: the add-ons' pods need nodes."""
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.metrics_server is not None and self.metrics_server.name != "metrics-server":
            raise ValueError(f"PlatformAddons: args.metrics_server is {self.metrics_server.name!r}; metrics-server")


class PlatformAddons(pulumi.ComponentResource):
    load_balancer_controller: AwsLoadBalancerController | None
    services_wait_for: list[pulumi.Resource]
    """What a new Service must wait for: the controller's release, once its webhook answers."""

    def __init__(self, name: str, args: PlatformAddonsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:PlatformAddons", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        first: list[pulumi.Resource] = list(args.create_services_first)
        if args.metrics_server is not None:
            metrics = Addons(
                "metrics-server",
                AddonsArgs(args.cluster_name, args.kubernetes_version, [args.metrics_server], args.tags, args.wait_for),
                opts=child,
            )
            first += metrics.by_name.values()
        if args.cert_manager is not None:
            cert_manager = CertManager(
                "cert-manager",
                dataclasses.replace(args.cert_manager, wait_for=[*args.cert_manager.wait_for, *args.wait_for]),
                opts=child,
            )
            first.append(cert_manager.addon)
        self.load_balancer_controller = None
        self.services_wait_for = []
        if args.load_balancer_controller is not None:
            lbc = args.load_balancer_controller
            self.load_balancer_controller = AwsLoadBalancerController(
                "aws-load-balancer-controller",
                dataclasses.replace(lbc, depends_on=[*lbc.depends_on, *first]),
                opts=child,
            )
            self.services_wait_for = [self.load_balancer_controller.release]
        if args.external_dns is not None:
            dns = args.external_dns
            ExternalDns(
                "external-dns",
                dataclasses.replace(dns, depends_on=[*dns.depends_on, *self.services_wait_for]),
                opts=child,
            )
        self.register_outputs(
            {
                "metricsServer": args.metrics_server is not None,
                "awsLoadBalancerController": self.load_balancer_controller is not None,
                "externalDns": args.external_dns is not None,
                "certManager": args.cert_manager is not None,
            }
        )
