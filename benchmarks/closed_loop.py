"""Benchmark: the closed loop (`sop simulate`) on the demo company, the pipeline against two
naive policies on the same world; prints the report and the Markdown totals for the README.

    python -m benchmarks.closed_loop [--cycles 12] [--skus 200] [--seed 7] [--horizon 18]
        [--whole-cycle] [--dir DIR (default: a temporary folder)]

Each cycle runs the planning steps (`sop_closed_loop`); `--whole-cycle` runs the whole
`sop_cycle` job (reporting steps and dbt too) instead, for timing the difference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from sop_pipeline.closed_loop import PipelinePlanner
from sop_pipeline.core.calendar import month_ordinal, month_start
from sop_pipeline.defs.resources import PlanningSettings
from sop_pipeline.simulation.diagnosis import render_diagnosis
from sop_pipeline.simulation.loop import LoopSettings, run_closed_loop
from sop_pipeline.simulation.report import markdown, render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--skus", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--horizon", type=int, default=18)
    parser.add_argument("--whole-cycle", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.dir or Path(scratch)
        url = f"duckdb:///{(root / 'closed_loop.duckdb').resolve()}"
        planner = PipelinePlanner(
            root / "exports", url, root / "reports", args.horizon, args.whole_cycle
        )
        settings = LoopSettings(
            last=month_ordinal(month_start(pd.Timestamp.today())),
            cycles=args.cycles,
            skus=args.skus,
            seed=args.seed,
            horizon=args.horizon,
        )
        started = time.perf_counter()
        result = run_closed_loop(
            settings,
            root / "exports",
            planner.plan,
            root / "reports",
            progress=lambda line: print(
                f"{line} ({time.perf_counter() - started:.0f} s)", flush=True
            ),
            on_cycle=lambda scores: scores.to_csv(root / "closed_loop.csv", index=False),
        )
        elapsed = time.perf_counter() - started
    print(render(result.scores))
    print(
        f"\n{args.cycles} cycles, {args.skus} SKUs, seed {args.seed}: {elapsed:.0f} s, "
        f"{elapsed / args.cycles:.0f} s a cycle\n"
    )
    print(markdown(result.scores))
    print()
    loop_months = range(settings.first, settings.last + 1)
    print(render_diagnosis(result, loop_months, PlanningSettings().frozen_months))


if __name__ == "__main__":
    main()
