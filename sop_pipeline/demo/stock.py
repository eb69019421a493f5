"""The demo company's stock and orders as its systems export them from the book (world.py):
stocking policy, on hand per site, the customer order backlog and the production orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.catalogue import REGIONS
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import IntArray, compact_labels, days_in_month, iso_dates

SITES = ("WH-MAIN", "DC-SOUTH")
PRODUCTION_MONTHS = 3  # months of executed production orders each drop reports
EXPORT_COLUMNS = ["order_id", "sku", "start_date", "finish_date", "quantity", "due_date"]


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


def dc_share(rng: np.random.Generator, n_skus: int) -> FloatArray:
    """Share of each SKU's stock held at the southern DC: 20-40 % for about half the SKUs."""
    in_dc = rng.random(n_skus) < 0.5
    return np.where(in_dc, rng.uniform(0.2, 0.4, n_skus), 0.0)


def inventory_at(
    catalogue: pd.DataFrame, stock: FloatArray, at_dc: FloatArray, items: pd.DataFrame
) -> pd.DataFrame:
    """The `inventory` export of a cycle, one row per SKU and site: the book's stock at the end
    of the month before (`stock` per SKU) split between the main warehouse and the southern DC
    (`at_dc`, share per SKU; SKUs without a share have no DC row)."""
    dc = np.round(stock * at_dc)
    listed = catalogue["sku"].isin(items["sku"]).to_numpy()
    main = pd.DataFrame({"sku": catalogue["sku"], "site": SITES[0], "on_hand": stock - dc})
    south = pd.DataFrame({"sku": catalogue["sku"], "site": SITES[1], "on_hand": dc})
    return pd.concat([main[listed], south[listed & (at_dc > 0)]], ignore_index=True)


def open_orders_at(
    rng: np.random.Generator, catalogue: pd.DataFrame, backlog: FloatArray, cycle: int
) -> pd.DataFrame:
    """The `open_orders` export of a cycle, one row per backlog order line: the book's backlog
    at the end of the month before ([sku, region]), ordered in that month, one line per SKU x
    region, consecutive lines of a region often on the same order."""
    sku, region = np.nonzero(backlog > 0)
    order_by_region = np.lexsort((sku, region))
    sku, region = sku[order_by_region], region[order_by_region]
    n_lines = len(sku)
    new_order = np.r_[True, (region[1:] != region[:-1]) | (rng.random(max(n_lines - 1, 0)) >= 0.65)]
    order = np.cumsum(new_order)[:n_lines]
    line = np.arange(n_lines) - np.searchsorted(order, order) + 1
    day = rng.integers(1, days_in_month(cycle - 1) + 1, n_lines)
    label = compact_labels(cycle)
    return pd.DataFrame(
        {
            "order_id": [f"SO{label}{k:05d}" for k in order],
            "line": (line * 10).astype(str),
            "sku": catalogue["sku"].to_numpy()[sku],
            "region": np.array(REGIONS)[region],
            "requested_date": iso_dates(np.full(n_lines, cycle - 1), day),
            "quantity": backlog[sku, region],
        }
    )


def month_orders(
    rng: np.random.Generator, made: FloatArray, lead: IntArray, catalogue: pd.DataFrame, month: int
) -> pd.DataFrame:
    """The production orders started in month ordinal `month` (`made` units per SKU), one or
    two per SKU, finishing `lead` months later (days apart within the month for lead time 0):
    the export columns, `due_date` the planned finish, plus `finish_month` (ordinal)."""
    s = np.flatnonzero(made > 0)
    if len(s) == 0:
        return pd.DataFrame(columns=[*EXPORT_COLUMNS, "finish_month"])
    total = made[s].astype(np.int64)
    n_orders = np.minimum(1 + (rng.random(len(s)) < 0.4), total)
    cell = np.repeat(np.arange(len(s)), n_orders)
    first = np.cumsum(n_orders) - n_orders
    quantity = total[cell] // n_orders[cell]
    quantity[first] += total - quantity[first] * n_orders
    sku = s[cell]
    days = int(days_in_month(month))
    start = rng.integers(1, days - 8, len(sku))
    finish_month = month + lead[sku]
    same_month = start + rng.integers(2, 9, len(sku))
    later = rng.integers(1, days_in_month(finish_month) + 1)
    finish = np.where(lead[sku] == 0, same_month, later)
    finish_date = iso_dates(finish_month, finish)
    return pd.DataFrame(
        {
            "order_id": np.char.add(
                np.char.add("MO", compact_labels(np.full(len(sku), month))),
                np.char.zfill((np.arange(len(sku)) + 1).astype(str), 5),
            ),
            "sku": catalogue["sku"].to_numpy()[sku],
            "start_date": iso_dates(np.full(len(sku), month), start),
            "finish_date": finish_date,
            "quantity": quantity,
            "due_date": finish_date,
            "finish_month": finish_month,
        }
    )


def production_at(orders: dict[int, pd.DataFrame], cycle: int) -> pd.DataFrame:
    """The `production_orders` export of a cycle (`orders` by start month): the orders
    finished in the last three months, and the open ones (started, arriving from the cycle
    month on: no finish date yet, due at their planned finish)."""
    started = [orders[m] for m in sorted(orders) if m < cycle]
    if not started:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    every = pd.concat(started, ignore_index=True)
    finish = every["finish_month"]
    shown = every[finish.between(cycle - PRODUCTION_MONTHS, cycle - 1) | (finish >= cycle)]
    shown = shown.assign(finish_date=shown["finish_date"].where(shown["finish_month"] < cycle, ""))
    return shown[EXPORT_COLUMNS].reset_index(drop=True)
