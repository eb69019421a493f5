"""Builders of the input frames tests and benchmarks share (the hand-computed cases built from
them are in sop_pipeline_tests.cases).

- `items`: an item master as the `items` export loads it.
- `supply_inputs`: the supply review's inputs from per-SKU and per-resource monthly values,
  used by the supply tests and `benchmarks/lp_benchmark.py`; `plan`, `series` and
  `assert_feasible` solve and read such a case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sop_pipeline.core.supply import SupplyInputs, SupplyReview, plan_supply

Values = object  # one value for every row, or a sequence of one value per row
TOL = 1e-6


def _dates(values: Values, n: int) -> pd.Series:
    listed = list(values) if isinstance(values, Sequence) and not isinstance(values, str) else None
    return pd.Series(pd.to_datetime(listed if listed is not None else [values] * n))


def items(
    skus: Sequence[str],
    *,
    family: Values = None,
    unit_cost: Values = 5.0,
    unit_price: Values = 10.0,
    status: Values = "active",
    launch_date: Values = None,
    end_date: Values = None,
    lead_time_months: Values = 0,
    description: Values = None,
    uom: Values = "ea",
    lot_size: Values = np.nan,
    min_lot: Values = np.nan,
) -> pd.DataFrame:
    """Item master, one row per SKU with every column of the `items` contract in its order.
    Each attribute is one value for all SKUs or one per SKU; `family` defaults to 'F' + sku."""
    n = len(skus)
    return pd.DataFrame(
        {
            "sku": list(skus),
            "description": description,
            "family": [f"F{s}" for s in skus] if family is None else family,
            "uom": uom,
            "unit_cost": unit_cost,
            "unit_price": unit_price,
            "status": status,
            "launch_date": _dates(launch_date, n),
            "end_date": _dates(end_date, n),
            "lead_time_months": lead_time_months,
            "lot_size": lot_size,
            "min_lot": min_lot,
        }
    )


# supply review ---------------------------------------------------------------------------

SUPPLY_CYCLE = pd.Timestamp("2026-01-01")


def months(n: int, start: pd.Timestamp = SUPPLY_CYCLE) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def by_month(
    values: Mapping[str, Sequence[float]], key: str, value: str, start: pd.Timestamp = SUPPLY_CYCLE
) -> pd.DataFrame:
    """Rows key x month from {key: [value per month from `start`]}."""
    calendar = list(months(max((len(series) for series in values.values()), default=0), start))
    rows = [
        (k, m, v)
        for k, series in values.items()
        for m, v in zip(calendar[: len(series)], series, strict=True)
    ]
    return pd.DataFrame(rows, columns=[key, "month", value])


def _per_month(value: float | Sequence[float], n: int) -> list[float]:
    return list(value) if isinstance(value, Sequence | np.ndarray) else [value] * n


def _resources(
    capacity: Mapping[str, Sequence[float]],
    overtime: Mapping[str, tuple[float | Sequence[float], float]],
    start: pd.Timestamp,
) -> pd.DataFrame:
    resources = by_month(capacity, "resource", "available_hours", start)
    limits = {r: overtime.get(r, (0.0, 0.0)) for r in capacity}
    resources["max_overtime_hours"] = [
        h for r, hours in capacity.items() for h in _per_month(limits[r][0], len(hours))
    ]
    resources["overtime_cost_per_hour"] = [limits[r][1] for r, h in capacity.items() for _ in h]
    return resources


def supply_inputs(
    demand: Mapping[str, Sequence[float]],
    capacity: Mapping[str, Sequence[float]] | None = None,
    routes: Sequence[tuple[str, str, float]] | None = None,
    *,
    price: Mapping[str, float] | None = None,
    cost: Mapping[str, float] | None = None,
    lead: Mapping[str, int] | None = None,
    on_hand: Mapping[str, float] | None = None,
    sigma: Mapping[str, float | Sequence[float]] | None = None,
    overtime: Mapping[str, tuple[float | Sequence[float], float]] | None = None,
    family: Mapping[str, str] | None = None,
    start: pd.Timestamp = SUPPLY_CYCLE,
    **optional: pd.DataFrame,
) -> SupplyInputs:
    """Supply review inputs: `demand` {sku: [units per month from `start`]}, `capacity`
    {resource: [hours per month]}, `routes` (sku, resource, hours per unit). Unset per-SKU values
    default to price 10, cost 5, lead 0, no stock, family 'F' + sku; `sigma` (forecast error) is
    one value or one per month; `overtime` is {resource: (max hours, one or one per month; cost
    per hour)}, none by default; `optional` holds the other SupplyInputs frames."""
    skus = list(demand)
    n_months = len(next(iter(demand.values())))
    error = {s: _per_month(v, n_months) for s, v in (sigma or {}).items()}
    return SupplyInputs(
        demand=by_month(demand, "sku", "demand", start),
        demand_error=by_month(error, "sku", "sigma", start),
        items=items(
            skus,
            family=None if family is None else [family[s] for s in skus],
            unit_cost=[(cost or {}).get(s, 5.0) for s in skus],
            unit_price=[(price or {}).get(s, 10.0) for s in skus],
            lead_time_months=[(lead or {}).get(s, 0) for s in skus],
        ),
        inventory=pd.DataFrame(
            {"sku": skus, "site": "main", "on_hand": [(on_hand or {}).get(s, 0.0) for s in skus]}
        ),
        resources=None if capacity is None else _resources(capacity, overtime or {}, start),
        routings=None
        if routes is None
        else pd.DataFrame(list(routes), columns=["sku", "resource", "hours_per_unit"]),
        **optional,
    )


def plan(inputs: SupplyInputs, frozen_months: int = 3) -> SupplyReview:
    """The supply review of a case built from SUPPLY_CYCLE over its demand's months."""
    horizon = int(pd.to_datetime(inputs.demand["month"]).nunique())
    return plan_supply(inputs, SUPPLY_CYCLE, horizon=horizon, frozen_months=frozen_months)


