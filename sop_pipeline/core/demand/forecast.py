"""The `statistical_forecast` and `forecast_hierarchy` tables: coherent forecasts of the cycle.

From monthly sales actuals and the item master of the cycle:

- a bottom series is one SKU in one region, from its first sale to the month before the cycle,
  with months without sales counted as zero; only SKUs in the item master are forecast;
- the bottom series add up to the nodes of the hierarchy (SKU, family x region, family, region,
  total: see `hierarchy`), and every node gets a base forecast: nodes with at least two seasons
  of history (see `engine.min_history`) from the statistical engine, shorter ones their
  family's seasonal profile scaled to their own recent level (model `family_profile`, see
  `profiles`; nodes above the family take the company-wide profile);
- the base forecasts are reconciled so that the levels add up (`reconciliation`);
- a SKU with an end date (normally status `phase_out`) forecasts 0, intervals 0, from the month
  after its end date, at every level; a `phase_out` SKU without an end date keeps its forecast;
- SKUs without sales (future launches) are not forecast here: the demand plan's new-product
  layer plans them.

`statistical_forecast` is the bottom level (model = the base forecast's model);
`forecast_hierarchy` holds every level with the base forecast beside the reconciled one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_start, month_starts, previous_cycle
from sop_pipeline.core.demand.forecasting.chunked import ProgressCallback, forecast_in_chunks
from sop_pipeline.core.demand.forecasting.engine import min_history, zero_filled
from sop_pipeline.core.demand.forecasting.hierarchy import (
    BOTTOM,
    NODE_COLUMNS,
    hierarchy_nodes,
    node_series,
    summing_matrix,
)
from sop_pipeline.core.demand.forecasting.intervals import VALUE_COLUMNS, tidy_bounds
from sop_pipeline.core.demand.forecasting.profiles import family_profiles, profile_forecasts
from sop_pipeline.core.demand.forecasting.reconciliation import reconcile_checked
from sop_pipeline.core.demand.forecasting.reconciliation_check import Reconciliation
from sop_pipeline.core.tables import row_columns

SERIES = ["sku", "region"]
NODE = ["level", "node"]
FORECAST_COLUMNS = row_columns("statistical_forecast")
HIERARCHY_COLUMNS = row_columns("forecast_hierarchy")


@dataclass(frozen=True)
class DemandForecast:
    """The cycle's coherent forecast: `statistical` (statistical_forecast rows, the bottom
    level), `hierarchy` (forecast_hierarchy rows, every level) and how the levels were
    reconciled (`reconciliation`: the method, and whether it fell back and why)."""

    statistical: pd.DataFrame
    hierarchy: pd.DataFrame
    reconciliation: Reconciliation = Reconciliation(method="none")


def forecast_demand(
    sales_actuals: pd.DataFrame,
    items: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int = 12,
) -> pd.DataFrame:
    """Statistical forecast of the cycle: grain sku x region x month for months
    cycle .. cycle + horizon - 1, with the model used and 80/95 % bounds, reconciled."""
    return forecast_levels(sales_actuals, items, cycle, horizon, season_length).statistical


def forecast_levels(
    sales_actuals: pd.DataFrame,
    items: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int = 12,
    on_progress: ProgressCallback | None = None,
) -> DemandForecast:
    """Coherent forecasts of every level of the hierarchy over the cycle's horizon;
    `on_progress(done, total)` hears how many of the engine's nodes have their base forecast."""
    cycle = month_start(cycle)
    catalogue = items.drop_duplicates("sku")[["sku", "family"]]
    if sales_actuals.empty or horizon < 1:
        return _empty()
    monthly = filled_series(sales_actuals, catalogue, cycle)
    if monthly.empty:
        return _empty()
    series = node_series(monthly)
    base = base_forecasts(series, monthly, cycle, horizon, season_length, on_progress)
    nodes = hierarchy_nodes(monthly)
    bottom = base[base["level"] == BOTTOM]
    ended = bottom[after_end_date(bottom, items)]
    reconciled = reconcile_checked(base, nodes, summing_matrix(nodes), ended, series)
    levels = reconciled.frame
    statistical = levels[levels["level"] == BOTTOM]
    return DemandForecast(
        statistical=statistical.sort_values(["sku", "region", "month"], ignore_index=True)[
            FORECAST_COLUMNS
        ],
        hierarchy=_summed_dimensions_as_null(levels)[HIERARCHY_COLUMNS],
        reconciliation=reconciled.report,
    )


