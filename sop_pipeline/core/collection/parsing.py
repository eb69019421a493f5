"""Typing a raw export by its contract: text to numbers and dates, defaults for absent columns.

A cell that cannot be typed (a quantity of 'twelve', a date of '31/02/2026x') is a *parse
problem*: its row is quarantined with the rule `not_a_number` / `not_a_date` / `not_an_integer`,
and the row's other values never reach the warehouse. Dates are ISO 8601 (YYYY-MM-DD, or
YYYY-MM for months); month columns are moved to the first day of their month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.reading import ROW_NUMBER
from sop_pipeline.core.contracts import Column, EntityContract

PROBLEM_COLUMNS = ["row_index", "column", "rule", "value"]


def require_columns(raw: pd.DataFrame, contract: EntityContract, file_name: str) -> None:
    """Fail the cycle when the file has no rows or lacks a column the contract requires."""
    missing = [c.name for c in contract.columns if c.in_file and c.name not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if not c.startswith("__"))
        raise ExportError(
            f"{file_name}: required column(s) {', '.join(missing)} missing (found: {found})"
        )
    if contract.required and raw.empty:
        raise ExportError(f"{file_name}: the file has a header but no data rows")


def parse_frame(raw: pd.DataFrame, contract: EntityContract) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed contract columns of `raw` (same index) and one problem row per untypable cell."""
    typed = pd.DataFrame(index=raw.index)
    problems = []
    for column in contract.columns:
        text = raw[column.name] if column.name in raw.columns else _absent(raw.index)
        values, bad = _parse_column(text, column)
        typed[column.name] = values
        if bad.any():
            problems.append(
                pd.DataFrame(
                    {
                        "row_index": raw.index[bad],
                        "column": column.name,
                        "rule": _RULES[column.kind],
                        "value": text[bad].to_numpy(),
                    }
                )
            )
    typed[ROW_NUMBER] = raw[ROW_NUMBER]
    found = (
        pd.concat(problems, ignore_index=True)
        if problems
        else pd.DataFrame(columns=PROBLEM_COLUMNS)
    )
    return typed, found


_RULES = {
    "float": "not_a_number",
    "int": "not_an_integer",
    "date": "not_a_date",
    "month": "not_a_date",
    "text": "not_text",
}


def _absent(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=object)


def _parse_column(text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    """Typed values and a mask of cells that had text but could not be typed."""
    empty = text.eq("")
    if column.kind == "text":
        values = text.where(~empty, None)
    elif column.kind in ("float", "int"):
        values = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").astype(
            float
        )
        if column.kind == "int":
            values = values.where(np.isclose(values, values.round()) | values.isna(), np.nan)
    else:
        values = pd.to_datetime(text, errors="coerce", format="ISO8601")
        if column.kind == "month":
            values = month_starts(values)
        else:
            values = values.dt.normalize()
    bad = values.isna() & ~empty
    if column.default is not None:
        values = values.where(~empty, column.default)
    if column.kind == "int":
        values = values.astype("Int64")
    return values, bad
