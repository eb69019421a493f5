"""Turn the supply review's input frames into the baseline `SupplyProblem` arrays.

SKUs planned: those with demand in the horizon or with backlog, that are in `items` (others are
dropped with a warning: without price and cost they cannot be planned). Months: `cycle` and the
next `horizon - 1` months; demand outside them is ignored. Open orders are backlog: their total
per SKU is added to the first month's demand. A routed resource-month that is missing from
`resources` has zero available hours and no overtime.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from sop_pipeline.core.supply.model import FloatArray, SupplyInputs, SupplyProblem

logger = logging.getLogger(__name__)


def _grid(
    frame: pd.DataFrame, value: str, rows: pd.Index, cols: pd.Index, row_col: str, col_col: str
) -> FloatArray:
    """Sum `value` of `frame` into a (len(rows), len(cols)) array; unmatched keys are dropped."""
    grid = np.zeros((len(rows), len(cols)))
    if frame.empty:
        return grid
    r = rows.get_indexer(pd.Index(frame[row_col].astype(str)))
    c = cols.get_indexer(pd.DatetimeIndex(frame[col_col]))
    keep = (r >= 0) & (c >= 0)
    np.add.at(grid, (r[keep], c[keep]), pd.to_numeric(frame[value]).fillna(0.0).to_numpy()[keep])
    return grid


def _per_sku(frame: pd.DataFrame | None, value: str, skus: pd.Index) -> FloatArray:
    if frame is None or frame.empty:
        return np.zeros(len(skus))
    totals = frame.groupby(frame["sku"].astype(str))[value].sum()
    return totals.reindex(skus).fillna(0.0).to_numpy(dtype=float)


def _planned_skus(inputs: SupplyInputs, months: pd.DatetimeIndex) -> pd.Index:
    demand = inputs.demand[pd.to_datetime(inputs.demand["month"]).isin(months)]
    wanted = set(demand["sku"].astype(str))
    if inputs.open_orders is not None:
        wanted |= set(inputs.open_orders["sku"].astype(str))
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


def _capacity(
    inputs: SupplyInputs, skus: pd.Index, n_months: int, months: pd.DatetimeIndex
) -> dict[str, object]:
    if inputs.resources is None or inputs.routings is None:
        logger.warning("resources or routings missing: supply plan without capacity constraints")
        empty = np.zeros((0, n_months))
        no_routes = np.zeros(0, dtype=int)
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
    routes = inputs.routings.assign(
        sku=inputs.routings["sku"].astype(str), resource=inputs.routings["resource"].astype(str)
    )
    routes = routes[routes["sku"].isin(skus) & (routes["hours_per_unit"] > 0)]
    routes = routes.groupby(["sku", "resource"], as_index=False).agg(
        hours_per_unit=("hours_per_unit", "sum")
    )
    res = inputs.resources.assign(resource=inputs.resources["resource"].astype(str))
    names = pd.Index(sorted(set(res["resource"]) | set(routes["resource"])), dtype=object)
    if unrouted := len(set(skus) - set(routes["sku"])):
        logger.warning("%d SKUs have no routing: their production is unconstrained", unrouted)
    return dict(
        resources=names.to_numpy(),
        route_sku=skus.get_indexer(pd.Index(routes["sku"])),
        route_resource=names.get_indexer(pd.Index(routes["resource"])),
        route_hours=routes["hours_per_unit"].to_numpy(dtype=float),
        available=_grid(res, "available_hours", names, months, "resource", "month"),
        max_overtime=_grid(res, "max_overtime_hours", names, months, "resource", "month"),
        overtime_cost=_grid(res, "overtime_cost_per_hour", names, months, "resource", "month"),
        capacity_known=True,
    )


def build_problem(inputs: SupplyInputs, cycle: pd.Timestamp, horizon: int) -> SupplyProblem:
    """The baseline planning problem of `cycle` over `horizon` months."""
    months = pd.date_range(
        pd.Timestamp(cycle).to_period("M").to_timestamp(), periods=horizon, freq="MS"
    )
    skus = _planned_skus(inputs, months)
    items = inputs.items.assign(sku=inputs.items["sku"].astype(str)).drop_duplicates("sku")
    items = items.set_index("sku").reindex(skus)
    policy = _policy(inputs, skus)
    on_hand = _per_sku(inputs.inventory, "on_hand", skus)
    if (on_hand < 0).any():
        logger.warning("negative on hand set to zero for %d SKUs", int((on_hand < 0).sum()))
    error = inputs.demand_error
    sigma = _grid(error, "sigma", skus, months, "sku", "month") if len(error) else None
    return SupplyProblem(
        skus=skus.to_numpy(),
        families=items["family"].astype(str).to_numpy(),
        months=months,
        demand=_grid(inputs.demand, "demand", skus, months, "sku", "month").clip(min=0.0),
        backlog=_per_sku(inputs.open_orders, "quantity", skus).clip(min=0.0),
        sigma=np.zeros((len(skus), horizon)) if sigma is None else sigma,
        on_hand=on_hand.clip(min=0.0),
        lead_time=items.get("lead_time_months", pd.Series(0, index=skus))
        .fillna(0)
        .to_numpy(dtype=int)
        .clip(min=0),
        unit_cost=items["unit_cost"].to_numpy(dtype=float),
        unit_price=items["unit_price"].to_numpy(dtype=float),
        service_level=policy["service_level"].to_numpy(dtype=float),
        uses_cover=(policy["safety_stock_method"] == "min_cover").to_numpy(dtype=bool),
        min_cover=policy["min_cover_months"].to_numpy(dtype=float),
        max_cover=policy["max_cover_months"].to_numpy(dtype=float),
        **_capacity(inputs, skus, horizon, months),  # type: ignore[arg-type]
    )
