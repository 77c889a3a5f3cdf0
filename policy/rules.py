"""The platform's guardrails, one pure function per rule.

The same functions run in two places: `pulumi preview --policy-pack policy` (CrossGuard, through
pack.py) and the offline `make render` (render/policy.py, on the plan's resources). Each check
receives a resource's type and its input properties (camelCase, as the engine sends them) plus
the rule's config, and returns one message per violation.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy.proxy import UnknownValueError

PROJECT_DIR = Path(__file__).resolve().parent.parent
try:
    from pricing import cost, support, table
except ImportError:  # run by the Pulumi CLI from policy/, whose parent is the project that holds pricing/
    sys.path.insert(0, str(PROJECT_DIR))
    from pricing import cost, support, table

AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
POD_TEMPLATES = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# The one documented exception to the restricted profile: a DaemonSet that carries this
# annotation (saying why) and mounts its host paths read-only.
EXCEPTION_ANNOTATION = "eks-platform/pod-security-exception"

Check = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class StackResource:
    """A resource as a stack rule sees it (CrossGuard's PolicyResource, the render's record)."""

    type: str
    urn: str
    name: str
    props: Mapping[str, Any]
    parent: str | None = None  # the URN of its parent (CrossGuard's opts.parent)


# (the stack's resources of the rule's types, the rule's config) -> (message, URN of the resource at fault)
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    severity: str  # low | medium | high | critical
    resource_types: tuple[str, ...]
    check: Check | None
    config_schema: Mapping[str, Any] = field(default_factory=dict)  # JSON-schema properties
    # A rule that needs several resources at once (who is in which group, and what the group is
    # bound to) reads the whole stack: a StackValidationPolicy in the pack.
    stack_check: StackCheck | None = None


RULES: list[Rule] = []


def rule(name: str, description: str, severity: str, *types: str, config_schema: Mapping[str, Any] | None = None):
    def register(check: Check) -> Check:
        RULES.append(Rule(name, description, severity, tuple(types), check, config_schema or {}))
        return check

    return register


def stack_rule(name: str, description: str, severity: str, *types: str, config_schema: Mapping[str, Any] | None = None):
    def register(check: StackCheck) -> StackCheck:
        RULES.append(Rule(name, description, severity, tuple(types), None, config_schema or {}, check))
        return check

    return register


def config_file(stack: str) -> str:
    """The file `--policy-pack-config` reads for a stack, named in every verdict that depends on it."""
    return f"policy/config/{stack}.json"


def stack_of(urn: str) -> str:
    """urn:pulumi:<stack>::<project>::<type>::<name> -> <stack>."""
    return urn.split("::", 1)[0].rsplit(":", 1)[-1]


def _number(value: Any) -> Any:
    """Numbers reach an analyzer as doubles (protobuf): 2.0 reads as 2."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _get(props: Mapping[str, Any], *path: str, default: Any = None) -> Any:
    value: Any = props
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return default
        value = value[key]
    return value


