"""The demo company as a whole: everything its export drops are cut from, simulated once over
one timeline of months, and the frames of one drop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.demo.capacity import (
    build_routings,
    capacity_calendar,
    resources_at,
    routed_load,
    routings_at,
)
from sop_pipeline.demo.catalogue import build_catalogue, build_customers, items_at
from sop_pipeline.demo.demand import (
    FloatArray,
    expected_demand,
    promotion_factor,
    region_shares,
    simulate_sales,
)
from sop_pipeline.demo.months import IntArray
from sop_pipeline.demo.plans import (
    budget_at,
    budget_calendar,
    build_events,
    crm_at,
    overrides_at,
    promotions_at,
    scenarios,
)
from sop_pipeline.demo.sales import (
    late_corrections,
    poisoned_lines,
    sales_drop,
    shipment_lines,
)
from sop_pipeline.demo.stock import (
    build_policy,
    inventory_at,
    open_orders_at,
    production_at,
    production_history,
)

MONTHS_BEFORE = 12  # the timeline starts a year before the history, for the first budgets
MONTHS_AFTER = 30  # and ends 30 months after the newest cycle, for its resources and budget
SHUTDOWN_AFTER = 2  # the maintenance shutdown falls two months after the newest cycle


@dataclass(frozen=True)
class DemoCompany:
    """The simulated company. `cycles` are the drops' month ordinals, oldest first; history
    month j (the month drop j exports) is `cycles[j] - 1`; `expected` is indexed [sku, region,
    timeline month] in catalogue row order; the other frames are described where built."""

    seed: int
    cycles: IntArray
    timeline: IntArray
    catalogue: pd.DataFrame
    customers: pd.DataFrame
    expected: FloatArray
    events: pd.DataFrame
    lines: pd.DataFrame
    corrections: pd.DataFrame
    routings: pd.DataFrame
    capacity: pd.DataFrame
    policy: pd.DataFrame
    production: pd.DataFrame
    budget: pd.DataFrame


def build_company(seed: int, last_cycle: int, months: int, n_skus: int) -> DemoCompany:
    """Simulate the company whose newest cycle is `last_cycle`, with `months` months of
    history. One generator drives it all, so the same arguments give the same company."""
    rng = np.random.default_rng(seed)
    cycles = np.arange(last_cycle - months + 1, last_cycle + 1)
    first_month = int(cycles[0]) - 1
    timeline = np.arange(first_month - MONTHS_BEFORE, last_cycle + MONTHS_AFTER + 1)
    catalogue = build_catalogue(rng, n_skus, last_cycle)
    customers = build_customers(rng)
    shares = region_shares(rng, catalogue)
    events = build_events(rng, catalogue, timeline)
    promotion = promotion_factor(events, catalogue, timeline)
    expected = expected_demand(catalogue, shares, timeline, promotion, anchor=last_cycle)
    history = expected[:, :, MONTHS_BEFORE : MONTHS_BEFORE + months]
    sold = simulate_sales(rng, history, catalogue)
    lines = shipment_lines(rng, sold, catalogue, customers, first_month)
    routings = build_routings(rng, catalogue)
    load = routed_load(routings, catalogue, expected.sum(axis=1))
    return DemoCompany(
        seed=seed,
        cycles=cycles,
        timeline=timeline,
        catalogue=catalogue,
        customers=customers,
        expected=expected,
        events=events,
        lines=lines,
        corrections=late_corrections(rng, lines, months),
        routings=routings,
        capacity=capacity_calendar(rng, load, timeline, last_cycle + SHUTDOWN_AFTER),
        policy=build_policy(rng, catalogue),
        production=production_history(rng, sold, catalogue, first_month),
        budget=budget_calendar(
            rng, catalogue, expected, timeline, float(customers["discount"].mean())
        ),
    )


def drop_frames(
    company: DemoCompany, drop: int, full: bool, poisoned: bool
) -> dict[str, pd.DataFrame]:
    """The frames of drop `drop` (index into `cycles`), one per export file stem, with the
    columns of the input contract. `full`: its sales history is the whole history;
    `poisoned`: it also has the four lines validation must quarantine."""
    cycle = int(company.cycles[drop])
    # a generator per drop, keyed by its month, so a drop's orders, stock and plans do not
    # depend on how many drops are written
    rng = np.random.default_rng([company.seed, cycle])
    catalogue = company.catalogue
    items = items_at(catalogue, cycle)
    listed = catalogue["sku"].isin(items["sku"]).to_numpy()
    expected_now = company.expected[:, :, cycle - company.timeline[0]] * listed[:, None]
    sales = sales_drop(company.lines, company.corrections, drop, full)
    if poisoned:
        bad = poisoned_lines(catalogue, company.customers, cycle - 1)
        sales = pd.concat([sales, bad]).sort_values("ship_date", kind="stable", ignore_index=True)
    return {
        "items": items,
        "sales_history": sales,
        "inventory": inventory_at(rng, catalogue, expected_now.sum(axis=1), items),
        "resources": resources_at(company.capacity, cycle),
        "routings": routings_at(company.routings, items),
        "inventory_policy": company.policy[listed].reset_index(drop=True),
        "open_orders": open_orders_at(rng, catalogue, expected_now, cycle),
        "production_orders": production_at(company.production, drop),
        "crm_pipeline": crm_at(rng, catalogue, items, cycle),
        "promotions": promotions_at(company.events, cycle),
        "budget": budget_at(company.budget, cycle),
        "demand_overrides": overrides_at(
            rng, catalogue, company.expected, int(company.timeline[0]), cycle
        ),
        "scenarios": scenarios(),
    }
