"""Forecast value added (FVA) KPIs: does each step of the demand review beat the one before?

Taken from the demand review's `forecast_value_added` table (see
`core.forecasting.value_added`) at lag 1: `forecast_value_added_statistical` = WAPE of the
seasonal naive forecast - WAPE of the statistical one, `forecast_value_added_consensus` = WAPE
of the statistical forecast - WAPE of the consensus demand plan; positive means the step adds
value. Actuals-based, so reported under scenario 'baseline'.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.kpi.definition import KpiDefinition
from sop_pipeline.core.executive.kpi.frames import KPI_COLUMNS, TOTAL, present, skip
from sop_pipeline.core.executive.kpi.inputs import KpiInputs
from sop_pipeline.core.names import BASELINE

LAG = 1


def forecast_value_added_statistical(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Lag 1: WAPE of the seasonal naive forecast − WAPE of the statistical forecast (the
    `fva_statistical` column of `forecast_value_added`); > 0 the statistical forecast adds
    value."""
    return _from_table(inputs, kpi, "fva_statistical")


def forecast_value_added_consensus(
    inputs: KpiInputs, cycle: pd.Timestamp, kpi: KpiDefinition
) -> pd.DataFrame:
    """Lag 1: WAPE of the statistical forecast − WAPE of the consensus demand plan, each over
    the series it has (`fva_consensus`); > 0 the planners' changes add value."""
    return _from_table(inputs, kpi, "fva_consensus")


def _from_table(inputs: KpiInputs, kpi: KpiDefinition, column: str) -> pd.DataFrame:
    """KPI rows of one FVA column at lag 1; scopes where it is unknown (no consensus, no
    actual) are left out, never zero."""
    table = inputs.forecast_value_added
    if table is None or not present(table):
        return skip(kpi, "no forecast_value_added rows (needs the forecasts of earlier cycles)")
    rows = table[
        (table["lag"] == LAG) & table["scope_type"].isin(list(kpi.scopes)) & table[column].notna()
    ]
    if rows.empty:
        return skip(kpi, f"no lag-{LAG} {column} figure (e.g. no earlier demand plan)")
    total = rows["scope_type"] == "total"
    frame = pd.DataFrame(
        {
            "scenario": BASELINE,
            "kpi": kpi.name,
            "scope_type": rows["scope_type"].astype(str),
            "scope": rows["scope"].astype(str).where(~total, TOTAL),
            "value": rows[column].astype(float),
            "unit": kpi.unit,
        }
    )
    return frame[KPI_COLUMNS].reset_index(drop=True)
