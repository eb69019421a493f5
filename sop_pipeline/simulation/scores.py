"""What a policy achieved in the simulated world, per executed month and in total.

- `fill_rate`: units of the month's orders shipped in the month / units ordered (on time;
  backlog shipped a month later counts as late, not as filled);
- `lost_units`, `lost_margin`: orders never shipped, at list price less unit cost;
- `inventory_value`: stock at unit cost, mean of the month's opening and closing;
- `turns`: cost of goods shipped, annualised, / mean inventory value;
- `overtime_hours`, and `cost`: the realised cost of the plan's decisions = holding (the LP's
  `holding_rate` of unit cost per unit and month on the closing stock) + overtime at the
  resources' rates + lost margin;
- `accuracy_lag1`, `accuracy_lag3`: 1 - WAPE over SKUs of the forecast made for the month by
  the cycle of that month (lag 1) and by the cycle two months earlier (lag 3; the pipeline's
  lag definitions, core/demand/accuracy.py), against the true orders (not the shipments);
- `nervousness`: units by which the firm MPS quantities of the previous cycle changed in
  this cycle's MPS, / the firm units (pipeline only; the naive policies plan one month).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.costs import CostSettings
from sop_pipeline.demo.company import DemoCompany
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.world import Ledger

SCORE_COLUMNS = [
    "fill_rate",
    "lost_units",
    "lost_margin",
    "inventory_value",
    "turns",
    "overtime_hours",
    "cost",
    "accuracy_lag1",
    "accuracy_lag3",
    "nervousness",
]


def month_scores(
    company: DemoCompany,
    ledger: Ledger,
    month: int,
    forecasts: dict[int, FloatArray],
    nervousness: float = np.nan,
) -> dict[str, float]:
    """The scores of month ordinal `month` (booked) of one policy; `forecasts` by cycle, each
    [sku, month ahead] from the cycle month on."""
    t = company.index(month)
    cost = company.catalogue["unit_cost"].to_numpy()
    margin = company.catalogue["unit_price"].to_numpy() - cost
    orders = ledger.orders[:, :, t].sum(axis=1)
    lost = ledger.lost[:, :, t].sum(axis=1)
    value = float(cost @ (ledger.opening[:, t] + ledger.closing[:, t])) / 2.0
    cogs = float(cost @ ledger.shipped[:, :, t].sum(axis=1)) * 12.0
    overtime = ledger.overtime[:, t]
    holding = CostSettings().holding_rate * float(cost @ ledger.closing[:, t])
    overtime_cost = float(company.plant.overtime_cost[:, t] @ overtime)
    return {
        "fill_rate": float(ledger.on_time[:, :, t].sum() / max(orders.sum(), 1.0)),
        "lost_units": float(lost.sum()),
        "lost_margin": float(margin @ lost),
        "inventory_value": value,
        "turns": cogs / value if value > 0 else np.nan,
        "overtime_hours": float(overtime.sum()),
        "cost": holding + overtime_cost + float(margin @ lost),
        "accuracy_lag1": accuracy(forecasts.get(month), 0, orders),
        "accuracy_lag3": accuracy(forecasts.get(month - 2), 2, orders),
        "nervousness": nervousness,
        "orders": float(orders.sum()),
    }


def accuracy(forecast: FloatArray | None, ahead: int, actual: FloatArray) -> float:
    """1 - WAPE of column `ahead` of a forecast [sku, month ahead] against `actual` per SKU."""
    if forecast is None or forecast.shape[1] <= ahead or actual.sum() <= 0:
        return np.nan
    return float(1.0 - np.abs(forecast[:, ahead] - actual).sum() / actual.sum())


def totals(scores: pd.DataFrame) -> pd.Series:
    """Whole-run figures of one policy's monthly `scores`: fill rate weighted by the orders
    (`orders` column), sums of units, margin, hours and cost, means of the rest."""
    weights = scores["orders"]
    summed = scores[["lost_units", "lost_margin", "overtime_hours", "cost"]].sum()
    mean = scores[["inventory_value", "accuracy_lag1", "accuracy_lag3", "nervousness"]].mean()
    fill = float((scores["fill_rate"] * weights).sum() / weights.sum())
    cogs = float((scores["turns"] * scores["inventory_value"]).sum())
    turns = cogs / float(scores["inventory_value"].sum())
    return pd.concat([pd.Series({"fill_rate": fill, "turns": turns}), summed, mean])[SCORE_COLUMNS]
