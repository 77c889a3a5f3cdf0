"""The cost estimate as the render and the review show it: plan.json's `cost` section, its terminal
text, and the monthly delta between two plans (`+ $71/month: node group general ...`).

Everything is computed from a plan's resources (plan.json), so the base side of a review, rendered by
an older commit, is priced by the same rules and the same table as the head.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .cost import COMPONENTS, NOT_COUNTED, Estimate, Resource, estimate, region_of
from .support import today as render_day
from .table import HOURS_PER_MONTH, PriceTable, load_prices

AT = ("desired", "max")


def plan_resources(resources: Sequence[Mapping[str, Any]]) -> list[Resource]:
    return [Resource(r["type"], r["name"], r.get("inputs") or {}) for r in resources]


def plan_estimate(plan: Mapping[str, Any], prices: PriceTable | None = None, today: date | None = None) -> Estimate:
    resources = plan_resources(plan.get("resources") or [])
    region = (plan.get("outputs") or {}).get("region") or region_of(resources) or "unknown"
    return estimate(resources, str(region), prices or load_prices(), today or render_day())


def cost_section(
    plan: Mapping[str, Any], prices: PriceTable | None = None, today: date | None = None
) -> dict[str, Any]:
    """plan.json's `cost`: USD per month at desiredSize and at maxSize, per component and per line."""
    prices = prices or load_prices()
    found = plan_estimate(plan, prices, today)
    known_region = found.region in prices.regions
    return {
        "currency": "USD",
        "hoursPerMonth": HOURS_PER_MONTH,
        "region": found.region,
        "pricesRead": prices.read if known_region else None,
        # A component with nothing counted (logs: the volume is unknown) is null, not a misleading 0.
        "components": {
            c: {
                at: found.total(at, c) if any(x.counted and x.component == c for x in found.lines) else None
                for at in AT
            }
            for c in COMPONENTS
        },
        "total": {at: found.total(at) for at in AT},
        "complete": not found.unknown,
        "unknown": [line.label for line in found.unknown],
        "lines": [
            {
                "component": line.component,
                "key": line.key,
                "item": line.label,
                "desired": line.desired,
                "max": line.max,
                "counted": line.counted,
                **({"note": line.note} if line.note else {}),
            }
            for line in found.lines
        ],
        "notCounted": NOT_COUNTED,
    }


def _usd(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def cost_text(section: Mapping[str, Any]) -> str:
    region = section["region"]
    if section["pricesRead"] is None:
        head = f"Cost per month: unknown — the price table has no prices for {region} (see `make prices`)"
    else:
        head = (
            f"Cost per month (USD, on-demand prices of {region}, {section['hoursPerMonth']} hours; "
            f"price table read {section['pricesRead']}):"
        )
    # One column width for the components (indented 4) and the priced lines under them (indented 6).
    width = max([14, *(len(line["item"]) + 2 for line in section["lines"])])
    lines = [head, f"    {'':<{width}}{'at desired':>12}{'at max':>12}"]
    for component in COMPONENTS:
        totals = section["components"][component]
        lines.append(f"    {component:<{width}}{_usd(totals['desired']):>12}{_usd(totals['max']):>12}")
    total = section["total"]
    suffix = "" if section["complete"] else "   + unknown: " + "; ".join(section["unknown"])
    lines.append(f"    {'total':<{width}}{_usd(total['desired']):>12}{_usd(total['max']):>12}{suffix}")
    for line in section["lines"]:
        cells = [
            ("unknown" if v is None else _usd(v)) if line["counted"] else "-" for v in (line["desired"], line["max"])
        ]
        shown = f"{cells[0]:>12}{cells[1]:>12}"
        note = f"   {line['note']}" if line.get("note") else ""
        lines.append(f"      {line['item']:<{width - 2}}{shown}{note}")
    lines.append(f"    Not counted: {section['notCounted']}.")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CostChange:
    desired: float | None  # USD per month, None when either side is unknown
    max: float | None
    what: str  # "node group general: t3.medium x 1 (max 2) → t3.large x 1 (max 2)"

    def __str__(self) -> str:
        return f"{_signed(self.desired)}/month at desired, {_signed(self.max)}/month at max: {self.what}"


def _signed(value: float | None) -> str:
    if value is None:
        return "? $"
    return f"{'+' if value >= 0 else '-'} ${abs(value):,.2f}"


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 2)


def cost_changes(
    base_plan: Mapping[str, Any], head_plan: Mapping[str, Any]
) -> tuple[list[CostChange], CostChange | None]:
    """Each priced line whose monthly cost changes, and the change of the total (None: no change)."""
    prices, today = load_prices(), render_day()
    old = (
        {line.key: line for line in plan_estimate(base_plan, prices, today).lines} if base_plan.get("resources") else {}
    )
    new = {line.key: line for line in plan_estimate(head_plan, prices, today).lines}
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        values = {at: _delta(getattr(a, at) if a else 0.0, getattr(b, at) if b else 0.0) for at in AT}
        if a and b and a.counted and b.counted and all(v == 0 for v in values.values()):
            continue  # relabelled (a version, a count at zero cost) without a cost change
        if a and b and a.label == b.label and not a.counted and not b.counted:
            continue
        what = (
            f"{a.label} → {b.label.split(': ', 1)[-1]}"
            if a and b
            else (f"{b.label} (new)" if b else f"{a.label} (removed)")
        )
        if (a and not a.counted) or (b and not b.counted):
            values = {at: None for at in AT}
        changes.append(CostChange(values["desired"], values["max"], what))
    if not changes:
        return [], None
    totals = {at: _delta(_total(old, at), _total(new, at)) for at in AT}
    return changes, CostChange(totals["desired"], totals["max"], "total")


def _total(lines: Mapping[str, Any], at: str) -> float | None:
    values = [getattr(line, at) for line in lines.values() if line.counted]
    return None if any(v is None for v in values) else round(sum(values), 2)
