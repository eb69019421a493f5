"""The closed loop: from a warm-up history the house planner booked, N cycles in which each
policy plans with what the month's drop shows, the plant executes the plan of the cycle
month, customers order, and the next drop is cut from that outcome.

The policies face the same world: the same customer orders (drawn once for the company), the
same plant with the same hours lost each month, the same stock, backlog and work in progress
at the start. Only the pipeline's world is written as drops and planned by the pipeline; the
naive policies plan from their own world's book in memory (the figures its drop would show).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_start
from sop_pipeline.demo import write_world_drop
from sop_pipeline.demo.catalogue import items_at
from sop_pipeline.demo.company import World, build_company, start_world
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import month_labels
from sop_pipeline.simulation.naive import NAIVE_POLICIES, naive_plan
from sop_pipeline.simulation.scores import month_scores

PIPELINE = "pipeline"
POLICIES = (PIPELINE, *NAIVE_POLICIES)
FORECAST_MONTHS = 3  # what accuracy at lags 1 and 3 needs of each cycle's forecast


@dataclass(frozen=True)
class CyclePlan:
    """What a cycle released: `mps` (sku, month, quantity, firm), `demand` (the demand plan
    per sku and month, regions summed) and, when the planner has one, `safety_stock` (sku,
    month, safety_stock: the targets of its supply plan)."""

    mps: pd.DataFrame
    demand: pd.DataFrame
    safety_stock: pd.DataFrame | None = None


Planner = Callable[[pd.Timestamp, Path], CyclePlan]


@dataclass(frozen=True)
class LoopSettings:
    """A closed-loop run: `cycles` cycles ending at month ordinal `last`, after `warmup`
    months of history, for a company of `skus` SKUs drawn with `seed`."""

    last: int
    cycles: int = 12
    skus: int = 200
    seed: int = 7
    warmup: int = 24
    horizon: int = 18

    @property
    def first(self) -> int:
        return self.last - self.cycles + 1


@dataclass
class LoopResult:
    """Scores per policy and cycle (one row each), each policy's world at the end, the
    pipeline's plan of each cycle (by month ordinal)."""

    scores: pd.DataFrame
    worlds: dict[str, World] = field(default_factory=dict)
    plans: dict[int, CyclePlan] = field(default_factory=dict)


def run_closed_loop(
    settings: LoopSettings,
    exports: Path,
    planner: Planner,
    logs: Path,
    progress: Callable[[str], None] = lambda _: None,
    on_cycle: Callable[[pd.DataFrame], None] = lambda _: None,
) -> LoopResult:
    """Run the loop, writing the pipeline world's drops under `exports` and each cycle's
    log under `logs/<cycle>/run.log`; `on_cycle` gets the scores so far after each cycle."""
    company = build_company(
        settings.seed,
        settings.last,
        months=settings.warmup + settings.cycles,
        n_skus=settings.skus,
        # the maintenance shutdown in the middle of the loop, so the plans meet it
        shutdown=settings.first + settings.cycles // 2,
    )
    warm = start_world(company)
    warm.run_house_planning(until=settings.first)
    worlds = {policy: warm.copy() for policy in POLICIES}
    forecasts: dict[str, dict[int, FloatArray]] = {policy: {} for policy in POLICIES}
    previous: pd.DataFrame | None = None
    plans: dict[int, CyclePlan] = {}
    rows = []
    for number, cycle in enumerate(range(settings.first, settings.last + 1)):
        label = str(month_labels(cycle))
        progress(f"cycle {label} ({number + 1}/{settings.cycles}) ...")
        listed = company.catalogue["sku"].isin(items_at(company.catalogue, cycle)["sku"])
        pipeline = worlds[PIPELINE]
        write_world_drop(pipeline, exports / label, cycle, full=number == 0, poisoned=True)
        plan = plans[cycle] = planner(month_start(label), logs / label / "run.log")
        starts, forecasts[PIPELINE][cycle] = plan_arrays(company.catalogue["sku"], plan, cycle)
        nervousness = firm_changes(previous, plan.mps, month_start(label))
        previous = plan.mps
        pipeline.book(starts)
        rows.append(_row(PIPELINE, cycle, pipeline, forecasts[PIPELINE], nervousness))
        for policy in NAIVE_POLICIES:
            world = worlds[policy]
            forecast, naive_starts = naive_plan(
                policy, world.ledger, listed.to_numpy(), settings.horizon
            )
            forecasts[policy][cycle] = forecast
            world.book(naive_starts)
            rows.append(_row(policy, cycle, world, forecasts[policy]))
        on_cycle(pd.DataFrame(rows))
    return LoopResult(scores=pd.DataFrame(rows), worlds=worlds, plans=plans)


def _row(
    policy: str,
    cycle: int,
    world: World,
    forecasts: dict[int, FloatArray],
    nervousness: float = np.nan,
) -> dict[str, object]:
    scores = month_scores(world.company, world.ledger, cycle, forecasts, nervousness)
    return {"policy": policy, "cycle": str(month_labels(cycle)), **scores}


def plan_arrays(skus: pd.Series, plan: CyclePlan, cycle: int) -> tuple[FloatArray, FloatArray]:
    """The starts the cycle releases to the plant per SKU (the MPS of the cycle month) and
    its demand plan [sku, month ahead] for its first `FORECAST_MONTHS` months."""
    first = month_start(str(month_labels(cycle)))
    months = pd.date_range(first, periods=FORECAST_MONTHS, freq="MS")
    mps = plan.mps.assign(month=pd.to_datetime(plan.mps["month"]))
    released = mps[mps["month"] == first].groupby("sku")["quantity"].sum()
    starts = released.reindex(skus).fillna(0.0).to_numpy()
    demand = plan.demand.assign(month=pd.to_datetime(plan.demand["month"]))
    grid = demand.pivot_table(index="sku", columns="month", values="demand", aggfunc="sum")
    forecast = grid.reindex(index=skus, columns=months).fillna(0.0).to_numpy()
    return starts, forecast


def firm_changes(previous: pd.DataFrame | None, mps: pd.DataFrame, cycle: pd.Timestamp) -> float:
    """Plan nervousness: units by which the previous cycle's firm MPS quantities of months
    from `cycle` on changed in this MPS, over those firm units (NaN without a previous MPS
    or firm units)."""
    if previous is None:
        return np.nan
    firm = previous[previous["firm"].astype(bool)]
    firm = firm.assign(month=pd.to_datetime(firm["month"]))
    firm = firm[firm["month"] >= cycle]
    if firm["quantity"].sum() <= 0:
        return np.nan
    now = mps.assign(month=pd.to_datetime(mps["month"])).set_index(["sku", "month"])["quantity"]
    before = firm.set_index(["sku", "month"])["quantity"]
    after = now.reindex(before.index).fillna(0.0)
    return float((after - before).abs().sum() / before.sum())
