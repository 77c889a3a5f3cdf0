"""The region and its Availability Zones: a region AWS does not have, or more zones than the region
offers EKS, is a config error before anything is created (the zone table: components/zones.py).

Without this check a created VPC asks `aws.get_availability_zones` for more zones than there are and
`pulumi up` stops after the VPC exists; an unknown region fails at the first API call.
"""

from __future__ import annotations

import difflib

from eks_platform.components.zones import EKS_UNSUPPORTED_ZONE_IDS, ZONES, eks_zones

from .model import NetworkConfig
from .problems import Problem, key_path, show


def zone_problems(region: str, network: NetworkConfig | None) -> list[Problem]:
    zones = eks_zones(region)
    if zones is None:
        guesses = difflib.get_close_matches(region, list(ZONES), n=2, cutoff=0.8)
        hint = f"did you mean {' or '.join(guesses)}? " if guesses else ""
        return [
            Problem(
                "aws:region",
                f"{show(region)} is not an AWS region the platform knows the zones of; {hint}"
                f"the regions of the aws, aws-cn and aws-us-gov partitions are: {', '.join(ZONES)}",
            )
        ]
    if network is None or not network.creates_vpc or network.availability_zones <= len(zones):
        return []
    refused = [zone_id for _, zone_id in ZONES[region] if zone_id in EKS_UNSUPPORTED_ZONE_IDS]
    besides = f" (EKS refuses cluster subnets in {', '.join(refused)})" if refused else ""
    return [
        Problem(
            key_path("network", "availabilityZones"),
            f"{network.availability_zones} is more than {region} offers: {len(zones)} Availability Zones EKS "
            f"accepts{besides}: {', '.join(name for name, _ in zones)}; use at most {len(zones)}",
        )
    ]
