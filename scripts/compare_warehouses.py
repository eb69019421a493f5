"""Compare every table of two DuckDB warehouses: same tables, columns, rows and values.

    python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [--schema sop] [--tol 1e-9]

Used to prove that a refactoring left every pipeline table of the demo cycles unchanged: rows
are matched after sorting by every column that is not a float, floats compared to `--tol`
(absolute or relative). Prints one line per table and, for a table that differs, what differs;
exits 1 when any table differs. `--schema sop_marts` compares the dbt marts.
"""

from __future__ import annotations

import argparse
import sys

import duckdb
import numpy as np
import pandas as pd


def tables(path: str, schema: str) -> dict[str, pd.DataFrame]:
    """Every table of `schema` in the DuckDB file at `path`, by name."""
    with duckdb.connect(path, read_only=True) as conn:
        catalog = conn.sql("select current_database()").fetchone()[0]  # type: ignore[index]
        names = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = ? and table_schema = ? order by 1",
                [catalog, schema],
            ).fetchall()
        ]
        return {
            name: conn.sql(f'select * from "{catalog}"."{schema}"."{name}"').df() for name in names
        }


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in name order, rows sorted by every non-float column, then by the floats."""
    frame = frame[sorted(frame.columns)]
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    keys = [c for c in frame.columns if c not in floats] + floats
    if not keys:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, na_position="first", kind="mergesort").reset_index(drop=True)


def difference(before: pd.DataFrame, after: pd.DataFrame, tol: float) -> str | None:
    """What differs between two versions of one table, or None when they agree."""
    if sorted(before.columns) != sorted(after.columns):
        gone = sorted(set(before.columns) - set(after.columns))
        new = sorted(set(after.columns) - set(before.columns))
        return f"columns differ: removed {gone}, added {new}"
    if len(before) != len(after):
        return f"{len(before)} rows before, {len(after)} after; " + added_rows(before, after, tol)
    before, after = canonical(before), canonical(after)
    problems = []
    for column in before.columns:
        old, new = before[column], after[column]
        if pd.api.types.is_float_dtype(old) and pd.api.types.is_float_dtype(new):
            a, b = old.to_numpy(float), new.to_numpy(float)
            close = np.isclose(a, b, rtol=tol, atol=tol, equal_nan=True)
            if not close.all():
                worst = float(np.nanmax(np.abs(a - b)))
                problems.append(f"{column}: {int((~close).sum())} values differ (max {worst:g})")
        elif not old.astype(str).equals(new.astype(str)):
            problems.append(f"{column}: {int((old.astype(str) != new.astype(str)).sum())} differ")
    return "; ".join(problems) or None


def added_rows(before: pd.DataFrame, after: pd.DataFrame, tol: float) -> str:
    """Whether every row before is still there unchanged (matched on the non-float columns,
    floats to `tol`), and what the added rows have in common."""
    keys = [c for c in before.columns if not pd.api.types.is_float_dtype(before[c])]
    floats = [c for c in before.columns if c not in keys]
    merged = before.merge(after, on=keys, how="left", suffixes=("", "_after"), indicator=True)
    lost = int((merged["_merge"] == "left_only").sum())
    close = [
        np.isclose(merged[c], merged[f"{c}_after"], rtol=tol, atol=tol, equal_nan=True)
        for c in floats
    ]
    changed = sum(int((~values).sum()) for values in close)
    if lost or len(merged) != len(before):
        return f"{lost} rows before are gone or matched twice"
    if changed:
        return f"{changed} values of the rows before changed"
    extra = after.merge(before[keys], on=keys, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"]
    shared = {
        c: sorted(extra[c].astype(str).unique())
        for c in keys
        if c != "cycle" and extra[c].nunique() <= 3
    }
    return f"every row before unchanged; {len(extra)} rows added with {shared}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schema", default="sop")
    parser.add_argument("--tol", type=float, default=1e-9)
    args = parser.parse_args(argv)
    old, new = tables(args.before, args.schema), tables(args.after, args.schema)
    differing = 0
    for name in sorted(set(old) | set(new)):
        if name not in new:
            print(f"{name:32} only before ({len(old[name])} rows)")
            differing += 1
        elif name not in old:
            print(f"{name:32} only after ({len(new[name])} rows)")
            differing += 1
        else:
            why = difference(old[name], new[name], args.tol)
            differing += why is not None
            print(f"{name:32} {len(new[name]):>8} rows  {'identical' if why is None else why}")
    print(f"{len(set(old) | set(new))} tables, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
