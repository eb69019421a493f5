"""Safety stock targets and maximum inventory per SKU and month (arrays of shape (S, T)).

Method 'service_level' (the default, also for SKUs without a policy): z(service level) x sigma
of the monthly forecast error x sqrt(protection interval), the periodic-review standard: stock
must cover the forecast error from the moment a quantity is decided until the next quantity the
plan can still change arrives. That is the lead time plus the month until the next plan
(`REVIEW_MONTHS` = 1, a monthly cycle), so a SKU made within the month (lead time 0) still
carries one month's error, plus the months the firm MPS commits beyond the cycle month: with a
frozen zone of F months a cycle fixes starts up to F - 1 months ahead, and the next cycle's
first free start is F months ahead, so the error of F - 1 more months falls on the stock.
A SKU-month without a sigma gets no safety stock.
Method 'min_cover': min_cover_months x the mean demand of the next months. Cover-based
quantities look ceil(cover) months ahead; beyond the horizon, demand is assumed to stay at the
last planned month's level.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from sop_pipeline.core.supply.model import FloatArray, SupplyProblem

REVIEW_MONTHS = 1


def forward_mean_demand(demand: FloatArray, window: np.ndarray) -> FloatArray:
    """Mean demand of months t+1 .. t+window[s] for every SKU s and month t, shape (S, T)."""
    n_skus, n_months = demand.shape
    window = np.maximum(window.astype(int), 1)
    if n_months == 0 or n_skus == 0:
        return np.zeros_like(demand)
    padded = np.concatenate(
        [demand, np.repeat(demand[:, -1:], int(window.max()) + 1, axis=1)], axis=1
    )
    cumulative = np.concatenate([np.zeros((n_skus, 1)), padded.cumsum(axis=1)], axis=1)
    start = np.arange(n_months)[None, :] + 1
    end = start + window[:, None]
    rows = np.arange(n_skus)[:, None]
    return (cumulative[rows, end] - cumulative[rows, start]) / window[:, None]


def cover_quantity(demand: FloatArray, cover_months: FloatArray) -> FloatArray:
    """Stock that covers `cover_months` (per SKU, NaN = none -> 0) of the coming demand."""
    cover = np.nan_to_num(cover_months, nan=0.0).clip(min=0.0)
    window = np.ceil(cover).clip(min=1)
    return cover[:, None] * forward_mean_demand(demand, window)


def protection_months(problem: SupplyProblem, frozen_months: int) -> FloatArray:
    """Months of forecast error the stock of each SKU must absorb: lead time + review period +
    the months a `frozen_months` zone commits beyond the cycle month."""
    committed = max(frozen_months - 1, 0)
    return np.maximum(problem.lead_time, 0).astype(float) + REVIEW_MONTHS + committed


def safety_stock_targets(
    problem: SupplyProblem, default_service_level: float, frozen_months: int = 0
) -> FloatArray:
    """Safety stock target per SKU and month, shape (S, T), for a plan whose MPS is firm for
    `frozen_months` months (0 or 1: only the cycle month is committed)."""
    level = np.where(np.isnan(problem.service_level), default_service_level, problem.service_level)
    z_score = norm.ppf(np.clip(level, 0.5, 0.9999))
    lead = np.sqrt(protection_months(problem, frozen_months))
    statistical = z_score[:, None] * np.nan_to_num(problem.sigma, nan=0.0) * lead[:, None]
    by_cover = cover_quantity(problem.demand, problem.min_cover)
    targets = np.where(problem.uses_cover[:, None], by_cover, statistical)
    return np.asarray(targets.clip(min=0.0), dtype=float)


def maximum_inventory(problem: SupplyProblem) -> FloatArray:
    """Inventory cap from max_cover_months per SKU and month; +inf where the SKU has none."""
    has_cap = ~np.isnan(problem.max_cover)
    capped = cover_quantity(problem.demand, problem.max_cover)
    return np.where(has_cap[:, None], capped, np.inf)
