"""The figures an executive sees beside the KPI table in the Dagster UI."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sop_pipeline.core.executive.kpi import KpiTable, kpi_summary
from sop_pipeline.defs.catalogue import frame_table


def kpi_figures(table: KpiTable) -> dict[str, Any]:
    """Rows, KPIs, the baseline's headline KPIs and the KPIs left out with the reason."""
    kpis = table.rows
    left_out = pd.DataFrame({"kpi": list(table.left_out), "reason": list(table.left_out.values())})
    return {
        "rows": len(kpis),
        "kpis": int(kpis["kpi"].nunique()),
        "summary": frame_table(kpi_summary(kpis)),
        "left_out": frame_table(left_out),
    }
