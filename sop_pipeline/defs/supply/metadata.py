"""The figures a planner sees beside each supply-review table in the Dagster UI."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sop_pipeline.core.supply import SOLVER_TOLERANCE
from sop_pipeline.core.supply.backorders import fill_rate
from sop_pipeline.defs.catalogue import frame_table, readable


def supply_plan_figures(plan: pd.DataFrame) -> dict[str, Any]:
    """Rows, scenarios, and the baseline's production and fill rate."""
    baseline = plan[plan["scenario"] == "baseline"]
    return readable(
        {
            "rows": len(plan),
            "scenarios": int(plan["scenario"].nunique()),
            "baseline_production": float(baseline["production"].sum()),
            "baseline_receipts": float(baseline["receipts"].sum()),
            "baseline_fill_rate": fill_rate(baseline),
        }
    )


def resource_load_figures(load: pd.DataFrame) -> dict[str, Any]:
    """Rows and the resource-months loaded above their available hours."""
    overloaded = int((load["utilization"] > 1.0 + SOLVER_TOLERANCE).sum())
    return {"rows": len(load), "overloaded_resource_months": overloaded}


def exceptions_figures(exceptions: pd.DataFrame) -> dict[str, Any]:
    """Rows and the exceptions per scenario, kind and cause (binding constraint), as a table."""
    keys = exceptions.assign(cause=exceptions["cause"].fillna(""))
    by_kind = keys.groupby(["scenario", "kind", "cause"], as_index=False).size()
    return {"rows": len(exceptions), "by_kind": frame_table(by_kind.rename(columns={"size": "n"}))}
