"""The demo company's ERP shipment lines: every line of the sales history with a stable
line_id, the late corrections later drops re-export, and the `sales_history` file of a drop
(full history or last month plus corrections), with the poisoned lines real exports have."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.demo.catalogue import REGIONS
from sop_pipeline.demo.months import IntArray, compact_labels, days_in_month, iso_dates

# the demo ERP books no returns, so its export has no document_type column
EXPORT_COLUMNS = [c for c in CONTRACTS["sales_history"].column_names if c != "document_type"]
CORRECTION_FACTORS = np.array([0.5, 0.8, 0.9, 1.1, 1.25])
UNKNOWN_SKU = "XX-9999"


def shipment_lines(
    rng: np.random.Generator,
    sold: IntArray,
    catalogue: pd.DataFrame,
    customers: pd.DataFrame,
    first_month: int,
) -> pd.DataFrame:
    """Every shipment line of the history in its original version, one row per ERP line, in
    shipping order: the export columns plus `month` (index of its month in `sold`) and
    `unit_net` (net price per unit). The units of a SKU x region x month (`sold`, indexed
    [sku, region, month]) go to a few of the region's customers, one line each."""
    sku_row, month, customer, quantity = _lines_of_cells(rng, sold, customers)
    day = rng.integers(1, days_in_month(first_month + month) + 1)
    order = np.lexsort((customer, sku_row, day, month))
    sku_row, month, customer, quantity, day = (
        a[order] for a in (sku_row, month, customer, quantity, day)
    )
    unit_net = catalogue["unit_price"].to_numpy()[sku_row] * (
        1.0 - customers["discount"].to_numpy()[customer]
    )
    return pd.DataFrame(
        {
            "line_id": _line_ids(month, first_month),
            "ship_date": iso_dates(first_month + month, day),
            "sku": catalogue["sku"].to_numpy()[sku_row],
            "customer_id": customers["customer_id"].to_numpy()[customer],
            "region": customers["region"].to_numpy()[customer],
            "quantity": quantity,
            "net_revenue": np.round(quantity * unit_net, 2),
            "month": month,
            "unit_net": unit_net,
        }
    )


