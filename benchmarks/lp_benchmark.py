"""Benchmark: the supply LP at scale (default 10,000 SKUs x 18 months x 50 resources).

Generates a synthetic planning problem shaped like the demo plant: 20 product families with
their own seasonality (+-25 %), four-fifths of the resources are assembly lines serving one
family each, the other fifth shared work centres on the second routing step of half the SKUs;
capacity sized so that the year's mean load runs at `--utilization` +- 5 % of it (0.85 by
default, the demo's 78-88 %), halved in one maintenance month per resource, with 10 % overtime;
lead times 0-2 months; safety stock from a forecast error at 90-98 % service (a tenth of the
SKUs by cover instead); backlog on a tenth of the SKUs. `--utilization 0.95` is a plant where
half the work centres are short all year; `--random-routing` routes every SKU to random
resources instead of its family's line, so that each binding capacity row couples SKUs of
every family (the hardest case for the solver). Then it times the phases of `plan_supply` for
the baseline:

- prepare: input frames -> `SupplyProblem` arrays (prepare.build_problem);
- build: the sparse LP (lp.build_lp);
- solve: HiGHS (solver.solve_lp);
- round: production rounded to whole units (lots.whole_production) and the LP solved again
  with production fixed there (lots.py, step 3); `fractional` counts the production rows with
  a fractional quantity before and after, `gap_%` the rounded plan's cost over the LP's;
- tables: solution -> supply_plan, resource_load and exceptions frames;
and the peak memory: the maximum resident set size of the process (which includes HiGHS), each
size in a fresh process, and how much of it the planning added over the inputs (`added_MB`).
Prints each phase's median over `--repeat` runs. Usage:

    python -m benchmarks.lp_benchmark [--skus 2000 10000] [--months 18] [--resources 50]
                                      [--utilization 0.85] [--repeat 3] [--solver simplex]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

import numpy as np
import pandas as pd

from sop_pipeline.core.supply import SupplyInputs
from sop_pipeline_tests.factories import supply_inputs

CYCLE = pd.Timestamp("2026-01-01")
T = TypeVar("T")


def synthetic_inputs(
    n_skus: int,
    n_months: int,
    n_resources: int,
    utilization: float = 0.85,
    random_routing: bool = False,
    seed: int = 7,
) -> SupplyInputs:
    """A planning problem of the given size with realistic proportions (see the module doc)."""
    rng = np.random.default_rng(seed)
    skus = np.array([f"SKU{s:06d}" for s in range(n_skus)])
    resources = np.array([f"RES{r:03d}" for r in range(n_resources)])
    level = rng.lognormal(3.0, 1.0, n_skus)
    family = np.arange(n_skus) % 20
    phase = rng.uniform(0, 12, 20)[family][:, None]
    season = 1 + 0.25 * np.sin(2 * np.pi * (np.arange(n_months)[None, :] + phase) / 12)
    demand = np.round(level[:, None] * season * rng.uniform(0.7, 1.3, (n_skus, n_months)))
    price = rng.uniform(5, 200, n_skus)
    cost = price * rng.uniform(0.4, 0.9, n_skus)
    lead = rng.choice([0, 1, 2], n_skus, p=[0.5, 0.35, 0.15])
    route_sku, route_res = _routes(rng, family, n_resources, random_routing)
    hours = rng.uniform(0.05, 0.5, len(route_sku))
    available = _capacity(rng, route_sku, route_res, hours, demand, n_resources, utilization)
    overtime_cost = np.repeat(rng.uniform(30, 80, n_resources), n_months)
    backlog = np.flatnonzero(rng.random(n_skus) < 0.1)
    by_cover = rng.random(n_skus) < 0.1
    policy = pd.DataFrame(
        {
            "sku": skus,
            "service_level": rng.choice([0.9, 0.95, 0.98], n_skus),
            "safety_stock_method": np.where(by_cover, "min_cover", "service_level"),
            "min_cover_months": np.where(by_cover, 1.0, np.nan),
            "max_cover_months": np.where(by_cover, 3.0, np.nan),
        }
    )
    on_hand = np.round(level * rng.uniform(0, 1.5, n_skus))
    return supply_inputs(
        dict(zip(skus, demand, strict=True)),
        dict(zip(resources, available, strict=True)),
        list(zip(skus[route_sku], resources[route_res], hours, strict=True)),
        price=dict(zip(skus, price, strict=True)),
        cost=dict(zip(skus, cost, strict=True)),
        lead=dict(zip(skus, lead, strict=True)),
        on_hand=dict(zip(skus, on_hand, strict=True)),
        sigma=dict(zip(skus, 0.2 * demand, strict=True)),
        overtime={
            r: (0.1 * hours_by_month, rate)
            for r, hours_by_month, rate in zip(
                resources, available, overtime_cost[::n_months], strict=True
            )
        },
        family=dict(zip(skus, np.char.add("F", family.astype(str)), strict=True)),
        start=CYCLE,
        inventory_policy=policy,
        open_orders=pd.DataFrame(
            {
                "order_id": np.char.add("SO", backlog.astype(str)),
                "line": 1,
                "sku": skus[backlog],
                "requested_date": (CYCLE - pd.DateOffset(days=10)).date().isoformat(),
                "quantity": np.round(0.2 * level[backlog]) + 1,
            }
        ),
    )


def _routes(
    rng: np.random.Generator, family: np.ndarray, n_resources: int, random_routing: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(sku index, resource index) per routing: assembly lines by family (as in the demo
    plant), a fifth of the resources shared by the second step of half the SKUs."""
    n_skus = len(family)
    n_shared = max(n_resources // 5, 1)
    lines = max(n_resources - n_shared, 1)
    per_family = max(lines // 20, 1)
    primary = (family * lines // 20 + rng.integers(0, per_family, n_skus)) % lines
    second = rng.random(n_skus) < 0.5
    route_sku = np.concatenate([np.arange(n_skus), np.flatnonzero(second)])
    shared = (lines + rng.integers(0, n_shared, int(second.sum()))) % n_resources
    route_res = np.concatenate([primary, shared])
    if random_routing:
        route_res = rng.integers(0, n_resources, len(route_sku))
    return route_sku, route_res


def _capacity(
    rng: np.random.Generator,
    route_sku: np.ndarray,
    route_res: np.ndarray,
    hours: np.ndarray,
    demand: np.ndarray,
    n_resources: int,
    utilization: float,
) -> np.ndarray:
    """Hours per resource x month: the mean load over `utilization` +- 5 %, halved in one
    maintenance month per resource."""
    n_months = demand.shape[1]
    load = np.zeros((n_resources, n_months))
    np.add.at(load, route_res, hours[:, None] * demand[route_sku])
    spread = rng.uniform(utilization - 0.05, utilization + 0.05, (n_resources, 1))
    available = np.repeat(load.mean(axis=1, keepdims=True) / spread, n_months, axis=1)
    available[np.arange(n_resources), rng.integers(0, n_months, n_resources)] *= 0.5
    return available


def _timed(phases: dict[str, float], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    phases[name] = time.perf_counter() - start
    return result


def run_once(inputs: SupplyInputs, n_months: int, solver: str) -> dict[str, float]:
    """Seconds per phase of one baseline supply plan, and its objective."""
    from sop_pipeline.core.supply.capacity import Load, resource_load
    from sop_pipeline.core.supply.costs import CostSettings, unit_costs
    from sop_pipeline.core.supply.exceptions import find_exceptions
    from sop_pipeline.core.supply.lots import whole_production
    from sop_pipeline.core.supply.lp import build_lp, solve_problem, unpack_solution
    from sop_pipeline.core.supply.model import LpSolution
    from sop_pipeline.core.supply.plan import supply_plan_frame
    from sop_pipeline.core.supply.prepare import build_problem
    from sop_pipeline.core.supply.safety_stock import maximum_inventory, safety_stock_targets
    from sop_pipeline.core.supply.solver import solve_lp

    phases: dict[str, float] = {}
    problem = _timed(phases, "prepare", lambda: build_problem(inputs, CYCLE, n_months))
    settings = CostSettings()
    safety_stock = safety_stock_targets(problem, settings.default_service_level)
    model = _timed(
        phases, "build", lambda: build_lp(problem, unit_costs(problem, settings), safety_stock)
    )
    values, duals, objective = _timed(phases, "solve", lambda: solve_lp(model, solver))

    relaxed = unpack_solution(problem, model, safety_stock, values, duals, objective)

    def whole() -> LpSolution:
        production = whole_production(problem, relaxed.production)
        fixed = dataclasses.replace(problem, pinned_production=production)
        rounded = solve_problem(fixed, unit_costs(problem, settings), safety_stock, solver)
        return dataclasses.replace(rounded, production=production)

    solution = _timed(phases, "round", whole)

    def tables() -> None:
        load = Load.of(problem, solution)
        supply_plan_frame(problem, solution, safety_stock, "baseline")
        resource_load(problem, solution, load, "baseline")
        find_exceptions(
            problem, solution, load, safety_stock, maximum_inventory(problem), "baseline", 3
        )

    _timed(phases, "tables", tables)
    phases["total"] = sum(phases[p] for p in ("prepare", "build", "solve", "round", "tables"))
    phases["objective"] = solution.objective
    phases["gap_pct"] = 100 * (solution.objective - objective) / abs(objective)
    phases["fractional_before"] = _fractional(relaxed.production)
    phases["fractional_after"] = _fractional(solution.production)
    return phases


def _fractional(production: np.ndarray) -> float:
    """Production rows (quantity > 1e-6) whose quantity is not a whole number."""
    made = production > 1e-6
    return float((made & (np.abs(production - np.round(production)) > 1e-6)).sum())


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(args: argparse.Namespace, n_skus: int) -> dict[str, float]:
    """Medians over `--repeat` runs of one size, with the process's peak memory (run it in a
    fresh process, so that the maximum resident set size is this size's)."""
    inputs = synthetic_inputs(
        n_skus, args.months, args.resources, args.utilization, args.random_routing
    )
    before = _max_rss_mb()
    runs = [run_once(inputs, args.months, args.solver) for _ in range(args.repeat)]
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    medians["max_rss_mb"] = _max_rss_mb()
    medians["added_mb"] = medians["max_rss_mb"] - before
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--resources", type=int, default=50)
    parser.add_argument("--utilization", type=float, default=0.85, help="mean load / capacity")
    parser.add_argument(
        "--random-routing",
        action="store_true",
        help="route each SKU to random resources (every resource couples every family)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--solver", default="simplex", help="HiGHS solver option")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(
        f"supply LP, {args.months} months x {args.resources} resources at "
        f"{args.utilization:.0%} mean utilisation"
        + (", random routing" if args.random_routing else "")
        + f", HiGHS {args.solver}, median of {args.repeat}"
        " (seconds, MB)"
    )
    print(
        "skus     prepare   build   solve   round  tables   total  max_rss_MB  added_MB"
        "  objective      gap_%  fractional rows LP -> rounded"
    )
    for n_skus in args.skus:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            m = pool.submit(measure, args, n_skus).result()
        print(
            f"{n_skus:<8} {m['prepare']:7.2f} {m['build']:7.2f} {m['solve']:7.2f} "
            f"{m['round']:7.2f} {m['tables']:7.2f} {m['total']:7.2f} {m['max_rss_mb']:11.0f} "
            f"{m['added_mb']:9.0f}  {m['objective']:.6e} {m['gap_pct']:7.3f}  "
            f"{m['fractional_before']:.0f} -> {m['fractional_after']:.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
