"""The supply review's inputs, outputs and the array form of one planning problem.

`SupplyProblem` is what the LP sees: dense SKU x month and resource x month arrays plus the
routings as coordinate arrays, all indexed by position in `skus`, `months` and `resources`.
Scenarios are applied to a `SupplyProblem` by scaling its arrays, never by rebuilding frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FloatArray = np.ndarray
IntArray = np.ndarray

BASELINE = "baseline"


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

    `demand` excludes the backlog, which is served in month 0 from `backlog`. Policy arrays hold
    NaN where the SKU has no policy value. Routings are COO triples (route_sku, route_resource,
    route_hours). `capacity_known` is False when resources or routings are missing: then no
    capacity rows are built and `resources` is empty.
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
        return [str(label) for label in self.months.strftime("%Y-%m")]

    @property
    def total_demand(self) -> FloatArray:
        """Demand including the backlog in month 0, shape (S, T)."""
        total = self.demand.copy()
        if total.shape[1]:
            total[:, 0] += self.backlog
        return total


@dataclass(frozen=True)
class LpSolution:
    """The optimal plan of one `SupplyProblem`, as (S, T) and (R, T) arrays.

    `unmet` includes the unserved backlog in month 0.
    `shadow_price` is the objective saved by one more hour of a resource-month (>= 0).
    """

    production: FloatArray
    inventory: FloatArray
    unmet: FloatArray
    shortfall: FloatArray
    overtime: FloatArray
    shadow_price: FloatArray
    objective: float
