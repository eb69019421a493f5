"""Two planning policies a spreadsheet planner would use, for comparison with the pipeline.
Both see what the pipeline's drop shows (shipments to the month before, stock, backlog, work
in progress, the item master) and plan no capacity: the plant makes what it can.

- `seasonal_naive`: forecast = the same month a year earlier (the last three months' mean
  for a SKU with less than a year of sales), make to forecast: start what brings the stock
  position up to the forecast over the lead time and the month of arrival, no safety stock.
- `moving_average`: forecast = mean of the last three months, flat; order up to a level of
  `COVER_MONTHS` months beyond the lead time and the month of arrival (fixed per SKU in
  months of the moving average).
"""

from __future__ import annotations

import numpy as np

from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.house import order_up_to
from sop_pipeline.demo.world import Ledger

MA_MONTHS = 3
COVER_MONTHS = 1.0
SEASON = 12
NAIVE_POLICIES = ("seasonal_naive", "moving_average")


def shipped_history(ledger: Ledger) -> FloatArray:
    """Units shipped per [sku, booked month]: the sales history the drops show."""
    return ledger.shipped[:, :, : ledger.simulated].sum(axis=1)


def moving_average_forecast(ledger: Ledger, horizon: int) -> FloatArray:
    """Flat forecast [sku, month ahead]: mean shipments of the last `MA_MONTHS` months."""
    history = shipped_history(ledger)
    level = history[:, -MA_MONTHS:].mean(axis=1)
    return np.repeat(level[:, None], horizon, axis=1)


def seasonal_naive_forecast(ledger: Ledger, horizon: int, on_sale: np.ndarray) -> FloatArray:
    """Forecast [sku, month ahead]: shipments of the same month a year before, repeated; the
    moving average for SKUs that have not sold for a year (`on_sale`: months with sales)."""
    history = shipped_history(ledger)
    t = history.shape[1]
    months = np.arange(horizon)
    source = t + months - SEASON * (1 + months // SEASON)
    seasonal = history[:, source]
    young = on_sale < SEASON
    return np.where(young[:, None], moving_average_forecast(ledger, horizon), seasonal)


def naive_plan(
    policy: str, ledger: Ledger, listed: np.ndarray, horizon: int
) -> tuple[FloatArray, FloatArray]:
    """Forecast [sku, month ahead] and the starts per SKU of `policy` for the next month;
    SKUs not in the item master (`listed` False) are neither forecast nor made."""
    history = shipped_history(ledger)
    since_first_sale = history.shape[1] - np.argmax(history > 0, axis=1)
    on_sale = np.where((history > 0).any(axis=1), since_first_sale, 0)
    if policy == "seasonal_naive":
        forecast = seasonal_naive_forecast(ledger, horizon, on_sale)
        cover = 0.0
    elif policy == "moving_average":
        forecast = moving_average_forecast(ledger, horizon)
        cover = COVER_MONTHS
    else:
        raise ValueError(f"unknown naive policy {policy!r}; one of {', '.join(NAIVE_POLICIES)}")
    forecast = forecast * listed[:, None]
    return forecast, order_up_to(ledger, forecast, cover) * listed
