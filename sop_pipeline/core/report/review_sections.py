"""Meeting-pack sections on the reviews: forecast accuracy and the exception list."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from sop_pipeline.core.report.formatting import compact, format_value
from sop_pipeline.core.report.page import note, section, table
from sop_pipeline.core.report.svg import bar_chart

ACCURACY_KPIS = {
    "forecast_accuracy_lag1": "Accuracy lag 1",
    "forecast_accuracy_lag3": "Accuracy lag 3",
    "forecast_bias": "Bias lag 1",
    "sales_vs_forecast": "Sales / forecast",
}
SCOPE_ORDER = {"total": 0, "family": 1, "region": 2}
TOP_EXCEPTIONS = 10

Scope = tuple[str, str]


def accuracy_section(forecast_accuracy: pd.DataFrame | None, kpi: pd.DataFrame) -> str:
    """Section `accuracy`: 1 - WAPE at lag 1 and lag 3, bias and sales vs forecast, in total,
    per family and per region."""
    sid, heading = "accuracy", "Forecast accuracy"
    rows = kpi[kpi["kpi"].isin(list(ACCURACY_KPIS)) & (kpi["scenario"] == "baseline")]
    if forecast_accuracy is None or forecast_accuracy.empty or rows.empty:
        return section(sid, heading, note("No accuracy yet: needs earlier cycles."))
    values: dict[Scope, dict[str, float]] = {}
    for scope_type, scope, name, value in zip(
        rows["scope_type"], rows["scope"], rows["kpi"], rows["value"], strict=True
    ):
        values.setdefault((str(scope_type), str(scope)), {})[str(name)] = float(value)
    months = sorted(set(pd.to_datetime(forecast_accuracy["month"])))
    caption = (
        f"Measured on the actuals of {', '.join(f'{m:%b %Y}' for m in months)}: accuracy = "
        "1 - WAPE (weighted absolute percentage error); bias > 0 means over-forecasting."
    )
    return section(sid, heading, note(caption), _family_chart(values), _accuracy_table(values))


def _accuracy_table(values: dict[Scope, dict[str, float]]) -> str:
    columns = [k for k in ACCURACY_KPIS if any(k in v for v in values.values())]
    scopes = sorted(values, key=lambda k: (SCOPE_ORDER.get(k[0], 3), k[1]))
    body = [
        [
            "Total" if scope_type == "total" else f"{scope_type}: {scope}",
            *[
                format_value(values[(scope_type, scope)].get(c, float("nan")), "ratio")
                for c in columns
            ],
        ]
        for scope_type, scope in scopes
    ]
    return table(["Scope", *[ACCURACY_KPIS[c] for c in columns]], body)


def _family_chart(values: dict[Scope, dict[str, float]]) -> str:
    families = sorted(scope for scope_type, scope in values if scope_type == "family")
    lags = ["forecast_accuracy_lag1", "forecast_accuracy_lag3"]
    series = {
        ACCURACY_KPIS[lag]: [values[("family", f)].get(lag, float("nan")) for f in families]
        for lag in lags
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
        return section(sid, heading, note("No exceptions: the plan meets demand within capacity."))
    ranked = exceptions.assign(other=exceptions["scenario"] != "baseline").sort_values(
        ["other", "quantity"], ascending=[True, False]
    )
    counts = exceptions[exceptions["scenario"] == "baseline"]["kind"].value_counts()
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
            _month(r.get("month")),
            compact(float(r["quantity"])),
            str(r["message"]),
        ]
        for r in ranked.head(TOP_EXCEPTIONS).to_dict("records")
    ]
    headers = ["Scenario", "Kind", "SKU / resource", "Month", "Quantity", "Message"]
    return section(sid, heading, note(summary), table(headers, rows, numeric=(4,)))


def _subject(sku: object, resource: object) -> str:
    return " / ".join(str(v) for v in (sku, resource) if isinstance(v, str) and v)


def _month(month: object) -> str:
    if not isinstance(month, datetime) or month is pd.NaT:
        return ""
    return f"{month:%b %y}"
