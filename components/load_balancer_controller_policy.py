"""The AWS Load Balancer Controller's IAM policy: upstream's, reviewed, for the version the platform pins.

Upstream: kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json @ v3.5.0 (11eb202c).
What the review kept, tightened and dropped, statement by statement:

- Kept as upstream wrote them: every write upstream already limits with the controller's own tag —
  created only with `aws:RequestTag/elbv2.k8s.aws/cluster`, changed only where the resource carries
  `aws:ResourceTag/elbv2.k8s.aws/cluster` — and the reads (Describe*, Get*) on `*`.
- Tightened, where upstream writes on `*` with no condition:
  - ec2:AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress (the rules it adds to the nodes' security
    group for the load balancer's traffic): only security groups of the cluster's VPC (`ec2:Vpc`);
  - ec2:CreateSecurityGroup: a security group only with the cluster tag in the request, in the cluster's VPC
    only (both of the controller's CreateSecurityGroup calls tag on create: pkg/deploy/ec2/security_group_manager.go,
    pkg/networking/backend_sg_provider.go);
  - elasticloadbalancing:Create/DeleteListener, Create/DeleteRule, ModifyListener, ModifyRule,
    SetRulePriorities, Add/RemoveListenerCertificates: only on load balancers, listeners and rules that carry
    the cluster tag — the controller tags them on create (feature gate ListenerRulesTagging, on by default and
    set explicitly in the chart values: pkg/deploy/elbv2/listener_manager.go), and their tags on later
    reconciles only where the resource already carries it;
  - resources narrowed from `*` to the ARN types each action takes, in the cluster's region (parliament's
    RESOURCE_STAR), and the service-linked role to Elastic Load Balancing's own.
- Dropped, with the controller's integrations switched off in the chart values (enableWaf, enableWafv2,
  enableShield: false): waf-regional:*, wafv2:*, shield:* and elasticloadbalancing:SetWebAcl. Their writes
  (AssociateWebACL, CreateProtection, ...) act on any web ACL and load balancer of the account with no tag
  IAM can check; WAF Classic reached its end of support on 30 September 2025.
- Unconditioned writes left, each narrowed and accepted in ACCEPTED_UNCONDITIONED below with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

UPSTREAM_VERSION = "v3.5.0"
CLUSTER_TAG = "elbv2.k8s.aws/cluster"
REQUEST_TAGGED = {"Null": {f"aws:RequestTag/{CLUSTER_TAG}": "false"}}
RESOURCE_TAGGED = {"Null": {f"aws:ResourceTag/{CLUSTER_TAG}": "false"}}
# Changing the tags of its own resources, never the cluster tag itself (upstream's condition).
RETAG = {"Null": {f"aws:RequestTag/{CLUSTER_TAG}": "true", f"aws:ResourceTag/{CLUSTER_TAG}": "false"}}

# (action, why it stays a write without a condition). Each is on narrowed ARNs, never `*`.
ACCEPTED_UNCONDITIONED: Mapping[str, str] = {
    "ec2:CreateSecurityGroup": (
        "on the cluster's VPC: a security group is created in a VPC, which IAM authorizes as a resource of its "
        "own; the new group itself must carry the cluster tag (the statement beside it)"
    ),
    "elasticloadbalancing:RegisterTargets": (
        "target groups of the region: a TargetGroupBinding may name a target group made outside the "
        "controller, without its tag (upstream leaves them unconditioned for that)"
    ),
    "elasticloadbalancing:DeregisterTargets": "as RegisterTargets",
}


def _statement(sid: str, actions: list[str], resources: str | list[str], condition: Any = None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
    return {**statement, "Condition": condition} if condition else statement


class _Arns(NamedTuple):
    """The ARN patterns the statements grant on: the cluster's VPC, the region's EC2 and ELB resources."""

    partition: str
    region: str
    ec2: str
    vpc: str
    security_groups: str
    load_balancers: list[str]
    target_groups: str
    listeners: list[str]
    rules: list[str]


def _arns(region: str, partition: str, vpc_id: str) -> _Arns:
    ec2 = f"arn:{partition}:ec2:{region}:*"
    elb = f"arn:{partition}:elasticloadbalancing:{region}:*"
    return _Arns(
        partition=partition,
        region=region,
        ec2=ec2,
        vpc=f"{ec2}:vpc/{vpc_id}",
        security_groups=f"{ec2}:security-group/*",
        load_balancers=[f"{elb}:loadbalancer/app/*/*", f"{elb}:loadbalancer/net/*/*"],
        target_groups=f"{elb}:targetgroup/*/*",
        listeners=[f"{elb}:listener/app/*/*/*", f"{elb}:listener/net/*/*/*"],
        rules=[f"{elb}:listener-rule/app/*/*/*", f"{elb}:listener-rule/net/*/*/*"],
    )


def iam_policy(region: str, partition: str, vpc_id: str) -> str:
    """The policy for a controller that runs in `region`, for a cluster in VPC `vpc_id`."""
    arns = _arns(region, partition, vpc_id)
    statements = [*_reads(arns), *_security_groups(arns), *_load_balancers(arns), *_tags_and_targets(arns)]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def _reads(a: _Arns) -> list[dict]:
    """Elastic Load Balancing's service-linked role, and what the controller reads."""
    return [
        _statement(
            "ServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            f"arn:{a.partition}:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
            "AWSServiceRoleForElasticLoadBalancing",
            {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
        ),
        _statement("Describe", DESCRIBE, "*"),
        _statement("SecurityGroupsOfTheVpc", ["ec2:GetSecurityGroupsForVpc"], a.vpc),
        _statement("CoipPools", ["ec2:GetCoipPoolUsage"], f"{a.ec2}:coip-pool/*"),
        _statement("ListCertificates", ["acm:ListCertificates", "iam:ListServerCertificates"], "*"),
        _statement(
            "ReadCertificatesAndUserPools",
            ["acm:DescribeCertificate", "cognito-idp:DescribeUserPoolClient", "iam:GetServerCertificate"],
            [
                f"arn:{a.partition}:acm:{a.region}:*:certificate/*",
                f"arn:{a.partition}:cognito-idp:{a.region}:*:userpool/*",
                f"arn:{a.partition}:iam::*:server-certificate/*",
            ],
        ),
    ]


def _security_groups(a: _Arns) -> list[dict]:
    """Security groups: rules on those of the cluster's VPC, its own created tagged, changed only where tagged."""
    return [
        _statement(
            "IngressRulesInTheVpc",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            a.security_groups,
            {"ArnLike": {"ec2:Vpc": a.vpc}},
        ),
        _statement("CreateTaggedSecurityGroups", ["ec2:CreateSecurityGroup"], a.security_groups, REQUEST_TAGGED),
        _statement("CreateSecurityGroupsInTheVpc", ["ec2:CreateSecurityGroup"], a.vpc),
        _statement(
            "TagSecurityGroupsOnCreate",
            ["ec2:CreateTags"],
            a.security_groups,
            {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}, **REQUEST_TAGGED},
        ),
        _statement("RetagOwnSecurityGroups", ["ec2:CreateTags", "ec2:DeleteTags"], a.security_groups, RETAG),
        _statement(
            "ChangeOwnSecurityGroups",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            a.security_groups,
            RESOURCE_TAGGED,
        ),
    ]


