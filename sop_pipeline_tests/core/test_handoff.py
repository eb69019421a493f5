"""What demand review hands to supply review: demand per SKU and month, and its sigma."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.handoff import demand_by_sku, forecast_error_sigma

NOV, DEC = pd.Timestamp("2026-11-01"), pd.Timestamp("2026-12-01")


def test_demand_is_summed_over_regions_per_sku_and_month() -> None:
    plan = pd.DataFrame(
        {
            "sku": ["A", "A", "A", "B"],
            "region": ["N", "S", "N", "N"],
            "month": [NOV, NOV, DEC, NOV],
            "demand": [10.0, 5.0, 7.0, 2.0],
        }
    )
    demand = demand_by_sku(plan).set_index(["sku", "month"])["demand"]
    assert demand.to_dict() == {("A", NOV): 15.0, ("A", DEC): 7.0, ("B", NOV): 2.0}


def test_sigma_comes_from_the_80_percent_interval_and_adds_in_quadrature() -> None:
    # half-widths 1.2816 x 3 and 1.2816 x 4: sigmas 3 and 4, together sqrt(9 + 16) = 5
    forecast = pd.DataFrame(
        {
            "sku": ["A", "A"],
            "region": ["N", "S"],
            "month": [NOV, NOV],
            "lo_80": [100 - 1.2816 * 3, 50 - 1.2816 * 4],
            "hi_80": [100 + 1.2816 * 3, 50 + 1.2816 * 4],
        }
    )
    sigma = forecast_error_sigma(forecast)
    np.testing.assert_allclose(sigma["sigma"], [5.0], rtol=1e-4)
    assert forecast_error_sigma(forecast.iloc[0:0]).empty
