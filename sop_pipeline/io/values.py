"""Frame values as the warehouse drivers (DuckDB, psycopg) take them and give them back.

The drivers bind plain Python values: None for a missing value whatever the column's type,
`datetime.date` for dates, no numpy scalars or pandas NA.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def driver_rows(frame: pd.DataFrame, cycle: pd.Timestamp, columns: dict[str, str]) -> pd.DataFrame:
    """The frame in table column order, `cycle` set, values as the drivers take them."""
    out = pd.DataFrame(index=frame.index)
    for name, kind in columns.items():
        values = pd.Series(cycle, index=frame.index) if name == "cycle" else frame.get(name)
        if values is None:
            values = pd.Series(None, index=frame.index, dtype=object)
        out[name] = driver_values(values, kind)
    return out.reset_index(drop=True)


def driver_values(values: pd.Series, kind: str) -> pd.Series:
    """Values of one column as the drivers bind them: dates, floats, ints, bools or text, None
    for a missing value."""
    if kind == "date":
        dates = pd.to_datetime(values)
        return pd.Series([d.date() if pd.notna(d) else None for d in dates], dtype=object)
    if kind == "float":
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        return numbers.astype(object).where(numbers.notna(), None)
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        return pd.Series([int(v) if pd.notna(v) else None for v in numbers], dtype=object)
    if kind == "bool":
        return values.map(lambda v: None if pd.isna(v) else bool(v)).astype(object)
    return values.map(
        lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    ).astype(object)


def dates_as_timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read back with its date columns as Timestamps: the drivers return DATE columns
    as `datetime.date` objects."""
    for name in frame.columns:
        if frame[name].dtype == object and frame[name].map(_is_date).any():
            frame[name] = pd.to_datetime(frame[name])
    return frame


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date)


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """No rows, with `columns` (name -> portable type) typed as a read would type them."""
    return pd.DataFrame({name: pd.Series(dtype=_dtype(kind)) for name, kind in columns.items()})


def _dtype(kind: str) -> str:
    return {"float": "float64", "int": "Int64", "date": "datetime64[ns]", "bool": "boolean"}.get(
        kind, "object"
    )
