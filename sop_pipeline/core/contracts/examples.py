"""Two example rows per export file: the template drop (`sop template`) and docs/inputs.md
show them, and a test validates the template drop, so the examples always pass the contract.

A column without an example here (added to a contract later) gets one from its type."""

from __future__ import annotations

from sop_pipeline.core.contracts.model import Column, EntityContract

EXAMPLES: dict[str, list[dict[str, str]]] = {
    "items": [
        {
            "sku": "TEA-001",
            "description": "Green tea 500 ml",
            "family": "Tea",
            "uom": "EA",
            "unit_cost": "1.20",
            "unit_price": "2.50",
            "status": "active",
            "launch_date": "2019-03-01",
            "end_date": "",
            "lead_time_months": "1",
        },
        {
            "sku": "TEA-002",
            "description": "Black tea 500 ml",
            "family": "Tea",
            "uom": "EA",
            "unit_cost": "1.10",
            "unit_price": "2.30",
            "status": "phase_out",
            "launch_date": "2018-01-01",
            "end_date": "2027-06-30",
            "lead_time_months": "2",
        },
    ],
    "sales_history": [
        {
            "line_id": "SL-1001",
            "ship_date": "2026-10-05",
            "sku": "TEA-001",
            "customer_id": "C-17",
            "region": "North",
            "quantity": "120",
            "net_revenue": "300.00",
        },
        {
            "line_id": "SL-1002",
            "ship_date": "2026-10-12",
            "sku": "TEA-002",
            "customer_id": "C-04",
            "region": "South",
            "quantity": "80.5",
            "net_revenue": "185.15",
        },
    ],
    "inventory": [
        {"sku": "TEA-001", "site": "main", "on_hand": "450"},
        {"sku": "TEA-002", "site": "main", "on_hand": "120.5"},
    ],
    "resources": [
        {
            "resource": "FILL-1",
            "month": "2026-11",
            "available_hours": "320",
            "max_overtime_hours": "40",
            "overtime_cost_per_hour": "55.00",
        },
        {
            "resource": "FILL-1",
            "month": "2026-12",
            "available_hours": "300",
            "max_overtime_hours": "40",
            "overtime_cost_per_hour": "55.00",
        },
    ],
    "routings": [
        {"sku": "TEA-001", "resource": "FILL-1", "hours_per_unit": "0.02"},
        {"sku": "TEA-002", "resource": "FILL-1", "hours_per_unit": "0.025"},
    ],
    "inventory_policy": [
        {
            "sku": "TEA-001",
            "service_level": "0.95",
            "safety_stock_method": "service_level",
            "min_cover_months": "",
            "max_cover_months": "4",
        },
        {
            "sku": "TEA-002",
            "service_level": "0.9",
            "safety_stock_method": "min_cover",
            "min_cover_months": "1.5",
            "max_cover_months": "",
        },
    ],
    "open_orders": [
        {
            "order_id": "SO-500",
            "line": "1",
            "sku": "TEA-001",
            "region": "North",
            "requested_date": "2026-11-10",
            "quantity": "60",
        },
        {
            "order_id": "SO-500",
            "line": "2",
            "sku": "TEA-002",
            "region": "North",
            "requested_date": "2026-12-01",
            "quantity": "25",
        },
    ],
    "production_orders": [
        {
            "order_id": "PO-900",
            "sku": "TEA-001",
            "start_date": "2026-10-01",
            "finish_date": "2026-10-03",
            "quantity": "500",
        },
        {
            "order_id": "PO-901",
            "sku": "TEA-002",
            "start_date": "2026-10-08",
            "finish_date": "2026-10-09",
            "quantity": "300",
        },
    ],
    "crm_pipeline": [
        {
            "opportunity_id": "OPP-1",
            "sku": "TEA-001",
            "family": "",
            "region": "North",
            "expected_month": "2027-01",
            "quantity": "1000",
            "probability": "0.6",
            "stage": "proposal",
        },
        {
            "opportunity_id": "OPP-2",
            "sku": "",
            "family": "Tea",
            "region": "South",
            "expected_month": "2027-03",
            "quantity": "2500",
            "probability": "0.3",
            "stage": "qualified",
        },
    ],
    "promotions": [
        {
            "event_id": "PROMO-1",
            "sku": "TEA-001",
            "family": "",
            "region": "North",
            "start_month": "2026-12",
            "end_month": "2027-01",
            "uplift_pct": "25",
        },
        {
            "event_id": "PROMO-2",
            "sku": "",
            "family": "Tea",
            "region": "",
            "start_month": "2027-05",
            "end_month": "2027-05",
            "uplift_pct": "-10",
        },
    ],
    "budget": [
        {"family": "Tea", "month": "2026-11", "revenue": "52000", "gross_margin": "24000"},
        {"family": "Tea", "month": "2026-12", "revenue": "61000", "gross_margin": "28500"},
    ],
    "demand_overrides": [
        {
            "sku": "TEA-001",
            "region": "North",
            "month": "2026-12",
            "override_quantity": "800",
            "adjustment_pct": "",
            "author": "j.doe",
            "reason": "listing at a new retailer",
        },
        {
            "sku": "TEA-002",
            "region": "South",
            "month": "2027-01",
            "override_quantity": "",
            "adjustment_pct": "-15",
            "author": "j.doe",
            "reason": "competitor launch",
        },
    ],
    "scenarios": [
        {"scenario": "demand_plus_10", "kind": "demand", "scope": "*", "multiplier": "1.1"},
        {"scenario": "filler_down", "kind": "capacity", "scope": "FILL-1", "multiplier": "0.5"},
    ],
}

BY_KIND = {"text": "X", "float": "1", "int": "1", "date": "2026-10-01", "month": "2026-10"}


def example_rows(contract: EntityContract) -> list[dict[str, str]]:
    """Two rows with every contract column, in contract order."""
    rows = EXAMPLES.get(contract.name, [{}, {}])
    return [
        {c.name: row.get(c.name, _by_kind(c, n)) for c in contract.columns}
        for n, row in enumerate(rows, start=1)
    ]


def _by_kind(column: Column, n: int) -> str:
    if column.nullable:
        return ""
    if column.default is not None:
        return str(column.default)
    return f"{column.name}-{n}" if column.kind == "text" else BY_KIND[column.kind]
