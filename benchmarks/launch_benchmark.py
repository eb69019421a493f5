"""Benchmark: what a planning cycle costs depending on how it is launched.

One demo cycle on the same exports, each run into a fresh DuckDB file and a persistent Dagster
instance, launched three ways:

- `cli`: as `sop run` does, `execute_in_process` of the `sop_cycle` job;
- `execute_job/in_process`: through Dagster's `execute_job` (the path a run launcher takes, a
  reconstructable job) with the job's executor, `in_process_executor`, as a UI run now has;
- `execute_job/multiprocess`: the same with Dagster's default `multiprocess_executor`, one
  process per step, as a UI run had before.

Prints each launch's median wall time and its ratio to the CLI's. Usage:

    python -m benchmarks.launch_benchmark [--skus 40] [--cycle 2026-11] [--repeat 3]
        [--modes cli execute_job/in_process execute_job/multiprocess]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from dagster import (
    DagsterInstance,
    JobDefinition,
    execute_job,
    multiprocess_executor,
    reconstructable,
)

from sop_pipeline.demo import write_demo_exports
from sop_pipeline.runner import CycleOptions, cycle_job, run_cycle

MODES = ("cli", "execute_job/in_process", "execute_job/multiprocess")
RUN_CONFIG = {"loggers": {"progress": {}}}


def _options() -> CycleOptions:
    """The options of the job under test, from the environment (a reconstructed job is
    rebuilt in every step process, from nothing but this module's name)."""
    return CycleOptions(
        exports=Path(os.environ["SOP_BENCH_EXPORTS"]),
        warehouse_url=os.environ["SOP_BENCH_WAREHOUSE"],
        reports_dir=Path(os.environ["SOP_BENCH_REPORTS"]),
    )


def in_process_cycle_job() -> JobDefinition:
    """`sop_cycle` as shipped: one process for the run."""
    return cycle_job(_options())


def multiprocess_cycle_job() -> JobDefinition:
    """`sop_cycle` with Dagster's default executor: one process per step. One step at a time,
    as DuckDB allows one writing process per file (parallel steps fail on its lock)."""
    serial = multiprocess_executor.configured({"max_concurrent": 1})
    return cycle_job(_options()).with_executor_def(serial)


def launch(mode: str, cycle: pd.Timestamp, instance: DagsterInstance) -> float:
    """Run one cycle launched as `mode`; return its wall time in seconds."""
    started = time.perf_counter()
    if mode == "cli":
        run_cycle(cycle, in_process_cycle_job(), instance)
    else:
        target = in_process_cycle_job if mode.endswith("in_process") else multiprocess_cycle_job
        tags = {"dagster/partition": f"{cycle:%Y-%m-%d}"}
        with execute_job(
            reconstructable(target), instance, run_config=RUN_CONFIG, tags=tags
        ) as result:
            if not result.success:
                raise RuntimeError(f"{mode}: the cycle failed")
    return time.perf_counter() - started


def benchmark(skus: int, cycle: str, repeat: int, modes: list[str]) -> dict[str, list[float]]:
    """Wall times per launch mode, each run into a fresh warehouse."""
    workdir = Path(tempfile.mkdtemp(prefix="sop_launch_bench_"))
    write_demo_exports(
        workdir / "exports", last_cycle=cycle, months=30, n_skus=skus, full_history_at=cycle
    )
    os.environ["SOP_BENCH_EXPORTS"] = str(workdir / "exports")
    os.environ["SOP_BENCH_REPORTS"] = str(workdir / "reports")
    # step processes import this module by name: the repository root must be on their path
    root = str(Path(__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    (workdir / "dagster").mkdir()
    instance = DagsterInstance.from_config(str(workdir / "dagster"))
    timings: dict[str, list[float]] = {mode: [] for mode in modes}
    for run in range(repeat):
        for mode in modes:
            warehouse = workdir / f"{mode.replace('/', '_')}_{run}.duckdb"
            os.environ["SOP_BENCH_WAREHOUSE"] = f"duckdb:///{warehouse}"
            # dbt and the libraries print to stdout: to a log, so the figures stay readable
            with (workdir / "runs.log").open("a") as log, contextlib.redirect_stdout(log):
                timings[mode].append(launch(mode, pd.Timestamp(f"{cycle}-01"), instance))
            print(f"  {mode:<26} run {run + 1}: {timings[mode][-1]:7.1f} s", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=40, help="demo company size")
    parser.add_argument("--cycle", default="2026-11", help="the cycle run, YYYY-MM")
    parser.add_argument("--repeat", type=int, default=3, help="runs per launch mode")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args()
    timings = benchmark(args.skus, args.cycle, args.repeat, args.modes)
    base = statistics.median(timings["cli"]) if "cli" in timings else None
    print(f"\none cycle, {args.skus} SKUs, median of {args.repeat}:")
    for mode, seconds in timings.items():
        median = statistics.median(seconds)
        ratio = f"{median / base:5.2f}x the CLI" if base else ""
        print(f"  {mode:<26} {median:7.1f} s  {ratio}")


if __name__ == "__main__":
    main()
