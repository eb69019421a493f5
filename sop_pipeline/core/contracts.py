"""Input contract of the export drop (docs/inputs.md): one `EntityContract` per ERP/CRM file.

A contract names the file stem, whether the cycle can run without it, each column's type and
value rules, and the key that makes the entity's grain. Ingestion parses by these types,
validation builds its expectation suites from these rules, and the warehouse stores each
entity in a table of the same name (with `cycle`), except `sales_history`, stored as
`sales_lines` because it keeps every version of every line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One contract column. `kind` is text, float, int, date or month (a date at month start)."""

    name: str
    kind: str = "text"
    in_file: bool = True  # the column must be present in the file (else the cycle fails)
    nullable: bool = False
    default: object = None  # value used when the column is absent or the cell empty
    min_value: float | None = None
    max_value: float | None = None
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class EntityContract:
    """One export file: its stem, the table it loads into, its columns and row rules."""

    name: str
    table: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    grain: str
    sku_column: str | None = "sku"  # values must be SKUs of the cycle's items
    before_cycle: tuple[str, ...] = ()  # date columns that must fall before the cycle month
    one_of: tuple[str, ...] = ()  # at least one of these columns must be filled

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _opt(name: str, kind: str = "text", **rules: object) -> Column:
    """A column the file may omit; empty cells are allowed."""
    return Column(name, kind, in_file=False, nullable=True, **rules)  # type: ignore[arg-type]


CONTRACTS: dict[str, EntityContract] = {
    c.name: c
    for c in [
        EntityContract(
            "items",
            "items",
            True,
            (
                Column("sku"),
                _opt("description"),
                Column("family"),
                _opt("uom"),
                Column("unit_cost", "float", min_value=0.0),
                Column("unit_price", "float", min_value=0.0),
                Column(
                    "status",
                    in_file=False,
                    default="active",
                    allowed=("active", "new", "phase_out"),
                ),
                _opt("launch_date", "date"),
                _opt("end_date", "date"),
                Column(
                    "lead_time_months", "int", in_file=False, default=0, min_value=0, max_value=24
                ),
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
                _opt("customer_id"),
                Column("region"),
                Column("quantity", "float", min_value=0.0),
                Column("net_revenue", "float"),
            ),
            key=("line_id",),
            grain="one row per ERP shipment line version",
            before_cycle=("ship_date",),
        ),
        EntityContract(
            "inventory",
            "inventory",
            True,
            (
                Column("sku"),
                Column("site", in_file=False, default="main"),
                Column("on_hand", "float", min_value=0.0),
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
                Column("available_hours", "float", min_value=0.0),
                Column("max_overtime_hours", "float", in_file=False, default=0.0, min_value=0.0),
                Column(
                    "overtime_cost_per_hour", "float", in_file=False, default=0.0, min_value=0.0
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
            (Column("sku"), Column("resource"), Column("hours_per_unit", "float", min_value=0.0)),
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
                _opt("min_cover_months", "float", min_value=0.0),
                _opt("max_cover_months", "float", min_value=0.0),
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
                Column("quantity", "float", min_value=0.0),
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
                Column("finish_date", "date"),
                Column("quantity", "float", min_value=0.0),
            ),
            key=("order_id",),
            grain="one executed production order",
            before_cycle=("finish_date",),
        ),
        EntityContract(
            "crm_pipeline",
            "crm_pipeline",
            False,
            (
                Column("opportunity_id"),
                _opt("sku"),
                _opt("family"),
                Column("region"),
                Column("expected_month", "month"),
                Column("quantity", "float", min_value=0.0),
                Column("probability", "float", min_value=0.0, max_value=1.0),
                _opt("stage"),
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
                _opt("sku"),
                _opt("family"),
                _opt("region"),
                Column("start_month", "month"),
                Column("end_month", "month"),
                Column("uplift_pct", "float", min_value=-100.0, max_value=1000.0),
            ),
            key=("event_id",),
            grain="one promotion or one-off event",
            one_of=("sku", "family"),
        ),
        EntityContract(
            "budget",
            "budget",
            False,
            (
                Column("family"),
                Column("month", "month"),
                Column("revenue", "float"),
                _opt("gross_margin", "float"),
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
                _opt("override_quantity", "float", min_value=0.0),
                _opt("adjustment_pct", "float", min_value=-100.0),
                Column("author", in_file=False, default="unknown"),
                _opt("reason"),
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
                Column("multiplier", "float", min_value=0.0),
            ),
            key=("scenario", "kind", "scope"),
            grain="one what-if multiplier",
            sku_column=None,
        ),
    ]
}

SQL_KIND = {"text": "text", "float": "float", "int": "int", "date": "date", "month": "date"}


def table_columns(contract: EntityContract) -> dict[str, str]:
    """The warehouse columns of an entity table (portable types), `cycle` first."""
    return {"cycle": "date", **{c.name: SQL_KIND[c.kind] for c in contract.columns}}
