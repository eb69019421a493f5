"""An outsider's audit of the plans in a DuckDB warehouse: every figure recomputed from the
published tables, never by the pipeline's own code.

    python scripts/audit_plan.py sop.duckdb [--schema sop] [--cycle YYYY-MM]

Per cycle, baseline scenario:

- `balance_residual`: the largest |opening_inventory + receipts + production started lead-time
  months earlier - shipped (demand - unmet_demand) - ending_inventory| over `supply_plan`;
- `receipts`, `unmet_units`, and `unmet_at_safety_stock`: unmet units in SKU-months that end at
  or above a positive safety stock (a loss placed where stock was left over);
- `causes`: the unmet-demand exceptions by cause, and `wrong_causes`, those the tables do not
  show: `lead_time` needs the start month (demand month - lead time) before the cycle;
  `frozen_zone` a start month inside the previous cycle's firm MPS months; `zero_capacity` a
  routing resource without hours that month; `overtime_exhausted` / `capacity` a routing
  resource with a positive shadow price in the start month that used all / not all its
  overtime; `lot_size` a start month in the plan where no routing resource is priced;
- `zero_unit_misses`: messages saying "misses 0 units";
- `frozen_conflicts`, `frozen_conflict_units`: the `frozen_zone_conflict` rows;
- `mps_not_whole_lots`, `firm_below_one`: MPS rows not a whole multiple of the item's lot size
  (1 without one), firm rows of less than one unit.

Prints one block per cycle; exits 1 when a cause is not shown, a balance is off by more than
1e-6, an MPS row is not in whole lots or a firm row is below one unit (`failed`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_key

TOL = 1e-6
HOURS_TOL = 1e-4  # overtime "all used": the LP's hours are exact to well below this
TABLES = ["supply_plan", "items", "resource_load", "resources", "routings", "exceptions", "mps"]


def qualified(conn: Any, schema: str) -> str:
    """'"catalog"."schema"': a `sop.duckdb` file has a catalog `sop` beside the schema `sop`."""
    catalog = conn.sql("select current_database()").fetchone()[0]
    return f'"{catalog}"."{schema}"'


def audit_tables(conn: Any, prefix: str, cycle: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The cycle's rows of every table the audit reads (baseline scenario where there is one);
    `prefix` from `qualified`."""
    out = {}
    for name in TABLES:
        frame = conn.execute(
            f'select * from {prefix}."{name}" where cycle = ?', [cycle.date()]
        ).df()
        if "scenario" in frame.columns:
            frame = frame[frame["scenario"] == "baseline"]
        out[name] = frame.reset_index(drop=True)
    return out


def audit_cycle(
    tables: dict[str, pd.DataFrame], previous_mps: pd.DataFrame | None
) -> dict[str, Any]:
    """The figures of one cycle (module docstring) from its tables and the previous cycle's
    MPS (None for a first cycle)."""
    plan, items = tables["supply_plan"], tables["items"].drop_duplicates("sku").set_index("sku")
    months = sorted(plan["month"].unique())
    index = {m: i for i, m in enumerate(months)}
    lead = plan["sku"].map(items["lead_time_months"]).fillna(0).astype(int)
    month = plan["month"].map(index)
    started = plan.set_index([plan["sku"], month])["production"]
    arriving = started.reindex(pd.MultiIndex.from_arrays([plan["sku"], month - lead])).fillna(0)
    shipped = plan["demand"] - plan["unmet_demand"]
    residual = (
        plan["opening_inventory"] + plan["receipts"] + arriving.to_numpy() - shipped
    ) - plan["ending_inventory"]
    leftover = (plan["safety_stock"] > TOL) & (
        plan["ending_inventory"] >= plan["safety_stock"] - TOL
    )
    exceptions = tables["exceptions"]
    unmet = exceptions[exceptions["kind"] == "unmet_demand"]
    conflicts = exceptions[exceptions["kind"] == "frozen_zone_conflict"]
    firm_months = (
        set(previous_mps.loc[previous_mps["firm"].astype(bool), "month"])
        if previous_mps is not None
        else set()
    )
    wrong = [
        (row.sku, month_key(row.month), row.cause)
        for row in unmet.itertuples()
        if not _cause_shown(row, tables, items, months, index, firm_months)
    ]
    mps = tables["mps"]
    lot = mps["sku"].map(items["lot_size"]).where(lambda x: x > 0, 1.0).fillna(1.0)
    lots = mps["quantity"] / lot
    return {
        "balance_residual": float(residual.abs().max()),
        "receipts": float(plan["receipts"].sum()),
        "unmet_units": float(plan["unmet_demand"].sum()),
        "unmet_at_safety_stock": float(plan.loc[leftover, "unmet_demand"].sum()),
        "causes": unmet["cause"].value_counts().to_dict(),
        "wrong_causes": wrong,
        "zero_unit_misses": int(exceptions["message"].str.contains("misses 0 units").sum()),
        "frozen_conflicts": len(conflicts),
        "frozen_conflict_units": float(conflicts["quantity"].sum()),
        "mps_not_whole_lots": int((~np.isclose(lots, np.round(lots), atol=1e-9)).sum()),
        "firm_below_one": int(
            ((mps["quantity"] > 0) & (mps["quantity"] < 1 - TOL) & mps["firm"].astype(bool)).sum()
        ),
    }


