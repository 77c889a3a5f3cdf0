"""`make prices` against recorded Price List API answers (botocore's Stubber: no network): GetProducts
returns PriceList as JSON strings, product.attributes + terms.OnDemand...priceDimensions...pricePerUnit.USD."""

from __future__ import annotations

import json
from datetime import date

import boto3
import pytest
from botocore.stub import ANY, Stubber

from pricing.refresh import refreshed, usage_matches
from pricing.table import parse_table


def product(usagetype: str, usd: str, **attributes: str) -> str:
    sku = f"SKU{abs(hash(usagetype)) % 10**6}"
    dimension = {
        "beginRange": "0",
        "endRange": "Inf",
        "unit": "Hrs",
        "pricePerUnit": {"USD": usd},
        "rateCode": f"{sku}.R.6",
    }
    return json.dumps(
        {
            "product": {
                "sku": sku,
                "attributes": {"usagetype": usagetype, "regionCode": "ap-northeast-2", **attributes},
            },
            "serviceCode": "AmazonEC2",
            "terms": {"OnDemand": {f"{sku}.R": {"priceDimensions": {f"{sku}.R.6": dimension}, "sku": sku}}},
        }
    )


DOCUMENT = {
    "read": "2025-01-01",
    "sources": {"old": {"what": "w", "from": "before", "published": "2025-01-01", "read": "2025-01-01"}},
    "regions": {
        "ap-northeast-2": {
            "kmsKeyMonth": {"usd": 1.0, "source": "old"},
            "eksTierHour": {"tier-8xl": {"usd": 13.9, "source": "old"}},
            "instances": {"source": "old", "hourly": {"t3.medium": 0.05, "t3.large": 0.1}},
        }
    },
}
ANSWERS = [
    (
        "AmazonEKS",
        [
            product("APN2-AmazonEKS-Hours:perCluster", "0.1000000000"),
            product("APN2-AmazonEKS-Hours:extendedSupport", "0.5000000000"),
            product("APN2-AmazonEKS-Hours:tier-xl", "1.6500000000"),
        ],
    ),
    # The Price List also has regional NAT gateways (RegionalNatGateway-Hours), another product: a decoy first.
    (
        "AmazonEC2",
        [
            product("APN2-RegionalNatGateway-Hours", "0.0900000000"),
            product("APN2-NatGateway-Hours", "0.0590000000"),
            product("APN2-NatGateway-Bytes", "0.0590000000"),
        ],
    ),
    ("AmazonVPC", [product("APN2-PublicIPv4:InUseAddress", "0.0050000000")]),
    (
        "AmazonEC2",
        [
            product("APN2-EBS:VolumeUsage.gp3", "0.0912000000"),
            product("APN2-EBS:VolumeP-Throughput.gp3", "46.6944000000"),
        ],
    ),
    ("awskms", []),  # nothing returned: the old figure and its source stay
    ("AmazonCloudWatch", [product("APN2-VendedLog-Bytes", "0.7600000000")]),
]


def alb_filters(description: str) -> list[dict[str, str]]:
    """What GetProducts must be asked for an ALB price: the region's on-demand rows of one group description."""
    fields = {
        "regionCode": "ap-northeast-2",
        "productFamily": "Load Balancer-Application",
        "locationType": "AWS Region",
        "groupDescription": description,
    }
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in fields.items()]


ALB = {"productFamily": "Load Balancer-Application", "operation": "LoadBalancing:Application"}
# AWSELB answers as the Price List shapes them: an Outposts row of the same group comes first (USD 0), so
# a refresh that took any usage type ending in LoadBalancerUsage / LCUUsage would price an ALB at zero.
ALB_ANSWERS = [
    (
        "LoadBalancer hourly usage by Application Load Balancer",
        [
            product("APN2-Outposts-LoadBalancerUsage", "0.0000000000", **ALB),
            product("APN2-LoadBalancerUsage", "0.0225000000", **ALB),
        ],
    ),
    (
        "Used Application Load Balancer capacity units-hr",
        [product("APN2-Outposts-LCUUsage", "0.0000000000", **ALB), product("APN2-LCUUsage", "0.0080000000", **ALB)],
    ),
]


def test_refresh_reads_every_figure_from_get_products():
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(client) as stub:
        for service, items in ANSWERS:
            stub.add_response(
                "get_products", {"PriceList": items}, {"ServiceCode": service, "Filters": ANY, "MaxResults": 100}
            )
        for description, items in ALB_ANSWERS:
            expected = {"ServiceCode": "AWSELB", "Filters": alb_filters(description), "MaxResults": 100}
            stub.add_response("get_products", {"PriceList": items}, expected)
        # The instances come in two pages: the refresh follows NextToken.
        first = [product("APN2-BoxUsage:t3.medium", "0.0520000000", instanceType="t3.medium", operation="RunInstances")]
        second = [
            product("APN2-BoxUsage:t3.large", "0.1040000000", instanceType="t3.large", operation="RunInstances"),
            product(
                "APN2-BoxUsage:m5.large", "0.1180000000", instanceType="m5.large", operation="RunInstances"
            ),  # another family
        ]
        stub.add_response(
            "get_products",
            {"PriceList": first, "NextToken": "n"},
            {"ServiceCode": "AmazonEC2", "Filters": ANY, "MaxResults": 100},
        )
        stub.add_response(
            "get_products",
            {"PriceList": second},
            {"ServiceCode": "AmazonEC2", "Filters": ANY, "MaxResults": 100, "NextToken": "n"},
        )
        document = refreshed(DOCUMENT, client, date(2026, 12, 6))
        stub.assert_no_pending_responses()
    table = parse_table(document)
    assert table.read == "2026-12-06"
    assert table.control_plane_hourly("ap-northeast-2", "extended", "tier-xl") == 2.25
    assert table.control_plane_hourly("ap-northeast-2", "standard", "tier-8xl") == 0.1 + 13.9
    assert table.usd("ap-northeast-2", "gp3MibpsMonth") == 46.6944 / 1024
    assert table.figure("ap-northeast-2", "kmsKeyMonth").source == "old"
    assert table.figure("ap-northeast-2", "natGatewayGb").source == "price-list-api"
    assert table.usd("ap-northeast-2", "natGatewayHour") == 0.059  # not the regional NAT gateway's hour
    assert dict(table.regions["ap-northeast-2"].instances) == {"t3.medium": 0.052, "t3.large": 0.104}
    assert (table.usd("ap-northeast-2", "albHour"), table.usd("ap-northeast-2", "albLcuHour")) == (0.0225, 0.008)
    assert table.figure("ap-northeast-2", "albHour").source == "price-list-api"


@pytest.mark.parametrize(
    ("usage_type", "wanted", "matches"),
    [
        ("LoadBalancerUsage", "=LoadBalancerUsage", True),  # us-east-1: no prefix
        ("APN2-LoadBalancerUsage", "=LoadBalancerUsage", True),
        ("EU-LCUUsage", "=LCUUsage", True),
        ("EU-ReservedLCUUsage", "=LCUUsage", False),
        ("EU-Outposts-LCUUsage", "=LCUUsage", False),
        ("Outposts-LoadBalancerUsage", "=LoadBalancerUsage", False),
        ("USE1-TS-LoadBalancerUsage", "=LoadBalancerUsage", False),
        ("us-east-1-KMS-Keys", "KMS-Keys", True),  # an ending without "=": any prefix
    ],
)
def test_which_usage_types_a_figure_takes(usage_type, wanted, matches):
    assert usage_matches(usage_type, wanted) is matches
