"""The `forecast_value_added` table: does each step of demand review make the forecast better?

Three forecasts of the month whose actuals just arrived, made `lag` cycles earlier, are scored
on the same series (the `forecast_accuracy` rows, i.e. every series the statistical forecast
covered): the seasonal naive forecast (the actual a year earlier), the statistical forecast and
the consensus (the demand plan's `demand`). Per lag and scope (total, family, region, SKU):

- WAPE = Σ|actual - forecast| / Σ actual over the scope's series; bias = Σ(forecast - actual) /
  Σ actual (positive: over-forecast); MAPE = mean of |actual - forecast| / actual over the series
  that sold (NaN when none did). A forecast missing for a series (the consensus when its cycle
  made no demand plan) leaves that series out of that forecast's figures.
- Forecast value added: fva_statistical = naive_wape - statistical_wape (what the statistical
  engine adds over the naive forecast), fva_consensus = statistical_wape - consensus_wape (what
  the planners' layers add over the statistical forecast); positive means better.
- Tracking signal = Σ(forecast - actual) / mean|forecast - actual| of the scope's monthly
  totals over the last `TRACKING_MONTHS` scored months (this one and the earlier cycles' rows
  of this table); beyond about ±4 the forecast is biased, not unlucky. NaN before two months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.tables import row_columns

FVA_COLUMNS = row_columns("forecast_value_added")
METHODS = {"naive": "naive", "statistical": "forecast", "consensus": "consensus"}
SCOPES = ("total", "family", "region", "sku")
TRACKING_MONTHS = 12
GROUP = ["lag", "scope_type", "scope"]


def forecast_value_added(
    scored: pd.DataFrame, items: pd.DataFrame, history: pd.DataFrame | None = None
) -> pd.DataFrame:
    """FVA of the cycle: grain lag x scope_type x scope. `scored`: `scored_forecasts` rows of
    the cycle; `history`: forecast_value_added rows of earlier cycles (with `cycle`)."""
    if scored.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FVA_COLUMNS})
    rows = _by_scope(scored, items)
    grouped = rows.groupby(GROUP)
    out = grouped.agg(month=("month", "first"), series=("actual", "size")).reset_index()
    out["actual"] = grouped["actual"].sum().to_numpy()
    for method, column in METHODS.items():
        known = rows[rows[column].notna()]
        out = out.merge(_measures(known, method, column), on=GROUP, how="left")
    out["fva_statistical"] = out["naive_wape"] - out["statistical_wape"]
    out["fva_consensus"] = out["statistical_wape"] - out["consensus_wape"]
    for method in ("statistical", "consensus"):
        out[f"{method}_tracking_signal"] = _tracking_signal(out, history, method)
    return out.sort_values(GROUP, ignore_index=True)[FVA_COLUMNS]


def _by_scope(scored: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The scored rows once per scope type, with the scope they count in."""
    families = items.drop_duplicates("sku").set_index("sku")["family"]
    rows = scored.assign(family=scored["sku"].map(families).fillna(""), total="total")
    frames = [rows.assign(scope_type=scope, scope=rows[scope].astype(str)) for scope in SCOPES]
    return pd.concat(frames, ignore_index=True)


def _measures(rows: pd.DataFrame, method: str, column: str) -> pd.DataFrame:
    """Σ forecast, WAPE, bias and (but for naive) MAPE of one forecast per group."""
    error = rows[column] - rows["actual"]
    sold = rows["actual"] > 0
    frame = rows[GROUP].assign(
        forecast=rows[column],
        actual=rows["actual"],
        abs_error=error.abs(),
        error=error,
        ape=(error.abs() / rows["actual"]).where(sold),
    )
    sums = frame.groupby(GROUP).agg(
        forecast=("forecast", "sum"),
        actual=("actual", "sum"),
        abs_error=("abs_error", "sum"),
        error=("error", "sum"),
        mape=("ape", "mean"),
    )
    total = sums["actual"].where(sums["actual"] > 0)
    measures = pd.DataFrame(
        {
            method: sums["forecast"],
            f"{method}_wape": sums["abs_error"] / total,
            f"{method}_bias": sums["error"] / total,
            f"{method}_mape": sums["mape"],
        }
    )
    keep = [method, f"{method}_wape"]
    if method != "naive":
        keep += [f"{method}_bias", f"{method}_mape"]
    return measures[keep].reset_index()


def _tracking_signal(current: pd.DataFrame, history: pd.DataFrame | None, method: str) -> pd.Series:
    """Σ error / mean |error| of the monthly totals, this month and the earlier ones."""
    months = [current[[*GROUP, "month", "actual", method]]]
    if history is not None and not history.empty:
        earlier = history[history["month"] < current["month"].min()]
        months.append(earlier[[*GROUP, "month", "actual", method]])
    frame = pd.concat(months, ignore_index=True).sort_values("month")
    frame = frame.groupby(GROUP).tail(TRACKING_MONTHS)
    frame = frame.assign(error=frame[method] - frame["actual"]).dropna(subset=["error"])
    frame["abs_error"] = frame["error"].abs()
    stats = frame.groupby(GROUP).agg(
        error=("error", "sum"), mad=("abs_error", "mean"), months=("error", "size")
    )
    signal = (stats["error"] / stats["mad"].where(stats["mad"] > 0)).where(stats["months"] >= 2)
    keys = pd.MultiIndex.from_frame(current[GROUP])
    return pd.Series(signal.reindex(keys).to_numpy(dtype=float), index=current.index).replace(
        [np.inf, -np.inf], np.nan
    )
