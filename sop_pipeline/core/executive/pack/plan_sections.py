"""Meeting-pack sections on the plan: demand vs supply vs budget, capacity, scenarios (with
their deltas against the baseline and what each changes)."""

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


SCENARIO_KPIS = (
    "gross_margin_pct",
    "revenue_vs_budget",
    "planned_fill_rate",
    "unmet_demand",
    "capacity_utilization",
)


def scenarios_section(
    financial_plan: pd.DataFrame,
    kpi: pd.DataFrame,
    scenarios: pd.DataFrame | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> str:
    """Section `scenarios`: each what-if scenario's revenue, margin, fill rate, unmet demand
    and utilisation side by side, baseline first, with what it changes and its revenue and
    margin against the baseline."""
    sid, heading = "scenarios", "Scenarios side by side"
    revenue = financial_plan.groupby("scenario")[
        ["revenue", "unconstrained_revenue", "gross_margin"]
    ].sum()
    if revenue.empty:
        return section(sid, heading, no_data("the cycle has no financial plan to compare"))
    order = sorted((str(s) for s in revenue.index), key=lambda s: (s != BASELINE, s))
    revenue = revenue.loc[order]
    chart = bar_chart(
        order,
        {
            "Demand": revenue["unconstrained_revenue"].tolist(),
            "Supply plan": revenue["revenue"].tolist(),
        },
        "Revenue over the horizon per scenario",
    )
    lines = [f"{name}: {scenario_change(scenarios, name)}." for name in order]
    return section(
        sid,
        heading,
        chart,
        _deltas(order, revenue, currency),
        "".join(note(line) for line in lines),
        _scenario_table(order, revenue["revenue"].tolist(), kpi, currency),
    )


def scenario_change(scenarios: pd.DataFrame | None, name: str) -> str:
    """What a scenario changes, from its definition rows: `demand x 1.20 on Heaters`."""
    if name == BASELINE:
        return "the plan as proposed, no multiplier"
    if scenarios is None or scenarios.empty:
        return "definition not available"
    rows = scenarios[scenarios["scenario"].astype(str) == name]
    parts = [
        f"{kind} \u00d7 {float(m):.2f} on {'everything' if str(scope) == '*' else scope}"
        for kind, scope, m in zip(rows["kind"], rows["scope"], rows["multiplier"], strict=True)
    ]
    return "; ".join(parts) or "definition not available"


def _deltas(order: list[str], revenue: pd.DataFrame, currency: str) -> str:
    """Revenue and gross margin of each scenario against the baseline's."""
    if BASELINE not in revenue.index:
        return ""
    base = revenue.loc[BASELINE]
    rows = [
        [
            name,
            money(float(revenue.loc[name, "revenue"] - base["revenue"]), currency, signed=True),
            money(
                float(revenue.loc[name, "gross_margin"] - base["gross_margin"]),
                currency,
                signed=True,
            ),
        ]
        for name in order
        if name != BASELINE
    ]
    if not rows:
        return note("No what-if scenario was defined: the baseline is the only plan.")
    return table(["Scenario", "Revenue vs baseline", "Gross margin vs baseline"], rows)


def _scenario_table(
    order: list[str], revenue: list[float], kpi: pd.DataFrame, currency: str
) -> str:
    totals = kpi[kpi["scope_type"] == "total"]
    figures = {
        (str(s), str(k)): float(v)
        for s, k, v in zip(totals["scenario"], totals["kpi"], totals["value"], strict=True)
    }
    kpis = [kpi_definition(name) for name in SCENARIO_KPIS]
    rows = [
        [
            scenario,
            money(planned, currency),
            *[
                format_value(figures[(scenario, kpi.name)], kpi.unit)
                if (scenario, kpi.name) in figures
                else "n/a"
                for kpi in kpis
            ],
        ]
        for scenario, planned in zip(order, revenue, strict=True)
    ]
    return table(["Scenario", "Revenue", *[kpi.label for kpi in kpis]], rows)
