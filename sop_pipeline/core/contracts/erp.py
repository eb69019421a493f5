"""Contracts of the files the ERP exports: item master, shipments, stock, capacity, routings,
stocking policy, open customer orders and executed production orders."""

from __future__ import annotations

from sop_pipeline.core.contracts.model import (
    HOURS_BOUND,
    PRICE_BOUND,
    QUANTITY_BOUND,
    Column,
    EntityContract,
    optional,
)

ERP_CONTRACTS = [
    EntityContract(
        "items",
        "items",
        True,
        (
            Column("sku"),
            optional("description"),
            Column("family"),
            optional("uom"),
            Column("unit_cost", "float", min_value=0.0, plausible_max=PRICE_BOUND),
            Column("unit_price", "float", min_value=0.0, plausible_max=PRICE_BOUND),
            Column(
                "status",
                in_file=False,
                default="active",
                allowed=("active", "new", "phase_out"),
            ),
            optional("launch_date", "date", plausible_years=None),
            # ERPs write "no end" as a far date (2099-12-31): not a typo in a phase-out date
            optional("end_date", "date", plausible_future_years=None),
            Column("lead_time_months", "int", in_file=False, default=0, min_value=0, max_value=24),
            # production is started in multiples of lot_size (whole units when empty), at
            # least min_lot units when any (core/supply/lots.py)
            optional("lot_size", "float", min_value=0.0),
            optional("min_lot", "float", min_value=0.0),
        ),
        key=("sku",),
        grain="one row per SKU",
        sku_column=None,
    ),
    EntityContract(
        "sales_history",
        "sales_lines",
        True,
        (
            Column("line_id"),
            Column("ship_date", "date"),
            Column("sku"),
            optional("customer_id"),
            Column("region"),
            Column("quantity", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
            Column("net_revenue", "float", plausible_max=1e10),
            optional("document_type"),  # `return` (or a mapping's `return_types`): a return
        ),
        key=("line_id",),
        grain="one row per ERP shipment line version",
        before_cycle=("ship_date",),
        returns="document_type",
        revenue_of=("quantity", "net_revenue"),
    ),
    EntityContract(
        "inventory",
        "inventory",
        True,
        (
            Column("sku"),
            Column("site", in_file=False, default="main"),
            Column("on_hand", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
        ),
        key=("sku", "site"),
        grain="on hand per SKU and site at month end",
    ),
    EntityContract(
        "resources",
        "resources",
        False,
        (
            Column("resource"),
            Column("month", "month"),
            Column("available_hours", "float", min_value=0.0, plausible_max=HOURS_BOUND),
            Column(
                "max_overtime_hours",
                "float",
                in_file=False,
                default=0.0,
                min_value=0.0,
                plausible_max=HOURS_BOUND,
            ),
            Column(
                "overtime_cost_per_hour",
                "float",
                in_file=False,
                default=0.0,
                min_value=0.0,
                plausible_max=PRICE_BOUND,
            ),
        ),
        key=("resource", "month"),
        grain="capacity per work centre and month",
        sku_column=None,
    ),
    EntityContract(
        "routings",
        "routings",
        False,
        (
            Column("sku"),
            Column("resource"),
            Column("hours_per_unit", "float", min_value=0.0, plausible_max=1e3),
        ),
        key=("sku", "resource"),
        grain="load per unit of SKU on a resource",
    ),
    EntityContract(
        "inventory_policy",
        "inventory_policy",
        False,
        (
            Column("sku"),
            Column(
                "service_level",
                "float",
                in_file=False,
                default=0.95,
                min_value=0.5,
                max_value=0.9999,
            ),
            Column(
                "safety_stock_method",
                in_file=False,
                default="service_level",
                allowed=("service_level", "min_cover"),
            ),
            optional("min_cover_months", "float", min_value=0.0, plausible_max=1e3),
            optional("max_cover_months", "float", min_value=0.0, plausible_max=1e3),
        ),
        key=("sku",),
        grain="stocking policy per SKU",
    ),
    EntityContract(
        "open_orders",
        "open_orders",
        False,
        (
            Column("order_id"),
            Column("line"),
            Column("sku"),
            Column("region"),
            Column("requested_date", "date"),
            Column("quantity", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
        ),
        key=("order_id", "line"),
        grain="one backlog order line",
    ),
    EntityContract(
        "production_orders",
        "production_orders",
        False,
        (
            Column("order_id"),
            Column("sku"),
            Column("start_date", "date"),
            Column("finish_date", "date", nullable=True),  # empty: the order is still open
            Column("quantity", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
            optional("due_date", "date"),  # when an open order is due to finish
        ),
        key=("order_id",),
        grain="one production order (executed, or open: no finish_date yet)",
        before_cycle=("finish_date",),
    ),
]
