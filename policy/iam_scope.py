"""Does an IAM statement let its holder resize Auto Scaling groups that are not the cluster's own?

The guardrail `iam-autoscaling-writes-tag-scoped` asks it of every statement. A statement reaches groups
beyond the cluster's when it allows a write action (Action, or everything NotAction leaves out) on a
Resource that matches an arbitrary group of the stack's own partition, region and account (or misses
NotResource), unless a condition requires the cluster's own tag on the group. "The stack's own" comes
from where the stack deploys (`Place`): a field nobody knows is taken at its worst (any value).

Sources: IAM User Guide, "IAM JSON policy elements" (NotAction, NotResource; Null: "true" when the key is
absent; ...IfExists: true when the key is absent; ForAllValues: true when the key is absent) and
"Controlling access to AWS resources using tags" (aws:ResourceTag/<key>); Service Authorization Reference,
"Actions, resources, and condition keys for Amazon EC2 Auto Scaling" (the autoScalingGroup ARN, the
autoscaling:ResourceTag/<key> condition key).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# What changes an Auto Scaling group's size or members: the actions a Cluster Autoscaler needs, and their neighbours.
ASG_WRITES = (
    "autoscaling:SetDesiredCapacity",
    "autoscaling:TerminateInstanceInAutoScalingGroup",
    "autoscaling:UpdateAutoScalingGroup",
)
DISCOVERY_TAG = "k8s.io/cluster-autoscaler/"
_TAG_KEYS = ("aws:resourcetag/", "autoscaling:resourcetag/")
_PRESENT = (
    "stringequals",
    "stringequalsignorecase",
    "stringlike",
    "foranyvalue:stringequals",
    "foranyvalue:stringlike",
)
# A group that is not the cluster's: any name, any id. Only the partition, region and account are the stack's.
_OTHER_GROUP = "autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/someone-elses-group"


@dataclass(frozen=True)
class Place:
    """Where the stack deploys; None: not known here (the render knows all, a preview the account not)."""

    partition: str | None = None
    region: str | None = None
    account: str | None = None
    cluster: str | None = None


def partition_of(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def place_from_config(config: Mapping[str, str], project: str | None, stack: str | None) -> Place:
    """A Place from stack config as the CLI hands it to a policy pack (PULUMI_CONFIG: every value a string; pulumi
    pkg/resource/plugin/analyzer_plugin.go constructEnv): the region, and the cluster's name or its default."""
    region = config.get("aws:region") or None
    try:
        cluster = (json.loads(config.get("eks-platform:cluster") or "{}") or {}).get("name")
    except (ValueError, AttributeError):
        cluster = None
    cluster = cluster or (f"{project}-{stack}" if project and stack else None)
    return Place(partition_of(region) if region else None, region, None, cluster)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def _matches(value: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in patterns)


def writes(statement: Mapping[str, Any]) -> list[str]:
    """The group-changing actions the statement allows (NotAction allows every action it does not list)."""
    if "NotAction" in statement:
        return [a for a in ASG_WRITES if not _matches(a, _listed(statement.get("NotAction")))]
    return [a for a in ASG_WRITES if _matches(a, _listed(statement.get("Action")))]


def _segment(pattern: str, index: int) -> str | None:
    parts = pattern.split(":", 5)
    return parts[index] if len(parts) > index and not any(c in parts[index] for c in "*?") else None


def probe(place: Place, pattern: str) -> str:
    """An Auto Scaling group that is not the cluster's, where `pattern` could name it: in the stack's partition and
    account, and in the stack's region unless the pattern names another (the account's other regions are the
    account's too). What the place does not know is taken from the pattern, else left open."""
    partition = place.partition or _segment(pattern, 1) or "aws"
    region = _segment(pattern, 3) or place.region or "any-region-1"
    account = place.account or _segment(pattern, 4) or "000000000000"
    return f"arn:{partition}:autoscaling:{region}:{account}:{_OTHER_GROUP}"


def reaches_other_groups(statement: Mapping[str, Any], place: Place) -> bool:
    if "NotResource" in statement:  # every resource but those listed: the stack's own region's groups among them?
        return not _matches(probe(place, "*"), _listed(statement.get("NotResource")))
    return any(_matches(probe(place, p), [p]) for p in _listed(statement.get("Resource")))


def _cluster_tag(tag: str, cluster: str | None) -> bool:
    if cluster:
        return tag.lower() == f"{DISCOVERY_TAG}{cluster}".lower()
    # Unknown cluster: any cluster's own discovery tag, never the `enabled` one every autoscaled group carries.
    rest = tag[len(DISCOVERY_TAG) :] if tag.lower().startswith(DISCOVERY_TAG) else ""
    return bool(rest) and rest.lower() != "enabled" and not any(c in rest for c in "*?$")


def cluster_tag_scoped(statement: Mapping[str, Any], cluster: str | None) -> bool:
    """True when a condition can only hold on a group that carries the cluster's tag: Null "false" on it, or a string
    test of its value. Null "true" (groups without it), ...IfExists and ForAllValues: (true where the tag is
    absent), negated tests and conditions on any other tag scope nothing."""
    conditions = statement.get("Condition") or {}
    for operator, tests in conditions.items() if isinstance(conditions, Mapping) else ():
        op = str(operator).lower()
        if op.endswith("ifexists") or op.startswith("forallvalues:") or not isinstance(tests, Mapping):
            continue
        for key, value in tests.items():
            prefix = next((p for p in _TAG_KEYS if str(key).lower().startswith(p)), None)
            if prefix is None or not _cluster_tag(str(key)[len(prefix) :], cluster):
                continue
            if op == "null" and _listed(value) and all(v.lower() == "false" for v in _listed(value)):
                return True
            if op.startswith(_PRESENT):
                return True
    return False


def unscoped_writes(statement: Mapping[str, Any], place: Place) -> list[str]:
    """The write actions an Allow statement grants on groups beyond the cluster's (empty: none)."""
    if statement.get("Effect") != "Allow":
        return []
    granted = writes(statement)
    if not granted or not reaches_other_groups(statement, place) or cluster_tag_scoped(statement, place.cluster):
        return []
    return granted
