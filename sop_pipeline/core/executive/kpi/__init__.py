"""Executive S&OP KPIs (docs/kpis.md): the `kpi` table of a cycle.

Grain: one row per scenario x kpi x scope, with scope_type 'total' (scope '*'), 'family',
'region', 'sku' or 'resource', a float value and its unit. Plan KPIs have one row per scenario;
actuals-based KPIs carry scenario 'baseline'. A KPI whose input is absent is left out, never 0.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.executive.kpi.definitions import (
    KPI_DEFINITIONS,
    Direction,
    KpiDefinition,
    kpi_definition,
)
from sop_pipeline.core.executive.kpi.frames import KPI_COLUMNS, left_out, no_kpis, present
from sop_pipeline.core.executive.kpi.inputs import KpiInputs
from sop_pipeline.core.executive.kpi.plan import financial_plan
from sop_pipeline.core.names import BASELINE

__all__ = [
    "KPI_COLUMNS",
    "KPI_DEFINITIONS",
    "Direction",
    "KpiDefinition",
    "KpiInputs",
    "KpiTable",
    "compute_kpi_table",
    "compute_kpis",
    "kpi_definition",
    "kpi_summary",
]


@dataclass(frozen=True)
class KpiTable:
    """The KPI rows of a cycle and the KPIs left out, each with the reason ({kpi: reason})."""

    rows: pd.DataFrame
    left_out: dict[str, str]


def compute_kpi_table(inputs: KpiInputs, cycle: pd.Timestamp) -> KpiTable:
    """The cycle's KPI rows (one per scenario x kpi x scope, see the module docstring), in the
    order of the KPI definitions, and why any KPI is missing."""
    cycle = pd.Timestamp(cycle)
    if inputs.financial_plan is None and present(inputs.supply_plan):
        inputs = dataclasses.replace(inputs, financial_plan=financial_plan(inputs))
    results = [kpi.formula(inputs, cycle, kpi) for kpi in KPI_DEFINITIONS]
    reasons = {name: why for rows in results for name, why in left_out(rows).items()}
    parts = [rows for rows in results if not rows.empty]
    if not parts:
        return KpiTable(no_kpis(), reasons)
    kpis = pd.concat(parts, ignore_index=True)
    kpis["value"] = kpis["value"].astype(float)
    return KpiTable(kpis[KPI_COLUMNS], reasons)


def compute_kpis(inputs: KpiInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """The cycle's KPI rows: one per scenario x kpi x scope."""
    return compute_kpi_table(inputs, cycle).rows


def kpi_summary(kpi: pd.DataFrame) -> pd.DataFrame:
    """The baseline, total-scope KPIs (kpi, value, unit), in table order, for a printed summary."""
    rows = kpi[(kpi["scenario"] == BASELINE) & (kpi["scope_type"] == "total")]
    return rows[["kpi", "value", "unit"]].reset_index(drop=True)
