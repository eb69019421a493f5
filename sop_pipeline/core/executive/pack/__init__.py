"""The executive S&OP meeting pack: one self-contained HTML page per cycle, leading with the
message.

Sections, each with a fixed id, in order: `headline` (three sentences from the figures),
`approval`, `kpis`, `bridge` (budget to plan), `decisions` (each with its cost),
`demand-supply-budget`, `units` (units and inventory against safety stock), `plan-changes`
(since the previous cycle), `scenarios` (deltas against the baseline), `capacity`, `accuracy`,
`exceptions`. Charts are inline SVG; the page references nothing outside itself; money is in
the currency given (the `SOP_CURRENCY` setting, default EUR); it prints on A4 landscape.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.executive.pack.decision_sections import (
    approval_section,
    bridge_section,
    decisions_section,
    headline_section,
)
from sop_pipeline.core.executive.pack.formatting import DEFAULT_CURRENCY
from sop_pipeline.core.executive.pack.inputs import PackInputs
from sop_pipeline.core.executive.pack.page import page
from sop_pipeline.core.executive.pack.plan_sections import (
    capacity_section,
    demand_supply_budget_section,
)
from sop_pipeline.core.executive.pack.review_sections import (
    TREND_CYCLES,
    accuracy_section,
    exceptions_section,
)
from sop_pipeline.core.executive.pack.scenario_sections import scenarios_section
from sop_pipeline.core.executive.pack.tiles import headline as headline_kpis
from sop_pipeline.core.executive.pack.tiles import kpi_section
from sop_pipeline.core.executive.pack.units_sections import plan_changes_section, units_section

__all__ = ["DEFAULT_CURRENCY", "SECTION_IDS", "TREND_CYCLES", "PackInputs", "render_sop_pack"]

SECTION_IDS = (
    "headline",
    "approval",
    "kpis",
    "bridge",
    "decisions",
    "demand-supply-budget",
    "units",
    "plan-changes",
    "scenarios",
    "capacity",
    "accuracy",
    "exceptions",
)


def render_sop_pack(pack: PackInputs, cycle: pd.Timestamp, currency: str = DEFAULT_CURRENCY) -> str:
    """The meeting pack of a cycle as one HTML document (a string)."""
    cycle = pd.Timestamp(cycle)
    last = add_months(cycle, -1)
    totals = headline_kpis(pack.kpi)
    kpi_totals = dict(zip(totals["kpi"], totals["value"].astype(float), strict=True))
    # a warehouse column with no value at all (no budget sent) reads back as None objects
    plan = pack.financial_plan.astype(
        {c: float for c in pack.financial_plan.columns if c not in ("scenario", "family", "month")}
    )
    sections = [
        headline_section(plan, kpi_totals, pack.supply_plan, pack.exceptions, currency),
        approval_section(pack.plan_approvals),
        kpi_section(pack.kpi, pack.previous_kpi),
        bridge_section(plan, currency),
        decisions_section(plan, pack.exceptions, pack.resource_load, pack.resources, currency),
        demand_supply_budget_section(plan, pack.kpi, currency),
        units_section(pack.supply_plan),
        plan_changes_section(pack.plan_changes, currency),
        scenarios_section(plan, pack.kpi, pack.scenarios, currency),
        capacity_section(pack.resource_load),
        accuracy_section(pack.forecast_accuracy, pack.kpi, pack.kpi_history),
        exceptions_section(pack.exceptions),
    ]
    return page(
        f"S&OP meeting pack \u2014 cycle {month_key(cycle)}",
        f"Actuals to the end of {last:%B %Y}; plan from {cycle:%B %Y} on; money in {currency}.",
        sections,
    )
