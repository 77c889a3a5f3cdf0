"""What `pulumi destroy` would stop at or leave behind (render/teardown.py): one row per rule, with a
resource that triggers it and one that does not, then dev and prod as the render shows them."""

from __future__ import annotations

import json

import pytest

from eks_platform.runner.engine import Resource, RunResult
from render.plan import build_plan
from render.teardown import teardown_review, teardown_text


def resource(type_: str, name: str, inputs: dict | None = None, **options) -> Resource:
    urn = f"urn:pulumi:t::p::{type_}::{name}"
    return Resource(urn, type_, name, True, None, None, [], inputs or {}, options)


def review(*resources: Resource) -> list[tuple[str, str, str]]:
    result = RunResult("p", "t", list(resources), {}, [], [])
    return [(e["kind"], e["resource"], e["what"]) for e in teardown_review(result)]


CLUSTER = "aws:eks/cluster:Cluster"
CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"


def storage_class(name: str, reclaim: str | None, default: bool = True) -> Resource:
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    inputs = {"metadata": {"name": name, "annotations": annotations}, **({"reclaimPolicy": reclaim} if reclaim else {})}
    return resource(CLASS, name, inputs)


def database(when_deleted: str | None = None, storage_class_name: str | None = None, replicas: int = 3) -> Resource:
    claim_spec = {"resources": {"requests": {"storage": "10Gi"}}}
    if storage_class_name:
        claim_spec["storageClassName"] = storage_class_name
    spec = {"replicas": replicas, "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": claim_spec}]}
    if when_deleted:
        spec["persistentVolumeClaimRetentionPolicy"] = {"whenDeleted": when_deleted, "whenScaled": "Retain"}
    return resource(STATEFUL_SET, "db", {"metadata": {"name": "db", "namespace": "demo"}, "spec": spec})


