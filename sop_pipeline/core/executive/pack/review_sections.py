"""Meeting-pack sections on the reviews: forecast accuracy and the exception list."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_label
from sop_pipeline.core.executive.kpi import kpi_definition
from sop_pipeline.core.executive.pack.formatting import compact, format_value
from sop_pipeline.core.executive.pack.page import no_data, note, section, table
from sop_pipeline.core.executive.pack.svg import bar_chart, line_chart
from sop_pipeline.core.names import BASELINE

ACCURACY_KPIS = (
    "forecast_accuracy_lag1",
    "forecast_accuracy_lag3",
    "forecast_bias",
    "forecast_bias_lag3",
    "sales_vs_forecast",
    "forecast_value_added_statistical",
    "forecast_value_added_consensus",
)
LAGS = ("forecast_accuracy_lag1", "forecast_accuracy_lag3")
TREND_CYCLES = 12
SCOPE_ORDER = {"total": 0, "family": 1, "region": 2}
TOP_EXCEPTIONS = 10

Scope = tuple[str, str]


def accuracy_section(
    forecast_accuracy: pd.DataFrame | None, kpi: pd.DataFrame, kpi_history: pd.DataFrame | None
) -> str:
    """Section `accuracy`: the trend of total accuracy over the last cycles, then this cycle's
    1 - WAPE at lag 1 and lag 3, bias and sales vs forecast, in total, per family and region."""
    sid, heading = "accuracy", "Forecast accuracy"
    trend = _trend(kpi_history)
    rows = kpi[kpi["kpi"].isin(ACCURACY_KPIS) & (kpi["scenario"] == BASELINE)]
    if forecast_accuracy is None or forecast_accuracy.empty or rows.empty:
        reason = "no forecast of an earlier cycle could be scored yet (it needs earlier cycles)"
        return section(sid, heading, trend, no_data(reason))
    values: dict[Scope, dict[str, float]] = {}
    for scope_type, scope, name, value in zip(
        rows["scope_type"], rows["scope"], rows["kpi"], rows["value"], strict=True
    ):
        values.setdefault((str(scope_type), str(scope)), {})[str(name)] = float(value)
    months = sorted(set(pd.to_datetime(forecast_accuracy["month"])))
    caption = (
        f"Measured on the actuals of {', '.join(f'{m:%b %Y}' for m in months)}: accuracy = "
        "1 - WAPE (weighted absolute percentage error); bias > 0 means over-forecasting; "
        "FVA (forecast value added, lag 1) > 0 means the statistical forecast beats the seasonal "
        "naive one, and the consensus beats the statistical forecast."
    )
    return section(
        sid, heading, trend, note(caption), _family_chart(values), _accuracy_table(values)
    )


def _trend(kpi_history: pd.DataFrame | None) -> str:
    """Total accuracy at lag 1 and lag 3, in percent, per cycle over the last TREND_CYCLES."""
    history = pd.DataFrame() if kpi_history is None else kpi_history
    if history.empty:
        return no_data("no earlier cycle has KPIs on record, so there is no accuracy trend")
    totals = history[
        history["kpi"].isin(LAGS)
        & (history["scenario"] == BASELINE)
        & (history["scope_type"] == "total")
    ]
    grid = totals.pivot_table(index="cycle", columns="kpi", values="value", aggfunc="first")
    grid = grid.sort_index().tail(TREND_CYCLES)
    if len(grid) < 2:
        return no_data(f"the accuracy trend needs two scored cycles and has {len(grid)}")
    labels = [month_label(c) for c in grid.index]
    series = {
        kpi_definition(kpi).label: (grid[kpi] * 100).tolist()
        if kpi in grid
        else [float("nan")] * len(grid)
        for kpi in LAGS
    }
    chart = line_chart(labels, series, "Forecast accuracy (%) per cycle, total")
    return note("Total forecast accuracy (%) of the last cycles.") + chart


def _accuracy_table(values: dict[Scope, dict[str, float]]) -> str:
    columns = [k for k in ACCURACY_KPIS if any(k in v for v in values.values())]
    scopes = sorted(values, key=lambda k: (SCOPE_ORDER.get(k[0], 3), k[1]))
    body = [
        [
            "Total" if scope_type == "total" else f"{scope_type}: {scope}",
            *[
                format_value(values[(scope_type, scope)].get(c, float("nan")), _unit(c))
                for c in columns
            ],
        ]
        for scope_type, scope in scopes
    ]
    return table(["Scope", *[kpi_definition(c).label for c in columns]], body)


def _unit(kpi: str) -> str:
    return kpi_definition(kpi).unit


def _family_chart(values: dict[Scope, dict[str, float]]) -> str:
    families = sorted(scope for scope_type, scope in values if scope_type == "family")
    series = {
        kpi_definition(lag).label: [values[("family", f)].get(lag, float("nan")) for f in families]
        for lag in LAGS
        if any(lag in values[("family", f)] for f in families)
    }
    if not families or not series:
        return ""
    return bar_chart(families, series, "Forecast accuracy per family")


def exceptions_section(exceptions: pd.DataFrame | None) -> str:
    """Section `exceptions`: how many problems of each kind, and the largest ones (baseline
    first) with their message."""
    sid, heading = "exceptions", "Top exceptions"
    if exceptions is None or exceptions.empty:
        return section(
            sid, heading, no_data("the plan meets demand within capacity and safety stock")
        )
    ranked = exceptions.assign(other=exceptions["scenario"] != BASELINE).sort_values(
        ["other", "quantity"], ascending=[True, False]
    )
    counts = exceptions[exceptions["scenario"] == BASELINE]["kind"].value_counts()
    summary = (
        "Baseline: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        if len(counts)
        else "No baseline exception; the ones below are in scenarios."
    )
    rows = [
        [
            str(r["scenario"]),
            str(r["kind"]),
            _subject(r.get("sku"), r.get("resource")),
            month_label(r.get("month")),
            compact(float(r["quantity"])),
            str(r["message"]),
        ]
        for r in ranked.head(TOP_EXCEPTIONS).to_dict("records")
    ]
    headers = ["Scenario", "Kind", "SKU / resource", "Month", "Quantity", "Why"]
    return section(sid, heading, note(summary), table(headers, rows, numeric=(4,)))


def _subject(sku: object, resource: object) -> str:
    return " / ".join(str(v) for v in (sku, resource) if isinstance(v, str) and v)
