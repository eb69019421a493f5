"""The models the engine fits: the ensemble members for regular series, the Croston-type
candidates for intermittent ones (see `classify` for which series is which).

Ensemble members (averaged, see `ensemble`):

- `ETS`: exponential smoothing with additive error and season, the trend (none, linear,
  damped) chosen by AICc (AutoETS `AZA`); without a season (`season_length` 1), `AZN`;
- `Theta`: the dynamic optimised Theta model (DynamicOptimizedTheta), seasonally adjusted by
  classical multiplicative decomposition when the series tests seasonal;
- `CES`: complex exponential smoothing (AutoCES), choosing by AICc among its seasonal forms.

Together they cost about 30 ms per 50-month series, against 75 ms for AutoETS' full `ZZZ`
search alone and 125 ms or more for even a restricted AutoARIMA. Cross-validation on the
training parts of the M1 and Tourism monthly data chose their mean over per-series selection
and over the other combinations that fit the time budget (docs/forecasting.md).

Intermittent candidates compete per series on held-out months (`selection`): Croston SBA,
ADIDA, IMAPA and TSB.
"""

from __future__ import annotations

from typing import Any

from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoCES,
    AutoETS,
    CrostonSBA,
    DynamicOptimizedTheta,
)

ENSEMBLE_MODEL = "ensemble"  # the `model` of a regular series: mean of ETS, Theta and CES
TSB_ALPHA_DEMAND = 0.2  # TSB needs fixed smoothing weights: common values for monthly demand
TSB_ALPHA_PROBABILITY = 0.1


def ensemble_members(season_length: int) -> list[Any]:
    """The regular series' models, each with native 80/95 % intervals."""
    season = max(season_length, 1)
    return [
        AutoETS(season_length=season, model="AZA" if season > 1 else "AZN", alias="ETS"),
        DynamicOptimizedTheta(season_length=season, alias="Theta"),
        AutoCES(season_length=season, alias="CES"),
    ]


def intermittent_models() -> list[Any]:
    """Candidates for intermittent series; none has native intervals (see `intervals`)."""
    return [
        CrostonSBA(alias="CrostonSBA"),
        ADIDA(alias="ADIDA"),
        IMAPA(alias="IMAPA"),
        TSB(alpha_d=TSB_ALPHA_DEMAND, alpha_p=TSB_ALPHA_PROBABILITY, alias="TSB"),
    ]


def intermittent_model(alias: str) -> Any:
    """A fresh intermittent candidate by its alias."""
    for model in intermittent_models():
        if model.alias == alias:
            return model
    raise KeyError(alias)


INTERMITTENT_ALIASES = frozenset(m.alias for m in intermittent_models())
