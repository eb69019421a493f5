"""Objective coefficients of the supply LP and the settings they come from.

The defaults are chosen so that the LP behaves as a planner expects:
- a lost sale costs the lost margin plus a goodwill penalty of half the price, so with short
  capacity the SKU with the higher margin per hour is served first;
- holding stock costs 2 % of unit cost per month, so pre-building ahead of a capacity dip is
  cheaper than losing the sale for any horizon shorter than ~25 months;
- overtime costs what the resources file says per hour, so it is used exactly when it is
  cheaper than the lost margin plus penalty of the units it makes;
- serve early demand first: a lost sale in month t costs (1 + `time_preference_rate` x (T - 1 -
  t)) times the lost-sale cost (1 % per month by default: 17 % dearer in the first month of an
  18-month horizon than in the last). A lost sale the plan cannot avoid then falls in the last
  month it could be, where supply truly runs out, instead of the first (ties between months are
  otherwise broken arbitrarily, and a re-run or a tiny input change could move the loss).
- falling below safety stock costs the holding cost plus a small premium per unit-month. The
  premium is capped at half the time preference of a month (0.5 % of the lost-sale cost), so
  keeping safety stock never wins over serving a customer now and losing the sale later, while
  stock below target is still rebuilt when capacity allows (the premium makes the shortfall
  dearer than holding the stock).
- backlog (open orders) unmet costs twice a lost sale: late customer orders are served first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sop_pipeline.core.supply.model import FloatArray, SupplyProblem


@dataclass(frozen=True)
class CostSettings:
    """Cost assumptions of the supply LP (rates are per unit and month unless said)."""

    holding_rate: float = 0.02  # of unit_cost, per unit held at month end
    lost_sale_penalty_rate: float = 0.5  # of unit_price, on top of the lost margin
    min_lost_sale_cost: float = 1.0  # floor so that free items are still served
    backlog_factor: float = 2.0  # unmet backlog costs this times a lost sale
    safety_stock_premium_rate: float = 0.02  # of unit_cost, shortfall cost above holding
    default_service_level: float = 0.95  # when a SKU has no inventory policy
    time_preference_rate: float = 0.01  # of the lost-sale cost, per month a loss comes earlier


@dataclass(frozen=True)
class UnitCosts:
    """Objective coefficients per SKU, each of shape (S,)."""

    holding: FloatArray
    lost_sale: FloatArray
    backlog: FloatArray
    shortfall: FloatArray
    time_preference_rate: float = 0.0

    def lost_sale_by_month(self, n_months: int) -> FloatArray:
        """The lost-sale cost per SKU and month, (S, T): dearer the earlier the month."""
        earlier = np.arange(n_months - 1, -1, -1, dtype=float)
        return self.lost_sale[:, None] * (1.0 + self.time_preference_rate * earlier[None, :])


def unit_costs(problem: SupplyProblem, settings: CostSettings) -> UnitCosts:
    """The per-SKU objective coefficients of `problem` under `settings`."""
    cost = np.nan_to_num(problem.unit_cost, nan=0.0).clip(min=0.0)
    price = np.nan_to_num(problem.unit_price, nan=0.0).clip(min=0.0)
    margin = (price - cost).clip(min=0.0)
    lost_sale = np.maximum(
        margin + settings.lost_sale_penalty_rate * price, settings.min_lost_sale_cost
    )
    holding = settings.holding_rate * cost
    spread = 0.5 / max(problem.n_months, 1)  # half a lost sale over the horizon
    rate = settings.time_preference_rate
    cap = lost_sale * (min(0.5 * rate, spread) if rate > 0 else spread)
    premium = np.minimum(settings.safety_stock_premium_rate * cost, cap)
    return UnitCosts(
        holding=holding,
        lost_sale=lost_sale,
        backlog=settings.backlog_factor * lost_sale,
        shortfall=holding + premium,
        time_preference_rate=settings.time_preference_rate,
    )
