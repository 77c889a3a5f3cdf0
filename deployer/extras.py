"""Calls a resource type makes on other kinds of resources, each with the ARNs and condition keys
IAM lets it be narrowed by: roles passed to a service, the stack's KMS key, service-linked roles,
managed policies attached to the stack's roles, launching instances from the stack's templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .rows import Extra, Grant, listed
from .scope import Scope, arn_format

Resources = Sequence[Mapping[str, Any]]


def pass_role(lifecycle: str, input_key: str, service: str, why: str) -> Extra:
    """iam:PassRole on exactly the roles this type's resources name in `input_key`, to `service` only."""

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        roles = sorted({scope.role_arn(r["inputs"][input_key]) for r in resources if r["inputs"].get(input_key)})
        condition = {"StringEquals": {"iam:PassedToService": service}}
        return [Grant(("iam:PassRole",), tuple(roles), condition)] if roles else []

    return Extra(lifecycle, ("iam:PassRole",), build, why)


def service_linked_role(service: str, role_name: str, why: str) -> Extra:
    """iam:CreateServiceLinkedRole for one service's role (only needed the first time in an account)."""

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        arn = scope.fill(arn_format("iam", "role"), {"RoleNameWithPath": f"aws-service-role/{service}/{role_name}"})
        return [Grant(("iam:CreateServiceLinkedRole",), (arn,), {"StringEquals": {"iam:AWSServiceName": service}})]

    return Extra("create", ("iam:CreateServiceLinkedRole",), build, why)


def cluster_key_grant(why: str) -> Extra:
    """EKS describes the secrets key and creates a grant on it with the caller's permissions, as an
    AWS service (kms:GrantIsForAWSResource): the stack's own key, by its tag (the program makes the key
    whenever it encrypts secrets)."""
    actions = ("kms:DescribeKey", "kms:CreateGrant")

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        if "kms:key" not in scope.owned:
            return []
        keys, tag = tuple(scope.arns("kms", "key")), scope.tag_condition("Resource")
        by_service = {"Bool": {"kms:GrantIsForAWSResource": "true"}}
        return [Grant(actions[:1], keys, tag), Grant(actions[1:], keys, {**tag, **by_service})]

    return Extra("create", actions, build, why)


def attach_policies(lifecycle: str, action: str, role_key: str, policy_key: str, why: str) -> Extra:
    """Attach (or detach) only the managed policies the plan names (iam:PolicyARN), to its roles."""

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        roles = sorted({scope.role_arn(r["inputs"][role_key]) for r in resources if r["inputs"].get(role_key)})
        policies = sorted({p for r in resources for p in listed(r["inputs"].get(policy_key)) if isinstance(p, str)})
        if not roles or not policies:
            return []
        return [Grant((action,), tuple(roles), {"ArnEquals": {"iam:PolicyARN": policies}})]

    return Extra(lifecycle, (action,), build, why)


def launch_from_stack_templates(why: str) -> Extra:
    """ec2:RunInstances only through a launch template, and only the stack's (by its tag)."""

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        templates = tuple(scope.arns("ec2", "launch-template"))
        others = ("image", "instance", "network-interface", "security-group", "subnet", "volume")
        through_template = {"ArnLike": {"ec2:LaunchTemplate": list(templates)}}
        owned = "ec2:launch-template" in scope.owned
        return [
            Grant(("ec2:RunInstances",), templates, scope.tag_condition("Resource") if owned else None),
            Grant(("ec2:RunInstances",), tuple(a for t in others for a in scope.arns("ec2", t)), through_template),
        ]

    return Extra("create", ("ec2:RunInstances",), build, why)


def adopt_by_tagging(resource_type: str, why: str) -> Extra:
    """ec2:CreateTags on a resource AWS made (the default security group) when the request gives it
    the stack's tag: the provider tags it before it changes anything else on it."""

    def build(scope: Scope, resources: Resources) -> list[Grant]:
        return [Grant(("ec2:CreateTags",), tuple(scope.arns("ec2", resource_type)), scope.tag_condition("Request"))]

    return Extra("create", ("ec2:CreateTags",), build, why)
