"""What `pulumi destroy` of a stack would stop at or leave behind, read from what the program registers.

`plan.json` (`teardown`) and the printed render carry the same list; docs/teardown.md is the
procedure. Each entry is one of:

- stops:   the destroy fails there until someone acts — a resource with the `protect` option, or the
           EKS cluster's deletion protection (AWS refuses DeleteCluster while it is on);
- leaves:  exists in the account after a successful destroy — `retainOnDelete` resources, EBS volumes
           of claims that outlive their workload or whose StorageClass retains them, the CloudWatch
           log group EKS creates for the control-plane logs;
- pending: gone only later — a KMS key waits out its deletion window;
- check:   deleted only if a controller in the cluster still runs when Pulumi deletes the object that
           asked for it — the load balancer of a Service of type LoadBalancer or an Ingress, the EBS
           volumes of claims deleted with their workload. Pulumi deletes those objects before the
           cluster, but nothing orders them after the controllers' own pods and add-ons.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from eks_platform.runner.engine import Resource, RunResult, reveal

CLUSTER = "aws:eks/cluster:Cluster"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
KMS_KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
# AWS KMS ScheduleKeyDeletion: PendingWindowInDays is 7-30, 30 when not given (the provider's default too).
KMS_DEFAULT_WINDOW = 30
# Kubernetes: a StorageClass without reclaimPolicy deletes; a StatefulSet without
# persistentVolumeClaimRetentionPolicy keeps its claims (whenDeleted: Retain).
DEFAULT_RECLAIM = "Delete"
DEFAULT_WHEN_DELETED = "Retain"
KINDS = ("stops", "leaves", "pending", "check")


def teardown_review(result: RunResult) -> list[dict[str, str]]:
    resources = [r for r in result.resources if not r.remote]
    found = [
        *_options(resources),
        *_deletion_protection(resources),
        *_volumes(resources),
        *_log_groups(resources),
        *_kms_keys(resources),
        *_load_balancers(resources),
    ]
    return sorted(found, key=lambda e: (KINDS.index(e["kind"]), e["resource"], e["what"]))


def _entry(kind: str, resource: Resource, what: str) -> dict[str, str]:
    return {"kind": kind, "resource": f"{resource.type}::{resource.name}", "what": what}


def _inputs(resource: Resource) -> dict[str, Any]:
    return reveal(resource.inputs) or {}


def _options(resources: Iterable[Resource]) -> Iterator[dict[str, str]]:
    for r in resources:
        if r.options.get("protect"):
            yield _entry("stops", r, "protected (protect: true): `pulumi state unprotect` it first")
        if r.options.get("retainOnDelete"):
            yield _entry("leaves", r, "retainOnDelete: Pulumi forgets it, it stays in the account")


def _deletion_protection(resources: Iterable[Resource]) -> Iterator[dict[str, str]]:
    for r in resources:
        if r.type == CLUSTER and _inputs(r).get("deletionProtection"):
            yield _entry(
                "stops",
                r,
                "deletion protection is on: AWS refuses to delete the cluster; set "
                "eks-platform:cluster.deletionProtection: false and `pulumi up` first",
            )


def _volumes(resources: list[Resource]) -> Iterator[dict[str, str]]:
    classes = {_inputs(r).get("metadata", {}).get("name"): _inputs(r) for r in resources if r.type == STORAGE_CLASS}
    default = next((name for name, c in classes.items() if _is_default(c)), None)

    def class_of(claim: dict) -> dict | None:
        return classes.get(claim.get("spec", {}).get("storageClassName", default))

    for r in resources:
        if r.type == STATEFUL_SET:
            spec = _inputs(r).get("spec", {})
            kept = (spec.get("persistentVolumeClaimRetentionPolicy") or {}).get("whenDeleted", DEFAULT_WHEN_DELETED)
            for claim in spec.get("volumeClaimTemplates") or []:
                yield _volume_entry(r, claim, int(spec.get("replicas", 1)), class_of(claim), kept == "Retain")
        elif r.type == CLAIM:
            yield _volume_entry(r, _inputs(r), 1, class_of(_inputs(r)), claims_kept=False)


def _volume_entry(
    owner: Resource, claim: dict, count: int, storage_class: dict | None, claims_kept: bool
) -> dict[str, str]:
    """What becomes of a claim's EBS volumes (dynamically provisioned by the class's driver)."""
    spec = claim.get("spec", {})
    size = spec.get("resources", {}).get("requests", {}).get("storage", "?")
    volumes = f"EBS volumes ({count} × {size})" if count != 1 else f"EBS volume ({size})"
    if owner.type == STATEFUL_SET:
        volumes += f" of claim {claim.get('metadata', {}).get('name', '?')} of {_object_name(owner)}"
    else:
        volumes += f" of {_object_name(owner)}"
    if storage_class is None:
        return _entry("check", owner, f"{volumes}: its StorageClass is not this stack's; its reclaimPolicy decides")
    name = storage_class.get("metadata", {}).get("name")
    if storage_class.get("reclaimPolicy", DEFAULT_RECLAIM) == "Retain":
        return _entry(
            "leaves", owner, f"{volumes}: StorageClass {name} has reclaimPolicy Retain: kept in EC2 when the claims go"
        )
    if claims_kept:
        return _entry(
            "leaves",
            owner,
            f"{volumes}: the claims outlive the StatefulSet (persistentVolumeClaimRetentionPolicy.whenDeleted: "
            "Retain) and keep their volumes in EC2 unless deleted while the cluster runs",
        )
    return _entry(
        "check", owner, f"{volumes}: deleted with the claims only if the EBS CSI driver still runs when they go"
    )


def _is_default(storage_class: dict) -> bool:
    return storage_class.get("metadata", {}).get("annotations", {}).get(DEFAULT_CLASS) == "true"


def _object_name(resource: Resource) -> str:
    meta = _inputs(resource).get("metadata", {})
    kind = resource.type.rsplit(":", 1)[-1]
    return f"{kind} {meta.get('namespace', 'default')}/{meta.get('name', resource.name)}"


def _log_groups(resources: list[Resource]) -> Iterator[dict[str, str]]:
    """EKS writes control-plane logs to /aws/eks/<cluster>/cluster, creating the group itself (logs
    kept forever) and never deleting it: eksctl-io/eksctl#1018, terraform-aws-modules/terraform-aws-eks#920."""
    owned = {_inputs(r).get("name") for r in resources if r.type == LOG_GROUP}
    for r in resources:
        inputs = _inputs(r)
        if r.type == CLUSTER and inputs.get("enabledClusterLogTypes"):
            group = f"/aws/eks/{inputs.get('name')}/cluster"
            if group not in owned:
                types = ", ".join(inputs["enabledClusterLogTypes"])
                yield _entry(
                    "leaves",
                    r,
                    f"CloudWatch log group {group} ({types}): EKS creates it, keeps its logs forever and "
                    "does not delete it with the cluster",
                )


