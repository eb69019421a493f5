"""How figures read in the meeting pack and the CLI summary: compact numbers, percentages and
changes. KPI names, units and directions come from the KPI definitions."""

from __future__ import annotations

import math

from sop_pipeline.core.executive.kpi import Direction

UNIT_SUFFIX = {"days": " d", "months": " mo", "hours": " h", "turns": "\u00d7", "units": ""}


def compact(value: float) -> str:
    """A number in at most four significant characters and a k/M/B suffix: 1234567 -> 1.23M."""
    if not math.isfinite(value):
        return "n/a"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2g}"


def nice_step(span: float, steps: int = 4) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) covering `span` in `steps`."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)


def format_value(value: float, unit: str) -> str:
    """A KPI value as shown on a tile: ratios in percent, others compact with a unit suffix."""
    if not math.isfinite(value):
        return "n/a"
    if unit == "ratio":
        return f"{value * 100:.1f} %"
    if unit in ("days", "turns", "months"):
        return f"{value:.1f}{UNIT_SUFFIX[unit]}"
    return compact(value) + UNIT_SUFFIX.get(unit, "")


def format_change(value: float, previous: float, unit: str) -> str:
    """The change since the previous cycle: percentage points for ratios, percent otherwise."""
    if value == previous:
        return "no change"
    if unit == "ratio":
        return f"{(value - previous) * 100:+.1f} pp"
    if previous == 0:
        return f"{'+' if value >= 0 else ''}{compact(value)} from 0"
    return f"{(value / previous - 1) * 100:+.1f} %"


def change_tone(direction: Direction, value: float, previous: float) -> str:
    """'good', 'bad' or 'neutral': the colour of a change on the KPI tile, by the KPI's
    direction (a neutral KPI's change is read in context, so never coloured)."""
    news = int(direction) * (value - previous)
    if news > 0:
        return "good"
    return "bad" if news < 0 else "neutral"
