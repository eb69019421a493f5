"""The figures a planner sees beside the financial plan in the Dagster UI."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sop_pipeline.defs.catalogue import readable


def financial_plan_figures(plan: pd.DataFrame) -> dict[str, Any]:
    """The baseline's revenue, margin, margin lost to capacity and budget revenue."""
    baseline = plan[plan["scenario"] == "baseline"]
    lost = baseline["unconstrained_gross_margin"] - baseline["gross_margin"]
    return readable(
        {
            "rows": len(plan),
            "baseline_revenue": float(baseline["revenue"].sum()),
            "baseline_gross_margin": float(baseline["gross_margin"].sum()),
            "margin_lost_to_capacity": float(lost.sum()),
            "budget_revenue": float(baseline["budget_revenue"].sum()),
        }
    )