def _kms_keys(resources: Iterable[Resource]) -> Iterator[dict[str, str]]:
    for r in resources:
        if r.type == KMS_KEY:
            days = int(_inputs(r).get("deletionWindowInDays") or KMS_DEFAULT_WINDOW)
            yield _entry(
                "pending",
                r,
                f"KMS key pending deletion for {days} days, then deleted for good "
                "(`aws kms cancel-key-deletion` brings it back until then)",
            )


def _load_balancers(resources: Iterable[Resource]) -> Iterator[dict[str, str]]:
    for r in resources:
        inputs = _inputs(r)
        if r.type == "kubernetes:core/v1:Service" and inputs.get("spec", {}).get("type") == "LoadBalancer":
            made = "a load balancer"
        elif r.type == "kubernetes:networking.k8s.io/v1:Ingress":
            made = "a load balancer (through its ingress controller)"
        else:
            continue
        yield _entry(
            "check",
            r,
            f"{_object_name(r)} has {made}: its controller deletes it when the object goes; "
            "if the controller is gone first, the load balancer and its security group stay in the VPC",
        )


def teardown_text(entries: list[dict[str, str]]) -> str:
    if not entries:
        return ""
    lines = ["Teardown (what `pulumi destroy` would stop at or leave behind; see docs/teardown.md):"]
    lines += [f"    {e['kind']:<8} {e['resource']}: {e['what']}" for e in entries]
    return "\n".join(lines) + "\n"
