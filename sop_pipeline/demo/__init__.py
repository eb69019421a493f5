"""The demo company's ERP/CRM exports: a consumer-durables maker's monthly export drops, with
the seasonality, trends, intermittent, new and phase-out SKUs, promotions, capacity limits and
bad rows a real S&OP cycle has to cope with. Plain numpy/pandas; deterministic by seed."""

from __future__ import annotations

from pathlib import Path

from sop_pipeline.demo.company import World, build_company, drop_frames, start_world
from sop_pipeline.demo.months import month_labels, month_ordinal
from sop_pipeline.demo.writing import write_drop

__all__ = ["write_demo_exports", "write_world_drop"]

MIN_SKUS = 10  # enough for the mix of regular, intermittent, new and phase-out SKUs


def write_demo_exports(
    root: Path,
    last_cycle: str,
    months: int = 36,
    n_skus: int = 200,
    seed: int = 7,
    full_history_at: str | None = None,
) -> None:
    """Write the export drops `root/<YYYY-MM>/` of the `months` cycles ending at `last_cycle`
    (YYYY-MM), each with every file of the input contract (docs/exports.md) as the ERP exports
    them at the end of the month before the cycle.

    Sales history: the drop of cycle `full_history_at` (default: the first drop) holds every
    shipment line from the first month of history to the end of the month before it; every
    other drop holds the previous month's lines plus a few late corrections (same line_id,
    changed quantity). From `full_history_at` on, each drop's sales history also holds four
    poisoned lines (negative quantity, unknown SKU, impossible date, non-numeric quantity)
    that validation quarantines. The same arguments give byte-identical files."""
    last = month_ordinal(last_cycle)
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    if n_skus < MIN_SKUS:
        raise ValueError(f"n_skus must be at least {MIN_SKUS}, got {n_skus}")
    full = last - months + 1 if full_history_at is None else month_ordinal(full_history_at)
    if not last - months < full <= last:
        raise ValueError(
            f"full_history_at {full_history_at} is not one of the {months} cycles "
            f"ending at {last_cycle}"
        )
    company = build_company(seed, last, months, n_skus)
    world = start_world(company)
    world.run_house_planning(until=last)
    for cycle, label in zip(company.cycles, month_labels(company.cycles), strict=True):
        folder = Path(root) / str(label)
        write_world_drop(world, folder, int(cycle), full=cycle == full, poisoned=cycle >= full)


def write_world_drop(world: World, folder: Path, cycle: int, full: bool, poisoned: bool) -> None:
    """Write the drop of month ordinal `cycle` cut from `world` (booked to the month before)
    into `folder`: the full sales history or the last month's (`full`), with or without the
    four poisoned lines (`poisoned`)."""
    frames = drop_frames(world, cycle, full=full, poisoned=poisoned)
    # the ERP writes its item master in GBK; every other month a planner re-saves it from
    # Excel as UTF-8 with BOM, so both encodings turn up
    encoding = "gbk" if (world.company.last_cycle - cycle) % 2 == 0 else "utf-8-sig"
    write_drop(folder, frames, items_encoding=encoding)
