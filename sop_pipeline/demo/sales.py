"""The demo company's ERP shipment lines: the lines of each month's shipments with a stable
line_id, the late corrections later drops re-export, and the `sales_history` file of a drop
(full history or last month plus corrections), with the poisoned lines real exports have."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.demo.catalogue import REGIONS
from sop_pipeline.demo.demand import FloatArray
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


def month_lines(
    rng: np.random.Generator,
    shipped: FloatArray,
    catalogue: pd.DataFrame,
    customers: pd.DataFrame,
    month: int,
) -> pd.DataFrame:
    """The shipment lines of month ordinal `month` from its shipments per [sku, region]: the
    export columns with the true quantity, plus `booked` (the quantity the line is first
    exported with) and `corrected_in` (month ordinal whose drop re-exports it, -1 if none).
    A few lines a month are booked wrong at first and corrected one or two drops later, so
    the latest version of every line is what was shipped."""
    lines = shipment_lines(rng, shipped.astype(np.int64)[:, :, None], catalogue, customers, month)
    count = min(len(lines), max(2, len(lines) // 300))
    row = np.sort(rng.choice(len(lines), count, replace=False))
    true = lines["quantity"].to_numpy()
    booked = true.copy()
    wrong = np.round(true[row] * rng.choice(CORRECTION_FACTORS, count)).astype(np.int64)
    booked[row] = np.where(wrong == true[row], true[row] + 1, wrong)
    corrected_in = np.full(len(lines), -1)
    corrected_in[row] = month + 1 + (rng.random(count) < 0.5)
    return lines.drop(columns="month").assign(booked=booked, corrected_in=corrected_in)


def sales_drop(lines: dict[int, pd.DataFrame], month: int, full: bool) -> pd.DataFrame:
    """The clean lines of the `sales_history` file of the drop exporting month ordinal
    `month` (`lines` by month): every line up to that month in its latest version when
    `full`, else that month's lines plus the late corrections this drop carries."""
    if full:
        exported = pd.concat([_as_of(lines[m], month) for m in sorted(lines) if m <= month])
        return exported[EXPORT_COLUMNS].reset_index(drop=True)
    earlier = [lines[m] for m in (month - 2, month - 1) if m in lines]
    corrected = [f[f["corrected_in"] == month] for f in earlier]
    exported = pd.concat([*corrected, _as_of(lines[month], month)])
    return exported[EXPORT_COLUMNS].reset_index(drop=True)


def _as_of(lines: pd.DataFrame, month: int) -> pd.DataFrame:
    """Lines as the drop of `month` shows them: corrected by then, else as first booked."""
    fixed = (lines["corrected_in"] >= 0) & (lines["corrected_in"] <= month)
    quantity = np.where(fixed, lines["quantity"], lines["booked"])
    return lines.assign(quantity=quantity, net_revenue=np.round(quantity * lines["unit_net"], 2))


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