# (rule, resources, the entries expected: (kind, resource, a fragment of what it says))
RULES = [
    ("protect", [resource("aws:ec2/vpc:Vpc", "vpc", protect=True)], [("stops", "aws:ec2/vpc:Vpc::vpc", "protect: true")]),
    ("not protected", [resource("aws:ec2/vpc:Vpc", "vpc", protect=False)], []),
    ("retainOnDelete", [resource("aws:s3/bucket:Bucket", "b", retainOnDelete=True)], [("leaves", "aws:s3/bucket:Bucket::b", "retainOnDelete")]),
    ("deletion protection", [resource(CLUSTER, "c", {"name": "c", "deletionProtection": True})], [("stops", f"{CLUSTER}::c", "deletionProtection: false")]),
    ("no deletion protection", [resource(CLUSTER, "c", {"name": "c", "deletionProtection": False})], []),
    ("control-plane logs", [resource(CLUSTER, "c", {"name": "prod", "enabledClusterLogTypes": ["audit"]})], [("leaves", f"{CLUSTER}::c", "log group /aws/eks/prod/cluster (audit)")]),
    ("logs into a log group of the stack's", [resource(CLUSTER, "c", {"name": "prod", "enabledClusterLogTypes": ["audit"]}), resource("aws:cloudwatch/logGroup:LogGroup", "l", {"name": "/aws/eks/prod/cluster"})], []),
    ("no logs", [resource(CLUSTER, "c", {"name": "prod", "enabledClusterLogTypes": []})], []),
    ("KMS window", [resource("aws:kms/key:Key", "k", {"deletionWindowInDays": 7})], [("pending", "aws:kms/key:Key::k", "pending deletion for 7 days")]),
    ("KMS default window", [resource("aws:kms/key:Key", "k", {})], [("pending", "aws:kms/key:Key::k", "pending deletion for 30 days")]),
    ("volumes retained by their class", [storage_class("gp3", "Retain"), database("Delete")], [("leaves", f"{STATEFUL_SET}::db", "(3 × 10Gi) of claim data of StatefulSet demo/db: StorageClass gp3 has reclaimPolicy Retain")]),
    ("claims kept by default", [storage_class("gp3", None), database()], [("leaves", f"{STATEFUL_SET}::db", "whenDeleted: Retain")]),
    ("claims deleted, volumes deleted", [storage_class("gp3", "Delete"), database("Delete", replicas=1)], [("check", f"{STATEFUL_SET}::db", "EBS volume (10Gi) of claim data of StatefulSet demo/db: deleted with the claims only if the EBS CSI driver")]),
    ("the named class, not the default", [storage_class("gp3", "Delete"), storage_class("keep", "Retain", default=False), database("Delete", "keep")], [("leaves", f"{STATEFUL_SET}::db", "StorageClass keep has reclaimPolicy Retain")]),
    ("a class of another stack", [database("Delete", "theirs")], [("check", f"{STATEFUL_SET}::db", "its StorageClass is not this stack's")]),
    ("a claim of its own", [storage_class("gp3", "Retain"), resource("kubernetes:core/v1:PersistentVolumeClaim", "pvc", {"metadata": {"name": "files", "namespace": "web"}, "spec": {"resources": {"requests": {"storage": "5Gi"}}}})], [("leaves", "kubernetes:core/v1:PersistentVolumeClaim::pvc", "EBS volume (5Gi) of PersistentVolumeClaim web/files")]),
    ("a load balancer", [resource("kubernetes:core/v1:Service", "s", {"metadata": {"name": "web", "namespace": "demo"}, "spec": {"type": "LoadBalancer"}})], [("check", "kubernetes:core/v1:Service::s", "Service demo/web has a load balancer")]),
    ("a ClusterIP service", [resource("kubernetes:core/v1:Service", "s", {"metadata": {"name": "web"}, "spec": {"type": "ClusterIP"}})], []),
    ("an ingress", [resource("kubernetes:networking.k8s.io/v1:Ingress", "i", {"metadata": {"name": "web", "namespace": "demo"}})], [("check", "kubernetes:networking.k8s.io/v1:Ingress::i", "ingress controller")]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "resources", "expected"), RULES, ids=[r[0] for r in RULES])
def test_each_rule(rule, resources, expected):
    found = review(*resources)
    assert [(kind, where) for kind, where, _ in found] == [(kind, where) for kind, where, _ in expected]
    for (_, _, what), (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in what, f"{rule}: {what!r} lacks {fragment!r}"


def test_what_stops_the_destroy_comes_first():
    found = review(
        resource("aws:kms/key:Key", "a", {}), resource(CLUSTER, "z", {"name": "z", "deletionProtection": True})
    )
    assert [kind for kind, _, _ in found] == ["stops", "pending"]


def test_prod_stops_at_its_cluster_and_keeps_its_database_volume(prod):
    found = review(*prod.resources)
    assert ("stops", f"{CLUSTER}::cluster-eksCluster") in {(k, w) for k, w, _ in found}
    (volume,) = [what for kind, where, what in found if where == f"{STATEFUL_SET}::samples-statefulset"]
    assert "reclaimPolicy Retain" in volume and "10Gi" in volume


def test_dev_has_no_deletion_protection_but_its_claims_outlive_the_database(dev):
    found = review(*dev.resources)
    assert "stops" not in {kind for kind, _, _ in found}
    assert any(where.startswith(STATEFUL_SET) and "whenDeleted: Retain" in what for _, where, what in found)


def test_plan_json_and_the_printed_render_carry_it(prod):
    plan = json.loads(json.dumps(build_plan(prod)))
    assert plan["teardown"] == teardown_review(prod)
    text = teardown_text(plan["teardown"])
    assert text.startswith("Teardown (what `pulumi destroy` would stop at or leave behind; see docs/teardown.md):\n")
    assert "    stops    aws:eks/cluster:Cluster::cluster-eksCluster: deletion protection is on" in text
    assert teardown_text([]) == ""
