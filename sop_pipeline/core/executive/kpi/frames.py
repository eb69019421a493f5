"""Shared building blocks of the KPI formulas: the KPI row layout and scoped aggregation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.names import BASELINE

log = logging.getLogger(__name__)

KPI_COLUMNS = ["scenario", "kpi", "scope_type", "scope", "value", "unit"]
TOTAL = "*"
LEFT_OUT = "left_out"

# turns the sums of a scope into the KPI value
ValueFromSums = Callable[[pd.DataFrame], pd.Series]


def present(frame: pd.DataFrame | None) -> bool:
    """True when an input frame exists and has rows."""
    return frame is not None and not frame.empty


def no_kpis() -> pd.DataFrame:
    """An empty KPI frame with the KPI columns."""
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c == "value" else object) for c in KPI_COLUMNS}
    )


def skip(kpi: KpiDefinition, reason: str) -> pd.DataFrame:
    """Leave a KPI out (never report it as zero) and log why; the empty frame carries the
    reason in attrs[LEFT_OUT] for the step's metadata."""
    log.info("KPI %s left out: %s", kpi.name, reason)
    rows = no_kpis()
    rows.attrs[LEFT_OUT] = {kpi.name: reason}
    return rows


def left_out(rows: pd.DataFrame) -> dict[str, str]:
    """{kpi: reason} of the KPIs a KPI function left out (empty when it produced rows)."""
    return dict(rows.attrs.get(LEFT_OUT, {}))


def with_family(frame: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The frame with each SKU's family ('unassigned' for SKUs absent from items)."""
    families = items[["sku", "family"]].drop_duplicates("sku")
    merged = frame.drop(columns=["family"], errors="ignore").merge(families, on="sku", how="left")
    merged["family"] = merged["family"].fillna("unassigned").astype(str)
    return merged


def as_baseline(frame: pd.DataFrame) -> pd.DataFrame:
    """Actuals-based figures are not scenario-dependent: they are reported under 'baseline'."""
    return frame.assign(scenario=BASELINE)


def scoped(
    frame: pd.DataFrame,
    kpi: KpiDefinition,
    columns: list[str],
    value: ValueFromSums,
    scopes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The KPI's rows per scenario and scope (its definition's scopes unless `scopes` says
    otherwise): `columns` are summed per group, then `value` turns the sums into the value.
    `frame` needs `scenario` and a column per non-total scope type. Scopes whose value is not
    finite (a zero denominator) are left out."""
    parts = [
        _one_scope(frame, kpi, scope_type, columns, value)
        for scope_type in (kpi.scopes if scopes is None else scopes)
    ]
    rows = pd.concat(parts, ignore_index=True)
    finite = np.isfinite(rows["value"].to_numpy(dtype=float))
    if not finite.all():
        log.info(
            "KPI %s: %d scope(s) left out (nothing to divide by)", kpi.name, int((~finite).sum())
        )
    return rows[finite].reset_index(drop=True)


def _one_scope(
    frame: pd.DataFrame,
    kpi: KpiDefinition,
    scope_type: str,
    columns: list[str],
    value: ValueFromSums,
) -> pd.DataFrame:
    keys = ["scenario"] if scope_type == "total" else ["scenario", scope_type]
    sums = frame.groupby(keys, as_index=False)[columns].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        values = value(sums).astype(float)
    return pd.DataFrame(
        {
            "scenario": sums["scenario"].astype(str),
            "kpi": kpi.name,
            "scope_type": scope_type,
            "scope": TOTAL if scope_type == "total" else sums[scope_type].astype(str),
            "value": values.to_numpy(),
            "unit": kpi.unit,
        }
    )
