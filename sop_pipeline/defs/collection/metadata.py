"""The figures a planner sees beside each collection table in the Dagster UI."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sop_pipeline.core.collection.validation import ValidatedExport
from sop_pipeline.defs.catalogue import frame_table, readable


def export_figures(collected: ValidatedExport | None) -> dict[str, Any]:
    """Whether the file was there, rows read, loaded and quarantined, the rules broken."""
    if collected is None:
        return {"file_present": False, "rows_loaded": 0}
    return {
        "file_present": True,
        "rows_read": collected.rows_read,
        "rows_loaded": len(collected.loaded),
        "rows_quarantined": collected.rows_quarantined,
        "quarantine_rules": ", ".join(sorted(collected.quarantine["rule"].unique())) or "none",
        **{f"read_{name}": value for name, value in collected.read_as.items()},
    }


def quarantine_figures(rows: pd.DataFrame) -> dict[str, Any]:
    """The quarantined cells per entity and rule, as a table."""
    by_rule = (
        rows.groupby(["entity", "rule"], as_index=False).size().rename(columns={"size": "cells"})
    )
    return {"entities": int(rows["entity"].nunique()), "by_entity_and_rule": frame_table(by_rule)}


def sales_actuals_figures(actuals: pd.DataFrame) -> dict[str, Any]:
    """Rows, months of history and the revenue of the last month."""
    last_month = actuals[actuals["month"] == actuals["month"].max()] if len(actuals) else actuals
    return readable(
        {
            "rows": len(actuals),
            "months": int(actuals["month"].nunique()),
            "last_month_revenue": float(last_month["revenue"].sum()),
        }
    )
