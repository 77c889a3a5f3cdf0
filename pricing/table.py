"""The price table (pricing/prices.json): typed access to every figure the cost estimate counts.

One home for each price. A figure the table does not hold (a region it has no prices for, an
instance type not listed there) comes back as None, and the estimate says the cost is unknown:
nothing here guesses. Standard library only: the CrossGuard pack imports it in its own venv.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

TABLE_FILE = Path(__file__).with_name("prices.json")
# AWS prices a month as 730 hours (365 days x 24 / 12), as its pricing pages and calculator do.
HOURS_PER_MONTH = 730
# gp3 includes this much performance in the storage price; only what is provisioned above is billed
# (EBS User Guide, "General Purpose SSD volumes"; EBS pricing page).
GP3_BASELINE_IOPS = 3000
GP3_BASELINE_MIBPS = 125
SUPPORT_TYPES = ("standard", "extended")
STANDARD_TIER = "standard"
# The figures a region can hold, each per the unit in its name.
FIGURES = (
    "eksClusterHour",
    "eksExtendedSupportHour",
    "natGatewayHour",
    "natGatewayGb",
    "publicIpv4Hour",
    "gp3GbMonth",
    "gp3IopsMonth",
    "gp3MibpsMonth",
    "kmsKeyMonth",
    "logsIngestGb",
    "albHour",
    "albLcuHour",
)


@dataclass(frozen=True)
class Price:
    usd: float
    source: str  # a key of PriceTable.sources


@dataclass(frozen=True)
class Source:
    key: str
    what: str
    origin: str  # where the figures come from
    published: str  # when the source published them
    read: str  # when they were read into this table


@dataclass(frozen=True)
class RegionPrices:
    figures: Mapping[str, Price]
    tiers: Mapping[str, Price]  # provisioned control plane tier -> price per hour, on top of the cluster hour
    instances: Mapping[str, float]  # instance type -> on-demand Linux price per hour
    instance_source: str | None


@dataclass(frozen=True)
class PriceTable:
    read: str
    sources: Mapping[str, Source]
    regions: Mapping[str, RegionPrices]

    def figure(self, region: str, name: str) -> Price | None:
        prices = self.regions.get(region)
        return prices.figures.get(name) if prices else None

    def usd(self, region: str, name: str) -> float | None:
        price = self.figure(region, name)
        return price.usd if price else None

    def instance_hourly(self, region: str, instance_type: str) -> float | None:
        prices = self.regions.get(region)
        return prices.instances.get(instance_type) if prices else None

    def control_plane_hourly(self, region: str, support: str = "standard", tier: str = STANDARD_TIER) -> float | None:
        """What one EKS cluster costs per hour: the cluster hour, plus the extended support surcharge
        in extended support, plus the provisioned control plane tier's price (tier-xl ... tier-8xl).
        None when the table lacks a figure that applies."""
        if support not in SUPPORT_TYPES:
            raise ValueError(f"support must be one of {SUPPORT_TYPES}, not {support!r}")
        hourly = self.usd(region, "eksClusterHour")
        if hourly is None:
            return None
        if support == "extended":
            surcharge = self.usd(region, "eksExtendedSupportHour")
            if surcharge is None:
                return None
            hourly += surcharge
        if tier != STANDARD_TIER:
            prices = self.regions[region]
            if tier not in prices.tiers:
                return None
            hourly += prices.tiers[tier].usd
        return round(hourly, 6)

    def source_of(self, region: str, name: str) -> Source | None:
        price = self.figure(region, name)
        return self.sources.get(price.source) if price else None


def _price(entry: Mapping[str, Any]) -> Price:
    return Price(float(entry["usd"]), str(entry["source"]))


def parse_table(document: Mapping[str, Any]) -> PriceTable:
    sources = {
        key: Source(key, s["what"], s["from"], str(s["published"]), str(s["read"]))
        for key, s in document["sources"].items()
    }
    regions = {}
    for region, entry in document["regions"].items():
        instances = entry.get("instances") or {}
        regions[region] = RegionPrices(
            figures=MappingProxyType({name: _price(entry[name]) for name in FIGURES if name in entry}),
            tiers=MappingProxyType({t: _price(p) for t, p in (entry.get("eksTierHour") or {}).items()}),
            instances=MappingProxyType({t: float(p) for t, p in (instances.get("hourly") or {}).items()}),
            instance_source=instances.get("source"),
        )
    return PriceTable(str(document["read"]), MappingProxyType(sources), MappingProxyType(regions))


@cache
def load_prices(path: Path = TABLE_FILE) -> PriceTable:
    """The shipped table, parsed once per process."""
    return parse_table(json.loads(path.read_text(encoding="utf-8")))


def monthly(hourly: float) -> float:
    return hourly * HOURS_PER_MONTH
