"""Meeting-pack sections on the plan: demand vs supply vs budget, capacity."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_label
from sop_pipeline.core.executive.kpi import kpi_definition
from sop_pipeline.core.executive.pack.formatting import (
    DEFAULT_CURRENCY,
    format_value,
    money,
)
from sop_pipeline.core.executive.pack.heatmap import heatmap
from sop_pipeline.core.executive.pack.page import no_data, note, section, table
from sop_pipeline.core.executive.pack.svg import bar_chart, line_chart
from sop_pipeline.core.names import BASELINE

MONEY = ["unconstrained_revenue", "revenue", "budget_revenue"]
SERIES = {"unconstrained_revenue": "Demand", "revenue": "Supply plan", "budget_revenue": "Budget"}


def demand_supply_budget_section(
    financial_plan: pd.DataFrame, kpi: pd.DataFrame, currency: str = DEFAULT_CURRENCY
) -> str:
    """Section `demand-supply-budget`: revenue of demand, of the plan and of the budget; plan vs
    budget per family is the KPI table's `revenue_vs_budget`."""
    sid, heading = "demand-supply-budget", f"Demand vs supply vs budget (revenue, {currency})"
    base = financial_plan[financial_plan["scenario"] == BASELINE]
    if base.empty:
        return section(sid, heading, no_data("the cycle has no baseline financial plan"))
    budgeted = base[base["budget_revenue"].notna()]
    family_frame = budgeted if not budgeted.empty else base
    by_family = family_frame.groupby("family")[MONEY].sum(min_count=1)
    scope = (
        "Per family over the budgeted months:"
        if not budgeted.empty
        else "Per family over the horizon (no budget sent):"
    )
    bars = bar_chart(
        list(by_family.index),
        {SERIES[c]: by_family[c].tolist() for c in MONEY},
        "Revenue per family: demand, supply plan, budget",
    )
    vs_budget = _kpi_values(kpi, "revenue_vs_budget", "family", BASELINE)
    return section(
        sid,
        heading,
        *_monthly(base, budgeted),
        note(scope),
        bars,
        _family_table(by_family, vs_budget, currency),
    )


def _monthly(base: pd.DataFrame, budgeted: pd.DataFrame) -> tuple[str, str]:
    """The caption and the line chart of the baseline's revenue per month."""
    by_month = base.groupby("month")[MONEY].sum(min_count=1).sort_index()
    months = [month_label(m) for m in by_month.index]
    caption = (
        f"Baseline plan over {len(months)} months ({months[0]} to {months[-1]}); "
        f"the budget covers {budgeted['month'].nunique()} of them. Demand is "
        "unconstrained; the gap to the supply plan is revenue lost to capacity."
    )
    chart = line_chart(
        months,
        {SERIES[c]: by_month[c].tolist() for c in MONEY},
        "Revenue per month: demand, supply plan, budget",
    )
    return note(caption), chart


def _kpi_values(kpi: pd.DataFrame, name: str, scope_type: str, scenario: str) -> dict[str, float]:
    """{scope: value} of one KPI of one scenario at one scope type."""
    rows = kpi[
        (kpi["kpi"] == name) & (kpi["scope_type"] == scope_type) & (kpi["scenario"] == scenario)
    ]
    return dict(zip(rows["scope"].astype(str), rows["value"].astype(float), strict=True))


def _family_table(by_family: pd.DataFrame, vs_budget: dict[str, float], currency: str) -> str:
    kpi = kpi_definition("revenue_vs_budget")
    rows = [
        [
            str(family),
            money(row["unconstrained_revenue"], currency),
            money(row["revenue"], currency),
            money(row["budget_revenue"], currency),
            format_value(vs_budget[str(family)], kpi.unit) if str(family) in vs_budget else "n/a",
            money(row["unconstrained_revenue"] - row["revenue"], currency),
        ]
        for family, row in by_family.iterrows()
    ]
    return table(["Family", "Demand", "Supply plan", "Budget", kpi.label, "Lost to capacity"], rows)


def capacity_section(resource_load: pd.DataFrame | None) -> str:
    """Section `capacity`: baseline utilisation per resource x month as a heatmap, the
    resource_load table's own `utilization` (NaN, drawn grey, where no hours are available)."""
    sid, heading = "capacity", "Capacity utilisation (baseline)"
    if resource_load is None or resource_load.empty:
        return section(
            sid, heading, no_data("the resources or routings export is absent, so no load")
        )
    base = resource_load[resource_load["scenario"] == BASELINE]
    grid = base.pivot(index="resource", columns="month", values="utilization")
    grid = grid.sort_index(axis=0).sort_index(axis=1)
    over = base[base["utilization"] > 1.0].sort_values("utilization", ascending=False)
    worst = over.head(5)
    overloaded = ", ".join(
        f"{r} {month_label(m)} ({v * 100:.0f}%)"
        for r, m, v in zip(worst["resource"], worst["month"], worst["utilization"], strict=True)
    )
    caption = (
        f"{len(over)} resource-month(s) above 100 % of available hours, the worst: {overloaded}."
        if len(over)
        else "No resource is loaded above its available hours."
    )
    chart = heatmap(
        [str(r) for r in grid.index],
        [month_label(m) for m in grid.columns],
        grid.to_numpy(dtype=float).tolist(),
        "Utilisation per resource and month",
    )
    legend = "Colours: green has slack, yellow is 85-100 %, orange up to 110 %, red beyond."
    return section(sid, heading, note(caption), chart, note(legend))