def _lines_of_cells(
    rng: np.random.Generator, sold: IntArray, customers: pd.DataFrame
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Sku row, month, customer row and quantity of each line: the units of a SKU x region x
    month split over one to a few different customers of the region."""
    s, r, t = np.nonzero(sold)
    units = sold[s, r, t]
    per_region = customers["region"].value_counts().reindex(REGIONS).to_numpy()
    region_start = np.cumsum(per_region) - per_region  # customers are listed region by region
    n_lines = np.minimum(np.minimum(1 + rng.poisson(1.2, len(units)), per_region[r]), units)
    cell = np.repeat(np.arange(len(units)), n_lines)
    first = np.cumsum(n_lines) - n_lines
    quantity = _split(rng, units, cell, first)
    # consecutive customers from a random one: the lines of a cell go to different customers
    offset = rng.integers(0, per_region[r])[cell] + np.arange(len(cell)) - first[cell]
    customer = region_start[r[cell]] + offset % per_region[r[cell]]
    keep = quantity > 0
    return s[cell][keep], t[cell][keep], customer[keep], quantity[keep]


def _split(rng: np.random.Generator, units: IntArray, cell: IntArray, first: IntArray) -> IntArray:
    """Units of each cell split at random over its lines (whole units, same total)."""
    weight = rng.gamma(2.0, 1.0, len(cell))
    share = weight / np.bincount(cell, weight)[cell]
    quantity = np.floor(units[cell] * share).astype(np.int64)
    quantity[first] += units - np.bincount(cell, quantity, minlength=len(units)).astype(np.int64)
    return quantity


def _line_ids(month: IntArray, first_month: int) -> np.ndarray:
    """`DL<YYMM><sequence in the month>`: stable, so a re-export names the same line."""
    month_first_row = np.searchsorted(month, month)
    sequence = np.arange(len(month)) - month_first_row + 1
    prefix = np.char.add("DL", compact_labels(first_month + month))
    return np.char.add(prefix, np.char.zfill(sequence.astype(str), 6))


def late_corrections(rng: np.random.Generator, lines: pd.DataFrame, n_months: int) -> pd.DataFrame:
    """Late corrections, one row per re-exported line version: `drop` (the history month whose
    drop carries it), `row` (the line's row in `lines`), new `quantity` and `net_revenue`.
    Each drop corrects a few lines of the two months before its own, none corrected before."""
    month_start = np.searchsorted(lines["month"].to_numpy(), np.arange(n_months + 1))
    drops, rows = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for drop in range(1, n_months):
        candidates = np.setdiff1d(
            np.arange(month_start[max(drop - 2, 0)], month_start[drop]), rows[-1]
        )
        count = min(len(candidates), max(2, len(candidates) // 300))
        drops.append(np.full(count, drop))
        rows.append(np.sort(rng.choice(candidates, count, replace=False)))
    row = np.concatenate(rows)
    old = lines["quantity"].to_numpy()[row]
    new = np.round(old * rng.choice(CORRECTION_FACTORS, len(row))).astype(np.int64)
    new = np.where(new == old, old + 1, new)
    return pd.DataFrame(
        {
            "drop": np.concatenate(drops),
            "row": row,
            "quantity": new,
            "net_revenue": np.round(new * lines["unit_net"].to_numpy()[row], 2),
        }
    )


def sales_drop(
    lines: pd.DataFrame, corrections: pd.DataFrame, drop: int, full: bool
) -> pd.DataFrame:
    """The clean lines of the `sales_history` file of drop `drop` (its history month index):
    every line up to that month in its latest version when `full`, else that month's lines
    plus the late corrections this drop carries."""
    if full:
        exported = lines[lines["month"] <= drop].copy()
        latest = corrections[corrections["drop"] <= drop].drop_duplicates("row", keep="last")
        columns = ["quantity", "net_revenue"]
        exported.loc[exported.index[latest["row"]], columns] = latest[columns].to_numpy()
        return exported[EXPORT_COLUMNS].reset_index(drop=True)
    own = corrections[corrections["drop"] == drop]
    corrected = lines.iloc[own["row"]].assign(
        quantity=own["quantity"].to_numpy(), net_revenue=own["net_revenue"].to_numpy()
    )
    exported = pd.concat([corrected, lines[lines["month"] == drop]])
    return exported[EXPORT_COLUMNS].reset_index(drop=True)


def poisoned_lines(catalogue: pd.DataFrame, customers: pd.DataFrame, month: int) -> pd.DataFrame:
    """Four lines that ERP exports do contain now and then, each breaking one input rule:
    a negative quantity, an unknown SKU, an impossible ship date, a quantity written with a
    decimal comma and a unit. Validation must quarantine exactly these."""
    product = catalogue[catalogue["kind"] == "regular"].iloc[0]
    customer = customers.iloc[0]
    price = float(product["unit_price"])
    label = compact_labels(month)
    dates = iso_dates(np.full(4, month), [5, 12, 19, 26])
    year = str(dates[0])[:4]
    rows = [
        ("900001", dates[0], product["sku"], "-4", f"{-4 * price:.2f}"),
        ("900002", dates[1], UNKNOWN_SKU, "3", f"{3 * price:.2f}"),
        ("900003", f"{year}-13-45", product["sku"], "2", f"{2 * price:.2f}"),
        ("900004", dates[3], product["sku"], "12,5 pcs", f"{12.5 * price:.2f}"),
    ]
    return pd.DataFrame(
        [
            (f"DL{label}{n}", d, sku, customer["customer_id"], customer["region"], q, revenue)
            for n, d, sku, q, revenue in rows
        ],
        columns=EXPORT_COLUMNS,
    )
