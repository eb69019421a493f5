"""Tables of the executive review beyond the KPIs: what changed since the previous cycle."""

from __future__ import annotations

from sop_pipeline.core.tables.spec import table_spec

DEMAND_CAUSES = ["statistical", "events", "pipeline", "new_products", "overrides"]
SERVED_CAUSES = ["demand", "constraints"]
REVENUE_CAUSES = ["demand", "constraints", "price_mix"]


def _measure(name: str, causes: list[str]) -> dict[str, str]:
    columns = {f"{name}_previous": "float", name: "float", f"{name}_change": "float"}
    columns.update({f"{name}_change_{cause}": "float" for cause in causes})
    return columns


EXECUTIVE_TABLES = [
    table_spec(
        "plan_changes",
        "cycle x family x month: the baseline plan against the previous cycle's, same months",
        ("family", "month"),
        {
            "family": "text",
            "month": "date",
            **_measure("demand", DEMAND_CAUSES),
            "production_previous": "float",
            "production": "float",
            "production_change": "float",
            **_measure("served", SERVED_CAUSES),
            **_measure("revenue", REVENUE_CAUSES),
        },
    ),
]
