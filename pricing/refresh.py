"""`make prices`: refresh pricing/prices.json from the AWS Price List API (boto3 `pricing` client).

Needs AWS credentials allowed `pricing:GetProducts`. Without credentials nothing is fetched: the
shipped table is used, and its date is printed. A figure the API does not return keeps its old
value and names its old source, so the table never loses what it had.

Each figure is read with GetProducts (service code + TERM_MATCH filters), whose PriceList is a list
of JSON documents: product.attributes, and terms.OnDemand.<offer>.priceDimensions.<rate>.pricePerUnit.USD.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .table import TABLE_FILE

ENDPOINT_REGION = "us-east-1"  # the Price List API answers in us-east-1 (and ap-south-1, eu-central-1)
SOURCE = "price-list-api"
# An ALB's on-demand prices (AWSELB) by their group descriptions, which are the same in every region; AWS
# Regions only (not Outposts, Local or Wavelength Zones). Rows that are not these prices share the usage types'
# endings ("EU-ReservedLCUUsage", "EU-Outposts-LCUUsage", "USE1-TS-LoadBalancerUsage" of a trust store), so
# the usage type must also be exactly the wanted one after the region's prefix ("EU-", "APN2-", none).
ALB = {"productFamily": "Load Balancer-Application", "locationType": "AWS Region"}
ALB_HOUR = {**ALB, "groupDescription": "LoadBalancer hourly usage by Application Load Balancer"}
ALB_LCU = {**ALB, "groupDescription": "Used Application Load Balancer capacity units-hr"}
EXACT = re.compile(r"^(?:[A-Z0-9]+-)?(?P<usage>.+)$")
# (figure, service code, filters, usage type ending, divisor): gp3 throughput is priced per GiBps-month.
# An ending starting with "=" is the whole usage type after the region prefix.
FIGURE_QUERIES = (
    ("eksClusterHour", "AmazonEKS", {}, "AmazonEKS-Hours:perCluster", 1),
    ("eksExtendedSupportHour", "AmazonEKS", {}, "AmazonEKS-Hours:extendedSupport", 1),
    ("natGatewayHour", "AmazonEC2", {"productFamily": "NAT Gateway"}, "=NatGateway-Hours", 1),
    ("natGatewayGb", "AmazonEC2", {"productFamily": "NAT Gateway"}, "=NatGateway-Bytes", 1),
    ("publicIpv4Hour", "AmazonVPC", {}, "PublicIPv4:InUseAddress", 1),
    ("gp3GbMonth", "AmazonEC2", {"volumeApiName": "gp3"}, "EBS:VolumeUsage.gp3", 1),
    ("gp3IopsMonth", "AmazonEC2", {"volumeApiName": "gp3"}, "EBS:VolumeP-IOPS.gp3", 1),
    ("gp3MibpsMonth", "AmazonEC2", {"volumeApiName": "gp3"}, "EBS:VolumeP-Throughput.gp3", 1024),
    ("kmsKeyMonth", "awskms", {}, "KMS-Keys", 1),
    ("logsIngestGb", "AmazonCloudWatch", {}, "VendedLog-Bytes", 1),
    ("albHour", "AWSELB", ALB_HOUR, "=LoadBalancerUsage", 1),
    ("albLcuHour", "AWSELB", ALB_LCU, "=LCUUsage", 1),
)
INSTANCE_FILTERS = {
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "preInstalledSw": "NA",
    "capacitystatus": "Used",
    "licenseModel": "No License required",
}
_TIER = re.compile(r"(tier-(?:\d+)?xl)", re.IGNORECASE)


def products(client: Any, service: str, region: str, filters: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    terms = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    terms += [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in filters.items()]
    token = None
    while True:
        page = client.get_products(
            ServiceCode=service, Filters=terms, MaxResults=100, **({"NextToken": token} if token else {})
        )
        yield from (json.loads(item) for item in page.get("PriceList", []))
        token = page.get("NextToken")
        if not token:
            return


def on_demand_usd(product: Mapping[str, Any]) -> float | None:
    """The first-tier (beginRange 0) on-demand USD price of a product, or None."""
    for offer in (product.get("terms") or {}).get("OnDemand", {}).values():
        for dimension in offer.get("priceDimensions", {}).values():
            if str(dimension.get("beginRange", "0")) == "0" and "USD" in dimension.get("pricePerUnit", {}):
                return float(dimension["pricePerUnit"]["USD"])
    return None


def usage_matches(usage_type: str, wanted: str) -> bool:
    if wanted.startswith("="):
        match = EXACT.match(usage_type)
        return bool(match) and match["usage"] == wanted[1:]
    return usage_type.endswith(wanted)


def region_figures(client: Any, region: str) -> dict[str, float]:
    found: dict[str, float] = {}
    cache: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for name, service, filters, usage, divisor in FIGURE_QUERIES:
        key = (service, json.dumps(filters, sort_keys=True))
        if key not in cache:
            cache[key] = list(products(client, service, region, filters))
        for product in cache[key]:
            usage_type = product["product"]["attributes"].get("usagetype", "")
            price = on_demand_usd(product)
            if usage_matches(usage_type, usage) and price is not None and name not in found:
                found[name] = round(price / divisor, 10)
    for product in cache.get(("AmazonEKS", "{}"), []):  # provisioned control plane tiers, whatever their usage type
        match = _TIER.search(product["product"]["attributes"].get("usagetype", ""))
        price = on_demand_usd(product)
        if match and price is not None:
            found[f"tier:{match.group(1).lower()}"] = price
    return found


def instance_prices(client: Any, region: str, families: set[str]) -> dict[str, float]:
    found = {}
    for product in products(client, "AmazonEC2", region, INSTANCE_FILTERS):
        attributes = product["product"]["attributes"]
        name = attributes.get("instanceType", "")
        price = on_demand_usd(product)
        if name.split(".")[0] in families and price and attributes.get("operation") == "RunInstances":
            found[name] = price
    return dict(sorted(found.items()))


def refreshed(document: Mapping[str, Any], client: Any, today: date) -> dict[str, Any]:
    """The table with every figure the API returns replaced, read `today`."""
    updated = json.loads(json.dumps(document))
    updated["read"] = str(today)
    updated["sources"][SOURCE] = {
        "what": "every figure of a region, as GetProducts returned it (on-demand, first price tier)",
        "from": "AWS Price List API (GetProducts, endpoint us-east-1)",
        "published": str(today),
        "read": str(today),
    }
    for region, entry in updated["regions"].items():
        families = {t.split(".")[0] for t in (entry.get("instances") or {}).get("hourly", {})}
        for name, usd in region_figures(client, region).items():
            if name.startswith("tier:"):
                entry.setdefault("eksTierHour", {})[name[5:]] = {"usd": usd, "source": SOURCE}
            else:
                entry[name] = {"usd": usd, "source": SOURCE}
        hourly = instance_prices(client, region, families)
        if hourly:
            entry["instances"] = {"source": SOURCE, "hourly": {**entry["instances"]["hourly"], **hourly}}
    return updated


def write_table(document: Mapping[str, Any], path: Path = TABLE_FILE) -> None:
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
