"""Months, the planning calendar's one unit: the first day of a month stands for the month.

Every step and every report uses these helpers, so a month is normalised, counted and labelled
the same way everywhere. A cycle is a month too: cycle 2026-11 is `Timestamp("2026-11-01")`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


def month_start(value: object) -> pd.Timestamp:
    """A date, Timestamp or 'YYYY-MM' text as the first day of its month."""
    return pd.Timestamp(value).to_period("M").to_timestamp()  # type: ignore[arg-type]


def month_starts(values: pd.Series | pd.Index) -> pd.Series:
    """Dates, Timestamps or 'YYYY-MM' text as the first day of their month (NaT when empty)."""
    series = pd.Series(values) if isinstance(values, pd.Index) else values
    return pd.to_datetime(series, errors="coerce").dt.to_period("M").dt.to_timestamp()


def add_months(month: pd.Timestamp, months: int) -> pd.Timestamp:
    """The month `months` after `month` (before it when negative)."""
    return pd.Timestamp(month) + pd.DateOffset(months=months)


def shift_months(months: pd.Series, steps: npt.ArrayLike) -> pd.Series:
    """`add_months` element-wise: each month of a datetime Series moved by its own step."""
    return (months.dt.to_period("M") + np.asarray(steps)).dt.to_timestamp()


def months_from(first: pd.Timestamp, count: int) -> pd.DatetimeIndex:
    """`count` consecutive months from the month `first` (a horizon)."""
    return pd.date_range(month_start(first), periods=count, freq="MS")


def months_through(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every month from `first` through `last` (empty when `last` is earlier)."""
    return pd.date_range(month_start(first), month_start(last), freq="MS")


def previous_cycle(cycle: pd.Timestamp) -> pd.Timestamp:
    """The cycle one month before `cycle`."""
    return add_months(cycle, -1)


def months_between(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Whole months from `first` to `last`: 0 in the same month, negative when `last` is earlier."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    return (last.year - first.year) * 12 + last.month - first.month


def months_between_series(first: pd.Series, last: pd.Series | pd.Timestamp) -> pd.Series:
    """`months_between` element-wise: both sides datetime Series (or `last` one Timestamp)."""
    if isinstance(last, pd.Timestamp):
        return (last.year - first.dt.year) * 12 + last.month - first.dt.month
    return (last.dt.year - first.dt.year) * 12 + last.dt.month - first.dt.month


def month_ordinal(month: object) -> int:
    """Months since 1970-01 (the count pandas periods and numpy `datetime64[M]` use)."""
    stamp = pd.Timestamp(month)  # type: ignore[arg-type]
    return (stamp.year - 1970) * 12 + stamp.month - 1


def month_ordinals(months: pd.Series) -> pd.Series:
    """`month_ordinal` of each month of a datetime Series."""
    return (months.dt.year - 1970) * 12 + months.dt.month - 1


def month_key(month: object) -> str:
    """A month as files, ERP and folder names write it: '2026-11'."""
    return f"{pd.Timestamp(month):%Y-%m}"  # type: ignore[arg-type]


def month_keys(months: pd.Series) -> pd.Series:
    """`month_key` of each date of a Series ('2026-11')."""
    return pd.to_datetime(months).dt.strftime("%Y-%m")


def month_label(month: object) -> str:
    """A month as the meeting pack shows it: 'Nov 26' ('' when there is no month)."""
    if month is None or month is pd.NaT or (isinstance(month, float) and pd.isna(month)):
        return ""
    return f"{pd.Timestamp(month):%b %y}"  # type: ignore[arg-type]
