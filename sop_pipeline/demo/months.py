"""Months as integer ordinals over numpy arrays: the demo's vectorised form of `core.calendar`.

An ordinal is `calendar.month_ordinal`, months since 1970-01, the count numpy `datetime64[M]`
uses, so month arithmetic over whole arrays of the simulated company is integer arithmetic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sop_pipeline.core import calendar

IntArray = npt.NDArray[np.int64]
TextArray = npt.NDArray[np.str_]


def month_ordinal(text: str) -> int:
    """The ordinal of a month written `YYYY-MM` (or any date inside it)."""
    try:
        return calendar.month_ordinal(calendar.month_start(text))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month: {text!r} (expected YYYY-MM)") from exc


def month_labels(ordinals: npt.ArrayLike) -> TextArray:
    """`YYYY-MM` of each month ordinal."""
    return np.datetime_as_string(np.asarray(ordinals, dtype=np.int64).astype("datetime64[M]"))


def iso_dates(ordinals: npt.ArrayLike, day: npt.ArrayLike) -> TextArray:
    """`YYYY-MM-DD` of day-of-month `day` (1-based; may run past the month end) in each month."""
    starts = np.asarray(ordinals, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]")
    days = (np.asarray(day, dtype=np.int64) - 1).astype("timedelta64[D]")
    return np.datetime_as_string(starts + days)


def month_ends(ordinals: npt.ArrayLike) -> TextArray:
    """`YYYY-MM-DD` of the last day of each month."""
    return iso_dates(np.asarray(ordinals, dtype=np.int64) + 1, 0)


def days_in_month(ordinals: npt.ArrayLike) -> IntArray:
    """Number of days of each month."""
    months = np.asarray(ordinals, dtype=np.int64).astype("datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)


def calendar_month(ordinals: npt.ArrayLike) -> IntArray:
    """1 (January) to 12 (December) of each month ordinal."""
    return np.asarray(ordinals, dtype=np.int64) % 12 + 1


def compact_labels(ordinals: npt.ArrayLike) -> TextArray:
    """`YYMM` of each month ordinal, as ERP document numbers carry it."""
    months = np.asarray(ordinals, dtype=np.int64)
    code = (1970 + months // 12) % 100 * 100 + months % 12 + 1
    return np.char.zfill(code.astype(str), 4)
