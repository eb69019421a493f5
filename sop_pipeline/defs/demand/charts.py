"""What a planner sees of the forecast in the Dagster UI: charts of the largest families.

The charts are standalone SVG images (actuals, reconciled forecast, 80 % interval band) of the
largest families, embedded in markdown as base64 data URIs: Dagster's markdown metadata renders
`data:` image sources, and a data URI needs no file server. Pure string building; a family
name comes from the drop, so it is escaped for markdown and for SVG.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.defs.markdown import markdown_text

TOP_FAMILIES = 3
HISTORY_MONTHS = 24
WIDTH, HEIGHT, MARGIN = 560, 220, 44
ACTUAL, FORECAST, BAND = "#1f5f8b", "#e07b39", "#f3c9a8"


def top_families(hierarchy: pd.DataFrame, top: int = TOP_FAMILIES) -> list[str]:
    """The families with the largest forecast over the horizon, largest first."""
    families = hierarchy[hierarchy["level"] == "family"]
    totals = families.groupby("family")["forecast"].sum().sort_values(ascending=False)
    return [str(f) for f in totals.index[:top]]


def family_actuals(sales_actuals: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Monthly sold quantity per family: family, month, quantity."""
    families = items.drop_duplicates("sku").set_index("sku")["family"]
    sales = sales_actuals.assign(
        family=sales_actuals["sku"].map(families), month=month_starts(sales_actuals["month"])
    )
    return (
        sales.dropna(subset=["family"])
        .groupby(["family", "month"], as_index=False)["quantity"]
        .sum()
    )


def forecast_charts_markdown(
    sales_actuals: pd.DataFrame, items: pd.DataFrame, hierarchy: pd.DataFrame
) -> str:
    """Markdown with one chart per top family: its last two years of actuals, the reconciled
    forecast and its 80 % interval."""
    actuals = family_actuals(sales_actuals, items)
    parts = []
    for family in top_families(hierarchy):
        history = actuals[actuals["family"] == family].sort_values("month").tail(HISTORY_MONTHS)
        forecast = hierarchy[(hierarchy["level"] == "family") & (hierarchy["family"] == family)]
        svg = forecast_chart_svg(history, forecast.sort_values("month"), family)
        encoded = base64.b64encode(svg.encode()).decode()
        name = markdown_text(family)
        parts.append(f"**{name}**\n\n![{name}](data:image/svg+xml;base64,{encoded})")
    return "\n\n".join(parts) if parts else "no family forecast this cycle"


def forecast_chart_svg(history: pd.DataFrame, forecast: pd.DataFrame, title: str) -> str:
    """One standalone SVG: actuals (history: month, quantity) as a line, the forecast (month,
    forecast, lo_80, hi_80) as a line over its shaded 80 % band."""
    months = sorted(set(history["month"]) | set(forecast["month"]))
    high = max([*history["quantity"], *forecast["hi_80"], 1.0])
    step = (WIDTH - 2 * MARGIN) / max(len(months) - 1, 1)

    def x(month: pd.Timestamp) -> float:
        return MARGIN + months.index(month) * step

    def y(value: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * float(value) / high

    upper = [
        f"{x(m):.1f},{y(v):.1f}" for m, v in zip(forecast["month"], forecast["hi_80"], strict=True)
    ]
    lower = [
        f"{x(m):.1f},{y(v):.1f}" for m, v in zip(forecast["month"], forecast["lo_80"], strict=True)
    ]
    band = f'<polygon points="{" ".join(upper + lower[::-1])}" fill="{BAND}"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
        f"{band if upper else ''}"
        f"{_polyline(history['month'], history['quantity'], x, y, ACTUAL)}"
        f"{_polyline(forecast['month'], forecast['forecast'], x, y, FORECAST)}"
        f'<text x="{MARGIN}" y="16" font-weight="bold">{escape(title)}</text>'
        f'<text x="{MARGIN}" y="{HEIGHT - 26}">{_label(months[0]) if months else ""}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 26}" text-anchor="end">'
        f"{_label(months[-1]) if months else ''}</text>"
        f'<text x="{MARGIN - 4}" y="{MARGIN}" text-anchor="end">{high:,.0f}</text>'
        f'<text x="{MARGIN - 4}" y="{HEIGHT - MARGIN}" text-anchor="end">0</text>'
        f'<text x="{MARGIN}" y="{HEIGHT - 8}" fill="{ACTUAL}">— actual</text>'
        f'<text x="{MARGIN + 80}" y="{HEIGHT - 8}" fill="{FORECAST}">— forecast</text>'
        f'<text x="{MARGIN + 170}" y="{HEIGHT - 8}" fill="#b0703c">▮ 80 % interval</text>'
        "</svg>"
    )


def _polyline(
    months: pd.Series,
    values: pd.Series,
    x: Callable[[pd.Timestamp], float],
    y: Callable[[float], float],
    colour: str,
) -> str:
    points = " ".join(_points(months, values, x, y))
    if not points:
        return ""
    return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'


def _points(
    months: pd.Series,
    values: pd.Series,
    x: Callable[[pd.Timestamp], float],
    y: Callable[[float], float],
) -> list[str]:
    return [f"{x(m):.1f},{y(v):.1f}" for m, v in zip(months, values, strict=True)]


def _label(month: pd.Timestamp) -> str:
    return f"{pd.Timestamp(month):%Y-%m}"
