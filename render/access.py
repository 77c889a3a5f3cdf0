"""The access review: who can reach the cluster, as whom, in which groups, allowed to do what.

Built from what the program registered — the cluster's aws-auth mappings and instance roles,
the access entries and their policy associations, the RBAC bindings — not from the config,
so it shows what `pulumi up` would really create. This is the table a reviewer reads before
approving a change to who can reach the cluster.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml

from eks_platform.runner.engine import RunResult

from .exposure import exposure_lines, exposure_review
from .plan import mask

NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}"
CLUSTER = "aws:eks/cluster:Cluster"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ACCESS_COMPONENT = "eks-platform:index:AwsAuth"
BINDINGS = (
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
)
DEPLOYER_UNSET = (
    "access.deployer is not set: whichever identity runs `pulumi up` becomes cluster admin (EKS gives the "
    "cluster's creator an admin access entry); set it to your CI role so this review names it"
)


def _group_grants(result: RunResult) -> dict[str, list[str]]:
    grants: dict[str, list[str]] = defaultdict(list)
    for resource in result.resources:
        if resource.type not in BINDINGS:
            continue
        role = resource.inputs["roleRef"]["name"]
        namespace = resource.inputs.get("metadata", {}).get("namespace")
        for subject in resource.inputs.get("subjects", []):
            if subject.get("kind") == "Group":
                grants[subject["name"]].append(f"{role} in {namespace}" if namespace else f"{role} (cluster-wide)")
    grants["system:masters"].append("cluster-admin (system:masters, not limited by RBAC)")
    return grants


def aws_auth_entries(result: RunResult) -> tuple[list[dict], list[dict]]:
    """(mapRoles, mapUsers) of the aws-auth ConfigMap the stack writes (pulumi-eks creates it)."""
    for config_map in result.of_type(CONFIG_MAP):
        metadata = config_map.inputs.get("metadata", {})
        if (metadata.get("name"), metadata.get("namespace")) == ("aws-auth", "kube-system"):
            data = config_map.inputs.get("data", {})
            return yaml.safe_load(data.get("mapRoles") or "[]") or [], yaml.safe_load(
                data.get("mapUsers") or "[]"
            ) or []
    return [], []


def access_review(result: RunResult) -> dict[str, Any]:
    clusters = result.of_type(CLUSTER)
    if not clusters:
        return {}
    access_config = clusters[0].inputs.get("accessConfig", {})
    mode = access_config.get("authenticationMode", "CONFIG_MAP")
    grants = _group_grants(result)

    def describe(groups: list[str]) -> list[str]:
        found = [g for group in groups for g in grants.get(group, [f"nothing: no binding for {group}"])]
        return sorted(set(found))

    rows = []
    map_roles, map_users = aws_auth_entries(result)
    for m in map_roles:
        if m.get("username") == NODE_USERNAME:
            rows.append(
                _row(m["rolearn"], "aws-auth (node role)", NODE_USERNAME, m["groups"], lambda _: ["node (built-in)"])
            )
        else:
            rows.append(_row(m["rolearn"], "aws-auth mapRoles", m.get("username"), m.get("groups", []), describe))
    for m in map_users:
        rows.append(_row(m["userarn"], "aws-auth mapUsers", m.get("username"), m.get("groups", []), describe))
    if mode == "API":
        for node_group in result.of_type(NODE_GROUP):
            arn = node_group.inputs.get("nodeRoleArn")
            rows.append(_row(arn, "access entry (EKS, node role)", NODE_USERNAME, ["system:nodes"], lambda _: ["node"]))

    policies: dict[str, list[str]] = defaultdict(list)
    for assoc in result.of_type(ASSOCIATION):
        scope = assoc.inputs.get("accessScope", {})
        where = "cluster" if scope.get("type") == "cluster" else f"namespaces {', '.join(scope.get('namespaces', []))}"
        policies[assoc.inputs["principalArn"]].append(f"{assoc.inputs['policyArn'].rsplit('/', 1)[-1]} ({where})")
    for entry in result.of_type(ENTRY):
        arn = entry.inputs["principalArn"]
        row = _row(
            arn, "access entry", entry.inputs.get("userName"), entry.inputs.get("kubernetesGroups", []), describe
        )
        row["grants"] = sorted(row["grants"] + policies.get(arn, []))
        rows.append(row)

    warnings = sorted(w for w in result.warnings if w.startswith("eks-platform:access"))
    if access_config.get("bootstrapClusterCreatorAdminPermissions", True):
        components = result.of_type(ACCESS_COMPONENT)
        deployer = components[0].outputs.get("deployer") if components else None
        admin = "cluster-admin (system:masters)" if mode == "CONFIG_MAP" else "AmazonEKSClusterAdminPolicy (cluster)"
        rows.append(
            _row(deployer or "(whoever runs `pulumi up`)", "cluster creator (EKS)", None, [], lambda _: [admin])
        )
        if not deployer:
            warnings.append(DEPLOYER_UNSET)

    return {
        "authenticationMode": mode,
        "identities": sorted(mask(rows), key=lambda r: (r["identity"], r["via"])),
        "exposure": exposure_review(result),
        "warnings": warnings,
    }


def _row(identity: str, via: str, username: str | None, groups: list[str], describe) -> dict[str, Any]:
    return {
        "identity": identity,
        "via": via,
        "username": username or "(set by EKS)",
        "groups": list(groups),
        "grants": describe(list(groups)),
    }


def access_text(review: dict[str, Any]) -> str:
    if not review:
        return ""
    header = ("identity", "via", "username", "groups", "grants")
    table = [header] + [
        (r["identity"], r["via"], r["username"], ", ".join(r["groups"]) or "-", "; ".join(r["grants"]) or "-")
        for r in review["identities"]
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = [f"Access (authenticationMode {review['authenticationMode']}):"]
    for row in table:
        lines.append("    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
    lines += exposure_lines(review.get("exposure") or [])
    lines += [f"    ! {w}" for w in review["warnings"]]
    return "\n".join(lines) + "\n"
