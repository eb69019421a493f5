"""Where the closed loop's policies lose sales, and whether the pipeline's safety stock is
sized for the error it must absorb.

- `losses_by`: per policy and SKU class (a catalogue column: lead time, kind, family), the
  class's orders, on-time fill rate, lost units and mean inventory value over the loop months.
- `safety_stock_coverage`: per lead time, over every cycle c and SKU the pipeline planned with
  a service level, the error of its demand plan over the months its decision of that cycle
  must cover (c to c + lead time + frozen months - 1: the last start the cycle commits is
  frozen months - 1 ahead and arrives lead time later) against the safety stock it planned
  for the last of those months. `exceeded` is the share of those windows whose error was
  larger than the safety stock (the stock-out risk the plan really ran), `allowed` the share
  the SKUs' service levels allow (1 - service level).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.company import DemoCompany, World
from sop_pipeline.demo.months import month_labels
from sop_pipeline.simulation.loop import PIPELINE, CyclePlan, LoopResult


def losses_by(
    company: DemoCompany, worlds: dict[str, World], months: range, column: str
) -> pd.DataFrame:
    """One row per policy x value of `column`: orders, fill_rate, lost_units, inventory_value
    (mean at unit cost over `months`, month ordinals)."""
    times = [company.index(month) for month in months]
    cost = company.catalogue["unit_cost"].to_numpy()
    rows = []
    for policy, world in worlds.items():
        book = world.ledger
        stock = (book.opening[:, times] + book.closing[:, times]) / 2.0
        frame = pd.DataFrame(
            {
                column: company.catalogue[column].to_numpy(),
                "orders": book.orders[:, :, times].sum(axis=(1, 2)),
                "on_time": book.on_time[:, :, times].sum(axis=(1, 2)),
                "lost_units": book.lost[:, :, times].sum(axis=(1, 2)),
                "inventory_value": cost * stock.mean(axis=1),
            }
        )
        summed = frame.groupby(column).sum().reset_index()
        rows.append(summed.assign(policy=policy))
    table = pd.concat(rows, ignore_index=True)
    table["fill_rate"] = table["on_time"] / table["orders"].clip(lower=1.0)
    return table[["policy", column, "orders", "fill_rate", "lost_units", "inventory_value"]]


def _grid(frame: pd.DataFrame, value: str, skus: pd.Series, months: list[int]) -> np.ndarray:
    """[sku, month] of `value` in a frame of sku, month (timestamps) rows; 0 where missing."""
    columns = pd.to_datetime([f"{label}-01" for label in month_labels(months)])
    grid = frame.assign(month=pd.to_datetime(frame["month"])).pivot_table(
        index="sku", columns="month", values=value, aggfunc="sum"
    )
    return grid.reindex(index=skus, columns=columns).fillna(0.0).to_numpy()


def _windows(
    company: DemoCompany, world: World, cycle: int, plan: CyclePlan, frozen_months: int
) -> pd.DataFrame:
    """One row per service-level SKU: its error over the cycle's protection interval, and
    the safety stock planned for the interval's last month."""
    catalogue, book = company.catalogue, world.ledger
    lead = catalogue["lead_time_months"].to_numpy()
    span = lead + max(frozen_months, 1)  # months from the cycle month to the last covered
    booked = book.simulated - company.index(cycle)  # months of the window already booked
    if booked < 1 or plan.safety_stock is None:
        return pd.DataFrame()
    months = list(range(cycle, cycle + int(min(span.max(), booked))))
    demand = _grid(plan.demand, "demand", catalogue["sku"], months)
    target = _grid(plan.safety_stock, "safety_stock", catalogue["sku"], months)
    orders = book.orders[:, :, [company.index(m) for m in months]].sum(axis=1)
    inside = np.arange(len(months))[None, :] < span[:, None]
    policy = company.policy.set_index("sku").reindex(catalogue["sku"])
    windows = pd.DataFrame(
        {
            "lead_time_months": lead,
            "error": ((orders - demand) * inside).sum(axis=1),
            "safety_stock": target[np.arange(len(lead)), np.minimum(span, len(months)) - 1],
            "allowed": 1.0 - policy["service_level"].to_numpy(),
            "by_service_level": (policy["safety_stock_method"] == "service_level").to_numpy(),
        }
    )
    return windows[span <= booked]


def safety_stock_coverage(
    company: DemoCompany, world: World, plans: dict[int, CyclePlan], frozen_months: int
) -> pd.DataFrame:
    """Per lead time: windows, rms_error (over the protection interval), rms_safety_stock,
    exceeded and allowed (see the module docstring)."""
    frames = [_windows(company, world, cycle, plan, frozen_months) for cycle, plan in plans.items()]
    rows = pd.concat([f for f in frames if len(f)], ignore_index=True)
    rows = rows[rows["by_service_level"]]
    grouped = rows.groupby("lead_time_months")
    return pd.DataFrame(
        {
            "windows": grouped.size(),
            "rms_error": grouped["error"].apply(lambda e: float(np.sqrt(np.mean(e**2)))),
            "rms_safety_stock": grouped["safety_stock"].apply(
                lambda s: float(np.sqrt(np.mean(s**2)))
            ),
            "exceeded": grouped.apply(
                lambda g: float((g["error"] > g["safety_stock"]).mean()), include_groups=False
            ),
            "allowed": grouped["allowed"].mean(),
        }
    ).reset_index()


def render_diagnosis(result: LoopResult, months: range, frozen_months: int) -> str:
    """The loss tables by lead time and by kind, and the pipeline's safety stock coverage."""
    company = result.worlds[PIPELINE].company
    parts = []
    for column in ("lead_time_months", "kind"):
        table = losses_by(company, result.worlds, months, column)
        wide = table.pivot(index=column, columns="policy", values=VIEWED)
        parts += [f"By {column}:", wide.to_string(float_format=_figure), ""]
    coverage = safety_stock_coverage(company, result.worlds[PIPELINE], result.plans, frozen_months)
    parts += [
        "Pipeline safety stock against the demand plan's error over each decision's "
        "protection interval (lead time + frozen months):",
        coverage.to_string(index=False, float_format=_figure),
    ]
    return "\n".join(parts)


VIEWED = ["fill_rate", "lost_units", "inventory_value"]


def _figure(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"
