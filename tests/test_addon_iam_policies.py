"""The day-one add-ons' IAM policies against their upstreams' documented policies, written here: every action
upstream grants is granted (unless dropped on purpose, with its feature off), nothing more; every condition
upstream puts on an action is kept; what upstream leaves unconditioned is tightened or accepted one by one; no
write on `*` without a condition; each passes the IAM lint in every partition."""

from __future__ import annotations

import json

import pytest

from eks_platform.components import (
    cert_manager,
    external_dns,
    load_balancer_controller,
    load_balancer_controller_policy,
)
from policy.iam_lint import lint_identity_policy, unconditioned_writes

VPC = "vpc-0123456789abcdef0"
ZONES = ["Z0123456789ABCDEFGHIJ", "Z9876543210ZYXWVUTSRQ"]
REQUEST_TAG = {"Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": "false"}}
RESOURCE_TAG = {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}
RETAG = {"Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": "true", "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}

# kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json @ v3.5.0: each statement's actions
# and condition (None: unconditioned), in upstream's order.
LBC_UPSTREAM = [
    ({"iam:CreateServiceLinkedRole"},
     {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}),
    ({"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags",
      "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
      "ec2:DescribeRouteTables", "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeCapacityReservation"}, None),
    ({"cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate",
      "iam:ListServerCertificates", "iam:GetServerCertificate", "waf-regional:GetWebACL",
      "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
      "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
      "shield:DeleteProtection"}, None),
    ({"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"}, None),
    ({"ec2:CreateSecurityGroup"}, None),
    ({"ec2:CreateTags"}, {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}, **REQUEST_TAG}),
    ({"ec2:CreateTags", "ec2:DeleteTags"}, RETAG),
    ({"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"}, RESOURCE_TAG),
    ({"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"}, REQUEST_TAG),
    ({"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteRule"}, None),
    ({"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"}, RETAG),  # target groups, load balancers
    ({"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"}, None),  # listeners, listener rules
    ({"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools"}, RESOURCE_TAG),
    ({"elasticloadbalancing:AddTags"},
     {"StringEquals": {"elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"]},
      **REQUEST_TAG}),
    ({"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"}, None),
    ({"elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities"}, None),
]  # fmt: skip
# Dropped with the controller's WAF Classic, WAFv2 and Shield integrations (chart values enableWaf, enableWafv2,
# enableShield: false).
LBC_DROPPED = {
    "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
    "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL",
    "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
    "shield:DeleteProtection", "elasticloadbalancing:SetWebAcl",
}  # fmt: skip
# What the review tightened: upstream's unconditioned writes that now need the cluster's VPC or tag.
LBC_TIGHTENED = {
    "ec2:AuthorizeSecurityGroupIngress": {"ArnLike": {"ec2:Vpc": f"arn:aws:ec2:eu-west-1:*:vpc/{VPC}"}},
    "ec2:CreateSecurityGroup": REQUEST_TAG,
    "elasticloadbalancing:CreateListener": RESOURCE_TAG,
    "elasticloadbalancing:DeleteListener": RESOURCE_TAG,
    "elasticloadbalancing:CreateRule": RESOURCE_TAG,
    "elasticloadbalancing:DeleteRule": RESOURCE_TAG,
    "elasticloadbalancing:ModifyListener": RESOURCE_TAG,
    "elasticloadbalancing:ModifyRule": RESOURCE_TAG,
    "elasticloadbalancing:SetRulePriorities": RESOURCE_TAG,
    "elasticloadbalancing:AddListenerCertificates": RESOURCE_TAG,
    "elasticloadbalancing:RemoveListenerCertificates": RESOURCE_TAG,
}


def statements(document: str) -> list[dict]:
    return json.loads(document)["Statement"]


def grants(document: str) -> dict[str, list[tuple[object, object]]]:
    """action -> [(its statement's resources, condition)] for every Allow statement."""
    found: dict[str, list[tuple[object, object]]] = {}
    for s in statements(document):
        for action in s["Action"]:
            found.setdefault(action, []).append((s["Resource"], s.get("Condition")))
    return found


@pytest.fixture(scope="module")
def lbc() -> str:
    return load_balancer_controller_policy.iam_policy("eu-west-1", "aws", VPC)


def test_the_controller_gets_upstreams_actions_less_the_features_it_runs_without(lbc):
    upstream = set().union(*(actions for actions, _ in LBC_UPSTREAM))
    assert set(grants(lbc)) == upstream - LBC_DROPPED
    values = load_balancer_controller.chart_values(
        load_balancer_controller.AwsLoadBalancerControllerArgs("c", "eu-west-1", VPC, provider=None), "c", VPC
    )
    assert (values["enableWaf"], values["enableWafv2"], values["enableShield"]) == (False, False, False)
    # the tag conditions on listeners and rules hold because the controller tags them
    assert values["controllerConfig"]["featureGates"]["ListenerRulesTagging"] is True


