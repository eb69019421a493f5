"""The demo company's stock and orders: stocking policy, on hand per site, the customer order
backlog and the executed production orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.catalogue import REGIONS
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import IntArray, compact_labels, days_in_month, iso_dates

SITES = ("WH-MAIN", "DC-SOUTH")
PRODUCTION_MONTHS = 3  # months of executed production orders each drop reports


def build_policy(rng: np.random.Generator, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Stocking policy, one row per SKU: service level 0.97-0.99 for the faster half, 0.90-0.95
    for the rest; intermittent SKUs and about one in ten others stocked by min/max cover."""
    n_skus = len(catalogue)
    fast = catalogue["level"].to_numpy() >= catalogue["level"].median()
    service = np.where(
        fast, rng.choice([0.97, 0.98, 0.99], n_skus), rng.choice([0.9, 0.92, 0.95], n_skus)
    )
    by_cover = (catalogue["kind"] == "intermittent").to_numpy() | (rng.random(n_skus) < 0.1)
    min_cover = rng.choice([0.5, 1.0, 1.5], n_skus)
    max_cover = min_cover + rng.choice([1.0, 2.0, 3.0], n_skus)
    return pd.DataFrame(
        {
            "sku": catalogue["sku"],
            "service_level": service,
            "safety_stock_method": np.where(by_cover, "min_cover", "service_level"),
            "min_cover_months": np.where(by_cover, min_cover, np.nan),
            "max_cover_months": np.where(by_cover, max_cover, np.nan),
        }
    )


def inventory_at(
    rng: np.random.Generator, catalogue: pd.DataFrame, units: FloatArray, items: pd.DataFrame
) -> pd.DataFrame:
    """The `inventory` export of a cycle, one row per SKU and site: units on hand at the end of
    the month before, 0.4-2.2 months of the cycle month's expected `units` (per SKU), more for
    phase-out SKUs, none for a few stock-outs; the southern DC holds about half the SKUs."""
    n_skus = len(catalogue)
    cover = np.where(
        (catalogue["kind"] == "phase_out").to_numpy(),
        rng.uniform(2.0, 5.0, n_skus),
        rng.uniform(0.4, 2.2, n_skus),
    )
    on_hand = np.round(units * cover) * (rng.random(n_skus) >= 0.06)
    in_dc = rng.random(n_skus) < 0.5
    at_dc = np.where(in_dc, np.round(on_hand * rng.uniform(0.2, 0.4, n_skus)), 0.0)
    listed = catalogue["sku"].isin(items["sku"]).to_numpy()
    main = pd.DataFrame({"sku": catalogue["sku"], "site": SITES[0], "on_hand": on_hand - at_dc})
    south = pd.DataFrame({"sku": catalogue["sku"], "site": SITES[1], "on_hand": at_dc})
    return pd.concat([main[listed], south[listed & in_dc]], ignore_index=True)


def open_orders_at(
    rng: np.random.Generator, catalogue: pd.DataFrame, expected: FloatArray, cycle: int
) -> pd.DataFrame:
    """The `open_orders` export of a cycle, one row per backlog order line: orders of SKUs on
    sale, requested from the start of the month before to early in the cycle month, a share
    of the cycle month's `expected` units ([sku, region]); one or two lines per order."""
    on_sale = np.flatnonzero(expected.sum(axis=1) >= 1.0)
    n_lines = min(len(on_sale), max(3, len(catalogue) // 12))
    sku = np.sort(rng.choice(on_sale, n_lines, replace=False))
    region = (rng.random((n_lines, len(REGIONS))) * expected[sku]).argmax(axis=1)
    order = np.cumsum(np.r_[True, rng.random(n_lines - 1) < 0.65])
    line = np.arange(n_lines) - np.searchsorted(order, order) + 1
    day = rng.integers(1, days_in_month(cycle - 1) + 11, n_lines)
    quantity = np.round(expected[sku, region] * rng.uniform(0.05, 0.3, n_lines))
    label = compact_labels(cycle)
    return pd.DataFrame(
        {
            "order_id": [f"SO{label}{k:05d}" for k in order],
            "line": (line * 10).astype(str),
            "sku": catalogue["sku"].to_numpy()[sku],
            "region": np.array(REGIONS)[region],
            "requested_date": iso_dates(np.full(n_lines, cycle - 1), day),
            "quantity": np.maximum(quantity, 1.0),
        }
    )


def production_history(
    rng: np.random.Generator, sold: IntArray, catalogue: pd.DataFrame, first_month: int
) -> pd.DataFrame:
    """Executed production orders over the history, one row per order: the export columns
    plus `month` (history index of its finish month). A SKU-month's production is close to
    its sales (`sold`, [sku, region, month]), in one or two orders of 2-12 days each."""
    produced = np.round(sold.sum(axis=1) * rng.uniform(0.85, 1.15, sold.shape[::2]))
    s, t = np.nonzero(produced)
    total = produced[s, t].astype(np.int64)
    n_orders = np.minimum(1 + (rng.random(len(total)) < 0.4), total)
    cell = np.repeat(np.arange(len(total)), n_orders)
    quantity = total[cell] // n_orders[cell]
    first = np.cumsum(n_orders) - n_orders
    quantity[first] += total - quantity[first] * n_orders
    finish = rng.integers(1, days_in_month(first_month + t[cell]) + 1)
    order = np.lexsort((s[cell], finish, t[cell]))
    month, finish, sku = t[cell][order], finish[order], s[cell][order]
    sequence = np.arange(len(month)) - np.searchsorted(month, month) + 1
    prefix = np.char.add("MO", compact_labels(first_month + month))
    return pd.DataFrame(
        {
            "order_id": np.char.add(prefix, np.char.zfill(sequence.astype(str), 5)),
            "sku": catalogue["sku"].to_numpy()[sku],
            "start_date": iso_dates(first_month + month, finish - rng.integers(2, 13, len(sku))),
            "finish_date": iso_dates(first_month + month, finish),
            "quantity": quantity[order],
            "month": month,
        }
    )


def production_at(history: pd.DataFrame, drop: int) -> pd.DataFrame:
    """The `production_orders` export of drop `drop` (its history month index): the orders
    finished in its last three months."""
    recent = history["month"].between(drop - PRODUCTION_MONTHS + 1, drop)
    return history.loc[recent, history.columns.drop("month")].reset_index(drop=True)
