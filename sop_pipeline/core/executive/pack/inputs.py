"""What the meeting pack reads: the cycle's KPI and plan tables, what changed since last month,
the approval status, last cycle's KPIs and the KPIs of the cycles the accuracy trend shows
(declared with `sop_pipeline.core.inputs`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.executive.pack.review_sections import TREND_CYCLES
from sop_pipeline.core.inputs import cycles_back, previous_cycle, this_cycle


@dataclass(frozen=True)
class PackInputs:
    """The tables the meeting pack is drawn from (grains as in the warehouse contract).

    kpi: the cycle's KPI rows; financial_plan: scenario x family x month. resource_load,
    exceptions and forecast_accuracy may be None or empty (their sections then say so);
    previous_kpi is None in the first cycle, and the tiles then show no change. kpi_history holds
    the KPI rows of the last TREND_CYCLES cycles up to this one, with their `cycle`, for the
    accuracy trend. supply_plan gives the units view and the inventory against safety stock;
    plan_changes (None in a first cycle), plan_approvals (None until `sop approve`), scenarios
    (what each scenario changes) and resources (overtime cost) may be None.
    """

    kpi: pd.DataFrame = this_cycle("kpi")
    financial_plan: pd.DataFrame = this_cycle("financial_plan")
    resource_load: pd.DataFrame | None = this_cycle("resource_load", default=None)
    exceptions: pd.DataFrame | None = this_cycle("exceptions", default=None)
    forecast_accuracy: pd.DataFrame | None = this_cycle("forecast_accuracy", default=None)
    previous_kpi: pd.DataFrame | None = previous_cycle("kpi")
    kpi_history: pd.DataFrame | None = cycles_back("kpi", 0, TREND_CYCLES - 1, default=None)
    supply_plan: pd.DataFrame | None = this_cycle("supply_plan", default=None)
    plan_changes: pd.DataFrame | None = this_cycle("plan_changes", optional=True)
    plan_approvals: pd.DataFrame | None = this_cycle("plan_approvals", optional=True)
    scenarios: pd.DataFrame | None = this_cycle("scenarios", optional=True)
    resources: pd.DataFrame | None = this_cycle("resources", optional=True)
