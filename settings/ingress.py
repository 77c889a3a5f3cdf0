"""`eks-platform:workloads.ingress`: the sample Deployment (`web`) behind an Application Load Balancer.

The AWS Load Balancer Controller (platformAddons.awsLoadBalancerController) makes the ALB for the
Ingress: scheme `internal` (reachable from the VPC and what is routed to it) or `internet-facing`,
one HTTP listener on `port`, targets the pods' own IPs (`target-type: ip`, so the ALB reaches the pods
wherever they land, through the VPC CNI's addresses). The controller picks the subnets by their role
tags: `kubernetes.io/role/internal-elb` for internal, `kubernetes.io/role/elb` for internet-facing (the
Network component tags the subnets it creates; an existing VPC's subnets must carry them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .fields import Section, one_of
from .model import NetworkConfig
from .problems import Problem, key_path

if TYPE_CHECKING:  # platform_addons imports workloads, which holds this section
    from .platform_addons import PlatformAddonsConfig

SCHEMES = ("internal", "internet-facing")


class IngressConfig(Section):
    enabled: bool = False
    scheme: Annotated[str, one_of(SCHEMES)] = "internal"
    port: int = Field(default=80, ge=1, le=65535)
    """The ALB's HTTP listener port (its target is the pods' port 8080)."""


def ingress_problems(
    workloads: Any, platform_addons: PlatformAddonsConfig | None, network: NetworkConfig | None
) -> Iterator[Problem]:
    """What would leave the Ingress without a load balancer, or without a Deployment behind it."""
    ingress: IngressConfig = workloads.ingress
    if not ingress.enabled:
        return
    where = key_path("workloads", "ingress", "enabled")
    if not workloads.enabled:
        yield Problem(where, "true, but workloads.enabled is false: the Ingress exposes the sample Deployment")
    elif not workloads.deployment.enabled:
        yield Problem(
            where, "true, but workloads.deployment.enabled is false: the Ingress exposes the sample Deployment"
        )
    if platform_addons is not None and not platform_addons.aws_load_balancer_controller.enabled:
        yield Problem(
            where,
            "true, but platformAddons.awsLoadBalancerController.enabled is false: nothing would make its load "
            "balancer, and `pulumi up` would wait 10 minutes for the Ingress's address and fail",
        )
    if ingress.scheme == "internet-facing" and network and not network.creates_vpc and not network.public_subnet_ids:
        yield Problem(
            key_path("workloads", "ingress", "scheme"),
            '"internet-facing" needs public subnets (network.publicSubnetIds), and the existing VPC lists none',
        )
