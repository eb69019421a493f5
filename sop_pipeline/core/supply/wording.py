"""Quantities as a planner reads them in an exception message: no false precision, and never
'0 units' for a shortage that exists."""

from __future__ import annotations


def amount(value: float) -> str:
    """Whole numbers from 100 up, one decimal from 1, two significant digits below 1."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:,.1f}".removesuffix(".0")
    return f"{value:.2g}"


def months_text(count: int) -> str:
    """'1 month', '3 months'."""
    return f"{count} month{'' if count == 1 else 's'}"
