"""Who may reach the cluster: aws-auth mappings, EKS access entries, RBAC for the mapped groups.

`AccessConfig` is the shape of `eks-platform:access` (mapRoles/mapUsers in the aws-auth
ConfigMap's own format, so entries can be pasted from an existing ConfigMap). `plan_access`
turns it into an `AccessPlan` — what the cluster will actually receive — applying what
aws-iam-authenticator and EKS would do silently or refuse late:

- a role ARN with an IAM path never matches in aws-auth: it is rewritten without the path;
- `eksctl create iamidentitymapping --no-duplicate-arns`: two different mappings for one ARN
  are an error, an exact repeat is dropped;
- `API` mode has no ConfigMap: mapRoles/mapUsers become access entries, `system:masters`
  becomes the AmazonEKSClusterAdminPolicy, other `system:` groups are skipped;
- a group that no binding references grants nothing: every group needs a groupBinding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .fields import DnsLabel, Section, checked, one_of

AUTHENTICATION_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")
CONFIG_MAP_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP")

USERNAME_TEMPLATES = (
    "{{EC2PrivateDNSName}}",
    "{{AccountID}}",
    "{{SessionName}}",
    "{{SessionNameRaw}}",
    "{{AccessKeyID}}",
)
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
# EKS cluster access policies (aws eks list-access-policies).
ACCESS_POLICIES = (
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSAdminViewPolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy",
    "AmazonEKSSecretReaderPolicy",
    "AmazonEKSAutoNodePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
    "AmazonEKSClusterInsightsPolicy",
    "AmazonEMRJobPolicy",
)
RBAC_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")
RBAC_VERBS_SPECIAL = ("impersonate", "bind", "escalate", "use", "approve", "sign", "*")
BUILTIN_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
# EKS refuses these prefixes in access entry usernames and Kubernetes groups.
RESERVED_ACCESS_ENTRY_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")

_IAM_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):iam::(?P<account>\d{12}):(?P<kind>role|user)/(?P<path_name>.+)$"
)
_POLICY_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov):eks::aws:cluster-access-policy/[A-Za-z0-9]+$")
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._@-]{0,62}$")


def iam_arn_error(arn: str) -> str | None:
    if not _IAM_ARN.match(arn):
        return (
            "is not an IAM role or user ARN like arn:aws:iam::111122223333:role/my-role "
            "(partition aws, aws-cn or aws-us-gov; 12-digit account)"
        )
    return None


def role_arn_error(arn: str) -> str | None:
    return iam_arn_error(arn) or (None if ":role/" in arn else "is a user ARN; an IAM role ARN is needed here")


def group_error(group: str) -> str | None:
    if not _GROUP.match(group):
        return (
            "must be 1 to 63 characters: letters, digits and ':', '.', '_', '@', '-', starting with a letter or digit"
        )
    return None


def username_error(username: str) -> str | None:
    for template in re.findall(r"\{\{[^}]*\}\}", username):
        if template not in USERNAME_TEMPLATES:
            return f"uses {template}; aws-iam-authenticator only expands {', '.join(USERNAME_TEMPLATES)}"
    if not username.strip() or any(c.isspace() for c in username):
        return "must be non-empty and contain no spaces"
    return None


def policy_error(policy: str) -> str | None:
    if policy in ACCESS_POLICIES or _POLICY_ARN.match(policy):
        return None
    return (
        f"is not an EKS cluster access policy: use a name ({', '.join(ACCESS_POLICIES[:5])}, ...) or an ARN "
        "like arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    )


def cluster_role_error(name: str) -> str | None:
    if not re.match(r"^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$", name) or len(name) > 253:
        return "must be a ClusterRole name like view, edit, admin or cluster-admin"
    return None


def verb_error(verb: str) -> str | None:
    if verb not in RBAC_VERBS + RBAC_VERBS_SPECIAL:
        return f"must be one of {', '.join(RBAC_VERBS + RBAC_VERBS_SPECIAL)}"
    return None


IamArn = Annotated[str, checked(iam_arn_error)]
Group = Annotated[str, checked(group_error)]
Username = Annotated[str, checked(username_error)]
Namespace = DnsLabel


class NamespaceScope(Section):
    namespaces: tuple[Namespace, ...] = Field(min_length=1)


def _scope(value: Any) -> Any:
    if value == "cluster":
        return value
    if isinstance(value, dict):
        return NamespaceScope.model_validate(value)
    raise PydanticCustomError("choice", 'must be "cluster" or {namespaces: [ns, ...]}')


class AccessPolicy(Section):
    policy: Annotated[str, checked(policy_error)]
    scope: Annotated[Any, BeforeValidator(_scope)] = "cluster"


class RoleMapping(Section):
    rolearn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()


class UserMapping(Section):
    userarn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()


class AccessEntryConfig(Section):
    principal_arn: IamArn
    username: Username | None = None
    groups: tuple[Group, ...] = ()
    policies: tuple[AccessPolicy, ...] = ()


class PolicyRule(Section):
    api_groups: tuple[str, ...] = ("",)
    resources: tuple[str, ...] = ()
    verbs: tuple[Annotated[str, checked(verb_error)], ...] = Field(min_length=1)
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = Field(default=(), alias="nonResourceURLs")


class GroupBinding(Section):
    cluster_role: Annotated[str, checked(cluster_role_error)] | None = None
    rules: tuple[PolicyRule, ...] = ()
    namespaces: tuple[Namespace, ...] = ()


class AccessConfig(Section):
    authentication_mode: Annotated[str, one_of(AUTHENTICATION_MODES)] = "API_AND_CONFIG_MAP"
    map_roles: tuple[RoleMapping, ...] = ()
    map_users: tuple[UserMapping, ...] = ()
    access_entries: tuple[AccessEntryConfig, ...] = ()
    group_bindings: dict[Group, GroupBinding] = Field(default_factory=dict)
    no_duplicate_arns: bool = True
    # The identity that runs `pulumi up` (the CI role). EKS makes it cluster admin itself.
    deployer: IamArn | None = None


class KubeconfigConfig(Section):
    """Options of the exported kubeconfig: an AWS CLI profile and a role to assume for the token."""

    profile: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")] | None = None
    role_arn: Annotated[str, checked(role_arn_error)] | None = None


# --- the plan: what the cluster receives ----------------------------------------------


@dataclass(frozen=True)
class AwsAuthMapping:
    """One aws-auth entry (mapRoles or mapUsers)."""

    arn: str
    username: str
    groups: tuple[str, ...]
    source: str  # key path of the entry in the stack config


@dataclass(frozen=True)
class PolicyAssociation:
    policy_arn: str
    namespaces: tuple[str, ...] = ()  # empty: cluster scope

    @property
    def scope(self) -> str:
        return f"namespaces {', '.join(self.namespaces)}" if self.namespaces else "cluster"


@dataclass(frozen=True)
class AccessEntry:
    principal_arn: str
    username: str | None
    groups: tuple[str, ...]
    policies: tuple[PolicyAssociation, ...]
    source: str


@dataclass(frozen=True)
class Binding:
    group: str
    cluster_role: str  # existing ClusterRole, or the one created from `rules`
    rules: tuple[PolicyRule, ...] = ()
    namespaces: tuple[str, ...] = ()  # empty: a ClusterRoleBinding

    @property
    def creates_cluster_role(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class AccessPlan:
    mode: str = "API_AND_CONFIG_MAP"
    role_mappings: tuple[AwsAuthMapping, ...] = ()
    user_mappings: tuple[AwsAuthMapping, ...] = ()
    access_entries: tuple[AccessEntry, ...] = ()
    bindings: tuple[Binding, ...] = ()
    # pulumi-eks always creates the cluster with bootstrapClusterCreatorAdminPermissions: true, so
    # EKS gives whoever runs `pulumi up` an access entry with AmazonEKSClusterAdminPolicy.
    deployer: str | None = None

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Namespaces the RoleBindings need that Kubernetes does not create itself."""
        wanted = {ns for b in self.bindings for ns in b.namespaces}
        return tuple(sorted(wanted - set(BUILTIN_NAMESPACES)))


def custom_cluster_role_name(group: str) -> str:
    return f"eks-platform:{group}"


def strip_role_path(arn: str) -> str:
    """arn:...:role/team/x -> arn:...:role/x: aws-iam-authenticator never matches an IAM path."""
    m = _IAM_ARN.match(arn)
    assert m is not None
    name = m["path_name"].rsplit("/", 1)[-1]
    return f"arn:{m['partition']}:iam::{m['account']}:{m['kind']}/{name}"


def policy_arn(policy: str, partition: str) -> str:
    """An access policy by name (AmazonEKSViewPolicy) or ARN, as its ARN."""
    return policy if policy.startswith("arn:") else f"arn:{partition}:eks::aws:cluster-access-policy/{policy}"


def parse_arn(arn: str) -> re.Match:
    m = _IAM_ARN.match(arn)
    assert m is not None  # the models only admit well-formed ARNs
    return m
