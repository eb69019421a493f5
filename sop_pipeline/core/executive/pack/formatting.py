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


DEFAULT_CURRENCY = "EUR"


def money(value: float, currency: str = DEFAULT_CURRENCY, signed: bool = False) -> str:
    """An amount with its currency, compact: `EUR 1.23M`, `EUR -450`, `+EUR 12k` when signed."""
    if not math.isfinite(value):
        return "n/a"
    if abs(value) < 0.5:
        value = 0.0  # no "-0" for a rounding residue
    sign = "+" if signed and value > 0 else "-" if value < 0 else ""
    return f"{sign}{currency} {compact(abs(value))}"


def units(value: float, signed: bool = False) -> str:
    """A quantity of units for reading: thousands separated, no decimals (`12,345`)."""
    if not math.isfinite(value):
        return "n/a"
    rounded = round(value)
    return f"{rounded:+,d}" if signed and rounded else f"{rounded:,d}"


def percent(value: float, signed: bool = False) -> str:
    """A ratio as a percentage with one decimal (`0.123` -> `12.3 %`)."""
    if not math.isfinite(value):
        return "n/a"
    shown = round(value * 100, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{shown:+.1f} %" if signed and shown else f"{shown:.1f} %"


def format_change(value: float, previous: float, unit: str) -> str:
    """The change since the previous cycle: percentage points for ratios, percent otherwise;
    "no change" when the change shows as zero at the precision printed (never `-0.0`)."""
    if value == previous:
        return "no change"
    if unit == "ratio":
        points = round((value - previous) * 100, 1)
        return f"{points:+.1f} pp" if points else "no change"
    if previous == 0:
        return f"{'+' if value >= 0 else ''}{compact(value)} from 0"
    relative = round((value / previous - 1) * 100, 1)
    return f"{relative:+.1f} %" if relative else "no change"


def change_tone(direction: Direction, value: float, previous: float, unit: str = "") -> str:
    """'good', 'bad' or 'neutral': the colour of a change on the KPI tile, by the KPI's
    direction (a neutral KPI's change is read in context, so never coloured; a change that
    shows as zero is no news either)."""
    if unit and format_change(value, previous, unit) == "no change":
        return "neutral"
    news = int(direction) * (value - previous)
    if news > 0:
        return "good"
    return "bad" if news < 0 else "neutral"
