"""The supply review's inputs, outputs and the array form of one planning problem.

`SupplyProblem` is what the LP sees: dense SKU x month and resource x month arrays plus the
routings as coordinate arrays, all indexed by position in `skus`, `months` and `resources`.
Scenarios are applied to a `SupplyProblem` by scaling its arrays, never by rebuilding frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_key

FloatArray = np.ndarray
IntArray = np.ndarray


class SupplyPlanError(RuntimeError):
    """No supply plan: an input is invalid (NaN or negative), or HiGHS found no optimum."""


@dataclass(frozen=True)
class SupplyInputs:
    """What the supply review reads.

    demand: one row per sku x month (unconstrained demand plan summed over regions).
    demand_error: one row per sku x month, `sigma` = std dev of the forecast error (may be empty).
    The other frames follow the input contract; optional ones may be None.
    """

    demand: pd.DataFrame
    demand_error: pd.DataFrame
    items: pd.DataFrame
    inventory: pd.DataFrame
    resources: pd.DataFrame | None = None
    routings: pd.DataFrame | None = None
    inventory_policy: pd.DataFrame | None = None
    open_orders: pd.DataFrame | None = None
    scenarios: pd.DataFrame | None = None
    previous_mps: pd.DataFrame | None = None  # the previous cycle's `mps` rows (firm ones pin)
    receipts: pd.DataFrame | None = None  # scheduled receipts: sku, month (arrival), quantity


@dataclass(frozen=True)
class SupplyReview:
    """The supply review's tables; the first three have a `scenario` column ('baseline' first).

    supply_plan: one row per scenario x sku x month.
    resource_load: one row per scenario x resource x month.
    exceptions: one row per scenario x problem (kind, sku or resource, month).
    """

    supply_plan: pd.DataFrame
    resource_load: pd.DataFrame
    exceptions: pd.DataFrame


@dataclass(frozen=True)
class SupplyProblem:
    """One scenario's planning problem in array form (S SKUs, T months, R resources).

    `demand` is the forecast demand, which is lost when not served; `backlog` is the open-order
    quantity due in each month (overdue orders in month 0), which is carried as a backorder
    until it is shipped. Policy arrays hold NaN where the SKU has no policy value. Routings are
    COO triples (route_sku, route_resource, route_hours). `capacity_known` is False when
    resources or routings are missing: then no capacity rows are built and `resources` is
    empty. `pinned_production` holds the production the previous cycle's firm MPS fixed, NaN
    where production is free. `receipts` is what arrives in each month from production started
    before the cycle (open production orders, work in progress; `receipts.py`). `lot_size`
    and `min_lot` (S,) are the items' lot rules (0 = none: whole units; `lots`).
    """

    skus: np.ndarray
    families: np.ndarray
    months: pd.DatetimeIndex
    resources: np.ndarray
    demand: FloatArray
    backlog: FloatArray
    sigma: FloatArray
    on_hand: FloatArray
    lead_time: IntArray
    unit_cost: FloatArray
    unit_price: FloatArray
    service_level: FloatArray
    uses_cover: np.ndarray
    min_cover: FloatArray
    max_cover: FloatArray
    route_sku: IntArray
    route_resource: IntArray
    route_hours: FloatArray
    available: FloatArray
    max_overtime: FloatArray
    overtime_cost: FloatArray
    capacity_known: bool
    pinned_production: FloatArray
    receipts: FloatArray
    lot_size: FloatArray
    min_lot: FloatArray

    @property
    def n_skus(self) -> int:
        return len(self.skus)

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def n_resources(self) -> int:
        return len(self.resources)

    @property
    def month_labels(self) -> list[str]:
        """The months as 'YYYY-MM', the way planners write them."""
        return [month_key(month) for month in self.months]

    @property
    def total_demand(self) -> FloatArray:
        """Forecast demand plus the backlog due in each month, shape (S, T)."""
        return np.asarray(self.demand + self.backlog, dtype=float)

    @property
    def demand_by_start(self) -> FloatArray:
        """`total_demand` moved to the month its production must start (t - lead time), shape
        (S, T): demand due within the lead time cannot be made and is left out."""
        shifted = np.zeros_like(self.total_demand)
        start = np.arange(self.n_months)[None, :] - self.lead_time[:, None]
        sku, month = np.nonzero(start >= 0)
        shifted[sku, start[sku, month]] = self.total_demand[sku, month]
        return shifted


@dataclass(frozen=True)
class LpSolution:
    """The optimal plan of one `SupplyProblem`, as (S, T) and (R, T) arrays.

    `unmet` is the forecast demand lost in the month; `backorder` the open-order quantity still
    unshipped at the end of the month (it is owed in the next month).
    `shadow_price` is the objective saved by one more hour of a resource-month (>= 0).
    `production_value` is the objective one more unit of production started in a SKU-month
    would save (minus its reduced cost): positive only where a bound holds production down,
    i.e. where the firm MPS pins it (the dual of the pin). `relaxed_objective` is the LP's
    optimum when the plan was rounded to whole lots (`lots`; `objective` is then the rounded
    plan's cost), NaN when it was not; `relaxed_short` (S, T) is then what the LP left short
    (unmet plus backorder) in each SKU-month, None when it was not. `basis` is HiGHS's basis of
    the optimum (a pair, the relaxation's and the rounded plan's, when rounded to lots), from
    which a variant of the problem is re-solved in a few pivots; `iterations` the simplex
    iterations the solve took.
    """

    production: FloatArray
    inventory: FloatArray
    unmet: FloatArray
    backorder: FloatArray
    shortfall: FloatArray
    overtime: FloatArray
    shadow_price: FloatArray
    objective: float
    production_value: FloatArray
    relaxed_objective: float = float("nan")
    relaxed_short: FloatArray | None = None
    basis: object | None = None
    iterations: int = 0
