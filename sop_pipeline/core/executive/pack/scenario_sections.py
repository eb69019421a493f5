"""The meeting pack's scenario section: each scenario side by side, its deltas against the
baseline and a line saying what it changes."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi import kpi_definition
from sop_pipeline.core.executive.pack.formatting import DEFAULT_CURRENCY, format_value, money
from sop_pipeline.core.executive.pack.page import no_data, note, section, table
from sop_pipeline.core.executive.pack.svg import bar_chart
from sop_pipeline.core.names import BASELINE

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
