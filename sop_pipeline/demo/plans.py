"""The commercial side of the demo company's drops: promotions and events, budget, planners'
demand overrides and what-if scenarios (CRM opportunities: market.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.catalogue import FAMILIES, REGIONS
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import IntArray, calendar_month, compact_labels, month_labels

AUTHORS = ("li.wei", "zhang.min", "a.kowalski", "m.garcia", "j.smith")
REASONS = ("key account tender", "distributor destocking", "new listing at a retail chain",
           "competitor price cut", "重点客户招标", "渠道补货")  # fmt: skip
BUDGET_AMBITION = 1.05  # the budget asks for about 5 % more than the trend gives
PROMOTIONS_AHEAD = 12  # months ahead that marketing has planned events
SUMMER_PLANNING = range(3, 9)  # cycles (calendar months) that ask what a hot summer does


def build_events(
    rng: np.random.Generator, catalogue: pd.DataFrame, months: IntArray
) -> pd.DataFrame:
    """Promotions and one-off events over the whole timeline, one row per event: event_id,
    sku or family (the other ''), region ('' = all), start and end month ordinals, uplift_pct
    (negative for a competitor's launch)."""
    start = np.repeat(months, rng.poisson(0.4 + len(catalogue) / 400, len(months)))
    n_events = len(start)
    # events by SKU only on established SKUs, so that every drop's item master knows them
    regular = catalogue.loc[catalogue["kind"] == "regular", "sku"].to_numpy()
    by_sku = rng.random(n_events) < 0.4
    uplift = rng.choice([10.0, 15.0, 20.0, 25.0, 30.0, 40.0], n_events)
    uplift[rng.random(n_events) < 0.1] = -15.0
    events = pd.DataFrame(
        {
            "sku": np.where(by_sku, rng.choice(regular, n_events), ""),
            "family": np.where(by_sku, "", rng.choice(catalogue["family"].unique(), n_events)),
            "region": np.where(rng.random(n_events) < 0.5, "", rng.choice(REGIONS, n_events)),
            "start": start,
            "end": start + rng.choice([0, 0, 1, 2], n_events),
            "uplift_pct": uplift,
        }
    )
    number = events.groupby("start").cumcount().to_numpy() + 1
    labels = compact_labels(start)
    events.insert(0, "event_id", [f"EV{m}-{k:02d}" for m, k in zip(labels, number, strict=True)])
    return events


def promotions_at(events: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The `promotions` export of a cycle: one row per event still running or planned in the
    next twelve months."""
    known = events[(events["end"] >= cycle) & (events["start"] <= cycle + PROMOTIONS_AHEAD)]
    return pd.DataFrame(
        {
            "event_id": known["event_id"],
            "sku": known["sku"],
            "family": known["family"],
            "region": known["region"],
            "start_month": month_labels(known["start"]),
            "end_month": month_labels(known["end"]),
            "uplift_pct": known["uplift_pct"],
        }
    ).reset_index(drop=True)


def budget_calendar(
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
    expected: FloatArray,
    months: IntArray,
    discount: float,
) -> pd.DataFrame:
    """The budget over the whole timeline, one row per family and month: revenue and gross
    margin of the expected demand at the average discount, with the budget's ambition."""
    units = expected.sum(axis=1)
    family = catalogue["family_index"].to_numpy()
    revenue = np.zeros((len(FAMILIES), len(months)))
    cost = np.zeros_like(revenue)
    np.add.at(revenue, family, units * catalogue["unit_price"].to_numpy()[:, None])
    np.add.at(cost, family, units * catalogue["unit_cost"].to_numpy()[:, None])
    ambition = BUDGET_AMBITION * (1.0 - discount) * rng.normal(1.0, 0.02, revenue.shape)
    f_index, t_index = np.nonzero(revenue > 0)
    budget_revenue = revenue[f_index, t_index] * ambition[f_index, t_index]
    margin = 1.0 - cost[f_index, t_index] / revenue[f_index, t_index] / (1.0 - discount)
    return pd.DataFrame(
        {
            "family": np.array([f.name for f in FAMILIES])[f_index],
            "month": months[t_index],
            "revenue": np.round(budget_revenue),
            "gross_margin": np.round(budget_revenue * margin),
        }
    )


def budget_at(calendar: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The `budget` export of a cycle: the past 12 and the next 24 months, per family."""
    window = calendar[(calendar["month"] >= cycle - 12) & (calendar["month"] < cycle + 24)]
    return window.assign(month=month_labels(window["month"])).reset_index(drop=True)


def overrides_at(
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
    expected: FloatArray,
    first: int,
    cycle: int,
) -> pd.DataFrame:
    """The `demand_overrides` export of a cycle: a few planner adjustments, one row per SKU,
    region and month of the next six months, either an absolute quantity or a percentage.
    `expected` is indexed [sku, region, month] with month 0 = ordinal `first`."""
    regular = np.flatnonzero((catalogue["kind"] == "regular").to_numpy())
    n_rows = min(len(regular), max(3, len(catalogue) // 40))
    sku = rng.choice(regular, n_rows, replace=False)
    month = cycle + rng.integers(0, 6, n_rows)
    region = expected[sku, :, month - first].argmax(axis=1)
    absolute = np.arange(n_rows) % 2 == 0  # half set the quantity, half adjust the forecast
    quantity = np.round(expected[sku, region, month - first] * rng.uniform(0.6, 1.6, n_rows))
    pct = rng.choice([-30.0, -20.0, -10.0, 10.0, 15.0, 20.0, 25.0, 50.0], n_rows)
    overrides = pd.DataFrame(
        {
            "sku": catalogue["sku"].to_numpy()[sku],
            "region": np.array(REGIONS)[region],
            "month": month_labels(month),
            "override_quantity": np.where(absolute, quantity, np.nan),
            "adjustment_pct": np.where(absolute, np.nan, pct),
            "author": rng.choice(AUTHORS, n_rows),
            "reason": rng.choice(REASONS, n_rows),
        }
    )
    return overrides.sort_values(["sku", "month"], ignore_index=True)


def scenarios(cycle: int) -> pd.DataFrame:
    """The `scenarios` export of a cycle: one row per what-if multiplier (a scenario may have
    several). `hot_summer` is asked only in the cycles that plan the coming summer (March to
    August): a what-if scales every month of the horizon, so in the autumn and winter
    cycles, whose first months are winter, the planners do not run it."""
    rows = [
        ("demand_plus_10", "demand", "*", 1.1),
        ("assy_b_at_80pct", "capacity", "ASSY-B", 0.8),
    ]
    if int(calendar_month(cycle)) in SUMMER_PLANNING:
        rows += [
            ("hot_summer", "demand", "Air Conditioners", 1.25),
            ("hot_summer", "demand", "Electric Fans", 1.3),
        ]
    return pd.DataFrame(rows, columns=["scenario", "kind", "scope", "multiplier"])
