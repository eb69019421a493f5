"""The `statistical_forecast` table: one row per sku x region x month of the horizon.

From monthly sales actuals and the item master of the cycle:

- a series is one SKU in one region, from its first sale to the month before the cycle, with
  months without sales counted as zero; only SKUs in the item master are forecast;
- series with at least two seasons of history (see `engine.min_history`) go through the
  statistical engine; shorter ones take their family's seasonal profile scaled to their own
  recent level (model `family_profile`, see `profiles`);
- a SKU with an end date (normally status `phase_out`) forecasts 0, intervals 0, from the month
  after its end date; a `phase_out` SKU without an end date keeps its forecast;
- SKUs without sales (future launches) are not forecast here: the demand plan's new-product
  layer plans them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.frames import month_start
from sop_pipeline.core.forecasting.engine import forecast_series, min_history
from sop_pipeline.core.forecasting.intervals import VALUE_COLUMNS, tidy_bounds
from sop_pipeline.core.forecasting.profiles import family_profiles, profile_forecasts
from sop_pipeline.core.tables import row_columns

SERIES = ["sku", "region"]
FORECAST_COLUMNS = row_columns("statistical_forecast")


def forecast_demand(
    sales_actuals: pd.DataFrame,
    items: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int = 12,
) -> pd.DataFrame:
    """Statistical forecast of the cycle: grain sku x region x month for months
    cycle .. cycle + horizon - 1, with the model used and 80/95 % bounds."""
    cycle = pd.Timestamp(cycle).to_period("M").to_timestamp()
    catalogue = items.drop_duplicates("sku")[["sku", "family"]]
    if sales_actuals.empty or horizon < 1:
        return _empty()
    monthly = filled_series(sales_actuals, catalogue, cycle)
    if monthly.empty:
        return _empty()
    length = monthly.groupby(SERIES)["month"].transform("size")
    long = length >= min_history(horizon, season_length)
    forecasts = []
    if long.any():
        forecasts.append(_statistical(monthly[long], horizon, season_length))
    if (~long).any():
        profiles = family_profiles(monthly, cycle, season_length)
        short = profile_forecasts(monthly[~long], profiles, cycle, horizon, season_length)
        forecasts.append(tidy_bounds(short))
    combined = pd.concat(forecasts, ignore_index=True)
    ended = after_end_date(combined, items)
    combined.loc[ended, VALUE_COLUMNS] = 0.0
    return combined.sort_values(["sku", "region", "month"], ignore_index=True)[FORECAST_COLUMNS]


def filled_series(
    sales_actuals: pd.DataFrame, catalogue: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Monthly quantity per series of known SKUs, from its first sale to cycle - 1, zeros
    filled: columns sku, region, family, month, quantity."""
    sales = sales_actuals.assign(month=month_start(sales_actuals["month"]))
    sales = sales[(sales["month"] < cycle) & sales["sku"].isin(catalogue["sku"])]
    sales = sales.groupby([*SERIES, "month"], as_index=False)["quantity"].sum()
    first = sales[sales["quantity"] > 0].groupby(SERIES, as_index=False)["month"].min()
    if first.empty:
        return pd.DataFrame(columns=[*SERIES, "family", "month", "quantity"])
    periods = (cycle.year - first["month"].dt.year) * 12 + cycle.month - first["month"].dt.month
    grid = first.loc[first.index.repeat(periods)].reset_index(drop=True)
    step = grid.groupby(SERIES).cumcount().to_numpy()
    grid["month"] = (grid["month"].dt.to_period("M") + step).dt.to_timestamp()
    filled = grid.merge(sales, on=[*SERIES, "month"], how="left").fillna({"quantity": 0.0})
    return filled.merge(catalogue, on="sku", how="left")


def after_end_date(forecasts: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """True for forecast rows after their SKU's end month."""
    end_date = pd.to_datetime(items["end_date"], errors="coerce") if "end_date" in items else None
    if end_date is None or end_date.isna().all():
        return pd.Series(False, index=forecasts.index)
    ends = items.assign(end_month=month_start(end_date)).dropna(subset=["end_month"])
    end_month = forecasts["sku"].map(ends.drop_duplicates("sku").set_index("sku")["end_month"])
    return pd.Series(np.asarray(forecasts["month"] > end_month), index=forecasts.index)


def _statistical(monthly: pd.DataFrame, horizon: int, season_length: int) -> pd.DataFrame:
    keys = monthly[SERIES].drop_duplicates().reset_index(drop=True)
    keys["unique_id"] = keys.index.map(lambda i: f"{i:07d}")
    history = monthly.merge(keys, on=SERIES).rename(columns={"month": "ds", "quantity": "y"})
    forecasts = forecast_series(history[["unique_id", "ds", "y"]], horizon, season_length)
    return forecasts.merge(keys, on="unique_id").rename(columns={"ds": "month"})


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FORECAST_COLUMNS})
