"""A large, valid stack config for the benchmark: 50 node groups with labels and taints."""

from __future__ import annotations

from typing import Any

NODE_GROUPS = 50


def large_config() -> dict[str, Any]:
    groups = []
    for i in range(NODE_GROUPS):
        groups.append(
            {
                "name": f"pool-{i:02d}",
                "instanceTypes": ["m6i.large", "m5.large"] if i % 2 else ["m7g.large"],
                "amiType": "AL2023_x86_64_STANDARD" if i % 2 else "AL2023_ARM_64_STANDARD",
                "minSize": 1,
                "maxSize": 4,
                "labels": {"platform.example.com/pool": f"pool-{i:02d}", "team": f"team-{i % 7}"},
                "taints": [{"key": "platform.example.com/dedicated", "value": f"pool-{i:02d}", "effect": "NoSchedule"}]
                if i % 3 == 0
                else [],
            }
        )
    return {
        "aws:region": "eu-west-1",
        "eks-platform:cluster": {"publicAccessCidrs": ["198.51.100.0/24"], "deletionProtection": True},
        "eks-platform:network": {"vpcCidr": "10.30.0.0/16", "availabilityZones": 3, "natGateways": "perAz"},
        "eks-platform:nodeGroups": groups,
    }
