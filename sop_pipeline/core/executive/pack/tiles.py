"""The KPI tiles of the meeting pack: baseline, total-scope KPIs with their change since the
previous cycle."""

from __future__ import annotations

from html import escape

import pandas as pd

from sop_pipeline.core.executive.kpi import kpi_definition, kpi_summary
from sop_pipeline.core.executive.pack.formatting import change_tone, format_change, format_value
from sop_pipeline.core.executive.pack.page import no_data, note, section


def headline(kpi: pd.DataFrame | None) -> pd.DataFrame:
    """The baseline, total-scope KPI rows (kpi, value, unit), in table order."""
    if kpi is None or kpi.empty:
        return pd.DataFrame(columns=["kpi", "value", "unit"])
    return kpi_summary(kpi)


def kpi_section(kpi: pd.DataFrame, previous_kpi: pd.DataFrame | None) -> str:
    """Section `kpis`: one tile per headline KPI, labelled, formatted and coloured as its
    definition says."""
    current = headline(kpi)
    if current.empty:
        return section("kpis", "Key figures", no_data("no KPI could be computed for this cycle"))
    prior = headline(previous_kpi)
    previous = dict(zip(prior["kpi"], prior["value"], strict=True))
    tiles = [
        _tile(str(k), float(v), previous.get(k))
        for k, v in zip(current["kpi"], current["value"], strict=True)
    ]
    caption = (
        "Baseline plan; change against the previous cycle."
        if previous_kpi is not None
        else "Baseline plan; first cycle on record, so no change is shown."
    )
    return section(
        "kpis", "Key figures", note(caption), f'<div class="tiles">{"".join(tiles)}</div>'
    )


def _tile(name: str, value: float, previous: float | None) -> str:
    kpi = kpi_definition(name)
    change = ""
    if previous is not None and pd.notna(previous):
        tone = change_tone(kpi.direction, value, float(previous), kpi.unit)
        shown = format_change(value, float(previous), kpi.unit)
        arrow = "\u25c6" if shown == "no change" else "\u25b2" if value > previous else "\u25bc"
        text = f"{arrow} {shown} vs previous cycle"
        change = f'<div class="change {tone}">{escape(text)}</div>'
    return (
        f'<div class="tile"><div class="label">{escape(kpi.label)}</div>'
        f'<div class="value">{escape(format_value(value, kpi.unit))}</div>{change}</div>'
    )
