"""How figures read in the meeting pack: compact numbers, percentages, changes and KPI names."""

from __future__ import annotations

import math

KPI_LABELS = {
    "total_sales": "Sales last month",
    "forecast_accuracy_lag1": "Forecast accuracy (lag 1)",
    "forecast_accuracy_lag3": "Forecast accuracy (lag 3)",
    "forecast_bias": "Forecast bias (lag 1)",
    "forecast_bias_lag3": "Forecast bias (lag 3)",
    "sales_vs_forecast": "Sales vs forecast",
    "forecast_value_added_statistical": "Value added: statistical vs naive",
    "forecast_value_added_consensus": "Value added: consensus vs statistical",
    "gross_margin_pct": "Planned gross margin",
    "revenue_vs_budget": "Plan revenue vs budget",
    "working_capital": "Inventory at cost",
    "inventory_turns": "Inventory turns",
    "days_of_supply": "Days of supply",
    "capacity_utilization": "Capacity utilisation",
    "planned_fill_rate": "Planned fill rate",
    "unmet_demand": "Unmet demand (units)",
    "production_forecast": "Planned production",
    "production_forecast_next_3m": "Production next 3 months",
    "plan_attainment": "Plan attainment last month",
    "cycle_time": "Production cycle time",
    "slow_moving_inventory_value": "Slow-moving stock at cost",
}

# +1: a rise is good news, -1: a rise is bad news; KPIs not listed are read in context.
GOOD_DIRECTION = {
    "total_sales": 1,
    "forecast_accuracy_lag1": 1,
    "forecast_accuracy_lag3": 1,
    "forecast_value_added_statistical": 1,
    "forecast_value_added_consensus": 1,
    "gross_margin_pct": 1,
    "revenue_vs_budget": 1,
    "inventory_turns": 1,
    "planned_fill_rate": 1,
    "plan_attainment": 1,
    "unmet_demand": -1,
    "cycle_time": -1,
    "slow_moving_inventory_value": -1,
}

UNIT_SUFFIX = {"days": " d", "months": " mo", "hours": " h", "turns": "\u00d7", "units": ""}


def kpi_label(kpi: str) -> str:
    """The reader's name of a KPI."""
    return KPI_LABELS.get(kpi, kpi.replace("_", " ").capitalize())


def compact(value: float) -> str:
    """A number in at most four significant characters and a k/M/B suffix: 1234567 -> 1.23M."""
    if not math.isfinite(value):
        return "n/a"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2g}"


def nice_step(span: float, steps: int = 4) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) covering `span` in `steps`."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)


def format_value(value: float, unit: str) -> str:
    """A KPI value as shown on a tile: ratios in percent, others compact with a unit suffix."""
    if not math.isfinite(value):
        return "n/a"
    if unit == "ratio":
        return f"{value * 100:.1f} %"
    if unit in ("days", "turns", "months"):
        return f"{value:.1f}{UNIT_SUFFIX[unit]}"
    return compact(value) + UNIT_SUFFIX.get(unit, "")


def format_change(value: float, previous: float, unit: str) -> str:
    """The change since the previous cycle: percentage points for ratios, percent otherwise."""
    if value == previous:
        return "no change"
    if unit == "ratio":
        return f"{(value - previous) * 100:+.1f} pp"
    if previous == 0:
        return f"{'+' if value >= 0 else ''}{compact(value)} from 0"
    return f"{(value / previous - 1) * 100:+.1f} %"


def change_tone(kpi: str, value: float, previous: float) -> str:
    """'good', 'bad' or 'neutral': the colour of a change on the KPI tile."""
    direction = GOOD_DIRECTION.get(kpi, 0) * (value - previous)
    if direction > 0:
        return "good"
    return "bad" if direction < 0 else "neutral"
