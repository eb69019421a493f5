"""The plan-changes case, hand-computed: cycle April 2026 against March, SKUs A and C (family
F1) and B (F2), region N. April and May are planned by both cycles; March (previous only) and
June (this cycle only) are not compared.

Demand plan layers (statistical, event, pipeline, new product, override -> demand):
- previous: A Apr 20+2 = 22, A May 20, B Apr 5-10 -> floored at 0, A Mar and A Jun never;
- this: A Apr 25+3+1 = 29, A May 18+4 = 22, C May new 7, B Apr 6-2 = 4, A Jun 30.
Supply plan (baseline; demand, unmet, production) and revenue per family in the docstrings of
the functions below.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.executive.plan_changes import PlanChangesInputs
from sop_pipeline_tests import factories

CYCLE = pd.Timestamp("2026-04-01")
MAR, APR, MAY, JUN = (pd.Timestamp(f"2026-{m:02d}-01") for m in (3, 4, 5, 6))
LAYERS = ["statistical", "event_uplift", "pipeline", "new_product", "override"]


def _demand(rows: list[tuple]) -> pd.DataFrame:
    plan = pd.DataFrame(rows, columns=["sku", "month", *LAYERS])
    plan["demand"] = plan[LAYERS].sum(axis=1).clip(lower=0.0)
    return plan.assign(region="N")


def _supply(rows: list[tuple]) -> pd.DataFrame:
    plan = pd.DataFrame(rows, columns=["sku", "month", "demand", "unmet_demand", "production"])
    other = plan.assign(scenario="cap_cut", production=0.0, unmet_demand=plan["demand"])
    return pd.concat([plan.assign(scenario="baseline"), other], ignore_index=True)


def _finance(rows: list[tuple]) -> pd.DataFrame:
    plan = pd.DataFrame(rows, columns=["family", "month", "revenue"])
    return pd.concat(
        [plan.assign(scenario="baseline"), plan.assign(scenario="cap_cut", revenue=0.0)],
        ignore_index=True,
    )


def inputs() -> PlanChangesInputs:
    """Supply (demand, unmet, production): previous A Apr 22/2/20, A May 20/0/20, B Apr 0/0/0;
    this A Apr 29/4/25, A May 22/0/22, C May 7/7/0, B Apr 4/0/4. Revenue: previous F1 Apr 200,
    F1 May 200, F2 Apr 0 (price 10 in F1); this F1 Apr 275, F1 May 242 (price 11), F2 Apr 200."""
    items = factories.items(["A", "B", "C"], family=["F1", "F2", "F1"])
    return PlanChangesInputs(
        demand_plan=_demand(
            [
                ("A", APR, 25.0, 0.0, 3.0, 0.0, 1.0),
                ("A", MAY, 18.0, 4.0, 0.0, 0.0, 0.0),
                ("C", MAY, 0.0, 0.0, 0.0, 7.0, 0.0),
                ("B", APR, 6.0, 0.0, 0.0, 0.0, -2.0),
                ("A", JUN, 30.0, 0.0, 0.0, 0.0, 0.0),
            ]
        ),
        previous_demand_plan=_demand(
            [
                ("A", MAR, 20.0, 0.0, 0.0, 0.0, 0.0),
                ("A", APR, 20.0, 2.0, 0.0, 0.0, 0.0),
                ("A", MAY, 20.0, 0.0, 0.0, 0.0, 0.0),
                ("B", APR, 5.0, 0.0, 0.0, 0.0, -10.0),
            ]
        ),
        supply_plan=_supply(
            [
                ("A", APR, 29.0, 4.0, 25.0),
                ("A", MAY, 22.0, 0.0, 22.0),
                ("C", MAY, 7.0, 7.0, 0.0),
                ("B", APR, 4.0, 0.0, 4.0),
                ("A", JUN, 30.0, 0.0, 30.0),
            ]
        ),
        previous_supply_plan=_supply(
            [
                ("A", MAR, 20.0, 0.0, 20.0),
                ("A", APR, 22.0, 2.0, 20.0),
                ("A", MAY, 20.0, 0.0, 20.0),
                ("B", APR, 0.0, 0.0, 0.0),
            ]
        ),
        financial_plan=_finance(
            [("F1", APR, 275.0), ("F1", MAY, 242.0), ("F2", APR, 200.0), ("F1", JUN, 330.0)]
        ),
        previous_financial_plan=_finance(
            [("F1", MAR, 200.0), ("F1", APR, 200.0), ("F1", MAY, 200.0), ("F2", APR, 0.0)]
        ),
        items=items,
    )