def series(review: SupplyReview, sku: str, column: str, scenario: str = "baseline") -> np.ndarray:
    """One SKU's plan column by month."""
    rows = review.supply_plan.query("scenario == @scenario and sku == @sku").sort_values("month")
    return rows[column].to_numpy(dtype=float)


def assert_feasible(review: SupplyReview, inputs: SupplyInputs) -> None:
    """Every scenario's plan satisfies the balance and capacity rows, read off the output frames:
    on every row opening_inventory + receipts + production arriving - shipments = ending, the
    opening is on hand in the first month and the previous ending after."""
    lead = inputs.items.set_index("sku")["lead_time_months"]
    stock = inputs.inventory.groupby("sku")["on_hand"].sum()
    for (_, sku), rows in review.supply_plan.groupby(["scenario", "sku"]):
        rows = rows.sort_values("month")
        production, ending = rows["production"].to_numpy(), rows["ending_inventory"].to_numpy()
        demand, unmet = rows["demand"].to_numpy(), rows["unmet_demand"].to_numpy()
        arrived = np.concatenate([np.zeros(int(lead[sku])), production])[: len(rows)]
        opening = rows["opening_inventory"].to_numpy()
        np.testing.assert_allclose(
            opening, np.concatenate([[max(stock.get(sku, 0.0), 0.0)], ending[:-1]]), atol=TOL
        )
        receipts = rows["receipts"].to_numpy()
        assert (receipts >= 0).all()
        shipped = demand - unmet
        np.testing.assert_allclose(ending, opening + receipts + arrived - shipped, atol=TOL)
        assert (ending >= -TOL).all() and (unmet >= -TOL).all()
        assert (unmet <= demand + TOL).all()
    if inputs.routings is None or review.resource_load.empty:
        return
    load = review.supply_plan.merge(inputs.routings, on="sku")
    load["hours"] = load["production"] * load["hours_per_unit"]
    required = load.groupby(["scenario", "resource", "month"])["hours"].sum()
    table = review.resource_load.set_index(["scenario", "resource", "month"])
    recomputed = required.reindex(table.index, fill_value=0.0)
    np.testing.assert_allclose(table["required_hours"], recomputed, atol=TOL)
    limit = table["available_hours"] + table["overtime_hours"]
    assert (table["required_hours"] <= limit + TOL).all()
    assert (table["overtime_hours"] >= -TOL).all()
