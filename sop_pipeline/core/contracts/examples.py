"""Two example rows per export file: the template drop (`sop template`) and docs/exports.md
show them, and a test validates the template drop, so the examples always pass the contract.

A column without an example here (added to a contract later) gets one from its type."""

from __future__ import annotations

import csv

from sop_pipeline.core.contracts.model import Column, EntityContract

# entity -> (header, row, row) as CSV lines; no value holds a comma
EXAMPLES: dict[str, tuple[str, ...]] = {
    "items": (
        "sku,description,family,uom,unit_cost,unit_price,status,launch_date,end_date,"
        "lead_time_months,lot_size,min_lot",
        "TEA-001,Green tea 500 ml,Tea,EA,1.20,2.50,active,2019-03-01,,1,24,240",
        "TEA-002,Black tea 500 ml,Tea,EA,1.10,2.30,phase_out,2018-01-01,2027-06-30,2,,",
    ),
    "sales_history": (
        "line_id,ship_date,sku,customer_id,region,quantity,net_revenue,document_type",
        "SL-1001,2026-10-05,TEA-001,C-17,North,120,300.00,sale",
        "SL-1002,2026-10-12,TEA-002,C-04,South,-4,-9.20,return",
    ),
    "inventory": (
        "sku,site,on_hand",
        "TEA-001,main,450",
        "TEA-002,main,120.5",
    ),
    "resources": (
        "resource,month,available_hours,max_overtime_hours,overtime_cost_per_hour",
        "FILL-1,2026-11,320,40,55.00",
        "FILL-1,2026-12,300,40,55.00",
    ),
    "routings": (
        "sku,resource,hours_per_unit",
        "TEA-001,FILL-1,0.02",
        "TEA-002,FILL-1,0.025",
    ),
    "inventory_policy": (
        "sku,service_level,safety_stock_method,min_cover_months,max_cover_months",
        "TEA-001,0.95,service_level,,4",
        "TEA-002,0.9,min_cover,1.5,",
    ),
    "open_orders": (
        "order_id,line,sku,region,requested_date,quantity",
        "SO-500,1,TEA-001,North,2026-11-10,60",
        "SO-500,2,TEA-002,North,2026-12-01,25",
    ),
    "production_orders": (
        "order_id,sku,start_date,finish_date,quantity",
        "PO-900,TEA-001,2026-10-01,2026-10-03,500",
        "PO-901,TEA-002,2026-10-08,2026-10-09,300",
    ),
    "crm_pipeline": (
        "opportunity_id,sku,family,region,expected_month,quantity,probability,stage",
        "OPP-1,TEA-001,,North,2027-01,1000,0.6,proposal",
        "OPP-2,,Tea,South,2027-03,2500,0.3,qualified",
    ),
    "promotions": (
        "event_id,sku,family,region,start_month,end_month,uplift_pct",
        "PROMO-1,TEA-001,,North,2026-12,2027-01,25",
        "PROMO-2,,Tea,,2027-05,2027-05,-10",
    ),
    "budget": (
        "family,month,revenue,gross_margin",
        "Tea,2026-11,52000,24000",
        "Tea,2026-12,61000,28500",
    ),
    "demand_overrides": (
        "sku,region,month,override_quantity,adjustment_pct,author,reason",
        "TEA-001,North,2026-12,800,,j.doe,listing at a new retailer",
        "TEA-002,South,2027-01,,-15,j.doe,competitor launch",
    ),
    "scenarios": (
        "scenario,kind,scope,multiplier",
        "demand_plus_10,demand,*,1.1",
        "filler_down,capacity,FILL-1,0.5",
    ),
}

BY_KIND = {"text": "X", "float": "1", "int": "1", "date": "2026-10-01", "month": "2026-10"}


def example_rows(contract: EntityContract) -> list[dict[str, str]]:
    """Two rows with every contract column, in contract order."""
    lines = EXAMPLES.get(contract.name)
    rows = list(csv.DictReader(lines)) if lines else [{}, {}]
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
