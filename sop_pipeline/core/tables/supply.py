"""Tables of the supply review, the financial plan, the executive review's KPIs and the MPS
handed to ERP."""

from __future__ import annotations

from sop_pipeline.core.tables.spec import table_spec

SUPPLY_TABLES = [
    table_spec(
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
            "opening_inventory": "float",
            "receipts": "float",
        },
    ),
    table_spec(
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
    table_spec(
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
            "cause": "text",
        },
    ),
    table_spec(
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
    table_spec(
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
    table_spec(
        "mps",
        "cycle x sku x month",
        ("sku", "month"),
        # status: proposed (a cycle's MPS until approval; the released one is `released_mps`)
        {"sku": "text", "month": "date", "quantity": "float", "firm": "bool", "status": "text"},
    ),
]
