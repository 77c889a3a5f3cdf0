"""The changes a reviewer must not miss, each with its plain consequence, found in two renders.

What EKS users fear most in the trackers of pulumi-eks, terraform-aws-eks and eksctl: a cluster or a
node group replaced by accident, data lost with a volume, access that locks people out (or lets
someone in), and the guard rails themselves switched off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .changes import ResourceChange
from .ripple import because, paths_text

CLUSTER = "aws:eks/cluster:Cluster"
EKS_COMPONENT = "eks:index:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
KMS_KEY = "aws:kms/key:Key"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
NAMESPACE = "kubernetes:core/v1:Namespace"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
EXCLUSIVE_ATTACHMENTS = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"


@dataclass(frozen=True)
class Danger:
    kind: str
    subject: str
    consequence: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject} — {self.consequence}"


def _gone(change: ResourceChange) -> bool:
    return change.action in ("replace", "delete")


def _why(change: ResourceChange) -> str:
    """` (forced by subnetIds — its subnetIds come from subnet ..., which is replaced (cidrBlock))`."""
    forced = paths_text(change.forced_by) or ("its provider" if change.causes else "")
    chain = f" — {change.forced_because}" if change.forced_because else ""
    return f" (forced by {forced}{chain})" if forced else ""


# EKS User Guide, "View Amazon EKS networking requirements for VPC and subnets" (network-reqs): a
# cluster's subnets and security groups can be changed since October 2023 (UpdateClusterConfig), but
# new subnets must be in the VPC (and the Availability Zones) the cluster was created with.
_OTHER_VPC = (
    "EKS cannot move a cluster to another VPC (its subnets and security groups can change only within "
    "the VPC it was created in): `pulumi up` would build the new network, then fail updating the "
    "cluster. Build a new cluster instead (blue/green): a new stack, or a new cluster.name, on the new "
    "network; move the workloads and their data to it; point DNS and the StackReference consumers at "
    "it; then `pulumi destroy` the old one"
)


def vpc_dangers(changes: list[ResourceChange]) -> list[Danger]:
    """A cluster that stays while the VPC under it changes: what AWS cannot do at all."""
    gone = {c.urn for c in changes if c.type == CLUSTER and _gone(c)}
    found = []
    for c in changes:
        if c.type != EKS_COMPONENT or c.action == "delete" or not any(p.path == "vpcId" for p in c.properties):
            continue
        if any(x.urn in gone and x.entry.get("parent") == c.urn for x in changes):
            continue  # replaced anyway: the cluster replacement is the danger
        name = (c.entry.get("inputs") or {}).get("name", c.name)
        chain = because(c, {x.urn: x for x in changes}, only=("vpcId",))
        (vpc,) = [p for p in c.properties if p.path == "vpcId"]
        found.append(Danger("cluster cannot move to another VPC", f"{name} ({chain or vpc})", _OTHER_VPC))
    return found


def resource_dangers(changes: list[ResourceChange]) -> list[Danger]:
    found = []
    for c in changes:
        if c.refused:
            found.append(
                Danger(
                    "change the API server refuses",
                    f"{c.name}: {', '.join(c.refused)}",
                    "Pulumi plans it as an update and `pulumi up` fails half-way; recreate the object instead",
                )
            )
        if danger := _loss(c) or _protection_off(c):
            found.append(danger)
    return found


def _loss(c: ResourceChange) -> Danger | None:
    """What goes with a replaced or deleted resource: a cluster, nodes, a key, data, a namespace's objects."""
    verb = "replaced" if c.action == "replace" else "deleted"
    if c.type == CLUSTER and _gone(c):
        return Danger(
            f"cluster {verb}",
            f"{c.entry['inputs'].get('name', c.name)}{_why(c)}",
            "every workload, volume claim and in-cluster object is lost with the control plane",
        )
    if c.type == NODE_GROUP and _gone(c):
        return Danger(
            f"node group {verb}",
            f"{c.name}{_why(c)}",
            "every node is drained and every pod on it rescheduled"
            + (" onto a new group created first" if c.action == "replace" else ""),
        )
    if c.type == KMS_KEY and _gone(c):
        return Danger(
            f"KMS key {verb}",
            f"{c.name}{_why(c)}",
            "the key that encrypts the cluster's Secrets is scheduled for deletion",
        )
    if c.type == STATEFUL_SET and (
        _gone(c) or any(p.path.startswith("spec.volumeClaimTemplates") for p in c.properties)
    ):
        return Danger(
            "StatefulSet storage changed",
            f"{c.name}{_why(c)}",
            "its volume claims are recreated or orphaned: data on them can be lost",
        )
    if c.type in (CLAIM, STORAGE_CLASS) and _gone(c):
        return Danger(
            f"{c.type.rsplit(':', 1)[-1]} {c.action}d", f"{c.name}{_why(c)}", "volumes bound through it lose data"
        )
    if c.type == NAMESPACE and _gone(c):
        namespace = ((c.base or {}).get("inputs", {}).get("metadata") or {}).get("name", c.name)
        return Danger(
            f"namespace {c.action}d",
            f"{namespace}{_why(c)}",
            "every object in it is deleted with it (Kubernetes cascades)",
        )
    return None


