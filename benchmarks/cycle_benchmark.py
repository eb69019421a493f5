"""Benchmark: one planning cycle at demo scale and at 10x the SKUs, per step.

Runs the real Dagster job in process on generated exports into a fresh DuckDB file and prints,
for each step, the wall time (from Dagster's step events) and the peak resident memory of the
process while the step ran (sampled every 20 ms from /proc), and the peak memory of the whole
process tree, this process and the workers statsforecast forks for large batches (the sum of
their proportional set sizes, so pages the forked workers share with it count once; sampled
every second: one reading of the kernel's page accounting takes about 15 ms for a 0.5 GB tree,
and every 200 ms it kept this process at 12-20 % of a core during the forecast it measures).
Usage:

    python -m benchmarks.cycle_benchmark [--skus 200 2000] [--cycle 2026-11] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
from dagster import DagsterEventType, DagsterInstance

from sop_pipeline.demo import write_demo_exports
from sop_pipeline.runner import CycleOptions, cycle_job, run_cycle

PAGE_MB = 4096 / 2**20


def descendants(pid: int) -> list[int]:
    """Pids of the processes below `pid` (children of every thread, recursively)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += [int(child), *descendants(int(child))]
    return found


def tree_pss_mb(pid: int) -> float:
    """Proportional set size (MB) of `pid` and its descendants: shared pages counted once."""
    total_kb = 0
    for member in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError), open(f"/proc/{member}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
    return total_kb / 1024


class RssSampler(threading.Thread):
    """Samples this process's resident set size (MB) with timestamps until stopped, and
    every `tree_every` samples the process tree's proportional set size."""

    def __init__(self, interval: float = 0.02, tree_every: int = 50) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.tree_every = tree_every
        self.samples: list[tuple[float, float]] = []
        self.tree_samples: list[tuple[float, float]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        count = 0
        while not self._stop_event.is_set():
            with open("/proc/self/statm") as statm:
                resident_pages = int(statm.read().split()[1])
            self.samples.append((time.time(), resident_pages * PAGE_MB))
            if count % self.tree_every == 0:
                self.tree_samples.append((time.time(), tree_pss_mb(os.getpid())))
            count += 1
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak_between(self, start: float, end: float, tree: bool = False) -> float:
        samples = self.tree_samples if tree else self.samples
        window = [rss for t, rss in samples if start <= t <= end]
        return max(window) if window else float("nan")


def step_windows(instance: DagsterInstance, run_id: str) -> dict[str, tuple[float, float]]:
    """Start and end timestamps of every step of the run, from the instance's event log."""
    starts: dict[str, float] = {}
    windows: dict[str, tuple[float, float]] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            windows[event.step_key] = (starts.get(event.step_key, entry.timestamp), entry.timestamp)
    return windows


def run_once(
    root: Path, cycle: str, run: int
) -> tuple[float, float, float, dict[str, tuple[float, float, float]]]:
    """One cycle into a fresh root/sop_<run>.duckdb: wall seconds, peak RSS (MB), peak tree
    PSS (MB), and per step (wall seconds, peak RSS MB, peak tree PSS MB)."""
    instance = DagsterInstance.ephemeral()
    options = CycleOptions(
        exports=root / "exports",
        reports_dir=root / "reports",
        warehouse_url=f"duckdb:///{root / f'sop_{run}.duckdb'}",
    )
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    # dbt prints its own log on stdout; the benchmark prints figures only
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        result = run_cycle(pd.Timestamp(f"{cycle}-01"), cycle_job(options), instance)
    total = time.perf_counter() - started
    sampler.stop()
    steps = {
        step: (
            end - start,
            sampler.peak_between(start, end),
            sampler.peak_between(start, end, tree=True),
        )
        for step, (start, end) in sorted(
            step_windows(instance, result.run_id).items(), key=lambda item: item[1][0]
        )
    }
    tree = max(pss for _, pss in sampler.tree_samples)
    return total, max(rss for _, rss in sampler.samples), tree, steps


def benchmark(skus: int, cycle: str, repeat: int) -> None:
    """Generate the demo exports for `skus` SKUs and run the cycle `repeat` times in this
    process, each into a fresh warehouse file; print the median wall time and peak memory per
    step."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        write_demo_exports(
            root / "exports", last_cycle=cycle, months=36, n_skus=skus, full_history_at=cycle
        )
        generated = time.perf_counter() - started
        runs = [run_once(root, cycle, run) for run in range(repeat)]
    print(
        f"\n== {skus} SKUs, cycle {cycle}, median of {repeat} run(s): exports generated in "
        f"{generated:.1f} s; cycle {statistics.median(r[0] for r in runs):.1f} s wall "
        f"(runs: {', '.join(f'{r[0]:.1f}' for r in runs)}); "
        f"peak RSS {statistics.median(r[1] for r in runs):.0f} MB, "
        f"peak PSS with workers {statistics.median(r[2] for r in runs):.0f} MB"
    )
    print(f"{'step':<40} {'wall s':>8} {'peak RSS MB':>12} {'tree PSS MB':>12}")
    for step in runs[0][3]:
        wall, rss, tree = (
            statistics.median(r[3][step][k] for r in runs if step in r[3]) for k in range(3)
        )
        print(f"{step:<40} {wall:>8.2f} {rss:>12.0f} {tree:>12.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--cycle", default="2026-11")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (medians printed)")
    args = parser.parse_args()
    for skus in args.skus:
        benchmark(skus, args.cycle, args.repeat)


if __name__ == "__main__":
    main()
