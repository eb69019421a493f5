"""The files handed to ERP users open in spreadsheets: no cell of them runs as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from sop_pipeline.io.reports import FORMULA_LEADS, neutralise_formula, write_mps_csv

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+SUM(1+1)",
    "@SUM(1)",
    "=cmd|'/c calc'!A1",
    "-2+3",
    "\tTAB",
    "\rCR",
    "SKU-001",
]


def test_mps_csv_read_as_csv_holds_no_formula_cell(tmp_path: Path) -> None:
    mps = pd.DataFrame(
        {
            "sku": PAYLOADS,
            "month": pd.Timestamp("2026-12-01"),
            "quantity": [10.0, -5.0, 0.0, 1.5, 2.0, 3.0, 4.0, 7.25],
            "firm": [True, False] * 4,
            "status": "proposed",
        }
    )
    path = write_mps_csv(mps, tmp_path / "mps.csv")
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["sku", "period", "quantity", "firm", "status"]
    cells = [cell for row in rows[1:] for cell in row]
    formulas = [cell for cell in cells if cell.startswith(FORMULA_LEADS)]
    assert formulas == ["-5.000"], "only the negative quantity starts with a formula sign"
    by_sku = {row[0]: row for row in rows[1:]}
    assert by_sku["'=cmd|'/c calc'!A1"][2] == "1.500"
    assert by_sku["'+SUM(1+1)"][2] == "-5.000", "a negative quantity stays a number"
    assert by_sku["SKU-001"][0] == "SKU-001"
    assert len(by_sku) == len(PAYLOADS)


def test_plain_numbers_and_non_text_stay_as_they_are() -> None:
    assert neutralise_formula("-12.5") == "-12.5"
    assert neutralise_formula("+3") == "+3"
    assert neutralise_formula(-4.0) == -4.0
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("-1+cmd") == "'-1+cmd"
