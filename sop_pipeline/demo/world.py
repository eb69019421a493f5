"""The demo company's book of record, month by month: what the plant started and finished,
what was shipped from stock against the customer orders, what waits as backlog and what was
lost. Every drop is cut from this book, so the drops form one consistent world.

A month t of a SKU: arrivals are the starts of month t - lead time; stock available is the
opening stock plus the arrivals; shipments serve the backlog first, then the month's orders,
never more than is available; of the month's orders left unserved `BACKORDER_SHARE` waits a
month as backlog, the rest is lost, and backlog still unserved a month later is lost too.
Hence, per SKU and month, opening + arrivals - shipped = closing, and per SKU x region,
orders = shipped + (backlog at the end - backlog at the start) + lost.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import IntArray
from sop_pipeline.demo.plant import Plant, execute

BACKORDER_SHARE = 0.5  # of unserved orders, the share whose customers wait a month


@dataclass
class Ledger:
    """The book over the timeline; [sku, month] and [sku, region, month] arrays (catalogue
    row order, `REGIONS` order, timeline months), `overtime` [resource, month]. `simulated`
    is the number of timeline months booked so far."""

    lead: IntArray
    opening: FloatArray
    starts: FloatArray  # released (asked of the plant)
    made: FloatArray  # really started
    arrivals: FloatArray
    closing: FloatArray
    orders: FloatArray
    on_time: FloatArray  # of the month's orders, shipped in the month
    late: FloatArray  # backlog of the month before, shipped in the month
    backlog: FloatArray  # at the month end
    lost: FloatArray
    overtime: FloatArray
    simulated: int = 0

    def copy(self) -> Ledger:
        return copy.deepcopy(self)

    @property
    def shipped(self) -> FloatArray:
        """Units shipped per [sku, region, month]."""
        return self.on_time + self.late

    def on_hand(self) -> FloatArray:
        """Stock per SKU at the end of the last booked month (the opening of the next)."""
        return self.closing[:, self.simulated - 1] if self.simulated else self.opening[:, 0]

    def in_transit(self) -> FloatArray:
        """Units started but not arrived by the end of the last booked month, per SKU."""
        t = self.simulated
        pending = np.zeros(len(self.lead))
        for lag in range(1, int(self.lead.max(initial=0)) + 1):
            if t - lag >= 0:
                pending += np.where(self.lead >= lag, self.made[:, t - lag], 0.0)
        return pending

    def open_backlog(self) -> FloatArray:
        """Backlog per [sku, region] at the end of the last booked month."""
        if not self.simulated:
            return np.zeros(self.orders.shape[:2])
        return self.backlog[:, :, self.simulated - 1]


def new_ledger(
    orders: IntArray, lead: IntArray, initial_stock: FloatArray, n_resources: int
) -> Ledger:
    """An empty book over the timeline of `orders` ([sku, region, month]), stock
    `initial_stock` per SKU at the start."""
    n_skus, n_regions, n_months = orders.shape
    flat = np.zeros((n_skus, n_months))
    cube = np.zeros((n_skus, n_regions, n_months))
    opening = flat.copy()
    opening[:, 0] = initial_stock
    return Ledger(
        lead=np.asarray(lead, dtype=np.int64),
        opening=opening,
        starts=flat.copy(),
        made=flat.copy(),
        arrivals=flat.copy(),
        closing=flat.copy(),
        orders=orders.astype(float),
        on_time=cube.copy(),
        late=cube.copy(),
        backlog=cube.copy(),
        lost=cube.copy(),
        overtime=np.zeros((n_resources, n_months)),
    )


def book_month(ledger: Ledger, plant: Plant, starts: FloatArray) -> None:
    """Book the next month: the plant executes `starts` (per SKU), then stock is shipped."""
    t = ledger.simulated
    if t > 0:
        ledger.opening[:, t] = ledger.closing[:, t - 1]
    made, overtime = execute(plant, starts, t)
    ledger.starts[:, t] = np.maximum(np.nan_to_num(starts), 0.0)
    ledger.made[:, t] = made
    ledger.overtime[:, t] = overtime
    origin = t - ledger.lead
    rows = np.flatnonzero(origin >= 0)
    ledger.arrivals[rows, t] = ledger.made[rows, origin[rows]]
    available = ledger.opening[:, t] + ledger.arrivals[:, t]
    owed = ledger.backlog[:, :, t - 1] if t > 0 else np.zeros(ledger.orders.shape[:2])
    late = allocate(available, owed)
    on_time = allocate(available - late.sum(axis=1), ledger.orders[:, :, t])
    unserved = ledger.orders[:, :, t] - on_time
    waiting = np.floor(unserved * BACKORDER_SHARE)
    ledger.late[:, :, t] = late
    ledger.on_time[:, :, t] = on_time
    ledger.backlog[:, :, t] = waiting
    ledger.lost[:, :, t] = unserved - waiting + owed - late
    ledger.closing[:, t] = available - late.sum(axis=1) - on_time.sum(axis=1)
    ledger.simulated = t + 1


def allocate(available: FloatArray, wanted: FloatArray) -> FloatArray:
    """Whole units shipped per [sku, region] from `available` per SKU against `wanted`: all of
    it when there is enough, else the stock split in proportion to what each region wants."""
    total = wanted.sum(axis=1)
    enough = available >= total
    scale = np.where(enough | (total <= 0), 1.0, available / np.maximum(total, 1e-9))
    cumulative = np.floor(np.cumsum(wanted, axis=1) * scale[:, None] + 1e-9)
    shipped = np.diff(cumulative, axis=1, prepend=0.0)
    return np.where(enough[:, None], wanted, shipped)
