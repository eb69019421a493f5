"""What the KPI step reads: the cycle's plan tables, its actuals and the previous cycle's plan
and KPIs (declared with `sop_pipeline.core.inputs`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.inputs import cycles_back, previous_cycle, this_cycle

# plan attainment looks back one cycle plus the longest lead time it covers (3 months)
PLANNED_FINISH_CYCLES = 4


@dataclass(frozen=True)
class KpiInputs:
    """The frames the KPIs are computed from (grains as in the warehouse contract).

    Plan frames carry a `scenario` column with 'baseline' always present. Optional frames may
    be None, and any frame may be empty (e.g. forecast_accuracy in the first cycles): the KPIs
    that need it are then left out. financial_plan is built from the supply plan when not given.
    supply_plan_history holds the supply plans of the `PLANNED_FINISH_CYCLES` cycles before,
    with `cycle` (what was planned to start, so to finish within a lead time, in M−1);
    forecast_value_added the cycle's rows of that table (lag x scope_type x scope).
    """

    demand_plan: pd.DataFrame = this_cycle("demand_plan")
    supply_plan: pd.DataFrame = this_cycle("supply_plan")
    resource_load: pd.DataFrame | None = this_cycle("resource_load")
    forecast_accuracy: pd.DataFrame | None = this_cycle("forecast_accuracy")
    sales_actuals: pd.DataFrame = this_cycle("sales_actuals")
    items: pd.DataFrame = this_cycle("items")
    inventory: pd.DataFrame = this_cycle("inventory")
    budget: pd.DataFrame | None = this_cycle("budget", optional=True)
    production_orders: pd.DataFrame | None = this_cycle("production_orders", optional=True)
    supply_plan_history: pd.DataFrame | None = cycles_back(
        "supply_plan", 1, PLANNED_FINISH_CYCLES, default=None
    )
    previous_kpi: pd.DataFrame | None = previous_cycle("kpi")
    financial_plan: pd.DataFrame | None = this_cycle("financial_plan", default=None)
    forecast_value_added: pd.DataFrame | None = this_cycle("forecast_value_added", default=None)
