"""How a created VPC's address space is split into subnets, one private and one public per AZ.

Pods take their IPs from the private subnets (VPC CNI), so those get the first half of the
VPC in equal blocks. Public subnets only hold load balancers and NAT gateways: they get
blocks a quarter that size from the second half, but never smaller than AWS's /28 minimum.
Adding AZs later keeps the existing blocks where they are, as long as the power-of-two slot
count does not grow (2 -> 2, 3 -> 4, 5..6 -> 8).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

SMALLEST_SUBNET_PREFIX = 28


@dataclass(frozen=True)
class SubnetBlock:
    az_index: int
    private_cidr: str
    public_cidr: str


def plan_subnets(vpc_cidr: str, az_count: int) -> tuple[SubnetBlock, ...]:
    vpc = ipaddress.IPv4Network(vpc_cidr)
    private_half, public_half = vpc.subnets(prefixlen_diff=1)
    slot_bits = math.ceil(math.log2(az_count)) if az_count > 1 else 0
    private_prefix = private_half.prefixlen + slot_bits
    public_prefix = min(private_prefix + 2, SMALLEST_SUBNET_PREFIX)
    if private_prefix > SMALLEST_SUBNET_PREFIX:
        raise ValueError(f"{vpc_cidr} is too small for {az_count} availability zones")
    private = list(private_half.subnets(new_prefix=private_prefix))
    public = list(public_half.subnets(new_prefix=public_prefix))
    return tuple(SubnetBlock(i, str(private[i]), str(public[i])) for i in range(az_count))