def _vpc(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return props.get("vpcConfig") or {}


# --- cluster: the aws:eks/cluster:Cluster pulumi-eks creates, in the AWS provider's input shape.
# Each rule reads only the fields it judges: a value unknown at preview (pulumi-policy raises on
# reading it) puts off that one rule until `pulumi up`, never the others.


@rule(
    "eks-public-endpoint-restricted",
    "The Kubernetes API endpoint is not open to the whole internet (0.0.0.0/0).",
    "high",
    AWS_EKS_CLUSTER,
)
def public_endpoint(type_, props, config):
    # AWS provider: vpcConfig.endpointPublicAccess defaults to true, publicAccessCidrs to 0.0.0.0/0.
    if _vpc(props).get("endpointPublicAccess", True) is False:
        return
    cidrs = list(_vpc(props).get("publicAccessCidrs") or [])
    if not cidrs or "0.0.0.0/0" in cidrs:
        yield "the public API endpoint accepts 0.0.0.0/0; set publicAccessCidrs or turn endpointPublicAccess off"


@rule(
    "eks-secrets-encryption",
    "Kubernetes Secrets are envelope-encrypted with a KMS key.",
    "high",
    AWS_EKS_CLUSTER,
)
def secrets_encryption(type_, props, config):
    encryption = props.get("encryptionConfig") or {}
    provider = encryption.get("provider") or {}
    # Whether a key is named, not which: the key's ARN is unknown until the key exists.
    if "secrets" not in list(encryption.get("resources") or []) or "keyArn" not in list(provider.keys()):
        yield "secrets encryption is off (no KMS key); set cluster.secretsEncryption: true"


@rule(
    "eks-audit-logging",
    "The control plane's audit log goes to CloudWatch.",
    "medium",
    AWS_EKS_CLUSTER,
)
def audit_logging(type_, props, config):
    if "audit" not in list(props.get("enabledClusterLogTypes") or []):
        yield "the audit log is off; add audit to cluster.logTypes"


@rule(
    "eks-cluster-deletion-protection",
    "The cluster cannot be deleted by accident (production).",
    "high",
    AWS_EKS_CLUSTER,
)
def deletion_protection(type_, props, config):
    if props.get("deletionProtection") is not True:
        yield "deletion protection is off; set cluster.deletionProtection: true"


# --- nodes ---------------------------------------------------------------------------


@rule(
    "node-imdsv2-hop-limit-1",
    "Nodes require IMDSv2 with a hop limit of 1, so pods cannot use the node's IAM role.",
    "high",
    LAUNCH_TEMPLATE,
)
def imdsv2(type_, props, config):
    options = props.get("metadataOptions") or {}
    if options.get("httpTokens") != "required":
        yield f"IMDSv2 is not required (httpTokens {options.get('httpTokens', 'unset')})"
    hop_limit = options.get("httpPutResponseHopLimit")
    if hop_limit is None or int(hop_limit) > 1:
        yield f"the metadata hop limit is {_number(hop_limit) if hop_limit is not None else 'unset'}; 1 keeps pods out"


@rule(
    "node-group-uses-launch-template",
    "Managed node groups run on a launch template of the platform's (IMDSv2, encrypted volumes).",
    "high",
    NODE_GROUP,
)
def node_group_launch_template(type_, props, config):
    # Without one, EKS uses its own launch template: IMDSv1 allowed, hop limit 2, the AMI's disks.
    if "launchTemplate" not in list(props.keys()) or not props.get("launchTemplate"):
        yield "the node group names no launch template, so EKS's default applies (IMDSv1 allowed, hop limit 2)"


def _node_volumes():
    """components/node_volumes.py, read by its path: the pack runs in a virtualenv of its own, without the
    eks_platform package, and the component and this rule must share that one table."""
    path = Path(__file__).resolve().parent.parent / "components" / "node_volumes.py"
    spec = importlib.util.spec_from_file_location("eks_platform_node_volumes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NODE_VOLUMES = _node_volumes()


def _encrypted(mapping: Mapping[str, Any]) -> bool:
    return str(_get(mapping, "ebs", "encrypted", default="false")).lower() == "true"


@stack_rule(
    "node-volumes-encrypted",
    "Every volume a node boots with is encrypted: each mapping of the launch template, and a mapping for each "
    "block device of the node group's AMI type (Bottlerocket boots with an OS and a data volume).",
    "high",
    LAUNCH_TEMPLATE,
    NODE_GROUP,
)
def volumes_encrypted(resources, config):
    templates = [r for r in resources if r.type == LAUNCH_TEMPLATE]
    for template in templates:
        for mapping in template.props.get("blockDeviceMappings") or []:
            if not _encrypted(mapping):
                yield f"volume {mapping.get('deviceName', '?')} is not encrypted", template.urn
    for group in (r for r in resources if r.type == NODE_GROUP):
        ami_type = str(group.props.get("amiType") or "")
        devices = NODE_VOLUMES.boot_devices(ami_type)
        if not group.props.get("launchTemplate"):
            yield (
                f"no launch template: its nodes boot {', '.join(devices)} encrypted only if the account encrypts "
                "EBS by default",
                group.urn,
            )
            continue
        # The platform's ManagedNodeGroup creates the template beside the group, under the same parent.
        mine = [t for t in templates if group.parent and t.parent == group.parent]
        if not mine:
            yield (
                "its launch template is not in this stack: the volumes its nodes boot with cannot be checked",
                group.urn,
            )
            continue
        mapped = {m.get("deviceName") for t in mine for m in t.props.get("blockDeviceMappings") or []}
        if missing := [d for d in devices if d not in mapped]:
            yield (
                f"{ami_type or 'its AMI'} nodes boot with {', '.join(missing)}, which the launch template does not "
                "map: left to the AMI's snapshot and the account default, not encrypted here",
                mine[0].urn,
            )


# --- access --------------------------------------------------------------------------


def _aws_auth_users(type_, props) -> list[Mapping[str, Any]]:
    """mapUsers of the aws-auth ConfigMap (pulumi-eks writes it in the ConfigMap modes)."""
    metadata = props.get("metadata") or {}
    if (metadata.get("name"), metadata.get("namespace")) != ("aws-auth", "kube-system"):
        return []
    return yaml.safe_load((props.get("data") or {}).get("mapUsers") or "[]") or []


@rule(
    "no-system-masters-for-iam-users",
    "No IAM user is mapped to system:masters (cluster-admin that RBAC cannot limit).",
    "critical",
    CONFIG_MAP,
)
def system_masters_for_users(type_, props, config):
    for mapping in _aws_auth_users(type_, props):
        if "system:masters" in (mapping.get("groups") or []):
            yield f"IAM user {mapping.get('userarn')} is mapped to system:masters"


ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry"
CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
CLUSTER_ADMIN_POLICY = "/AmazonEKSClusterAdminPolicy"


def _mapped_identities(
    resources: Sequence[StackResource],
) -> tuple[list[tuple[str, str, list[str], str]], UnknownValueError | None]:
    """(every IAM principal mapped into Kubernetes as (ARN, username, groups, URN of the mapping),
    the first mapping that cannot be read yet): aws-auth mapRoles/mapUsers and access entries."""
    found: list[tuple[str, str, list[str], str]] = []
    unknown = None
    for r in resources:
        try:
            if r.type == ACCESS_ENTRY:
                groups = [str(g) for g in r.props.get("kubernetesGroups") or []]
                found.append((str(r.props.get("principalArn")), str(r.props.get("userName") or ""), groups, r.urn))
            elif r.type == CONFIG_MAP and (r.props.get("metadata") or {}).get("name") == "aws-auth":
                data = r.props.get("data") or {}
                for key, arn_key in (("mapRoles", "rolearn"), ("mapUsers", "userarn")):
                    for m in yaml.safe_load(data.get(key) or "[]") or []:
                        groups = [str(g) for g in m.get("groups") or []]
                        found.append((str(m.get(arn_key)), str(m.get("username") or ""), groups, r.urn))
        except UnknownValueError as error:  # a node role's ARN before the role exists: judged at `up`
            unknown = unknown or error
    return found, unknown


@stack_rule(
    "cluster-admin-for-admins-only",
    "Only principals listed as admins in the policy config get cluster-admin, however it is granted: the "
    "EKS cluster-admin access policy, a binding of their group or user to the cluster-admin ClusterRole, "
    "or the system:masters group.",
    "critical",
    POLICY_ASSOCIATION,
    ACCESS_ENTRY,
    CONFIG_MAP,
    CLUSTER_ROLE_BINDING,
    config_schema={"admins": {"type": "array", "items": {"type": "string"}, "default": []}},
)
def cluster_admin_for_admins(resources, config):
    admins = set(config.get("admins") or [])
    where = f"admins of {config.get('configFile', 'the policy config')}"
    identities, unknown = _mapped_identities(resources)
    grants: list[tuple[str, str, str]] = []  # (principal, how, URN of the granting resource)
    for arn, _, groups, urn in identities:
        if "system:masters" in groups:
            grants.append((arn, "the system:masters group", urn))
    for r in resources:
        if r.type == POLICY_ASSOCIATION and str(r.props.get("policyArn", "")).endswith(CLUSTER_ADMIN_POLICY):
            grants.append((str(r.props.get("principalArn")), "AmazonEKSClusterAdminPolicy", r.urn))
        if r.type != CLUSTER_ROLE_BINDING:
            continue
        ref = r.props.get("roleRef") or {}
        if (ref.get("kind"), ref.get("name")) != ("ClusterRole", "cluster-admin"):
            continue
        for subject in r.props.get("subjects") or []:
            kind, name = subject.get("kind"), subject.get("name")
            if kind == "ServiceAccount":
                grants.append((f"service account {subject.get('namespace')}/{name}", "a ClusterRoleBinding", r.urn))
                continue
            for arn, username, groups, _ in identities:
                if (kind == "Group" and name in groups) or (kind == "User" and name == username):
                    grants.append((arn, f"{kind.lower()} {name} bound to cluster-admin", r.urn))
    for principal, how, urn in sorted(set(grants)):
        if principal not in admins:
            yield f"{principal} gets cluster-admin through {how} but is not listed in the {where}", urn
    if unknown is not None:  # what it could decide is reported; the rest waits for `pulumi up`
        raise unknown


# --- cost ----------------------------------------------------------------------------


def _stack_region(resources: Sequence[StackResource], stack: str) -> str | None:
    """The region of the subnets the stack creates, else the stack file's aws:region (a stack in an
    existing VPC creates no subnet)."""
    found = cost.region_of(cost.Resource(r.type, r.name, r.props) for r in resources)
    stack_file = PROJECT_DIR / f"Pulumi.{stack}.yaml"
    if found or not stack_file.exists():
        return found
    region = ((yaml.safe_load(stack_file.read_text()) or {}).get("config") or {}).get("aws:region")
    return region if isinstance(region, str) else None


@stack_rule(
    "stack-monthly-budget",
    "The stack's monthly cost (on-demand prices of pricing/prices.json) stays within the budget its policy config "
    "sets (monthlyUsd), at every node group's maxSize unless `at` says desired.",
    "medium",
    *cost.COSTED_TYPES,
    config_schema={
        "monthlyUsd": {"type": "number", "minimum": 0},
        "at": {"type": "string", "enum": ["desired", "max"], "default": "max"},
    },
)
def monthly_budget(resources, config):
    budget = config.get("monthlyUsd")
    if budget is None or not resources:
        return
    at = config.get("at") or "max"
    stack = stack_of(resources[0].urn)
    where = next((r.urn for r in resources if r.type == AWS_EKS_CLUSTER), resources[0].urn)
    region = _stack_region(resources, stack)
    if region is None:
        yield "the monthly cost cannot be checked against the budget: the stack's region is unknown", where
        return
    found = cost.estimate(
        (cost.Resource(r.type, r.name, r.props) for r in resources), region, table.load_prices(), support.today()
    )
    total, source = found.total(at), config.get("configFile", "the policy config")
    if total > budget:
        yield (
            f"the monthly cost at {at}Size, USD {total:,.2f}, is above the budget of USD {budget:,.2f} in {source}",
            where,
        )
    elif found.unknown:
        missing = "; ".join(line.label for line in found.unknown)
        yield (
            f"the monthly cost at {at}Size cannot be checked against the budget in {source}: no price for {missing}",
            where,
        )


# --- workloads -----------------------------------------------------------------------

_IMAGE_TAG = re.compile(r":(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*)$")


def _pod_spec(type_: str, props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    path = POD_TEMPLATES.get(type_)
    return _get(props, *path) if path else None


def _containers(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from spec.get("initContainers") or []
    yield from spec.get("containers") or []


def _documented_exception(type_: str, props: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    if type_ != "kubernetes:apps/v1:DaemonSet" or not _get(props, "metadata", "annotations", EXCEPTION_ANNOTATION):
        return False
    host_volumes = {v["name"] for v in spec.get("volumes") or [] if "hostPath" in v}
    mounts = [m for c in _containers(spec) for m in c.get("volumeMounts") or [] if m.get("name") in host_volumes]
    return all(m.get("readOnly") is True for m in mounts)


@rule("workload-image-pinned", "Container images are pinned to a version, never latest.", "medium", *POD_TEMPLATES)
def image_pinned(type_, props, config):
    for container in _containers(_pod_spec(type_, props) or {}):
        image = container.get("image", "")
        match = _IMAGE_TAG.search(image.rsplit("/", 1)[-1])
        if "@sha256:" not in image and (not match or match["tag"] == "latest"):
            yield f"container {container.get('name')} runs {image}, not a pinned version"


@rule("workload-resource-limits", "Every container has CPU and memory limits.", "medium", *POD_TEMPLATES)
def resource_limits(type_, props, config):
    for container in _containers(_pod_spec(type_, props) or {}):
        limits = _get(container, "resources", "limits", default={}) or {}
        missing = [r for r in ("cpu", "memory") if r not in limits]
        if missing:
            yield f"container {container.get('name')} has no {' or '.join(missing)} limit"


@rule(
    "workload-non-root",
    "No privileged or root containers, outside the documented DaemonSet exception.",
    "high",
    *POD_TEMPLATES,
)
def non_root(type_, props, config):
    spec = _pod_spec(type_, props) or {}
    exception = _documented_exception(type_, props, spec)
    pod_context = spec.get("securityContext") or {}
    for container in _containers(spec):
        context = container.get("securityContext") or {}
        if context.get("privileged") is True:
            yield f"container {container.get('name')} is privileged"
        if exception:
            continue
        user = context.get("runAsUser", pod_context.get("runAsUser"))
        non_root_flag = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        if user == 0 or (non_root_flag is not True and user is None):
            yield f"container {container.get('name')} may run as root (set runAsNonRoot and a non-zero runAsUser)"


@rule(
    "workload-no-host-path",
    "No hostPath volumes, outside the documented DaemonSet exception (read-only mounts only).",
    "high",
    *POD_TEMPLATES,
)
def no_host_path(type_, props, config):
    spec = _pod_spec(type_, props) or {}
    if _documented_exception(type_, props, spec):
        return
    for volume in spec.get("volumes") or []:
        if "hostPath" in volume:
            yield f"volume {volume.get('name')} mounts host path {_get(volume, 'hostPath', 'path')}"


@rule(
    "storage-retains-data",
    "Persistent data outlives its claim: StorageClass reclaimPolicy Retain, StatefulSet claims retained (production).",
    "high",
    STORAGE_CLASS,
    STATEFUL_SET,
)
def storage_retains_data(type_, props, config):
    if type_ == STORAGE_CLASS and props.get("reclaimPolicy", "Delete") != "Retain":
        policy = props.get("reclaimPolicy", "Delete")
        yield f"StorageClass reclaimPolicy is {policy}: volumes are deleted with their claims"
    if type_ == STATEFUL_SET:
        retention = _get(props, "spec", "persistentVolumeClaimRetentionPolicy", default={}) or {}
        for when in ("whenDeleted", "whenScaled"):
            if retention.get(when) == "Delete":
                yield f"persistentVolumeClaimRetentionPolicy.{when} is Delete: claims (and data) go with the pods"


# --- evaluation ----------------------------------------------------------------------

LEVELS = ("mandatory", "advisory", "disabled")


def rule_settings(policy_config: Mapping[str, Any], rule_name: str) -> tuple[str, Mapping[str, Any]]:
    """(enforcement level, rule config) from a `--policy-pack-config` document."""
    entry = policy_config.get(rule_name)
    default = policy_config.get("all", "advisory")
    if isinstance(default, Mapping):
        default = default.get("enforcementLevel", "advisory")
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, Mapping):
        settings = {k: v for k, v in entry.items() if k != "enforcementLevel"}
        return entry.get("enforcementLevel", default), settings
    return default, {}


def violations(rule_: Rule, type_: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    if rule_.check is None or type_ not in rule_.resource_types:
        return []
    return list(rule_.check(type_, props, config))


def stack_violations(
    rule_: Rule, resources: Sequence[StackResource], config: Mapping[str, Any], found: list[tuple[str, str]]
) -> None:
    """Append the stack rule's (message, URN) pairs to `found`, as it yields them: a rule that then
    meets a value unknown at preview has still reported what it could decide (as CrossGuard does)."""
    if rule_.stack_check is None:
        return
    mine = [r for r in resources if r.type in rule_.resource_types]
    for message, urn in rule_.stack_check(mine, config):
        found.append((message, urn))


# The IAM, lifecycle and load balancer rules live in modules of their own; importing them registers them.
if __package__:  # imported as policy.rules (tests, render)
    from . import iam_rules, lifecycle_rules, load_balancer_rules
else:  # run by the Pulumi CLI from the pack's own directory
    import iam_rules  # noqa: F401
    import lifecycle_rules  # noqa: F401
    import load_balancer_rules  # noqa: F401
