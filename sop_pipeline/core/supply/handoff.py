"""What demand review hands to supply review: demand per SKU and month, and its uncertainty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.forecasting.fallback import Z  # the quantiles the intervals use


def demand_by_sku(demand_plan: pd.DataFrame) -> pd.DataFrame:
    """Unconstrained demand the supply plan must meet: grain sku x month, summed over regions."""
    return demand_plan.groupby(["sku", "month"], as_index=False)["demand"].sum()


def forecast_error_sigma(statistical_forecast: pd.DataFrame) -> pd.DataFrame:
    """Standard deviation of the forecast error per sku x month, read off the 80 % intervals
    (half-width / z) and added in quadrature over regions, treating regions as independent."""
    if statistical_forecast.empty:
        return pd.DataFrame(columns=["sku", "month", "sigma"])
    half_width = (statistical_forecast["hi_80"] - statistical_forecast["lo_80"]) / 2
    variance = statistical_forecast.assign(variance=(half_width / Z[80]) ** 2)
    sigma = variance.groupby(["sku", "month"], as_index=False)["variance"].sum()
    sigma["sigma"] = np.sqrt(sigma.pop("variance"))
    return sigma
