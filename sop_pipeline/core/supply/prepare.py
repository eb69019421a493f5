"""Turn the supply review's input frames into the baseline `SupplyProblem` arrays.

SKUs planned: those with demand in the horizon, backlog, scheduled receipts or firm production
orders still frozen, that are in `items` (others are dropped with a warning: without price and
cost they cannot be planned). Months: `cycle` and the next `horizon - 1` months (any date in a
month counts as that month); demand outside them is ignored. Open orders are backlog due in
their requested month (`commitments`), the previous cycle's firm MPS pins production in the
months still frozen, and scheduled receipts (`receipts`) arrive in their month.
A routed resource-month that is missing from `resources` has zero available hours and no
overtime; missing overtime columns or cells default to zero, as in the input contract. Demand
and available hours are passed on as given (NaN and negative values included) so that
`check_problem` can name them; a routing with missing or negative hours per unit raises
`SupplyPlanError` here.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts, months_from
from sop_pipeline.core.supply.commitments import backlog_by_month, firm_skus, pinned_production
from sop_pipeline.core.supply.grids import grid
from sop_pipeline.core.supply.model import FloatArray, SupplyInputs, SupplyPlanError, SupplyProblem

logger = logging.getLogger(__name__)


def _per_sku(frame: pd.DataFrame | None, value: str, skus: pd.Index) -> FloatArray:
    if frame is None or frame.empty:
        return np.zeros(len(skus))
    totals = frame.groupby(frame["sku"].astype(str))[value].sum()
    return totals.reindex(skus).fillna(0.0).to_numpy(dtype=float)


def _planned_skus(inputs: SupplyInputs, months: pd.DatetimeIndex, frozen_months: int) -> pd.Index:
    demand = inputs.demand[month_starts(inputs.demand["month"]).isin(months)]
    wanted = set(demand["sku"].astype(str))
    if inputs.open_orders is not None:
        wanted |= set(inputs.open_orders["sku"].astype(str))
    wanted |= firm_skus(inputs.previous_mps, months, frozen_months)
    if inputs.receipts is not None:
        arriving = month_starts(inputs.receipts["month"]).isin(months)
        wanted |= set(inputs.receipts.loc[arriving.to_numpy(), "sku"].astype(str))
    known = set(inputs.items["sku"].astype(str))
    if unknown := wanted - known:
        logger.warning("%d SKUs with demand are not in items and are not planned", len(unknown))
    return pd.Index(sorted(wanted & known), dtype=object)


def _policy(inputs: SupplyInputs, skus: pd.Index) -> pd.DataFrame:
    columns = ["service_level", "safety_stock_method", "min_cover_months", "max_cover_months"]
    if inputs.inventory_policy is None:
        logger.warning("no inventory_policy: default service level for every SKU")
        return pd.DataFrame(np.nan, index=skus, columns=columns)
    policy = inputs.inventory_policy.assign(sku=inputs.inventory_policy["sku"].astype(str))
    return policy.drop_duplicates("sku").set_index("sku").reindex(skus, columns=columns)


def _routes(routings: pd.DataFrame, skus: pd.Index) -> pd.DataFrame:
    """Hours per unit by sku x resource of the planned SKUs (zero-hour rows dropped)."""
    routes = routings.assign(
        sku=routings["sku"].astype(str),
        resource=routings["resource"].astype(str),
        hours_per_unit=pd.to_numeric(routings["hours_per_unit"], errors="coerce"),
    )
    routes = routes[routes["sku"].isin(skus)]
    hours = routes["hours_per_unit"].to_numpy(dtype=float)
    if (bad := ~np.isfinite(hours) | (hours < 0)).any():
        first = routes[bad].iloc[0]
        raise SupplyPlanError(
            f"routings: hours_per_unit must be a number >= 0, not in {int(bad.sum())} row(s) "
            f"(first: sku {first['sku']} on {first['resource']} = {first['hours_per_unit']})"
        )
    routes = routes[routes["hours_per_unit"] > 0]
    return routes.groupby(["sku", "resource"], as_index=False).agg(
        hours_per_unit=("hours_per_unit", "sum")
    )


def _capacity(inputs: SupplyInputs, skus: pd.Index, months: pd.DatetimeIndex) -> dict[str, object]:
    if inputs.resources is None or inputs.routings is None:
        logger.warning("resources or routings missing: supply plan without capacity constraints")
        empty, no_routes = np.zeros((0, len(months))), np.zeros(0, dtype=int)
        return dict(
            resources=np.array([], dtype=object),
            route_sku=no_routes,
            route_resource=no_routes,
            route_hours=np.zeros(0),
            available=empty,
            max_overtime=empty,
            overtime_cost=empty,
            capacity_known=False,
        )
    routes = _routes(inputs.routings, skus)
    res = inputs.resources.assign(resource=inputs.resources["resource"].astype(str))
    names = pd.Index(sorted(set(res["resource"]) | set(routes["resource"])), dtype=object)
    if unrouted := len(set(skus) - set(routes["sku"])):
        logger.warning("%d SKUs have no routing: their production is unconstrained", unrouted)
    return dict(
        resources=names.to_numpy(),
        route_sku=skus.get_indexer(pd.Index(routes["sku"])),
        route_resource=names.get_indexer(pd.Index(routes["resource"])),
        route_hours=routes["hours_per_unit"].to_numpy(dtype=float),
        available=grid(res, "available_hours", names, months, "resource"),
        max_overtime=grid(res, "max_overtime_hours", names, months, "resource", fill=0.0),
        overtime_cost=grid(res, "overtime_cost_per_hour", names, months, "resource", fill=0.0),
        capacity_known=True,
    )


def _forecast_error(
    error: pd.DataFrame | None, skus: pd.Index, months: pd.DatetimeIndex
) -> FloatArray:
    """Demand forecast error (sigma) per SKU and month, zero without a forecast error."""
    if error is None or len(error) == 0:
        return np.zeros((len(skus), len(months)))
    return grid(error, "sigma", skus, months, "sku", fill=0.0)


def _receipts(
    receipts: pd.DataFrame | None, skus: pd.Index, months: pd.DatetimeIndex
) -> FloatArray:
    """Scheduled receipts per SKU and month of arrival; after the horizon they are left out."""
    if receipts is None or len(receipts) == 0:
        return np.zeros((len(skus), len(months)))
    return grid(receipts, "quantity", skus, months, "sku", fill=0.0)


def _lead_times(items: pd.DataFrame) -> np.ndarray:
    """Whole months from starting production to stock per planned SKU (0 when not given)."""
    if "lead_time_months" not in items:
        return np.zeros(len(items), dtype=int)
    return pd.to_numeric(items["lead_time_months"]).fillna(0).to_numpy(dtype=int).clip(min=0)


def _lot_rule(items: pd.DataFrame, column: str) -> FloatArray:
    """`lot_size` or `min_lot` per planned SKU (0 when not given: whole units, no minimum)."""
    if column not in items:
        return np.zeros(len(items))
    return pd.to_numeric(items[column], errors="coerce").fillna(0.0).clip(lower=0.0).to_numpy()


def build_problem(
    inputs: SupplyInputs, cycle: pd.Timestamp, horizon: int, frozen_months: int = 0
) -> SupplyProblem:
    """The baseline planning problem of `cycle` over `horizon` months; production in the months
    the previous cycle's `frozen_months` still cover is pinned to its firm MPS."""
    months = months_from(cycle, horizon)
    skus = _planned_skus(inputs, months, frozen_months)
    items = inputs.items.assign(sku=inputs.items["sku"].astype(str)).drop_duplicates("sku")
    items = items.set_index("sku").reindex(skus)
    policy = _policy(inputs, skus)
    on_hand = _per_sku(inputs.inventory, "on_hand", skus)
    if (on_hand < 0).any():
        logger.warning("negative on hand set to zero for %d SKUs", int((on_hand < 0).sum()))
    return SupplyProblem(
        skus=skus.to_numpy(),
        families=items["family"].astype(str).to_numpy(),
        months=months,
        demand=grid(inputs.demand, "demand", skus, months, "sku"),
        backlog=backlog_by_month(inputs.open_orders, skus, months),
        sigma=_forecast_error(inputs.demand_error, skus, months),
        on_hand=on_hand.clip(min=0.0),
        lead_time=_lead_times(items),
        unit_cost=items["unit_cost"].to_numpy(dtype=float),
        unit_price=items["unit_price"].to_numpy(dtype=float),
        service_level=policy["service_level"].to_numpy(dtype=float),
        uses_cover=(policy["safety_stock_method"] == "min_cover").to_numpy(dtype=bool),
        min_cover=policy["min_cover_months"].to_numpy(dtype=float),
        max_cover=policy["max_cover_months"].to_numpy(dtype=float),
        pinned_production=pinned_production(inputs.previous_mps, skus, months, frozen_months),
        receipts=_receipts(inputs.receipts, skus, months),
        lot_size=_lot_rule(items, "lot_size"),
        min_lot=_lot_rule(items, "min_lot"),
        **_capacity(inputs, skus, months),  # type: ignore[arg-type]
    )
