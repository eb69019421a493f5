"""KPI table on the tiny case of test_finance: layout, the near-term production window, the
slow-moving rules and the printed summary. Every KPI's value at every scope is checked against a
hand computation in test_kpi_golden."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from sop_pipeline.core.executive.kpi import (
    KPI_COLUMNS,
    KPI_DEFINITIONS,
    compute_kpis,
    kpi_summary,
)
from sop_pipeline_tests.cases.finance import (
    APR,
    CYCLE,
    items,
)
from sop_pipeline_tests.cases.kpi import tiny_inputs


def values(kpis: pd.DataFrame, kpi: str, scenario: str = "baseline") -> dict[str, float]:
    """{scope: value} of one KPI in one scenario ('*' is the total)."""
    rows = kpis[(kpis["kpi"] == kpi) & (kpis["scenario"] == scenario)]
    return dict(zip(rows["scope"], rows["value"], strict=True))


@pytest.fixture(scope="module")
def kpis() -> pd.DataFrame:
    return compute_kpis(tiny_inputs(), CYCLE)


def test_kpi_table_layout(kpis: pd.DataFrame) -> None:
    assert list(kpis.columns) == KPI_COLUMNS
    assert not kpis.duplicated(["scenario", "kpi", "scope_type", "scope"]).any()
    assert kpis["value"].notna().all()
    assert set(kpis["unit"]) <= {"units", "currency", "ratio", "days", "months", "hours", "turns"}
    assert (kpis.loc[kpis["scope_type"] == "total", "scope"] == "*").all()


def test_kpi_rows_follow_their_definitions(kpis: pd.DataFrame) -> None:
    """Each KPI's rows carry its unit and scopes, in the definitions' order; actuals KPIs sit
    under the baseline only, plan KPIs have rows for the what-if scenario too."""
    computed = list(dict.fromkeys(kpis["kpi"]))
    assert computed == [k.name for k in KPI_DEFINITIONS if k.name in computed]
    for kpi in KPI_DEFINITIONS:
        rows = kpis[kpis["kpi"] == kpi.name]
        assert set(rows["unit"]) <= {kpi.unit}, kpi.name
        assert set(rows["scope_type"]) <= set(kpi.scopes), kpi.name
        scenarios = {"baseline", "cap_cut"} if kpi.per_scenario else {"baseline"}
        assert rows.empty or set(rows["scenario"]) == scenarios, kpi.name


def test_production_forecast_next_three_months_starts_at_the_cycle() -> None:
    kpis = compute_kpis(tiny_inputs(), APR)  # April to June: the March rows fall outside

    assert values(kpis, "production_forecast_next_3m") == {"*": 65.0, "F1": 60.0, "F2": 5.0}
    assert values(kpis, "production_forecast")["*"] == 85.0


def test_slow_moving_stock_by_missing_sales_or_long_cover() -> None:
    inputs = tiny_inputs()
    old_sales = inputs.sales_actuals[inputs.sales_actuals["sku"] == "A"]
    no_recent_b = dataclasses.replace(inputs, sales_actuals=old_sales)
    assert values(compute_kpis(no_recent_b, CYCLE), "slow_moving_inventory_value") == {
        "*": 160.0,
        "F1": 0.0,
        "F2": 160.0,
        "A": 0.0,  # per SKU: 0 when it is not slow-moving
        "B": 160.0,
    }

    heaps_of_b = dataclasses.replace(
        inputs, inventory=pd.DataFrame({"sku": ["A", "B"], "site": "s1", "on_hand": [40.0, 61.0]})
    )
    assert values(compute_kpis(heaps_of_b, CYCLE), "slow_moving_inventory_value")["*"] == 1220.0

    launched = items().assign(launch_date=[pd.NaT, pd.Timestamp("2026-01-01")])
    new_b = dataclasses.replace(no_recent_b, items=launched)
    assert values(compute_kpis(new_b, CYCLE), "slow_moving_inventory_value")["*"] == 0.0


def test_kpi_summary_keeps_baseline_totals(kpis: pd.DataFrame) -> None:
    summary = kpi_summary(kpis)

    assert list(summary.columns) == ["kpi", "value", "unit"]
    assert not summary["kpi"].duplicated().any()
    lookup = dict(zip(summary["kpi"], summary["value"], strict=True))
    assert lookup["unmet_demand"] == 2.0
    assert lookup["total_sales"] == 500.0
    assert len(summary) == (kpis["scope_type"].eq("total") & kpis["scenario"].eq("baseline")).sum()
