"""Rules of the cluster's API endpoint: who can reach it, and whether the nodes still can.

Source: Amazon EKS User Guide, "Control network access to cluster API server endpoint"
(awsdocs/amazon-eks-user-guide latest/ug/clusters/cluster-endpoint.adoc @ 4d52b4d0).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from . import syntax
from .problems import Problem, key_path, show
from .rules import Parsed, rule


@rule
def endpoint_reachable(p: Parsed) -> Iterator[Problem]:
    c = p.cluster
    if c and not c.endpoint_public_access and not c.endpoint_private_access:
        yield Problem(
            key_path("cluster", "endpointPrivateAccess"),
            "endpointPublicAccess and endpointPrivateAccess are both false; at least one "
            "must be true or nothing can reach the Kubernetes API",
        )


@rule
def public_cidrs_need_public_endpoint(p: Parsed) -> Iterator[Problem]:
    c = p.cluster
    if c and c.public_access_cidrs and not c.endpoint_public_access:
        yield Problem(
            key_path("cluster", "publicAccessCidrs"),
            f"{show(list(c.public_access_cidrs))} is set but endpointPublicAccess is false; "
            "remove publicAccessCidrs or set endpointPublicAccess: true",
        )


@rule
def public_cidrs_are_public(p: Parsed) -> Iterator[Problem]:
    # EKS rejects private ranges in publicAccessCidrs at CreateCluster time.
    c = p.cluster
    for i, cidr in enumerate(c.public_access_cidrs if c else ()):
        net = ipaddress.IPv4Network(cidr)
        if any(net.overlaps(r) for r in syntax.NON_PUBLIC_RANGES) and net.prefixlen > 0:
            yield Problem(
                key_path("cluster", "publicAccessCidrs", i),
                f"{show(cidr)} is not a public range; the public endpoint only sees public "
                "source addresses (reach it from inside the VPC with endpointPrivateAccess)",
            )


@rule
def nodes_reach_a_restricted_endpoint(p: Parsed) -> Iterator[Problem]:
    # "Without the private endpoint enabled, your public access endpoint CIDR sources must include the egress
    # sources from your VPC": the NAT gateways' addresses (allocated at `pulumi up`, unknown to a preview) or,
    # in public subnets, each node's own address. Adding them by itself would widen the allow-list to everything
    # that leaves the VPC, and an existing VPC's egress addresses are not known here: so it is refused.
    c = p.cluster
    if not c or c.endpoint_private_access or not c.public_access_cidrs or "0.0.0.0/0" in c.public_access_cidrs:
        return
    yield Problem(
        key_path("cluster", "endpointPrivateAccess"),
        f"false with publicAccessCidrs {', '.join(c.public_access_cidrs)}: nodes would reach the API through the "
        "public endpoint from addresses the list does not hold (their NAT gateways', or their own in public "
        "subnets), and never join the cluster; set endpointPrivateAccess: true (EKS recommends it with an "
        "allow-list: nodes then stay inside the VPC), or remove publicAccessCidrs",
    )
