"""The demo company as a whole: its catalogue, market, plant and plans over one timeline of
months (`DemoCompany`), the book of what happened month by month (`World`), and the frames of
one drop cut from that book."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sop_pipeline.demo.capacity import (
    RESOURCES,
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
)
from sop_pipeline.demo.house import SAFETY_COVER, house_starts
from sop_pipeline.demo.market import build_deals, crm_at, customer_orders
from sop_pipeline.demo.months import IntArray
from sop_pipeline.demo.plans import (
    budget_at,
    budget_calendar,
    build_events,
    overrides_at,
    promotions_at,
    scenarios,
)
from sop_pipeline.demo.plant import Plant, build_plant
from sop_pipeline.demo.sales import month_lines, poisoned_lines, sales_drop
from sop_pipeline.demo.stock import (
    build_policy,
    dc_share,
    inventory_at,
    month_orders,
    open_orders_at,
    production_at,
)
from sop_pipeline.demo.world import Ledger, book_month, new_ledger

MONTHS_BEFORE = 12  # the timeline starts a year before the history: budgets, a run-in book
MONTHS_AFTER = 30  # and ends 30 months after the newest cycle, for its resources and budget
SHUTDOWN_AFTER = 2  # the maintenance shutdown falls two months after the newest cycle
LINES, ORDERS, HOUSE = 11, 12, 13  # generator keys: a month's lines, orders; house forecast
HOUSE_FORECAST_ERROR = 0.2


@dataclass(frozen=True)
class DemoCompany:
    """The simulated company. `cycles` are the drops' month ordinals, oldest first; the drop of
    cycle c exports month c - 1; [sku, region, month] and [sku, month] arrays follow the
    catalogue's rows and the `timeline` (month ordinals): `expected` is the mean demand,
    `orders` the true customer orders drawn from it plus the CRM deals that landed."""

    seed: int
    cycles: IntArray
    timeline: IntArray
    catalogue: pd.DataFrame
    customers: pd.DataFrame
    expected: FloatArray
    orders: IntArray
    events: pd.DataFrame
    deals: pd.DataFrame
    routings: pd.DataFrame
    capacity: pd.DataFrame
    plant: Plant
    policy: pd.DataFrame
    budget: pd.DataFrame
    at_dc: FloatArray

    def index(self, month: int) -> int:
        """The timeline index of month ordinal `month`."""
        return int(month - self.timeline[0])

    @property
    def first_history_month(self) -> int:
        return int(self.cycles[0]) - 1

    @property
    def last_cycle(self) -> int:
        return int(self.cycles[-1])


def build_company(
    seed: int, last_cycle: int, months: int, n_skus: int, shutdown: int | None = None
) -> DemoCompany:
    """The company whose newest cycle is `last_cycle`, with `months` months of history and its
    maintenance shutdown in month ordinal `shutdown` (default two months after the newest
    cycle). One generator drives it all, so the same arguments give the same company."""
    rng = np.random.default_rng(seed)
    cycles = np.arange(last_cycle - months + 1, last_cycle + 1)
    timeline = np.arange(int(cycles[0]) - 1 - MONTHS_BEFORE, last_cycle + MONTHS_AFTER + 1)
    catalogue = build_catalogue(rng, n_skus, last_cycle)
    customers = build_customers(rng)
    shares = region_shares(rng, catalogue)
    events = build_events(rng, catalogue, timeline)
    promotion = promotion_factor(events, catalogue, timeline)
    expected = expected_demand(catalogue, shares, timeline, promotion, anchor=last_cycle)
    deals = build_deals(rng, catalogue, expected, timeline)
    orders = customer_orders(rng, catalogue, expected, deals, int(timeline[0]))
    routings = build_routings(rng, catalogue)
    load = routed_load(routings, catalogue, expected.sum(axis=1))
    shutdown = last_cycle + SHUTDOWN_AFTER if shutdown is None else shutdown
    capacity = capacity_calendar(rng, load, timeline, shutdown)
    return DemoCompany(
        seed=seed,
        cycles=cycles,
        timeline=timeline,
        catalogue=catalogue,
        customers=customers,
        expected=expected,
        orders=orders,
        events=events,
        deals=deals,
        routings=routings,
        capacity=capacity,
        plant=build_plant(rng, catalogue, routings, capacity, timeline),
        policy=build_policy(rng, catalogue),
        budget=budget_calendar(
            rng, catalogue, expected, timeline, float(customers["discount"].mean())
        ),
        at_dc=dc_share(rng, n_skus),
    )


@dataclass
class World:
    """The company's book up to some month and what its systems recorded of it: shipment
    lines (`lines`) and production orders (`production`) by month ordinal of the history."""

    company: DemoCompany
    ledger: Ledger
    lines: dict[int, pd.DataFrame] = field(default_factory=dict)
    production: dict[int, pd.DataFrame] = field(default_factory=dict)

    @property
    def month(self) -> int:
        """The month ordinal booked next."""
        return int(self.company.timeline[0]) + self.ledger.simulated

    def copy(self) -> World:
        return World(
            self.company, copy.deepcopy(self.ledger), dict(self.lines), dict(self.production)
        )

    def book(self, starts: FloatArray) -> None:
        """Book the next month with the plant executing `starts` (units per SKU)."""
        company, month, t = self.company, self.month, self.ledger.simulated
        book_month(self.ledger, company.plant, starts)
        if month < company.first_history_month:
            return  # the run-in year before the history: no exports are cut from it
        rng = np.random.default_rng([company.seed, LINES, month])
        shipped = self.ledger.shipped[:, :, t]
        self.lines[month] = month_lines(rng, shipped, company.catalogue, company.customers, month)
        rng = np.random.default_rng([company.seed, ORDERS, month])
        made = self.ledger.made[:, t]
        self.production[month] = month_orders(rng, made, self.ledger.lead, company.catalogue, month)

    def run_house_planning(self, until: int) -> None:
        """Book every month before month ordinal `until` as the house planner plans it, from
        a forecast that misses the expected demand by about 20 % either way."""
        company = self.company
        expected = company.expected.sum(axis=1)
        rng = np.random.default_rng([company.seed, HOUSE])
        forecast = expected * rng.lognormal(0.0, HOUSE_FORECAST_ERROR, expected.shape)
        while self.month < until:
            self.book(house_starts(self.ledger, forecast))


def start_world(company: DemoCompany) -> World:
    """The book at the start of the timeline: stock of each SKU for its first months."""
    expected = company.expected.sum(axis=1)
    lead = company.catalogue["lead_time_months"].to_numpy()
    initial = np.round(expected[:, 0] * (1.0 + lead + SAFETY_COVER))
    return World(company, new_ledger(company.orders, lead, initial, len(RESOURCES)))


def drop_frames(world: World, cycle: int, full: bool, poisoned: bool) -> dict[str, pd.DataFrame]:
    """The frames of the drop of cycle `cycle` (month ordinal; the book must reach the month
    before), one per export file stem, with the columns of the input contract. `full`: its
    sales history is the whole history; `poisoned`: it also has the four lines validation
    must quarantine."""
    company = world.company
    t = company_index(world, cycle - 1)
    # a generator per drop, keyed by its month, so a drop's orders and plans do not depend on
    # how many drops are written
    rng = np.random.default_rng([company.seed, cycle])
    catalogue = company.catalogue
    items = items_at(catalogue, cycle)
    sales = sales_drop(world.lines, cycle - 1, full)
    if poisoned:
        bad = poisoned_lines(catalogue, company.customers, cycle - 1)
        sales = pd.concat([sales, bad]).sort_values("ship_date", kind="stable", ignore_index=True)
    listed = catalogue["sku"].isin(items["sku"]).to_numpy()
    return {
        "items": items,
        "sales_history": sales,
        "inventory": inventory_at(catalogue, world.ledger.closing[:, t], company.at_dc, items),
        "resources": resources_at(company.capacity, cycle),
        "routings": routings_at(company.routings, items),
        "inventory_policy": company.policy[listed].reset_index(drop=True),
        "open_orders": open_orders_at(rng, catalogue, world.ledger.backlog[:, :, t], cycle),
        "production_orders": production_at(world.production, cycle),
        "crm_pipeline": crm_at(company.deals, items, cycle),
        "promotions": promotions_at(company.events, cycle),
        "budget": budget_at(company.budget, cycle),
        "demand_overrides": overrides_at(
            rng, catalogue, company.expected, int(company.timeline[0]), cycle
        ),
        "scenarios": scenarios(cycle),
    }


def company_index(world: World, month: int) -> int:
    """Timeline index of a booked month ordinal; ValueError when the book does not reach it."""
    t = world.company.index(month)
    if not 0 <= t < world.ledger.simulated:
        raise ValueError(f"month {month} is not booked yet")
    return t
