"""The access review: who can reach the cluster, as whom, in which groups, allowed to do what.

Built from what the program registered — the cluster's aws-auth mappings and instance roles,
the access entries and their policy associations, the RBAC bindings — not from the config,
so it shows what `pulumi up` would really create. This is the table a reviewer reads before
approving a change to who can reach the cluster.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from runner.engine import RunResult

from .plan import mask

NODE_USERNAME = "system:node:{{EC2PrivateDNSName}}"
NODE_GROUPS = ["system:bootstrappers", "system:nodes"]
CLUSTER = "eks:index:Cluster"
ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
ROLE = "aws:iam/role:Role"
MNG = "eks:index:ManagedNodeGroup"
BINDINGS = (
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
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


def access_review(result: RunResult) -> dict[str, Any]:
    clusters = result.of_type(CLUSTER)
    if not clusters:
        return {}
    cluster = clusters[0].inputs
    mode = cluster.get("authenticationMode", "CONFIG_MAP")
    grants = _group_grants(result)
    role_arns = {r.outputs.get("id"): r.outputs.get("arn") for r in result.of_type(ROLE)}

    def describe(groups: list[str]) -> list[str]:
        found = [g for group in groups for g in grants.get(group, [f"nothing: no binding for {group}"])]
        return sorted(set(found))

    rows = []
    for m in cluster.get("roleMappings", []):
        rows.append(_row(m["roleArn"], "aws-auth mapRoles", m.get("username"), m.get("groups", []), describe))
    for m in cluster.get("userMappings", []):
        rows.append(_row(m["userArn"], "aws-auth mapUsers", m.get("username"), m.get("groups", []), describe))
    node_roles = {role_arns.get(r, r) for r in cluster.get("instanceRoles", [])}
    for arn in sorted(node_roles):
        rows.append(_row(arn, "aws-auth (node role)", NODE_USERNAME, NODE_GROUPS, lambda _: ["node (built-in)"]))
    if mode == "API":
        for mng in result.of_type(MNG):
            arn = role_arns.get(mng.inputs.get("nodeRole"), mng.inputs.get("nodeRole"))
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

    return {
        "authenticationMode": mode,
        "identities": sorted(mask(rows), key=lambda r: (r["identity"], r["via"])),
        "warnings": sorted(w for w in result.warnings if w.startswith("eks-platform:access")),
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
    lines += [f"    ! {w}" for w in review["warnings"]]
    return "\n".join(lines) + "\n"