def _cause_shown(
    row: Any,
    tables: dict[str, pd.DataFrame],
    items: pd.DataFrame,
    months: list[Any],
    index: dict[Any, int],
    firm_months: set[Any],
) -> bool:
    """Whether the tables show the exception's cause (module docstring)."""
    start = index[row.month] - int(items["lead_time_months"].get(row.sku, 0) or 0)
    if row.cause == "lead_time":
        return start < 0
    if start < 0:
        return False
    if row.cause == "frozen_zone":
        return months[start] in firm_months
    routing = tables["routings"].loc[tables["routings"]["sku"] == row.sku, "resource"]
    load = tables["resource_load"]
    load = load[load["resource"].isin(routing) & (load["month"] == months[start])]
    load = load.merge(tables["resources"][["resource", "month", "max_overtime_hours"]])
    priced = load[load["shadow_price"] > TOL]
    all_used = priced["overtime_hours"] >= priced["max_overtime_hours"] - HOURS_TOL
    return {
        "zero_capacity": bool((load["available_hours"] + load["max_overtime_hours"] <= TOL).any()),
        "overtime_exhausted": bool(all_used.any()),
        "capacity": bool((~all_used).any()),
        "lot_size": priced.empty,
    }.get(row.cause, False)


def audit(path: str, schema: str = "sop", cycle: str | None = None) -> dict[str, dict[str, Any]]:
    """The figures of every cycle (or only `cycle`, YYYY-MM) of the DuckDB file at `path`."""
    with duckdb.connect(path, read_only=True) as conn:
        prefix = qualified(conn, schema)
        cycles = [
            pd.Timestamp(c)
            for (c,) in conn.execute(
                f'select distinct cycle from {prefix}."supply_plan" order by 1'
            ).fetchall()
        ]
        results, previous = {}, None
        for current in cycles:
            tables = audit_tables(conn, prefix, current)
            if cycle is None or month_key(current) == cycle:
                results[month_key(current)] = audit_cycle(tables, previous)
            previous = tables["mps"]
    return results


def failed(figures: dict[str, Any]) -> bool:
    """Whether a cycle's figures show a defect (the exit-1 conditions of the docstring)."""
    return bool(
        figures["wrong_causes"]
        or figures["balance_residual"] > TOL
        or figures["mps_not_whole_lots"]
        or figures["firm_below_one"]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the DuckDB warehouse file, e.g. sop.duckdb")
    parser.add_argument("--schema", default="sop")
    parser.add_argument("--cycle", help="YYYY-MM: audit this cycle only")
    args = parser.parse_args()
    results = audit(args.path, args.schema, args.cycle)
    for cycle, figures in results.items():
        print(f"cycle {cycle}")
        for key, value in figures.items():
            shown = f"{value:,.6g}" if isinstance(value, float) else value
            print(f"  {key}: {shown}")
    return 1 if any(failed(f) for f in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
