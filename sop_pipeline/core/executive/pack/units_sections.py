"""Meeting-pack sections in units and in changes: demand, production and unmet units, projected
inventory against safety stock, and what changed since the previous cycle's plan."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_label
from sop_pipeline.core.executive.pack.formatting import money, units
from sop_pipeline.core.executive.pack.page import no_data, note, section, table
from sop_pipeline.core.executive.pack.svg import bar_chart, line_chart
from sop_pipeline.core.names import BASELINE
from sop_pipeline.core.tables.executive import DEMAND_CAUSES

CAUSE_LABELS = {
    "statistical": "Actuals & model",
    "events": "Events",
    "pipeline": "CRM pipeline",
    "new_products": "New products",
    "overrides": "Overrides",
}


def units_section(supply_plan: pd.DataFrame | None) -> str:
    """Section `units`: baseline demand, production and unmet units per month, and projected
    inventory against safety stock."""
    sid, heading = "units", "Units: demand, production, inventory vs safety stock (baseline)"
    if supply_plan is None or supply_plan.empty:
        return section(sid, heading, no_data("the cycle has no supply plan"))
    base = supply_plan[supply_plan["scenario"] == BASELINE]
    by_month = base.groupby("month")[
        ["demand", "production", "unmet_demand", "ending_inventory", "safety_stock"]
    ].sum()
    months = [month_label(m) for m in by_month.index]
    flows = line_chart(
        months,
        {
            "Demand": by_month["demand"].tolist(),
            "Production": by_month["production"].tolist(),
            "Unmet": by_month["unmet_demand"].tolist(),
        },
        "Units per month: demand, production, unmet",
    )
    stock = line_chart(
        months,
        {
            "Projected inventory": by_month["ending_inventory"].tolist(),
            "Safety stock": by_month["safety_stock"].tolist(),
        },
        "Projected inventory against safety stock",
    )
    caption = (
        f"{units(by_month['demand'].sum())} units of demand, "
        f"{units(by_month['production'].sum())} to produce, "
        f"{units(by_month['unmet_demand'].sum())} unmet over the horizon."
    )
    return section(sid, heading, note(caption), flows, stock)


def plan_changes_section(plan_changes: pd.DataFrame | None, currency: str) -> str:
    """Section `plan-changes`: the change of demand by cause and of revenue per family."""
    sid, heading = "plan-changes", "What changed since the previous cycle's plan"
    if plan_changes is None or plan_changes.empty:
        return section(sid, heading, no_data("there is no previous cycle's plan to compare"))
    causes = [f"demand_change_{c}" for c in DEMAND_CAUSES]
    totals = plan_changes[causes].sum()
    by_family = plan_changes.groupby("family")[["demand_change", *causes, "revenue_change"]].sum()
    chart = bar_chart(
        [CAUSE_LABELS[c] for c in DEMAND_CAUSES],
        {"Demand change (units)": totals.tolist()},
        "Demand change by cause",
    )
    rows = [
        [
            str(family),
            units(row["demand_change"], signed=True),
            *[units(row[c], signed=True) for c in causes],
            money(row["revenue_change"], currency, signed=True),
        ]
        for family, row in by_family.iterrows()
    ]
    headers = ["Family", "Demand", *[CAUSE_LABELS[c] for c in DEMAND_CAUSES], "Revenue"]
    months = plan_changes["month"]
    caption = (
        f"Baseline against the previous cycle's plan for the months both plan "
        f"({month_label(months.min())} to {month_label(months.max())}); the causes add up to "
        f"the change. Demand {units(plan_changes['demand_change'].sum(), signed=True)} units, "
        f"revenue {money(plan_changes['revenue_change'].sum(), currency, signed=True)}."
    )
    return section(sid, heading, note(caption), chart, table(headers, rows))
