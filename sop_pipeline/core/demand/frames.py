"""Small helpers shared by the demand-plan layers: keys and blank cells (months: `calendar`)."""

from __future__ import annotations

import pandas as pd

KEYS = ["sku", "region", "month"]


def text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column stripped, '' for empty cells or when the file has no such column."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), "")
    return values.astype(str).str.strip()


def number(frame: pd.DataFrame, column: str) -> pd.Series:
    """A numeric column, NaN for empty cells or when the file has no such column."""
    if column not in frame:
        return pd.Series(float("nan"), index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def empty_rows(*values: str) -> pd.DataFrame:
    """No rows, with the plan keys and float `values` columns, typed for merging."""
    return pd.DataFrame(
        {
            "sku": pd.Series(dtype=object),
            "region": pd.Series(dtype=object),
            "month": pd.Series(dtype="datetime64[ns]"),
            **{name: pd.Series(dtype=float) for name in values},
        }
    )
