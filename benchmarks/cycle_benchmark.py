"""Benchmark: one planning cycle at demo scale and at 10x the SKUs, per step.

Runs the real Dagster job in process on generated exports into a fresh DuckDB file and prints,
for each step, the wall time (from Dagster's step events) and the peak resident memory of the
process while the step ran (sampled every 20 ms from /proc). Usage:

    python -m benchmarks.cycle_benchmark [--skus 200 2000] [--cycle 2026-11]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult

from sop_pipeline.core.demo import write_demo_exports
from sop_pipeline.runner import CycleOptions, run_cycle

PAGE_MB = 4096 / 2**20


class RssSampler(threading.Thread):
    """Samples this process's resident set size (MB) with timestamps until stopped."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            with open("/proc/self/statm") as statm:
                resident_pages = int(statm.read().split()[1])
            self.samples.append((time.time(), resident_pages * PAGE_MB))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_between(self, start: float, end: float) -> float:
        window = [rss for t, rss in self.samples if start <= t <= end]
        return max(window) if window else float("nan")


def step_windows(result: ExecuteInProcessResult) -> dict[str, tuple[float, float]]:
    """Start and end timestamps of every step of the run."""
    starts: dict[str, float] = {}
    windows: dict[str, tuple[float, float]] = {}
    for record in result.all_events:
        key = record.step_key or ""
        if record.event_type == DagsterEventType.STEP_START:
            starts[key] = record.timestamp
        elif record.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            windows[key] = (starts.get(key, record.timestamp), record.timestamp)
    return windows


def benchmark(skus: int, cycle: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        write_demo_exports(
            root / "exports", last_cycle=cycle, months=36, n_skus=skus, full_history_at=cycle
        )
        generated = time.perf_counter() - started
        sampler = RssSampler()
        sampler.start()
        started = time.perf_counter()
        options = CycleOptions(
            exports=root / "exports",
            reports_dir=root / "reports",
            warehouse_url=f"duckdb:///{root / 'sop.duckdb'}",
        )
        result = run_cycle(pd.Timestamp(f"{cycle}-01"), options, DagsterInstance.ephemeral())
        total = time.perf_counter() - started
        sampler.stop()
    print(
        f"\n== {skus} SKUs, cycle {cycle}: exports generated in {generated:.1f} s; "
        f"cycle in {total:.1f} s wall; "
        f"peak RSS {max(r for _, r in sampler.samples):.0f} MB"
    )
    print(f"{'step':<40} {'wall s':>8} {'peak RSS MB':>12}")
    windows = sorted(step_windows(result).items(), key=lambda item: item[1][0])
    for step, (start, end) in windows:
        print(f"{step:<40} {end - start:>8.2f} {sampler.peak_between(start, end):>12.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--cycle", default="2026-11")
    args = parser.parse_args()
    for skus in args.skus:
        benchmark(skus, args.cycle)


if __name__ == "__main__":
    main()
