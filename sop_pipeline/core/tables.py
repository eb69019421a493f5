"""The warehouse's table contract: every table the pipeline writes, its columns, types and grain.

BI tools and the dbt sources rely on these names (docs/outputs.md); extend, never rename. Column
types are portable names mapped to SQL by the warehouse module. Every table carries `cycle`
(the first day of the planning month) and is replaced per cycle in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

Columns = dict[str, str]


@dataclass(frozen=True)
class TableSpec:
    """One warehouse table: its columns (name -> portable type) and the key that makes its grain."""

    name: str
    columns: Columns
    key: tuple[str, ...]
    grain: str


def _spec(name: str, grain: str, key: tuple[str, ...], columns: Columns) -> TableSpec:
    return TableSpec(
        name=name, columns={"cycle": "date", **columns}, key=("cycle", *key), grain=grain
    )


OUTPUT_TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "sales_actuals",
            "cycle x sku x region x month of shipped history",
            ("sku", "region", "month"),
            {
                "sku": "text",
                "region": "text",
                "month": "date",
                "quantity": "float",
                "revenue": "float",
            },
        ),
        _spec(
            "quarantine",
            "one rejected input cell or row",
            ("entity", "source_file", "row_number", "column", "rule"),
            {
                "entity": "text",
                "source_file": "text",
                "row_number": "int",
                "column": "text",
                "rule": "text",
                "value": "text",
                "raw_record": "text",
            },
        ),
        _spec(
            "statistical_forecast",
            "cycle x sku x region x month",
            ("sku", "region", "month"),
            {
                "sku": "text",
                "region": "text",
                "month": "date",
                "model": "text",
                "forecast": "float",
                "lo_80": "float",
                "hi_80": "float",
                "lo_95": "float",
                "hi_95": "float",
            },
        ),
        _spec(
            "forecast_accuracy",
            "cycle x sku x region x month x lag",
            ("sku", "region", "month", "lag"),
            {
                "sku": "text",
                "region": "text",
                "month": "date",
                "lag": "int",
                "forecast": "float",
                "actual": "float",
                "abs_error": "float",
                "naive": "float",
                "consensus": "float",
            },
        ),
        _spec(
            "forecast_hierarchy",
            "cycle x level x node x month",
            ("level", "node", "month"),
            {
                "level": "text",
                "node": "text",
                "sku": "text",
                "family": "text",
                "region": "text",
                "month": "date",
                "model": "text",
                "base_forecast": "float",
                "forecast": "float",
                "lo_80": "float",
                "hi_80": "float",
                "lo_95": "float",
                "hi_95": "float",
            },
        ),
        _spec(
            "forecast_value_added",
            "cycle x lag x scope_type x scope",
            ("lag", "scope_type", "scope"),
            {
                "lag": "int",
                "scope_type": "text",
                "scope": "text",
                "month": "date",
                "series": "int",
                "actual": "float",
                "naive": "float",
                "statistical": "float",
                "consensus": "float",
                "naive_wape": "float",
                "statistical_wape": "float",
                "consensus_wape": "float",
                "statistical_bias": "float",
                "consensus_bias": "float",
                "statistical_mape": "float",
                "consensus_mape": "float",
                "statistical_tracking_signal": "float",
                "consensus_tracking_signal": "float",
                "fva_statistical": "float",
                "fva_consensus": "float",
            },
        ),
        _spec(
            "demand_plan",
            "cycle x sku x region x month",
            ("sku", "region", "month"),
            {
                "sku": "text",
                "region": "text",
                "month": "date",
                "statistical": "float",
                "event_uplift": "float",
                "pipeline": "float",
                "new_product": "float",
                "override": "float",
                "demand": "float",
            },
        ),
        _spec(
            "override_log",
            "cycle x sku x region x month x author (one planner adjustment)",
            ("sku", "region", "month", "author"),
            {
                "sku": "text",
                "region": "text",
                "month": "date",
                "author": "text",
                "reason": "text",
                "override_quantity": "float",
                "adjustment_pct": "float",
                "in_firm_window": "bool",
                "applied": "bool",
                "status": "text",
                "demand_before": "float",
                "override": "float",
                "demand_after": "float",
            },
        ),
        _spec(
            "supply_plan",
            "cycle x scenario x sku x month",
            ("scenario", "sku", "month"),
            {
                "scenario": "text",
                "sku": "text",
                "month": "date",
                "demand": "float",
                "production": "float",
                "ending_inventory": "float",
                "safety_stock": "float",
                "unmet_demand": "float",
                "backlog": "float",
                "backorder": "float",
            },
        ),
        _spec(
            "resource_load",
            "cycle x scenario x resource x month",
            ("scenario", "resource", "month"),
            {
                "scenario": "text",
                "resource": "text",
                "month": "date",
                "required_hours": "float",
                "available_hours": "float",
                "overtime_hours": "float",
                "utilization": "float",
                "unconstrained_required_hours": "float",
                "shadow_price": "float",
            },
        ),
        _spec(
            "exceptions",
            "cycle x scenario x problem (kind, sku or resource, month)",
            ("scenario", "kind", "sku", "resource", "month"),
            {
                "scenario": "text",
                "kind": "text",
                "sku": "text",
                "resource": "text",
                "month": "date",
                "quantity": "float",
                "message": "text",
                "shadow_price": "float",
            },
        ),
        _spec(
            "financial_plan",
            "cycle x scenario x family x month",
            ("scenario", "family", "month"),
            {
                "scenario": "text",
                "family": "text",
                "month": "date",
                "revenue": "float",
                "cogs": "float",
                "gross_margin": "float",
                "unconstrained_revenue": "float",
                "inventory_value": "float",
                "budget_revenue": "float",
                "revenue_gap": "float",
                "unconstrained_cogs": "float",
                "unconstrained_gross_margin": "float",
                "budget_gross_margin": "float",
                "gross_margin_gap": "float",
            },
        ),
        _spec(
            "kpi",
            "cycle x scenario x kpi x scope",
            ("scenario", "kpi", "scope_type", "scope"),
            {
                "scenario": "text",
                "kpi": "text",
                "scope_type": "text",
                "scope": "text",
                "value": "float",
                "unit": "text",
            },
        ),
        _spec(
            "mps",
            "cycle x sku x month",
            ("sku", "month"),
            {"sku": "text", "month": "date", "quantity": "float", "firm": "bool"},
        ),
    ]
}


def row_columns(table: str) -> list[str]:
    """The columns, in table order, of the rows a planning function returns for `table`: all but
    `cycle`, which the warehouse sets when it writes them."""
    return [name for name in OUTPUT_TABLES[table].columns if name != "cycle"]
