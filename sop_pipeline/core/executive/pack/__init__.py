"""The executive S&OP meeting pack: one self-contained HTML page per cycle.

Sections, each with a fixed id: `kpis`, `demand-supply-budget`, `capacity`, `accuracy`,
`exceptions`, `scenarios`. Charts are inline SVG; the page references nothing outside itself.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.executive.pack.inputs import PackInputs
from sop_pipeline.core.executive.pack.page import page
from sop_pipeline.core.executive.pack.plan_sections import (
    capacity_section,
    demand_supply_budget_section,
    scenarios_section,
)
from sop_pipeline.core.executive.pack.review_sections import (
    TREND_CYCLES,
    accuracy_section,
    exceptions_section,
)
from sop_pipeline.core.executive.pack.tiles import kpi_section

__all__ = ["TREND_CYCLES", "PackInputs", "render_sop_pack"]

SECTION_IDS = ("kpis", "demand-supply-budget", "capacity", "accuracy", "exceptions", "scenarios")


def render_sop_pack(pack: PackInputs, cycle: pd.Timestamp) -> str:
    """The meeting pack of a cycle as one HTML document (a string)."""
    cycle = pd.Timestamp(cycle)
    last = add_months(cycle, -1)
    sections = [
        kpi_section(pack.kpi, pack.previous_kpi),
        demand_supply_budget_section(pack.financial_plan, pack.kpi),
        capacity_section(pack.resource_load),
        accuracy_section(pack.forecast_accuracy, pack.kpi, pack.kpi_history),
        exceptions_section(pack.exceptions),
        scenarios_section(pack.financial_plan, pack.kpi),
    ]
    return page(
        f"S&OP meeting pack \u2014 cycle {month_key(cycle)}",
        f"Actuals to the end of {last:%B %Y}; plan from {cycle:%B %Y} on.",
        sections,
    )