def test_every_condition_upstream_puts_on_an_action_is_kept(lbc):
    found = grants(lbc)
    for actions, condition in LBC_UPSTREAM:
        for action in actions - LBC_DROPPED:
            if condition is not None:
                assert condition in [c for _, c in found[action]], (action, condition)


def test_upstreams_unconditioned_writes_are_tightened_or_accepted_one_by_one(lbc):
    found = grants(lbc)
    accepted = load_balancer_controller_policy.ACCEPTED_UNCONDITIONED
    for action, condition in LBC_TIGHTENED.items():
        assert condition in [c for _, c in found[action]], action
        assert all(c is not None for _, c in found[action]) or action in accepted, action
    left = {action for action, _ in unconditioned_writes(lbc)}
    assert left == set(load_balancer_controller_policy.ACCEPTED_UNCONDITIONED)
    assert all(len(why) > 10 for why in load_balancer_controller_policy.ACCEPTED_UNCONDITIONED.values())
    # accepted means narrowed: never on `*`, and the security groups only in the cluster's VPC
    assert all("*" not in resources for _, resources in unconditioned_writes(lbc))
    assert ("ec2:CreateSecurityGroup", (f"arn:aws:ec2:eu-west-1:*:vpc/{VPC}",)) in unconditioned_writes(lbc)


def test_no_write_on_star_without_a_condition_in_upstream_either_way(lbc):
    upstream_star = {a for a, r in unconditioned_writes(_upstream_document()) if r == ("*",)}
    assert "elasticloadbalancing:CreateListener" in upstream_star  # what the review found upstream
    assert not [a for a, r in unconditioned_writes(lbc) if "*" in r]


def _upstream_document() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": sorted(a), "Resource": "*", **({"Condition": c} if c else {})}
            for a, c in LBC_UPSTREAM
        ],
    }


# kubernetes-sigs/external-dns docs/tutorials/aws.md @ v0.21.0: (actions, resource).
EXTERNAL_DNS_UPSTREAM = [
    ({"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"},
     "arn:aws:route53:::hostedzone/*"),
    ({"route53:ListHostedZones"}, "*"),
]  # fmt: skip
# cert-manager docs, configuration/acme/dns01/route53.md (cert-manager/website @ 061b898f).
CERT_MANAGER_UPSTREAM = [
    ({"route53:GetChange"}, "arn:aws:route53:::change/*"),
    ({"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"}, "arn:aws:route53:::hostedzone/*"),
    ({"route53:ListHostedZonesByName"}, "*"),
]
ZONE_ARNS = [f"arn:aws:route53:::hostedzone/{zone}" for zone in ZONES]


@pytest.mark.parametrize(
    ("document", "upstream", "record_types"),
    [
        (external_dns.iam_policy(ZONES, "aws"), EXTERNAL_DNS_UPSTREAM, ["A", "AAAA", "CNAME", "MX", "TXT"]),
        (cert_manager.iam_policy(ZONES, "aws"), CERT_MANAGER_UPSTREAM, ["TXT"]),
    ],
    ids=["external-dns", "cert-manager"],
)
def test_dns_controllers_get_upstreams_actions_on_exactly_the_given_zones(document, upstream, record_types):
    found = grants(document)
    assert set(found) == set().union(*(actions for actions, _ in upstream))
    for actions, resource in upstream:
        for action in actions:
            (granted,) = found[action]
            # upstream's hostedzone/* becomes exactly the zones listed; other resources stay as upstream wrote them
            assert granted[0] == (ZONE_ARNS if resource.endswith("hostedzone/*") else resource), action
    (change,) = found["route53:ChangeResourceRecordSets"]
    assert change[1] == {"ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": record_types}}
    assert unconditioned_writes(document) == []


@pytest.mark.parametrize(
    ("partition", "region"), [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")]
)
def test_the_add_ons_policies_pass_the_iam_lint_in_every_partition(partition, region):
    for document in (
        load_balancer_controller_policy.iam_policy(region, partition, VPC),
        external_dns.iam_policy(ZONES, partition),
        cert_manager.iam_policy(ZONES, partition),
    ):
        assert lint_identity_policy(document) == []
        assert all(f"arn:{partition}:" in str(r) for s in statements(document) for r in [s["Resource"]] if r != "*")


def test_every_accepted_lint_finding_is_still_found(lbc):
    from policy.iam_lint import ACCEPTED, parliament_findings

    found = {(issue, subject) for issue, subject, _ in parliament_findings(lbc)}
    assert set(ACCEPTED) <= found, set(ACCEPTED) - found
