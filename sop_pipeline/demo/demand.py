"""The demo company's demand: what each SKU is expected to sell per region and month (level,
trend, family seasonality, life cycle, promotions), and the simulated sales drawn from it.

Arrays are indexed [sku, region, month] over a timeline of month ordinals; sku follows the
catalogue's row order and region follows `REGIONS`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from sop_pipeline.demo.catalogue import FAMILIES, REGION_SHARE, REGIONS
from sop_pipeline.demo.months import IntArray, calendar_month

FloatArray = npt.NDArray[np.float64]
NOISE_SHAPE = 12.0  # gamma shape of the demand noise: a coefficient of variation of about 0.3
RAMP_UP = 0.6  # share of the gap to full demand a new SKU still has to close each month
FADE_MONTHS = 10  # a phase-out SKU's demand fades out over its last this many months


def region_shares(rng: np.random.Generator, catalogue: pd.DataFrame) -> FloatArray:
    """Share of each SKU's demand per region, [sku, region]: some SKUs skip a region, and
    intermittent (niche) SKUs sell in one or two regions only."""
    n_skus = len(catalogue)
    shares = REGION_SHARE * rng.lognormal(0.0, 0.3, (n_skus, len(REGIONS)))
    rank = (-shares).argsort(axis=1).argsort(axis=1)  # 0 = the SKU's biggest region
    niche = (catalogue["kind"] == "intermittent").to_numpy()[:, None]
    kept_by_niche = rng.integers(1, 3, (n_skus, 1))
    absent = np.where(niche, rank >= kept_by_niche, rng.random(shares.shape) < 0.12)
    absent[rank == 0] = False  # sold in one region at least
    shares[absent] = 0.0
    return shares / shares.sum(axis=1, keepdims=True)


def expected_demand(
    catalogue: pd.DataFrame,
    shares: FloatArray,
    months: IntArray,
    promotion: FloatArray,
    anchor: int,
) -> FloatArray:
    """Mean units per [sku, region, month] before noise; the trend is anchored at month
    `anchor` (the newest cycle), so `level` is what a SKU sells a month then."""
    years = (months - anchor) / 12.0
    trend = np.exp(catalogue["trend"].to_numpy()[:, None] * years[None, :])
    per_sku = catalogue["level"].to_numpy()[:, None] * trend
    per_sku *= _seasonality(catalogue, months) * _life_cycle(catalogue, months)
    return per_sku[:, None, :] * shares[:, :, None] * promotion


def _seasonality(catalogue: pd.DataFrame, months: IntArray) -> FloatArray:
    """Yearly cycle of each SKU's family, [sku, month], mean 1 over a year."""
    peak = np.array([f.peak_month for f in FAMILIES])[catalogue["family_index"]]
    amplitude = np.array([f.amplitude for f in FAMILIES])[catalogue["family_index"]]
    angle = 2 * np.pi * (calendar_month(months)[None, :] - peak[:, None]) / 12.0
    return 1.0 + amplitude[:, None] * np.cos(angle)


def _life_cycle(catalogue: pd.DataFrame, months: IntArray) -> FloatArray:
    """Share of full demand, [sku, month]: zero before launch, ramping up after it, fading
    faster and faster towards the end month of a phase-out SKU, and zero after it."""
    since_launch = months[None, :] - catalogue["launch"].to_numpy()[:, None]
    share = np.where(since_launch >= 0, 1.0 - RAMP_UP ** (since_launch + 1.0), 0.0)
    end = catalogue["end"].to_numpy()[:, None]
    fading = np.clip((end - months[None, :] + 1) / FADE_MONTHS, 0.0, 1.0) ** 2
    return np.where(end >= 0, share * fading, share)


def promotion_factor(events: pd.DataFrame, catalogue: pd.DataFrame, months: IntArray) -> FloatArray:
    """Demand multiplier of the promotions and events, [sku, region, month] (1 where none)."""
    factor = np.ones((len(catalogue), len(REGIONS), len(months)))
    family = catalogue["family"].to_numpy()
    sku = catalogue["sku"].to_numpy()
    for event in events.itertuples(index=False):
        hit_skus = np.flatnonzero(sku == event.sku if event.sku else family == event.family)
        regions = np.arange(len(REGIONS))
        if event.region:
            regions = regions[[REGIONS.index(event.region)]]
        window = np.flatnonzero((months >= event.start) & (months <= event.end))
        factor[np.ix_(hit_skus, regions, window)] *= 1.0 + event.uplift_pct / 100.0
    return factor


def simulate_sales(
    rng: np.random.Generator, expected: FloatArray, catalogue: pd.DataFrame
) -> IntArray:
    """Units sold per [sku, region, month]: Poisson around a gamma-noised mean for regular
    SKUs; for intermittent ones, an order in a region-month only now and then, lumpy in size,
    with the same mean."""
    noise = rng.gamma(NOISE_SHAPE, 1.0 / NOISE_SHAPE, expected.shape)
    smooth = rng.poisson(expected * noise)
    p_order = catalogue["p_order"].to_numpy()[:, None, None]
    ordered = rng.random(expected.shape) < p_order
    order_size = 1 + rng.poisson(np.clip(expected / p_order - 1.0, 0.0, None))
    lumpy = np.where(ordered & (expected > 0), order_size, 0)
    intermittent = (catalogue["kind"] == "intermittent").to_numpy()[:, None, None]
    return np.where(intermittent, lumpy, smooth).astype(np.int64)
