"""Contracts of the files the CRM and the planners supply: the sales pipeline, promotions, the
budget, demand overrides and what-if scenarios."""

from __future__ import annotations

from sop_pipeline.core.contracts.model import QUANTITY_BOUND, Column, EntityContract, optional

PLANNING_CONTRACTS = [
    EntityContract(
        "crm_pipeline",
        "crm_pipeline",
        False,
        (
            Column("opportunity_id"),
            optional("sku"),
            optional("family"),
            Column("region"),
            Column("expected_month", "month"),
            Column("quantity", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
            Column("probability", "float", min_value=0.0, max_value=1.0),
            optional("stage"),
        ),
        key=("opportunity_id",),
        grain="one CRM opportunity",
        one_of=("sku", "family"),
    ),
    EntityContract(
        "promotions",
        "promotions",
        False,
        (
            Column("event_id"),
            optional("sku"),
            optional("family"),
            optional("region"),
            Column("start_month", "month"),
            Column("end_month", "month"),
            Column("uplift_pct", "float", min_value=-100.0, max_value=1000.0),
        ),
        key=("event_id",),
        grain="one promotion or one-off event",
        one_of=("sku", "family"),
        ordered=(("start_month", "end_month"),),
    ),
    EntityContract(
        "budget",
        "budget",
        False,
        (
            Column("family"),
            Column("month", "month"),
            Column("revenue", "float"),
            optional("gross_margin", "float"),
        ),
        key=("family", "month"),
        grain="budget per family and month",
        sku_column=None,
    ),
    EntityContract(
        "demand_overrides",
        "demand_overrides",
        False,
        (
            Column("sku"),
            Column("region"),
            Column("month", "month"),
            optional("override_quantity", "float", min_value=0.0, plausible_max=QUANTITY_BOUND),
            optional("adjustment_pct", "float", min_value=-100.0),
            Column("author", in_file=False, default="unknown"),
            optional("reason"),
        ),
        key=("sku", "region", "month"),
        grain="one planner adjustment per SKU, region and month",
        one_of=("override_quantity", "adjustment_pct"),
    ),
    EntityContract(
        "scenarios",
        "scenarios",
        False,
        (
            Column("scenario"),
            Column("kind", allowed=("demand", "capacity")),
            Column("scope", in_file=False, default="*"),
            Column("multiplier", "float", min_value=0.0, plausible_max=1e3),
        ),
        key=("scenario", "kind", "scope"),
        grain="one what-if multiplier",
        sku_column=None,
    ),
]
