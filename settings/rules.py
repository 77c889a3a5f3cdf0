"""Rules that relate several config fields, including the ones pulumi-eks and AWS would only
enforce during `pulumi up` (so nothing fails half-way through a deployment).

Each rule reads the sections that parsed cleanly and yields Problems; a section that did
not parse is skipped here, its own errors are already reported.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from pricing.support import version_warning
from pricing.table import load_prices

from . import syntax
from .instance_types import AL2_LAST_VERSION, AMI_TYPES, architecture_of
from .model import ClusterConfig, NetworkConfig, NodeGroupConfig
from .problems import Problem, key_path, show
from .versions import version_error

# --- limits AWS enforces only during `pulumi up` ---------------------------------------
# EKS CreateNodegroup (API reference, Taint and the labels map): at most 50 taints; taint keys 1-63
# characters, values 0-63; label keys and values 1-63 characters; updateConfig.maxUnavailable 1-100.
MAX_TAINTS = 50
MAX_TAINT_KEY = 63
MAX_LABEL_TEXT = 63
MAX_UNAVAILABLE = 100
# EKS node group names are at most 63 characters. The program names a group by the prefix
# "<name>-" (node_group_name_prefix) so a replacement can be created before the old group goes,
# and the AWS provider appends a 26-character unique suffix to a prefix (terraform-plugin-sdk
# id.UniqueIdSuffixLength): the prefix may have 37 characters, the name 36.
NODE_GROUP_NAME_MAX = 63 - 26 - 1
# AWS allows 50 user tags per resource. Besides the stack's tags the platform puts on a subnet
# eks-platform/cluster, eks-platform/stack, Name, kubernetes.io/cluster/<name> and
# kubernetes.io/role/(internal-)elb (components/network.py), and on a node group, its launch
# template, instances and volumes eks-platform/cluster, eks-platform/stack and Name.
MAX_TAGS = 50
PLATFORM_TAGS_ON_SUBNETS = 5
PLATFORM_TAGS_ON_NODES = 3


@dataclass
class Parsed:
    """What parsed cleanly, with each node group's index in the user's list."""

    cluster: ClusterConfig | None = None
    network: NetworkConfig | None = None
    node_groups: list[tuple[int, NodeGroupConfig]] = field(default_factory=list)
    node_groups_given: bool = True
    today: date = field(default_factory=date.today)
    region: str = ""  # aws:region when valid (the prices of the version warning)


Rule = Callable[[Parsed], Iterator[Problem]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(parsed: Parsed) -> list[Problem]:
    return [problem for r in RULES for problem in r(parsed)]


# --- cluster -------------------------------------------------------------------------


@rule
def log_types_unique(p: Parsed) -> Iterator[Problem]:
    c = p.cluster
    for name, count in Counter(c.log_types if c else ()).items():
        if count > 1:
            yield Problem(key_path("cluster", "logTypes"), f'"{name}" is listed {count} times')


@rule
def cluster_tags_valid(p: Parsed) -> Iterator[Problem]:
    for key, reason in syntax.tag_errors(p.cluster.tags if p.cluster else {}, iam=True):
        yield Problem(key_path("cluster", "tags", key), reason)


@rule
def tags_within_limit(p: Parsed) -> Iterator[Problem]:
    cluster_tags = set(p.cluster.tags) if p.cluster else set()
    if len(cluster_tags) + PLATFORM_TAGS_ON_SUBNETS > MAX_TAGS:
        yield Problem(
            key_path("cluster", "tags"),
            f"has {len(cluster_tags)} tags; with the {PLATFORM_TAGS_ON_SUBNETS} the platform adds, a subnet would "
            f"carry {len(cluster_tags) + PLATFORM_TAGS_ON_SUBNETS} and AWS allows {MAX_TAGS} per resource "
            f"(use at most {MAX_TAGS - PLATFORM_TAGS_ON_SUBNETS})",
        )
    for i, ng in p.node_groups:
        total = len(cluster_tags | set(ng.tags)) + PLATFORM_TAGS_ON_NODES
        if total > MAX_TAGS:
            yield Problem(
                key_path("nodeGroups", i, "tags"),
                f"with the cluster's tags and the {PLATFORM_TAGS_ON_NODES} the platform adds, the group's nodes would "
                f"carry {total} tags; AWS allows {MAX_TAGS} per resource",
            )


@rule
def version_offered(p: Parsed) -> Iterator[Problem]:
    if p.cluster and (reason := version_error(p.cluster.version, p.today)):
        yield Problem(key_path("cluster", "version"), reason)


# --- network -------------------------------------------------------------------------

_CREATE_KEYS = ("vpcCidr", "availabilityZones", "natGateways")
_EXISTING_KEYS = ("vpcId", "privateSubnetIds", "publicSubnetIds")


def _given(n: NetworkConfig, keys: tuple[str, ...]) -> list[str]:
    aliases = {NetworkConfig.model_fields[f].alias: f for f in n.model_fields_set}
    return [k for k in keys if k in aliases]


@rule
def network_create_or_bring(p: Parsed) -> Iterator[Problem]:
    n = p.network
    if not n:
        return
    create, existing = _given(n, _CREATE_KEYS), _given(n, _EXISTING_KEYS)
    if create and existing:
        yield Problem(
            key_path("network", create[0]),
            f"{', '.join(create)} (create a VPC) cannot be combined with "
            f"{', '.join(existing)} (use an existing VPC); keep one set",
        )
    if existing and n.vpc_id is None:
        yield Problem(
            key_path("network", "vpcId"),
            "is required when privateSubnetIds or publicSubnetIds are given",
        )
    if n.vpc_id is not None and len(n.private_subnet_ids) < 2:
        yield Problem(
            key_path("network", "privateSubnetIds"),
            f"{show(list(n.private_subnet_ids))} lists {len(n.private_subnet_ids)} subnets; "
            "EKS needs at least 2, in different availability zones",
        )


@rule
def subnet_ids_unique(p: Parsed) -> Iterator[Problem]:
    n = p.network
    if not n:
        return
    seen: dict[str, str] = {}
    for key, ids in (("privateSubnetIds", n.private_subnet_ids), ("publicSubnetIds", n.public_subnet_ids)):
        for i, subnet in enumerate(ids):
            if subnet in seen:
                yield Problem(
                    key_path("network", key, i),
                    f"{show(subnet)} is already listed in {seen[subnet]}; a subnet is either private or public, once",
                )
            seen.setdefault(subnet, key)


@rule
def vpc_cidr_private_and_sized(p: Parsed) -> Iterator[Problem]:
    n = p.network
    if not n or not n.creates_vpc:
        return
    net = ipaddress.IPv4Network(n.vpc_cidr)
    if not any(net.subnet_of(r) for r in syntax.RFC1918_RANGES):
        yield Problem(
            key_path("network", "vpcCidr"),
            f"{show(n.vpc_cidr)} is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)",
        )
    if not 16 <= net.prefixlen <= 24:
        yield Problem(
            key_path("network", "vpcCidr"),
            f"{show(n.vpc_cidr)} has prefix /{net.prefixlen}; use /16 to /24 (AWS allows no larger "
            "VPC, and a smaller one leaves too few pod IPs)",
        )


@rule
def public_node_groups_need_public_subnets(p: Parsed) -> Iterator[Problem]:
    n = p.network
    if not n or n.creates_vpc or n.public_subnet_ids:
        return
    for i, ng in p.node_groups:
        if ng.subnets == "public":
            yield Problem(
                key_path("nodeGroups", i, "subnets"),
                '"public" needs network.publicSubnetIds, and the existing VPC lists none',
            )


# --- node groups ---------------------------------------------------------------------


@rule
def at_least_one_node_group(p: Parsed) -> Iterator[Problem]:
    if not p.node_groups_given:
        yield Problem(
            key_path("nodeGroups"),
            "at least one node group is required (e.g. [{name: general, instanceTypes: [t3.medium]}])",
        )


@rule
def node_group_names_unique(p: Parsed) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, ng in p.node_groups:
        if ng.name.lower() in first:
            yield Problem(
                key_path("nodeGroups", i, "name"),
                f"{show(ng.name)} is already used by nodeGroups[{first[ng.name.lower()]}]; names must be unique",
            )
        first.setdefault(ng.name.lower(), i)


@rule
def node_group_name_fits(p: Parsed) -> Iterator[Problem]:
    for i, ng in p.node_groups:
        if len(ng.name) > NODE_GROUP_NAME_MAX:
            yield Problem(
                key_path("nodeGroups", i, "name"),
                f"{show(ng.name)} has {len(ng.name)} characters; at most {NODE_GROUP_NAME_MAX}: EKS allows 63, "
                "and the AWS provider adds a 26-character unique suffix to the prefix '<name>-'",
            )


@rule
def node_group_sizes(p: Parsed) -> Iterator[Problem]:
    need = "(need minSize <= desiredSize <= maxSize)"
    for i, ng in p.node_groups:
        if ng.min_size > ng.max_size:
            yield Problem(
                key_path("nodeGroups", i, "minSize"),
                f"{ng.min_size} is greater than maxSize {ng.max_size} {need}",
            )
        elif ng.desired_size is not None and not ng.min_size <= ng.desired_size <= ng.max_size:
            yield Problem(
                key_path("nodeGroups", i, "desiredSize"),
                f"{ng.desired_size} is outside minSize {ng.min_size} .. maxSize {ng.max_size} {need}",
            )
        if ng.max_unavailable > ng.max_size:
            yield Problem(
                key_path("nodeGroups", i, "maxUnavailable"),
                f"{ng.max_unavailable} is greater than maxSize {ng.max_size} (need 1 <= maxUnavailable <= maxSize)",
            )
        elif ng.max_unavailable > MAX_UNAVAILABLE:
            yield Problem(
                key_path("nodeGroups", i, "maxUnavailable"),
                f"{ng.max_unavailable} is more than EKS allows (updateConfig.maxUnavailable is 1 to {MAX_UNAVAILABLE})",
            )


@rule
def node_labels_fit_eks(p: Parsed) -> Iterator[Problem]:
    for i, ng in p.node_groups:
        for key, value in ng.labels.items():
            if len(key) > MAX_LABEL_TEXT:
                yield Problem(
                    key_path("nodeGroups", i, "labels", key),
                    f"the key has {len(key)} characters; EKS allows node group label keys of 1 to {MAX_LABEL_TEXT} "
                    "(prefix included)",
                )
            if not value:
                yield Problem(
                    key_path("nodeGroups", i, "labels", key),
                    f'"" is empty; EKS requires node group label values of 1 to {MAX_LABEL_TEXT} characters',
                )


@rule
def node_group_tags_valid(p: Parsed) -> Iterator[Problem]:
    for i, ng in p.node_groups:
        for key, reason in syntax.tag_errors(ng.tags):
            yield Problem(key_path("nodeGroups", i, "tags", key), reason)


@rule
def instance_types_match_ami(p: Parsed) -> Iterator[Problem]:
    for i, ng in p.node_groups:
        ami_arch = AMI_TYPES[ng.ami_type]
        arches = {t: architecture_of(t) for t in ng.instance_types}
        if len(set(arches.values())) > 1:
            listing = ", ".join(f"{t} ({a})" for t, a in arches.items())
            yield Problem(
                key_path("nodeGroups", i, "instanceTypes"),
                f"mixes CPU architectures: {listing}; a node group runs one AMI, so use one architecture",
            )
            continue
        for j, (itype, arch) in enumerate(arches.items()):
            if arch != ami_arch:
                hint = "an *_ARM_64* amiType" if arch == "arm64" else "an *_x86_64* amiType"
                yield Problem(
                    key_path("nodeGroups", i, "instanceTypes", j),
                    f"{show(itype)} is {arch} but amiType {ng.ami_type} is {ami_arch}; use {hint}",
                )
        for itype, count in Counter(ng.instance_types).items():
            if count > 1:
                yield Problem(key_path("nodeGroups", i, "instanceTypes"), f"{show(itype)} is listed {count} times")


@rule
def ami_type_supports_version(p: Parsed) -> Iterator[Problem]:
    if not p.cluster:
        return
    version = tuple(int(x) for x in p.cluster.version.split("."))
    for i, ng in p.node_groups:
        if ng.ami_type.startswith("AL2_") and version > AL2_LAST_VERSION:
            yield Problem(
                key_path("nodeGroups", i, "amiType"),
                f"{ng.ami_type} (Amazon Linux 2) has no AMI for Kubernetes {p.cluster.version}; "
                "use an AL2023_* or BOTTLEROCKET_* amiType",
            )


@rule
def taints_unique(p: Parsed) -> Iterator[Problem]:
    for i, ng in p.node_groups:
        if len(ng.taints) > MAX_TAINTS:
            yield Problem(key_path("nodeGroups", i, "taints"), f"has {len(ng.taints)} taints; EKS allows {MAX_TAINTS}")
        seen: set[tuple[str, str]] = set()
        for j, taint in enumerate(ng.taints):
            if len(taint.key) > MAX_TAINT_KEY:
                yield Problem(
                    key_path("nodeGroups", i, "taints", j, "key"),
                    f"{show(taint.key)} has {len(taint.key)} characters; EKS allows taint keys of 1 to "
                    f"{MAX_TAINT_KEY} (prefix included)",
                )
            if (taint.key, taint.effect) in seen:
                yield Problem(
                    key_path("nodeGroups", i, "taints", j),
                    f"key {show(taint.key)} with effect {taint.effect} is already tainted; "
                    "Kubernetes allows one taint per key and effect",
                )
            seen.add((taint.key, taint.effect))


# --- warnings: valid, but a reviewer should see them ---------------------------------


def warnings(parsed: Parsed) -> list[str]:
    found = []
    c = parsed.cluster
    if c and c.endpoint_public_access and not c.public_access_cidrs:
        found.append(
            f"{key_path('cluster', 'endpointPublicAccess')}: the Kubernetes API is reachable from "
            "any address (0.0.0.0/0); restrict it with publicAccessCidrs or turn it off"
        )
    support = c.upgrade_policy.support_type if c else None
    if c and (warning := version_warning(c.version, support, parsed.today, parsed.region, load_prices())):
        found.append(f"{key_path('cluster', 'version')}: {warning}")
    for i, ng in parsed.node_groups:
        if ng.capacity_type == "SPOT" and len(ng.instance_types) == 1:
            found.append(
                f"{key_path('nodeGroups', i, 'instanceTypes')}: a SPOT group with one instance type "
                "loses all its nodes when that pool is reclaimed; list several similar types"
            )
    return found + lifecycle_rules.lifecycle_warnings(parsed)


# Rules that live in modules of their own register themselves on import.
from . import endpoint_rules, lifecycle_rules  # noqa: E402, F401
