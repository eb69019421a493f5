"""The demo company's market: the true customer orders per SKU x region x month, which the
export drops never show directly (sales history shows what was shipped from them), and the
CRM deal book whose opportunities land with their probability.

Arrays are indexed [sku, region, timeline month] in catalogue row order and `REGIONS` order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.catalogue import REGIONS
from sop_pipeline.demo.demand import FloatArray, simulate_sales
from sop_pipeline.demo.months import IntArray, compact_labels, month_labels

STAGES = {"prospecting": 0.1, "qualification": 0.25, "proposal": 0.5, "negotiation": 0.7,
          "committed": 0.9}  # fmt: skip
CRM_AHEAD = 6  # an opportunity is open in the CRM from this many months before its month


def build_deals(
    rng: np.random.Generator, catalogue: pd.DataFrame, expected: FloatArray, timeline: IntArray
) -> pd.DataFrame:
    """The CRM deal book over the timeline, one row per opportunity: `sku` or `family` (the
    other ''), region, `expected` (month ordinal), quantity, probability, stage and `landed`
    (whether it turns into orders, drawn with its probability). About `len(catalogue) // 10`
    opportunities are open at any cycle, on SKUs sold in their month or on whole families."""
    per_month = max(1, round(max(4, len(catalogue) // 10) / (CRM_AHEAD + 1)))
    month = np.repeat(timeline, per_month)
    n_deals = len(month)
    column = month - timeline[0]
    sellable = expected.sum(axis=1)[:, column] > 1.0  # [sku, deal]
    sellable &= catalogue["kind"].isin(["regular", "new"]).to_numpy()[:, None]
    score = rng.random(sellable.shape) * sellable
    sku = score.argmax(axis=0)
    by_family = rng.random(n_deals) < 0.3
    family_level = catalogue.groupby("family")["level"].sum()
    family = catalogue["family"].to_numpy()[sku]
    level = np.where(
        by_family, family_level[family].to_numpy() * 0.1, catalogue["level"].to_numpy()[sku]
    )
    stage = rng.choice(list(STAGES), n_deals)
    stage_odds = np.array([STAGES[s] for s in stage]) + rng.uniform(-0.05, 0.05, n_deals)
    probability = np.round(np.clip(stage_odds, 0.05, 0.95), 2)
    deals = pd.DataFrame(
        {
            "sku": np.where(by_family, "", catalogue["sku"].to_numpy()[sku]),
            "family": np.where(by_family, family, ""),
            "region": rng.choice(REGIONS, n_deals),
            "expected": month,
            "quantity": np.round(level * rng.uniform(0.2, 1.0, n_deals)) + 5.0,
            "probability": probability,
            "stage": stage,
            "landed": rng.random(n_deals) < probability,
        }
    )
    return deals[sellable.any(axis=0)].reset_index(drop=True)


def deal_orders(
    deals: pd.DataFrame, catalogue: pd.DataFrame, expected: FloatArray, first: int
) -> FloatArray:
    """Units the landed deals add to the orders, [sku, region, month] (month 0 = ordinal
    `first`): a SKU deal on its SKU, a family deal spread over the family's SKUs by their
    expected demand in that region and month, in whole units."""
    extra = np.zeros(expected.shape)
    sku_row = pd.Index(catalogue["sku"])
    family = catalogue["family"].to_numpy()
    for deal in deals[deals["landed"]].itertuples(index=False):
        region = REGIONS.index(deal.region)
        month = int(deal.expected) - first
        if deal.sku:
            extra[sku_row.get_loc(deal.sku), region, month] += deal.quantity
            continue
        weight = expected[:, region, month] * (family == deal.family)
        if weight.sum() <= 0:
            continue
        cumulative = np.floor(deal.quantity * np.cumsum(weight) / weight.sum())
        extra[:, region, month] += np.diff(cumulative, prepend=0.0)
    return extra


def customer_orders(
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
    expected: FloatArray,
    deals: pd.DataFrame,
    first: int,
) -> IntArray:
    """The true orders, [sku, region, month]: the noisy demand around `expected` (promotions
    included there) plus the landed CRM deals."""
    base = simulate_sales(rng, expected, catalogue)
    return (base + deal_orders(deals, catalogue, expected, first)).astype(np.int64)


def crm_at(deals: pd.DataFrame, items: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The `crm_pipeline` export of a cycle: the opportunities expected from the cycle month
    to `CRM_AHEAD` months on, for SKUs in the item master or whole families."""
    open_now = deals["expected"].between(cycle, cycle + CRM_AHEAD)
    open_now &= (deals["sku"] == "") | deals["sku"].isin(items["sku"])
    shown = deals[open_now]
    # the deal's number in the book: the same opportunity keeps its id from cycle to cycle
    labels = compact_labels(shown["expected"])
    return pd.DataFrame(
        {
            "opportunity_id": [f"OP{m}-{k:05d}" for m, k in zip(labels, shown.index, strict=True)],
            "sku": shown["sku"],
            "family": shown["family"],
            "region": shown["region"],
            "expected_month": month_labels(shown["expected"]),
            "quantity": shown["quantity"],
            "probability": shown["probability"],
            "stage": shown["stage"],
        }
    ).reset_index(drop=True)
