"""The KPI registry: every KPI function, in the order the KPI table lists them.

A KPI function takes the inputs and the cycle and returns KPI rows (the `kpi` columns); when its
inputs are absent it returns no rows and logs why. Adding a KPI is adding a function here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sop_pipeline.core.executive.kpi import actuals, inventory, plan, production, value_added
from sop_pipeline.core.executive.kpi.inputs import KpiInputs

KpiFunction = Callable[[KpiInputs, pd.Timestamp], pd.DataFrame]

KPI_FUNCTIONS: tuple[KpiFunction, ...] = (
    actuals.total_sales,
    actuals.forecast_accuracy_lag1,
    actuals.forecast_accuracy_lag3,
    actuals.forecast_bias,
    actuals.forecast_bias_lag3,
    actuals.sales_vs_forecast,
    value_added.forecast_value_added_statistical,
    value_added.forecast_value_added_consensus,
    plan.gross_margin_pct,
    plan.revenue_vs_budget,
    inventory.working_capital,
    inventory.inventory_turns,
    inventory.days_of_supply,
    plan.capacity_utilization,
    plan.planned_fill_rate,
    plan.unmet_demand,
    plan.production_forecast,
    production.plan_attainment,
    production.cycle_time,
    inventory.slow_moving_inventory_value,
)
