"""The forecast error safety stock is sized on: realised lag-1 errors where there are enough.

A SKU's realised error in a month is its actual minus its lag-1 statistical forecast, summed
over regions (`forecast_accuracy` rows at lag 1: the forecast made the cycle before, for the
month just ended). With at least `MIN_SCORED_MONTHS` such months in the last
`SIGMA_WINDOW_MONTHS` cycles, sigma is their root mean square (bias included: a forecast that
is always 10 low needs the stock as much as one that scatters by 10), the same for every month
of the horizon, since safety stock scales the one-month error by sqrt(lead time + review)
itself. With fewer months, sigma is read off the model's 80 % intervals (`handoff`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts

MIN_SCORED_MONTHS = 6
SIGMA_WINDOW_MONTHS = 12


def realised_sigma(accuracy: pd.DataFrame | None) -> pd.DataFrame:
    """sku, sigma (RMS of the lag-1 errors), months (scored months) per SKU with at least
    `MIN_SCORED_MONTHS` scored months among the rows of `accuracy` (forecast_accuracy rows of
    the last cycles, lag 1 used)."""
    empty = pd.DataFrame({"sku": pd.Series(dtype=object), "sigma": [], "months": []})
    if accuracy is None or accuracy.empty:
        return empty
    lag1 = accuracy[accuracy["lag"] == 1]
    lag1 = lag1.assign(sku=lag1["sku"].astype(str), month=month_starts(lag1["month"]))
    newest = lag1["month"].max()
    window = lag1[lag1["month"] > newest - pd.DateOffset(months=SIGMA_WINDOW_MONTHS)]
    errors = (
        window.assign(error=window["actual"] - window["forecast"])
        .groupby(["sku", "month"], as_index=False)["error"]
        .sum()
    )
    per_sku = errors.groupby("sku").agg(
        sigma=("error", lambda e: float(np.sqrt(np.mean(np.square(e))))),
        months=("error", "size"),
    )
    per_sku = per_sku[per_sku["months"] >= MIN_SCORED_MONTHS].reset_index()
    return per_sku if len(per_sku) else empty


def demand_error(model_sigma: pd.DataFrame, realised: pd.DataFrame) -> pd.DataFrame:
    """sku, month, sigma: the realised sigma in every month of a SKU that has one, the model's
    (`model_sigma`, per sku x month) for the others."""
    if realised.empty or model_sigma.empty:
        return model_sigma
    by_sku = realised.set_index("sku")["sigma"]
    known = model_sigma["sku"].astype(str).map(by_sku)
    return model_sigma.assign(sigma=known.fillna(model_sigma["sigma"]).astype(float))