def filled_series(
    sales_actuals: pd.DataFrame, catalogue: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Monthly quantity per series of known SKUs, from its first sale to cycle - 1, zeros
    filled: columns sku, region, family, month, quantity."""
    sales = sales_actuals.assign(month=month_starts(sales_actuals["month"]))
    sales = sales[(sales["month"] < cycle) & sales["sku"].isin(catalogue["sku"])]
    sales = sales.groupby([*SERIES, "month"], as_index=False)["quantity"].sum()
    first = sales[sales["quantity"] > 0].groupby(SERIES, as_index=False)["month"].min()
    if first.empty:
        return pd.DataFrame(columns=[*SERIES, "family", "month", "quantity"])
    last = previous_cycle(cycle)
    filled = zero_filled(sales, first, last, "month", "quantity")
    return filled.merge(catalogue, on="sku", how="left")


def after_end_date(forecasts: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """True for forecast rows after their SKU's end month."""
    end_date = pd.to_datetime(items["end_date"], errors="coerce") if "end_date" in items else None
    if end_date is None or end_date.isna().all():
        return pd.Series(False, index=forecasts.index)
    ends = items.assign(end_month=month_starts(end_date)).dropna(subset=["end_month"])
    end_month = forecasts["sku"].map(ends.drop_duplicates("sku").set_index("sku")["end_month"])
    return pd.Series(np.asarray(forecasts["month"] > end_month), index=forecasts.index)


def base_forecasts(
    series: pd.DataFrame,
    monthly: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int,
    on_progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Base forecast of every node (`series`: node histories, `monthly`: the bottom ones):
    the engine for long histories, family profiles for short ones (at once). `on_progress(done,
    total)` hears how many of the engine's nodes are done as it goes."""
    length = series.groupby(NODE)["month"].transform("size")
    long = length >= min_history(horizon, season_length)
    forecasts = []
    if long.any():
        forecasts.append(_statistical(series[long], horizon, season_length, on_progress))
    if (~long).any():
        profiles = pd.concat(
            [
                family_profiles(monthly, cycle, season_length),
                family_profiles(monthly.assign(family=""), cycle, season_length),
            ],
            ignore_index=True,
        )
        forecasts.append(_profiled(series[~long], profiles, cycle, horizon, season_length))
    return pd.concat(forecasts, ignore_index=True)


def _statistical(
    series: pd.DataFrame, horizon: int, season_length: int, on_progress: ProgressCallback | None
) -> pd.DataFrame:
    keys = series[NODE_COLUMNS].drop_duplicates(NODE).reset_index(drop=True)
    keys["unique_id"] = keys.index.map(lambda i: f"{i:07d}")
    history = series.merge(keys[[*NODE, "unique_id"]], on=NODE)
    history = history.rename(columns={"month": "ds", "quantity": "y"})
    forecasts = forecast_in_chunks(
        history[["unique_id", "ds", "y"]], horizon, season_length, on_progress
    )
    return forecasts.merge(keys, on="unique_id").rename(columns={"ds": "month"})


def _profiled(
    series: pd.DataFrame,
    profiles: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int,
) -> pd.DataFrame:
    """Family-profile forecasts of short nodes. `profile_forecasts` takes a series as sku x
    region; node and level play those parts, since above the SKU both may be ''."""
    keys = series[NODE_COLUMNS].drop_duplicates(NODE)
    as_series = series[[*NODE, "family", "month", "quantity"]].rename(
        columns={"node": "sku", "level": "region"}
    )
    short = profile_forecasts(as_series, profiles, cycle, horizon, season_length)
    short = short[["sku", "region", "month", "model", *VALUE_COLUMNS]]
    short = short.rename(columns={"sku": "node", "region": "level"})
    return tidy_bounds(short.merge(keys, on=NODE))


def _summed_dimensions_as_null(levels: pd.DataFrame) -> pd.DataFrame:
    """The forecast_hierarchy rows, with the dimensions a level sums over as None (NULL)."""
    out = levels.sort_values([*NODE, "month"], ignore_index=True)
    for dim in ("sku", "family", "region"):
        out[dim] = out[dim].astype(object).where(out[dim] != "", None)
    return out


def _empty() -> DemandForecast:
    return DemandForecast(
        statistical=pd.DataFrame({c: pd.Series(dtype=object) for c in FORECAST_COLUMNS}),
        hierarchy=pd.DataFrame({c: pd.Series(dtype=object) for c in HIERARCHY_COLUMNS}),
    )
