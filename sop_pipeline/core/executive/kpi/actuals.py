"""KPI formulas on what happened: last month's sales and how earlier cycles' forecasts did.

All are actuals-based, so they carry scenario 'baseline'. The accuracy KPIs read the cycle's
forecast_accuracy rows, i.e. the month whose actuals just arrived, at one lag.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.executive.kpi.frames import (
    ValueFromSums,
    as_baseline,
    present,
    scoped,
    skip,
    with_family,
)
from sop_pipeline.core.executive.kpi.inputs import KpiInputs

ACCURACY_COLUMNS = ["forecast", "actual", "abs_error"]


def total_sales(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Σ revenue of the sales actuals of M−1."""
    last = add_months(cycle, -1)
    sales = inputs.sales_actuals
    if not present(sales):
        return skip(kpi, "no sales actuals")
    month_sales = sales[sales["month"] == last]
    if month_sales.empty:
        return skip(kpi, f"no sales actuals for {month_key(last)}")
    frame = as_baseline(with_family(month_sales, inputs.items))
    return scoped(frame, kpi, ["revenue"], lambda s: s["revenue"])


def forecast_accuracy_lag1(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """1 − WAPE of the forecasts for M−1 made by cycle M−1 (lag 1),
    WAPE = Σ|actual − forecast| / Σ actual."""
    return _scored(inputs, kpi, 1, lambda s: 1.0 - s["abs_error"] / s["actual"])


def forecast_accuracy_lag3(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """1 − WAPE of the forecasts for M−1 made by cycle M−3 (lag 3)."""
    return _scored(inputs, kpi, 3, lambda s: 1.0 - s["abs_error"] / s["actual"])


def forecast_bias(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Lag 1: Σ(forecast − actual) / Σ actual; > 0 over-forecasts."""
    return _scored(inputs, kpi, 1, _bias)


def forecast_bias_lag3(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Lag 3: Σ(forecast − actual) / Σ actual; > 0 over-forecasts."""
    return _scored(inputs, kpi, 3, _bias)


def sales_vs_forecast(inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition) -> pd.DataFrame:
    """Lag 1: Σ actual / Σ forecast; > 1 sales beat the forecast."""
    return _scored(inputs, kpi, 1, lambda s: s["actual"] / s["forecast"])


def _bias(sums: pd.DataFrame) -> pd.Series:
    return (sums["forecast"] - sums["actual"]) / sums["actual"]


def _scored(inputs: KpiInputs, kpi: KpiDefinition, lag: int, value: ValueFromSums) -> pd.DataFrame:
    """The KPI's rows from the accuracy rows at one lag, or left out when there are none."""
    frame = _at_lag(inputs, lag)
    if frame is None:
        cycles = "1 cycle" if lag == 1 else f"{lag} cycles"
        reason = f"no lag-{lag} forecast accuracy rows (needs the forecast made {cycles} earlier)"
        return skip(kpi, reason)
    return scoped(frame, kpi, ACCURACY_COLUMNS, value)


def _at_lag(inputs: KpiInputs, lag: int) -> pd.DataFrame | None:
    """The accuracy rows at one lag, with family and scenario; None when there are none."""
    accuracy = inputs.forecast_accuracy
    if accuracy is None or not present(accuracy):
        return None
    rows = accuracy[accuracy["lag"] == lag]
    if rows.empty:
        return None
    return as_baseline(with_family(rows, inputs.items))
