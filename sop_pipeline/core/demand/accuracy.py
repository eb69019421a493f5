"""The `forecast_accuracy` table and its summary measures, WAPE and bias.

When cycle C runs, the actuals of month C - 1 have just arrived. The forecast of that month
made `lag` cycles earlier, by cycle C - lag, is scored for lags 1 and 3: lag 1 is the first
month cycle C - 1 planned, lag 3 the third month cycle C - 3 planned. Each row is one
sku x region x month x lag of the statistical forecast:

- a series with a forecast but no sale that month has actual 0 (a missed forecast counts);
- a sale without a forecast (a SKU launched since, or a region it had never sold in) is left
  out: there is nothing to score, and the new-product layer of the demand plan covers it.

The table's rows (`scored_forecasts`) also carry the two forecasts the statistical one is
compared with for forecast value added (see `value_added`): `naive`, the seasonal naive forecast
(the actual of the same month a year earlier, 0 without a sale then; it needs no stored
forecast), and `consensus`, the `demand` of the demand plan the same cycle C - lag made (NaN
when that cycle has no demand plan). `forecast_accuracy` gives the statistical columns only.
`lo_80` and `hi_80` are the 80 % interval the forecast was made with (NaN when the stored
forecast has none), so that `interval_coverage` can tell whether the intervals are calibrated.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months, month_start, month_starts, previous_cycle
from sop_pipeline.core.tables import row_columns

LAGS = (1, 3)
ACCURACY_COLUMNS = row_columns("forecast_accuracy")
BENCHMARKS = ["naive", "consensus"]
BAND = ["lo_80", "hi_80"]
STATISTICAL_COLUMNS = [c for c in ACCURACY_COLUMNS if c not in BENCHMARKS]


def forecast_accuracy(
    forecast_history: pd.DataFrame, sales_actuals: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Forecast against actual for month cycle - 1 at each lag: grain sku x region x month x
    lag. `forecast_history` holds statistical_forecast rows of earlier cycles (with `cycle`)."""
    return scored_forecasts(forecast_history, sales_actuals, cycle)[STATISTICAL_COLUMNS]


def scored_forecasts(
    forecast_history: pd.DataFrame,
    sales_actuals: pd.DataFrame,
    cycle: pd.Timestamp,
    plan_history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The `forecast_accuracy` rows: with `naive` and `consensus` beside `forecast`.
    `plan_history` holds demand_plan rows of earlier cycles (with `cycle`)."""
    cycle = month_start(cycle)
    month = previous_cycle(cycle)
    if forecast_history.empty:
        return _empty()
    history = forecast_history.assign(
        cycle=month_starts(forecast_history["cycle"]), month=month_starts(forecast_history["month"])
    )
    frames = []
    for lag in LAGS:
        made_by = add_months(cycle, -lag)
        rows = history[(history["cycle"] == made_by) & (history["month"] == month)]
        rows = rows.reindex(columns=["sku", "region", "month", "forecast", *BAND]).assign(lag=lag)
        frames.append(rows.merge(_consensus_of(plan_history, made_by, month), how="left"))
    scored = pd.concat(frames, ignore_index=True)
    if scored.empty:
        return _empty()
    actual = _actuals_of(sales_actuals, month)
    naive = _actuals_of(sales_actuals, add_months(month, -12))
    scored = scored.merge(actual, on=["sku", "region"], how="left").fillna({"actual": 0.0})
    naive = naive.rename(columns={"actual": "naive"})
    scored = scored.merge(naive, on=["sku", "region"], how="left").fillna({"naive": 0.0})
    scored["forecast"] = scored["forecast"].astype(float)
    scored["consensus"] = scored["consensus"].astype(float)
    scored[BAND] = scored[BAND].astype(float)
    scored["abs_error"] = (scored["actual"] - scored["forecast"]).abs()
    return scored.sort_values(["lag", "sku", "region"], ignore_index=True)[ACCURACY_COLUMNS]


def wape(frame: pd.DataFrame) -> float:
    """Weighted absolute percentage error Σ|actual - forecast| / Σ actual; nan without actuals."""
    total = _total_actual(frame)
    return float(frame["abs_error"].sum() / total) if total else float("nan")


def bias(frame: pd.DataFrame) -> float:
    """Σ(forecast - actual) / Σ actual, positive when over-forecasting; nan without actuals."""
    total = _total_actual(frame)
    return float((frame["forecast"] - frame["actual"]).sum() / total) if total else float("nan")


def inside_band(frame: pd.DataFrame) -> pd.Series:
    """Per row: 1.0 when the actual lies in the forecast's 80 % interval (lo_80 <= actual <=
    hi_80), 0.0 when outside, NaN when the row has no interval."""
    inside = (frame["actual"] >= frame["lo_80"]) & (frame["actual"] <= frame["hi_80"])
    return inside.astype(float).where(frame[BAND].notna().all(axis=1))


def interval_coverage(frame: pd.DataFrame) -> float:
    """Share of the rows with an 80 % interval whose actual lies inside it: about 0.8 when the
    intervals are calibrated; nan without such rows."""
    if not len(frame) or "lo_80" not in frame:
        return float("nan")
    return float(inside_band(frame).mean())


def _total_actual(frame: pd.DataFrame) -> float:
    return float(frame["actual"].sum()) if len(frame) else 0.0


def _actuals_of(sales_actuals: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    if sales_actuals.empty:
        return pd.DataFrame({"sku": [], "region": [], "actual": []}).astype({"actual": float})
    sales = sales_actuals[month_starts(sales_actuals["month"]) == month]
    actual = sales.groupby(["sku", "region"], as_index=False)["quantity"].sum()
    return actual.rename(columns={"quantity": "actual"}).astype({"actual": float})


def _consensus_of(
    plan_history: pd.DataFrame | None, made_by: pd.Timestamp, month: pd.Timestamp
) -> pd.DataFrame:
    """The demand cycle `made_by` planned for `month`: sku, region, consensus."""
    if plan_history is None or plan_history.empty:
        return pd.DataFrame({"sku": [], "region": [], "consensus": []}).astype(
            {"sku": object, "region": object, "consensus": float}
        )
    plans = plan_history[
        (month_starts(plan_history["cycle"]) == made_by)
        & (month_starts(plan_history["month"]) == month)
    ]
    return plans.rename(columns={"demand": "consensus"})[["sku", "region", "consensus"]]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": pd.Series(dtype=object),
            "region": pd.Series(dtype=object),
            "month": pd.Series(dtype="datetime64[ns]"),
            "lag": pd.Series(dtype=int),
            **{
                c: pd.Series(dtype=float)
                for c in ["forecast", "actual", "abs_error", "naive", "consensus", *BAND]
            },
        }
    )
