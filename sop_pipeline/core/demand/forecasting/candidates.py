"""The models the engine fits: the ensemble members for regular series, the Croston-type
candidates for intermittent ones (see `classify` for which series is which).

Ensemble members (each clipped at zero, then averaged, see `ensemble`):

- `ETS`: exponential smoothing with additive season, additive or multiplicative error and the
  trend (none, linear, damped) chosen by AICc (AutoETS `ZZA`: multiplicative error only where
  the series is positive); without a season (`season_length` 1), `ZZN`;
- `Theta`: the dynamic optimised Theta model (DynamicOptimizedTheta), seasonally adjusted by
  classical multiplicative decomposition when the series tests seasonal;
- `CES`: complex exponential smoothing (AutoCES), choosing by AICc among its seasonal forms.

`CHOSEN_COMBINATION` names them as `python -m benchmarks.forecast_accuracy --select` does:
cross-validation on the training parts of the M1 and Tourism monthly data (never their test
parts) chose their mean among the means and medians of AutoETS' full search, its `ZZA` and
`AZA` forms, DOTheta, Theta and AutoCES (docs/forecasting.md). On 36-month demand series they
cost about 45 ms per series (ETS `ZZA` 29 ms with intervals, DOTheta 4, AutoCES 10), against
31 ms with `AZA` and 62 ms with the full `ZZZ` search.

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
CHOSEN_COMBINATION = ("mean", ("ETS ZZA", "DOTheta", "AutoCES"))  # forecast_selection's names
TSB_ALPHA_DEMAND = 0.2  # TSB needs fixed smoothing weights: common values for monthly demand
TSB_ALPHA_PROBABILITY = 0.1


def ensemble_members(season_length: int) -> list[Any]:
    """The regular series' models, each with native 80/95 % intervals."""
    season = max(season_length, 1)
    return [
        AutoETS(season_length=season, model="ZZA" if season > 1 else "ZZN", alias="ETS"),
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
