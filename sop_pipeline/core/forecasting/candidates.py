"""Which models compete for a series, and how a series is classified.

A series is *intermittent* when its average demand interval (ADI, periods per non-zero
period) is at least 1.32, the Syntetos-Boylan cut-off. Intermittent series compete among
Croston-type methods only; the others among exponential smoothing and the seasonal naive.

The regular candidates are restricted ETS forms rather than AutoETS' full `ZZZ` search: on
three years of monthly data the full search is about ten times slower and, picking by AICc on
so few points, often drops the seasonality or picks an explosive multiplicative trend. Measured
on generated demand series, the damped-trend additive-seasonal form plus a non-seasonal AutoETS
and the seasonal naive, chosen on held-out months, forecast better than the full search.
"""

from __future__ import annotations

from typing import Any

from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    CrostonSBA,
    Naive,
    SeasonalNaive,
)

ADI_INTERMITTENT = 1.32
TSB_ALPHA_DEMAND = 0.2  # TSB needs fixed smoothing weights: common values for monthly demand
TSB_ALPHA_PROBABILITY = 0.1


def regular_models(season_length: int) -> list[Any]:
    """Candidates for series with demand in most months; all have native intervals."""
    nonseasonal = AutoETS(model="AZN", alias="ETS_nonseasonal")  # AICc: no, linear, damped trend
    if season_length < 2:
        return [nonseasonal, Naive(alias="Naive")]
    return [
        AutoETS(season_length=season_length, model="AAA", damped=True, alias="ETS_seasonal"),
        nonseasonal,
        SeasonalNaive(season_length=season_length, alias="SeasonalNaive"),
    ]


def intermittent_models() -> list[Any]:
    """Candidates for intermittent series; none has native intervals (see `intervals`)."""
    return [
        CrostonSBA(alias="CrostonSBA"),
        ADIDA(alias="ADIDA"),
        IMAPA(alias="IMAPA"),
        TSB(alpha_d=TSB_ALPHA_DEMAND, alpha_p=TSB_ALPHA_PROBABILITY, alias="TSB"),
    ]


def model_named(alias: str, season_length: int) -> Any:
    """A fresh candidate model by its alias."""
    for model in [*regular_models(season_length), *intermittent_models()]:
        if model.alias == alias:
            return model
    raise KeyError(alias)


INTERMITTENT_ALIASES = frozenset(m.alias for m in intermittent_models())
