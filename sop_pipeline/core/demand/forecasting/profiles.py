"""Family-profile forecasts for series too short for the statistical candidates.

The family's seasonal profile comes from its aggregate history (all its SKUs and regions): over
the last complete seasons before the cycle (up to three), each month's total is divided by the
mean of its own season-long block, so growth between years does not leak into the profile, and
the ratios are averaged per calendar position. A family with less than one complete season of
history gets a flat profile.

A short series' level is its recent demand over the profile (Σ y / Σ index over its last six
months); it forecasts level x index. Intervals are normal with a spread proportional to the
forecast: the coefficient of variation of the series' deseasonalised history, at least 50 %
(a few months of a young SKU understate how uncertain its demand is), and 50 % when it has
fewer than three months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import add_months, month_ordinals, months_between, months_from
from sop_pipeline.core.demand.forecasting.fallback import MIN_POINTS_FOR_SPREAD, RECENT_MONTHS, Z
from sop_pipeline.core.demand.forecasting.intervals import LEVELS

PROFILE_SEASONS = 3
MIN_VARIATION = 0.5
MODEL = "family_profile"


def family_profiles(monthly: pd.DataFrame, cycle: pd.Timestamp, season_length: int) -> pd.DataFrame:
    """Seasonal index per family and calendar position: columns family, position, index."""
    totals = monthly.groupby(["family", "month"], as_index=False)["quantity"].sum()
    rows = []
    for family, history in totals.groupby("family"):
        first = history.loc[history["quantity"] > 0, "month"].min()
        available = months_between(first, cycle) if pd.notna(first) else 0
        seasons = min(PROFILE_SEASONS, available // season_length) if season_length > 1 else 0
        index = np.ones(max(season_length, 1))
        if seasons:
            start = add_months(cycle, -seasons * season_length)
            window = months_from(start, seasons * season_length)
            values = history.set_index("month")["quantity"].reindex(window, fill_value=0.0)
            blocks = values.to_numpy().reshape(seasons, season_length)
            means = blocks.mean(axis=1, keepdims=True)
            ratios = np.divide(blocks, means, out=np.ones_like(blocks), where=means > 0)
            shift = int(_positions(pd.Series([start]), season_length).iloc[0])
            index = np.roll(ratios.mean(axis=0), shift)
        rows.append(
            pd.DataFrame({"family": family, "position": np.arange(len(index)), "index": index})
        )
    return pd.concat(rows, ignore_index=True)


def profile_forecasts(
    short: pd.DataFrame,
    profiles: pd.DataFrame,
    cycle: pd.Timestamp,
    horizon: int,
    season_length: int,
) -> pd.DataFrame:
    """Forecasts of short series (`short`: sku, region, family, month, quantity, filled):
    grain sku x region x month over the horizon."""
    observed = _with_index(short, profiles, season_length)
    observed["deseasonalised"] = observed["quantity"] / observed["index"].clip(lower=1e-9)
    grouped = observed.groupby(["sku", "region", "family"])
    recent = observed.groupby(["sku", "region"]).tail(RECENT_MONTHS)
    sums = recent.groupby(["sku", "region", "family"])[["quantity", "index"]].sum()
    stats = pd.DataFrame(
        {
            "level": sums["quantity"] / sums["index"].clip(lower=1e-9),
            "variation": grouped["deseasonalised"].std(ddof=1) / grouped["deseasonalised"].mean(),
            "points": grouped.size(),
        }
    ).reset_index()
    few = stats["points"] < MIN_POINTS_FOR_SPREAD
    variation = stats["variation"].where(~few, MIN_VARIATION).fillna(MIN_VARIATION)
    stats["variation"] = variation.clip(lower=MIN_VARIATION)
    months = pd.DataFrame({"month": months_from(cycle, horizon)})
    future = _with_index(stats.merge(months, how="cross"), profiles, season_length)
    future["forecast"] = future["level"] * future["index"]
    for level in LEVELS:
        spread = Z[level] * future["variation"] * future["forecast"]
        future[f"lo_{level}"] = future["forecast"] - spread
        future[f"hi_{level}"] = future["forecast"] + spread
    return future.assign(model=MODEL)


def _with_index(frame: pd.DataFrame, profiles: pd.DataFrame, season_length: int) -> pd.DataFrame:
    return frame.assign(position=_positions(frame["month"], season_length)).merge(
        profiles, on=["family", "position"], how="left"
    )


def _positions(months: pd.Series, season_length: int) -> pd.Series:
    """Calendar position of each month within the season (months since 1970 modulo length)."""
    return month_ordinals(months) % max(season_length, 1)