def _load_balancers(a: _Arns) -> list[dict]:
    """Load balancers and target groups created tagged; listeners and rules only on what carries the tag."""
    return [
        _statement(
            "CreateTaggedLoadBalancers",
            ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            [*a.load_balancers, a.target_groups],
            REQUEST_TAGGED,
        ),
        _statement(
            "ListenersOfOwnLoadBalancers", ["elasticloadbalancing:CreateListener"], a.load_balancers, RESOURCE_TAGGED
        ),
        _statement("OwnListeners", OWN_LISTENER_ACTIONS, a.listeners, RESOURCE_TAGGED),
        _statement("OwnRules", OWN_RULE_ACTIONS, a.rules, RESOURCE_TAGGED),
    ]


def _tags_and_targets(a: _Arns) -> list[dict]:
    """Tags of its own load balancers, listeners and rules (on create, and later never the cluster tag), changes
    to what carries the tag, and the targets of the region's target groups (ACCEPTED_UNCONDITIONED)."""
    retag = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    return [
        _statement("RetagOwnLoadBalancers", retag, [a.target_groups, *a.load_balancers], RETAG),
        _statement("RetagOwnListeners", retag, [*a.listeners, *a.rules], RETAG),
        _statement("ChangeOwnLoadBalancers", CHANGE_OWN_LOAD_BALANCER_ACTIONS, "*", RESOURCE_TAGGED),
        _statement(
            "TagOnCreate",
            ["elasticloadbalancing:AddTags"],
            [a.target_groups, *a.load_balancers],
            {
                "StringEquals": {"elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"]},
                **REQUEST_TAGGED,
            },
        ),
        _statement(
            "TagListenersOnCreate",
            ["elasticloadbalancing:AddTags"],
            [*a.listeners, *a.rules],
            {"StringEquals": {"elasticloadbalancing:CreateAction": ["CreateListener", "CreateRule"]}, **REQUEST_TAGGED},
        ),
        _statement(
            "Targets",
            ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            a.target_groups,
        ),
    ]


OWN_LISTENER_ACTIONS = [
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:CreateRule",
    "elasticloadbalancing:ModifyListener",
    "elasticloadbalancing:AddListenerCertificates",
    "elasticloadbalancing:RemoveListenerCertificates",
]
OWN_RULE_ACTIONS = [
    "elasticloadbalancing:DeleteRule",
    "elasticloadbalancing:ModifyRule",
    "elasticloadbalancing:SetRulePriorities",
]
CHANGE_OWN_LOAD_BALANCER_ACTIONS = [
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:SetIpAddressType",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:ModifyCapacityReservation",
    "elasticloadbalancing:ModifyIpPools",
]


# Upstream's read-only statement, less the two reads narrowed above (GetSecurityGroupsForVpc, GetCoipPoolUsage).
DESCRIBE = [
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeTags",
    "ec2:DescribeCoipPools",
    "ec2:DescribeIpamPools",
    "ec2:DescribeRouteTables",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeCapacityReservation",
]
