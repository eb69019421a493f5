"""Typing a raw export by its contract: text to numbers and dates, defaults for absent columns.

A cell that cannot be typed (a quantity of 'twelve', a date of '31/02/2026x') is a *parse
problem*: its row is quarantined with the rule `not_a_number` / `not_a_date` / `not_an_integer`,
and the row's other values never reach the warehouse. Numbers follow the file's separators
(`numbers.py`: `ambiguous_number`, `not_finite`, `implausible_value`). Dates are ISO 8601
(YYYY-MM-DD, or YYYY-MM for months) unless the mapping sets `date_format`; a timestamp with a
time zone counts as the date written; in an XLSX, a date cell and a date stored as an Excel
serial number (45991 = 2025-11-30) are dates whatever the format; a date more than 15 years
before or after the cycle is `implausible_date` (per column in the contract). Month columns are
moved to the first day of their month.
A contract's `returns` column reads `return` for the values the mapping's `return_types` lists.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.mapping import NO_MAPPING, EntityMapping
from sop_pipeline.core.collection.numbers import detect_decimal, parse_numbers
from sop_pipeline.core.collection.reading import ROW_NUMBER
from sop_pipeline.core.contracts import Column, EntityContract
from sop_pipeline.core.contracts.model import RETURN

PROBLEM_COLUMNS = ["row_index", "column", "rule", "value"]
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 is 1900-01-01 (Lotus' 1900 leap day kept)
EXCEL_SERIAL = r"^\d{1,7}(\.\d+)?$"
LAST_SERIAL = 2958465  # 9999-12-31
XLSX_DATE_CELL = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"  # how pandas writes a date cell as text
TIME_ZONE = (
    r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
)


def require_columns(
    raw: pd.DataFrame, contract: EntityContract, file_name: str, malformed: int = 0
) -> None:
    """Fail the cycle when the file has no rows (well-formed or `malformed`) or lacks a column
    the contract requires."""
    missing = [c.name for c in contract.columns if c.in_file and c.name not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if not c.startswith("__"))
        raise ExportError(
            f"{file_name}: required column(s) {', '.join(missing)} missing (found: {found})"
        )
    if contract.required and raw.empty and not malformed:
        raise ExportError(f"{file_name}: the file has a header but no data rows")


def file_decimal(raw: pd.DataFrame, contract: EntityContract, mapping: EntityMapping) -> str | None:
    """The decimal separator of the file: the mapping's, else detected from its numeric cells."""
    if mapping.decimal is not None:
        return mapping.decimal
    numeric = [c.name for c in contract.columns if c.kind in ("float", "int") and c.name in raw]
    cells = pd.concat([raw[name] for name in numeric]) if numeric else pd.Series(dtype=str)
    return detect_decimal(cells.astype(str))


def parse_frame(
    raw: pd.DataFrame,
    contract: EntityContract,
    mapping: EntityMapping = NO_MAPPING,
    cycle: pd.Timestamp | None = None,
    xlsx: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed contract columns of `raw` (same index) and one problem row per untypable cell.
    `xlsx`: the rows come from a workbook, whose date cells may hold Excel serial numbers."""
    typed = pd.DataFrame(index=raw.index)
    problems = []
    decimal = file_decimal(raw, contract, mapping)
    for column in contract.columns:
        text = raw[column.name] if column.name in raw.columns else _absent(raw.index)
        if column.name == contract.returns:
            text = _return_marked(text, mapping)
        values, rules = _parse_column(text, column, decimal, mapping, cycle, xlsx)
        typed[column.name] = values
        bad = rules.ne("")
        if bad.any():
            problems.append(
                pd.DataFrame(
                    {
                        "row_index": raw.index[bad],
                        "column": column.name,
                        "rule": rules[bad].to_numpy(),
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


def _absent(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=object)


def _return_marked(text: pd.Series, mapping: EntityMapping) -> pd.Series:
    """The column with `return` for every value that marks a return (case-insensitive)."""
    markers = {RETURN, *(str(value).strip().lower() for value in mapping.return_types)}
    return text.where(~text.str.lower().isin(markers), RETURN)


def _parse_column(
    text: pd.Series,
    column: Column,
    decimal: str | None,
    mapping: EntityMapping,
    cycle: pd.Timestamp | None,
    xlsx: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Typed values and the rule each cell breaks ('' when it was typed or is empty)."""
    empty = text.eq("")
    rules = pd.Series("", index=text.index, dtype=object)
    if column.kind == "text":
        values = text.where(~empty, None)
    elif column.kind in ("float", "int"):
        values, rules = parse_numbers(text, decimal, mapping.thousands, column.plausible_max)
        if column.kind == "int":
            whole = np.isclose(values, values.round()) | values.isna()
            rules = rules.where(whole, "not_an_integer")
            rules[rules.eq("not_a_number")] = "not_an_integer"
            values = values.where(whole, np.nan)
    else:
        values = _parse_dates(text, mapping, xlsx)
        rules[values.isna() & ~empty] = "not_a_date"
        if cycle is not None:
            implausible = _implausible_dates(values, column, cycle)
            rules[implausible] = "implausible_date"
            values = values.where(~implausible)
        values = month_starts(values) if column.kind == "month" else values.dt.normalize()
    if column.default is not None:
        values = values.where(~empty, column.default)
    if column.kind == "int":
        values = values.astype("Int64")
    return values, rules


def _implausible_dates(values: pd.Series, column: Column, cycle: pd.Timestamp) -> pd.Series:
    """The dates further before or after the cycle than the column's plausible years (typos:
    1900, 2106 for 2016)."""
    implausible = pd.Series(False, index=values.index)
    if column.plausible_years:
        implausible |= values.lt(cycle - pd.DateOffset(years=column.plausible_years))
    if column.plausible_future_years:
        implausible |= values.gt(cycle + pd.DateOffset(years=column.plausible_future_years))
    return implausible


def _parse_dates(text: pd.Series, mapping: EntityMapping, xlsx: bool = False) -> pd.Series:
    if mapping.strftime is not None:
        values = pd.to_datetime(text, errors="coerce", format=mapping.strftime)
    else:
        local = text.str.replace(TIME_ZONE, r"\1", regex=True)
        values = pd.to_datetime(local, errors="coerce", format="ISO8601")
    if xlsx:
        # a workbook's date cells are dates, not text in the export's date format
        cells = text.str.match(XLSX_DATE_CELL)
        values = values.where(~cells, pd.to_datetime(text.where(cells), errors="coerce"))
        values = values.where(values.notna(), _excel_serials(text))
    return values


def _excel_serials(text: pd.Series) -> pd.Series:
    """The dates of cells holding Excel serial numbers (the time of day dropped), else NaT."""
    serial = pd.to_numeric(text.where(text.str.match(EXCEL_SERIAL)), errors="coerce")
    serial = serial.where(serial.between(1, LAST_SERIAL))
    return EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")
