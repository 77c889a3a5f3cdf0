"""Syntax rules of the names and values a stack config contains.

Each check returns None when the value is valid, else a sentence saying what is wrong and
what would be valid. Sources: Kubernetes object names and labels
(kubernetes.io/docs/concepts/overview/working-with-objects/labels), the EKS CreateCluster
and CreateNodegroup API references, and the AWS tagging rules.
"""

from __future__ import annotations

import ipaddress
import re

_LABEL_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]*$")
_NODE_GROUP_NAME = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]*$")
_REGION = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-[a-z]+-\d$")

# The kubelet may not set labels in these namespaces (NodeRestriction admission), and EKS
# refuses them on managed node groups.
RESERVED_LABEL_DOMAINS = ("kubernetes.io", "k8s.io")

RFC1918_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


# Sources the public endpoint never sees: private, shared (CGNAT), loopback, link-local.
NON_PUBLIC_RANGES = RFC1918_RANGES + tuple(
    ipaddress.IPv4Network(n) for n in ("100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16")
)


def cluster_name_error(name: str) -> str | None:
    if not 1 <= len(name) <= 100:
        return f"must be 1 to 100 characters long (it has {len(name)})"
    if not _CLUSTER_NAME.match(name):
        return "must start with a letter or digit and contain only letters, digits, '-' and '_'"
    return None


def node_group_name_error(name: str) -> str | None:
    """Characters only: the length limit comes from the name prefix (rules.node_group_name_fits)."""
    if not _NODE_GROUP_NAME.match(name):
        return "must start with a letter and contain only letters, digits and '-'"
    return None


def dns_label_error(name: str) -> str | None:
    """A Kubernetes object name of the DNS-1123 label kind (namespaces, services)."""
    if len(name) > 63:
        return f"must be at most 63 characters long (it has {len(name)})"
    if not _DNS_LABEL.match(name):
        return "must be lowercase letters, digits and '-', starting and ending with a letter or digit"
    return None


def qualified_name_error(key: str) -> str | None:
    """A label key or taint key: `[prefix/]name`, prefix a DNS subdomain."""
    prefix, _, name = key.rpartition("/")
    if "/" in prefix:
        return "must be '[prefix/]name' with at most one '/'"
    if "/" in key and not prefix:
        return "has an empty prefix before '/'"
    if prefix and (len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        return f"prefix '{prefix}' must be a lowercase DNS subdomain of at most 253 characters"
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        return (
            "name part must be 1 to 63 characters of letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit"
        )
    return None


def label_key_error(key: str) -> str | None:
    error = qualified_name_error(key)
    if error:
        return error
    prefix = key.rpartition("/")[0]
    for domain in RESERVED_LABEL_DOMAINS:
        if prefix == domain or prefix.endswith("." + domain):
            return (
                f"uses the '{domain}/' prefix, which is reserved for Kubernetes; "
                "use a prefix of your own (e.g. 'example.com/')"
            )
    return None


def label_value_error(value: str) -> str | None:
    if value == "":
        return None
    if len(value) > 63 or not _LABEL_NAME.match(value):
        return (
            "must be empty or at most 63 characters of letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit"
        )
    return None


def ipv4_cidr_error(text: str) -> str | None:
    try:
        ipaddress.IPv4Network(text, strict=True)
    except ValueError as e:
        return f"is not a valid IPv4 CIDR block like 203.0.113.0/24 ({e})"
    return None


def vpc_id_error(text: str) -> str | None:
    if not re.match(r"^vpc-[0-9a-f]{8,17}$", text):
        return "is not a VPC id like vpc-0123456789abcdef0"
    return None


def subnet_id_error(text: str) -> str | None:
    if not re.match(r"^subnet-[0-9a-f]{8,17}$", text):
        return "is not a subnet id like subnet-0123456789abcdef0"
    return None


def region_error(region: str) -> str | None:
    if not _REGION.match(region):
        return "is not an AWS region name like us-east-1 or eu-west-2"
    return None


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


# An offline render cannot decrypt `secure:` values: they arrive as this text (runner.stack_config.SECRET),
# which says nothing about the real value, so content rules leave it alone; `pulumi up` decrypts it.
UNREADABLE_SECRET = "[secret]"

# IAM allows only these characters in tag keys and values (Unicode letters, digits and spaces
# plus _.:/=+-@); EC2 and EKS allow more, but the stack's tags also land on the IAM roles.
# Source: IAM User Guide, "Tagging IAM resources" (tag naming rules), and the IAM API's TagRole.
_IAM_TAG_PUNCTUATION = set("_.:/=+-@ ")


def iam_tag_text_error(text: str) -> str | None:
    bad = sorted({c for c in text if not (c.isalnum() or c in _IAM_TAG_PUNCTUATION)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return (
            f"contains {shown}; IAM tags (the platform tags its IAM roles too) allow letters, digits, "
            "spaces and _.:/=+-@"
        )
    return None


def tag_errors(tags: dict[str, str], iam: bool = False) -> list[tuple[str, str]]:
    """(key, reason) for every tag AWS would refuse; `iam`: the tags also land on IAM roles."""
    errors = []
    for key, value in tags.items():
        if not 1 <= len(key) <= 128:
            errors.append((key, "tag keys must be 1 to 128 characters long"))
        elif key.lower().startswith("aws:"):
            errors.append((key, "tag keys starting with 'aws:' are reserved by AWS"))
        elif len(value) > 256:
            errors.append((key, "tag values must be at most 256 characters long"))
        elif iam and (reason := iam_tag_text_error(key)):
            errors.append((key, f"the key {reason}"))
        elif iam and value != UNREADABLE_SECRET and (reason := iam_tag_text_error(value)):
            errors.append((key, f'the value "{value}" {reason}'))
    return errors
