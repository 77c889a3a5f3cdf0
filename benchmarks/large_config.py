"""A large, valid stack config for the benchmark: 50 node groups with labels and taints, 500
mapped identities (aws-auth roles and users, access entries) in 20 bound groups, and 100
workloads (the six samples plus extra Deployments spread over the node groups)."""

from __future__ import annotations

from typing import Any

NODE_GROUPS = 50
IDENTITIES = 500
GROUPS = 20
WORKLOADS = 100


def large_config() -> dict[str, Any]:
    return {
        "aws:region": "eu-west-1",
        "eks-platform:workloads": _workloads(),
        "eks-platform:access": _access(),
        "eks-platform:cluster": {"publicAccessCidrs": ["198.51.100.0/24"], "deletionProtection": True},
        "eks-platform:network": {"vpcCidr": "10.30.0.0/16", "availabilityZones": 3, "natGateways": "perAz"},
        "eks-platform:nodeGroups": _node_groups(),
    }


def _node_groups() -> list[dict[str, Any]]:
    """Half x86, half Graviton; every third tainted (dedicated to its pool)."""
    return [
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
        for i in range(NODE_GROUPS)
    ]


def _access() -> dict[str, Any]:
    """300 mapped roles, 150 mapped users and the rest as access entries, spread over the bound groups."""
    teams = [f"team-{g:02d}" for g in range(GROUPS)]
    roles = [
        {
            "rolearn": f"arn:aws:iam::111122223333:role/r-{i:03d}",
            "username": f"r-{i:03d}",
            "groups": [teams[i % GROUPS]],
        }
        for i in range(300)
    ]
    users = [
        {
            "userarn": f"arn:aws:iam::111122223333:user/u-{i:03d}",
            "username": f"u-{i:03d}",
            "groups": [teams[i % GROUPS]],
        }
        for i in range(150)
    ]
    entries = [
        {
            "principalArn": f"arn:aws:iam::444455556666:role/ci-{i:02d}",
            "groups": [teams[i % GROUPS]],
            "policies": [{"policy": "AmazonEKSViewPolicy", "scope": {"namespaces": [teams[i % GROUPS]]}}],
        }
        for i in range(IDENTITIES - len(roles) - len(users))
    ]
    bindings = {
        g: {"clusterRole": "edit", "namespaces": [g]} if i % 2 else {"clusterRole": "view"} for i, g in enumerate(teams)
    }
    return {"mapRoles": roles, "mapUsers": users, "accessEntries": entries, "groupBindings": bindings}


def _workloads() -> dict[str, Any]:
    """The six samples and extra Deployments, each on an untainted pool and preferring its team's nodes."""
    untainted = [i for i in range(NODE_GROUPS) if i % 3]
    extra = [
        {
            "name": f"app-{i:03d}",
            "replicas": 2,
            "nodeSelector": {"platform.example.com/pool": f"pool-{untainted[i % len(untainted)]:02d}"},
            "nodeAffinity": {
                "preferred": [
                    {"weight": 50, "matchExpressions": [{"key": "team", "operator": "In", "values": [f"team-{i % 7}"]}]}
                ]
            },
        }
        for i in range(WORKLOADS - 6)
    ]
    return {
        "enabled": True,
        "daemonSet": {"tolerations": [{"operator": "Exists"}]},
        "statefulSet": {"nodeSelector": {"platform.example.com/pool": "pool-01"}},
        "extraDeployments": extra,
    }
