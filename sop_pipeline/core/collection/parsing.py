"""Typing a raw export by its contract: text to numbers and dates, defaults for absent columns.

A cell that cannot be typed (a quantity of 'twelve', a date of '31/02/2026x') is a *parse
problem*: its row is quarantined with the rule `not_a_number` / `not_a_date` / `not_an_integer`,
and the row's other values never reach the warehouse. Numbers follow the file's separators
(`numbers.py`: `ambiguous_number`, `not_finite`, `implausible_value`). Dates are ISO 8601
(YYYY-MM-DD, or YYYY-MM for months) unless the mapping sets `date_format`; a timestamp with a
time zone counts as the date written; a date more than 15 years before the cycle is
`implausible_date`. Month columns are moved to the first day of their month.
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

PROBLEM_COLUMNS = ["row_index", "column", "rule", "value"]
PLAUSIBLE_YEARS = 15  # history older than this before the cycle is a typo (1900, 2106 -> 2016)
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
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed contract columns of `raw` (same index) and one problem row per untypable cell."""
    typed = pd.DataFrame(index=raw.index)
    problems = []
    decimal = file_decimal(raw, contract, mapping)
    for column in contract.columns:
        text = raw[column.name] if column.name in raw.columns else _absent(raw.index)
        values, rules = _parse_column(text, column, decimal, mapping, cycle)
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


def _parse_column(
    text: pd.Series,
    column: Column,
    decimal: str | None,
    mapping: EntityMapping,
    cycle: pd.Timestamp | None,
) -> tuple[pd.Series, pd.Series]:
    """Typed values and the rule each cell breaks ('' when it was typed or is empty)."""
    empty = text.eq("")
    rules = pd.Series("", index=text.index, dtype=object)
    if column.kind == "text":
        values = text.where(~empty, None)
    elif column.kind in ("float", "int"):
        values, rules = parse_numbers(text, decimal, mapping.thousands)
        if column.kind == "int":
            whole = np.isclose(values, values.round()) | values.isna()
            rules = rules.where(whole, "not_an_integer")
            rules[rules.eq("not_a_number")] = "not_an_integer"
            values = values.where(whole, np.nan)
    else:
        values = _parse_dates(text, mapping)
        rules[values.isna() & ~empty] = "not_a_date"
        if cycle is not None and column.plausible_years:
            oldest = cycle - pd.DateOffset(years=column.plausible_years)
            rules[values.lt(oldest)] = "implausible_date"
            values = values.where(values.ge(oldest) | values.isna())
        values = month_starts(values) if column.kind == "month" else values.dt.normalize()
    if column.default is not None:
        values = values.where(~empty, column.default)
    if column.kind == "int":
        values = values.astype("Int64")
    return values, rules


def _parse_dates(text: pd.Series, mapping: EntityMapping) -> pd.Series:
    if mapping.strftime is not None:
        return pd.to_datetime(text, errors="coerce", format=mapping.strftime)
    local = text.str.replace(TIME_ZONE, r"\1", regex=True)
    return pd.to_datetime(local, errors="coerce", format="ISO8601")