def _protection_off(c: ResourceChange) -> Danger | None:
    """A cluster updated from deletion protection on to off."""
    if c.type != CLUSTER or c.action != "update":
        return None
    before = (c.base or {}).get("inputs", {}).get("deletionProtection")
    after = (c.head or {}).get("inputs", {}).get("deletionProtection")
    if before is True and after is not True:
        return Danger(
            "deletion protection turned off",
            c.entry["inputs"].get("name", c.name),
            "the cluster can now be deleted by a single call",
        )
    return None


def _attaches(entry: Mapping[str, Any], role: Any, policy: Any) -> bool:
    inputs = entry.get("inputs") or {}
    if entry.get("type") == ATTACHMENT:
        return inputs.get("role") == role and inputs.get("policyArn") == policy
    if entry.get("type") == EXCLUSIVE_ATTACHMENTS:
        return inputs.get("roleName") == role and policy in (inputs.get("policyArns") or ())
    return False


def detach_dangers(changes: list[ResourceChange], head_plan: Mapping[str, Any]) -> list[Danger]:
    """A policy attachment that moves to another resource: Pulumi creates the new one first and deletes
    the old one when the update ends, and that DetachRolePolicy call takes the policy off the role the
    new resource just gave it (IAM keeps one attachment per role and policy, not one per owner)."""
    found = []
    for c in changes:
        if c.type != ATTACHMENT or c.action != "delete":
            continue
        inputs = (c.base or {}).get("inputs") or {}
        role, policy = inputs.get("role"), inputs.get("policyArn")
        others = [
            e["name"] for e in head_plan.get("resources") or () if e.get("urn") != c.urn and _attaches(e, role, policy)
        ]
        if others:
            found.append(
                Danger(
                    "policy detached by a moved attachment",
                    f"{policy} on role {role} ({c.name} → {', '.join(sorted(others))})",
                    "deleting the old attachment at the end of `pulumi up` takes the policy off the role; "
                    "it is back only on the next `pulumi up`. Keep the old attachment (or alias the new one to it)",
                )
            )
    return found


def _grants(access: Mapping[str, Any]) -> dict[str, set[str]]:
    """Grants per identity; the platform's own node roles come and go with their node groups."""
    return {
        row["identity"]: {f"{g} ({row['via']})" for g in row["grants"]}
        for row in (access.get("identities") or [])
        if "node role" not in row["via"]
    }


def access_dangers(base_access: Mapping[str, Any], head_access: Mapping[str, Any]) -> list[Danger]:
    """Who loses or gains what, from the two access reviews."""
    before, after = _grants(base_access), _grants(head_access)
    found = []
    for identity in sorted(set(before) | set(after)):
        lost = before.get(identity, set()) - after.get(identity, set())
        gained = after.get(identity, set()) - before.get(identity, set())
        if lost:
            found.append(
                Danger(
                    "access revoked" if identity not in after else "access narrowed",
                    identity,
                    "loses " + "; ".join(sorted(lost)) + (" (no access left)" if identity not in after else ""),
                )
            )
        if gained:
            found.append(Danger("access widened", identity, "gains " + "; ".join(sorted(gained))))
    return found
