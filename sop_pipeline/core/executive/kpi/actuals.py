"""KPI formulas on what happened: last month's sales and how earlier cycles' forecasts did.

All are actuals-based, so they carry scenario 'baseline'. The accuracy KPIs read the cycle's
forecast_accuracy rows, i.e. the month whose actuals just arrived, at one lag.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key
from sop_pipeline.core.demand.accuracy import inside_band
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


def forecast_interval_coverage(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Lag 1: Σ inside / Σ banded, the share of forecasts (with an 80 % interval) whose actual
    for M−1 fell inside it, lo_80 ≤ actual ≤ hi_80; calibrated intervals give about 0.8
    (0.75–0.85), fewer mean intervals too narrow for the safety stock sized on them."""
    frame = _at_lag(inputs, 1)
    if frame is None:
        return skip(kpi, _no_rows(1))
    if "lo_80" not in frame:
        return skip(kpi, "no 80 % intervals in the lag-1 forecast accuracy rows")
    inside = inside_band(frame)
    banded = frame.assign(inside=inside, banded=1.0)[inside.notna()]
    if banded.empty:
        return skip(kpi, "no 80 % intervals in the lag-1 forecast accuracy rows")
    return scoped(banded, kpi, ["inside", "banded"], lambda s: s["inside"] / s["banded"])


def _bias(sums: pd.DataFrame) -> pd.Series:
    return (sums["forecast"] - sums["actual"]) / sums["actual"]


def _scored(inputs: KpiInputs, kpi: KpiDefinition, lag: int, value: ValueFromSums) -> pd.DataFrame:
    """The KPI's rows from the accuracy rows at one lag, or left out when there are none."""
    frame = _at_lag(inputs, lag)
    if frame is None:
        return skip(kpi, _no_rows(lag))
    return scoped(frame, kpi, ACCURACY_COLUMNS, value)


def _no_rows(lag: int) -> str:
    cycles = "1 cycle" if lag == 1 else f"{lag} cycles"
    return f"no lag-{lag} forecast accuracy rows (needs the forecast made {cycles} earlier)"


def _at_lag(inputs: KpiInputs, lag: int) -> pd.DataFrame | None:
    """The accuracy rows at one lag, with family and scenario; None when there are none."""
    accuracy = inputs.forecast_accuracy
    if accuracy is None or not present(accuracy):
        return None
    rows = accuracy[accuracy["lag"] == lag]
    if rows.empty:
        return None
    return as_baseline(with_family(rows, inputs.items))
