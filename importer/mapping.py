"""One eksctl ClusterConfig (parsed) -> an `Outcome`: the stack config, the origin of each key,
what was left behind and why, notes, and the problems of the file itself.

Each stack section has its module; this one walks the document in order and reports what only
the top level knows: self-managed node groups, Fargate profiles and IAM for workloads.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import refusals
from .access import map_access
from .addons import map_addons
from .cluster import map_cluster
from .network import map_network
from .node_groups import map_node_groups
from .outcome import Outcome
from .reader import Fields


def import_cluster_config(document: Mapping, bindings: Mapping[str, dict] | None = None) -> Outcome:
    """`document` is a parsed ClusterConfig (source.parse_cluster_config); `bindings` maps a
    Kubernetes group to its `groupBindings` entry ({clusterRole, namespaces?})."""
    out = Outcome()
    top = Fields(dict(document), "", out)
    top.raw("apiVersion")
    top.raw("kind")
    meta, vpc = top.fields("metadata"), top.fields("vpc")
    region = map_cluster(top, meta, vpc, out)
    map_network(top, vpc, region, out)
    vpc.leave_behind(refusals.VPC)
    map_node_groups(top, out)
    map_access(top, out, bindings or {})
    map_addons(top, out)
    _workload_identities(top, out)
    _other_compute(top, out)
    top.leave_behind(refusals.CLUSTER)
    return out


def _other_compute(top: Fields, out: Outcome) -> None:
    for group in top.each("nodeGroups"):
        out.leave(
            group.path,
            refusals.COMPUTE,
            f"self-managed node group{group.name_of()}: the platform runs managed node groups only; "
            "move it to managedNodeGroups (name, instance types, sizes, labels and taints carry over)",
        )
    for profile in top.each("fargateProfiles"):
        out.leave(
            profile.path,
            refusals.COMPUTE,
            f"Fargate profile{profile.name_of()}: the platform runs pods on managed node groups only",
        )


def _workload_identities(top: Fields, out: Outcome) -> None:
    iam = top.fields("iam")
    for account in iam.each("serviceAccounts"):
        meta = account.value.get("metadata")
        name = f" {meta.get('namespace', 'default')}/{meta.get('name')}" if isinstance(meta, dict) else ""
        out.leave(
            account.path,
            refusals.IAM,
            f"IAM role for service account{name} (IRSA): create it with the workload that uses it, trusting "
            "the cluster's OIDC provider (stack output oidcProviderArn)",
        )
    for association in iam.each("podIdentityAssociations"):
        namespace, account = association.value.get("namespace"), association.value.get("serviceAccountName")
        name = f" {namespace}/{account}" if isinstance(namespace, str) and isinstance(account, str) else ""
        out.leave(
            association.path,
            refusals.IAM,
            f"EKS Pod Identity association{name}: the platform makes them for its own controllers only; create "
            "yours with the workload (eks_platform.components.service_account_role.ServiceAccountRole)",
        )
    iam.leave_behind(refusals.CLUSTER_IAM)
