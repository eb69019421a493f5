"""The demo company's plant: four assembly lines and a press shop, the routings that load
them, and their monthly capacity, sized so that the expected load runs at 78-88 % of it,
with one planned maintenance shutdown the supply plan has to work around."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.demo.catalogue import FAMILIES
from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.months import IntArray, calendar_month, month_labels

PRESS = "PRESS"
RESOURCES = ("ASSY-A", "ASSY-B", "ASSY-C", "ASSY-D", PRESS)
# Spring Festival (February) and Golden Week (October) shut the plant for days
WORKING_TIME = {2: 0.82, 10: 0.9}
SHIFT_HOURS = 8.0
OVERTIME_SHARE = 0.12  # overtime allowed on top of the normal hours
PLANNING_MONTHS = 25  # resources cover the cycle month and the 24 after it


def build_routings(rng: np.random.Generator, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Routings, one row per SKU and resource: every SKU on its family's assembly line, and
    about two thirds of the products with pressed metal parts on the press shop too."""
    families = [FAMILIES[i] for i in catalogue["family_index"]]
    n_skus = len(catalogue)
    assembly = pd.DataFrame(
        {
            "sku": catalogue["sku"],
            "resource": [f.line for f in families],
            "hours_per_unit": np.round(
                np.array([f.hours for f in families]) * rng.lognormal(0.0, 0.2, n_skus), 3
            ),
        }
    )
    pressed = np.array([f.pressed for f in families]) & (rng.random(n_skus) < 0.7)
    press = pd.DataFrame(
        {
            "sku": catalogue["sku"][pressed],
            "resource": PRESS,
            "hours_per_unit": np.round(rng.uniform(0.08, 0.25, int(pressed.sum())), 3),
        }
    )
    return pd.concat([assembly, press]).sort_values(["sku", "resource"], ignore_index=True)


def routed_load(routings: pd.DataFrame, catalogue: pd.DataFrame, units: FloatArray) -> FloatArray:
    """Hours each resource needs to make `units` ([sku, month], catalogue row order),
    [resource, month] in `RESOURCES` order."""
    sku_row = pd.Index(catalogue["sku"]).get_indexer(routings["sku"])
    resource_row = pd.Index(RESOURCES).get_indexer(routings["resource"])
    load = np.zeros((len(RESOURCES), units.shape[1]))
    hours = routings["hours_per_unit"].to_numpy()[:, None]
    np.add.at(load, resource_row, hours * units[sku_row])
    return load


def capacity_calendar(
    rng: np.random.Generator, load: FloatArray, months: IntArray, shutdown: int
) -> pd.DataFrame:
    """Capacity over the whole timeline, one row per resource and month ordinal: normal hours
    follow the yearly average of the expected `load` ([resource, month]) at a target
    utilisation, in whole shifts; the resource that would suffer most loses half its hours in
    month `shutdown` (maintenance), so the plan must pre-build or leave demand unmet."""
    smooth = pd.DataFrame(load.T).rolling(12, center=True, min_periods=1).mean().to_numpy().T
    normal = np.maximum(smooth / rng.uniform(0.78, 0.88, (len(RESOURCES), 1)), 20 * SHIFT_HOURS)
    working = np.array([WORKING_TIME.get(m, 1.0) for m in calendar_month(months)])
    available = _shifts(normal * working)
    column = int(np.searchsorted(months, shutdown))
    hit = int(np.argmax(load[:, column] / available[:, column]))
    available[hit, column] = _shifts(available[hit, column] / 2.0)
    cost = np.round(rng.uniform(35.0, 60.0, len(RESOURCES)), 2)
    resource, month = np.meshgrid(np.arange(len(RESOURCES)), np.arange(len(months)), indexing="ij")
    return pd.DataFrame(
        {
            "resource": np.array(RESOURCES)[resource.ravel()],
            "month": months[month.ravel()],
            "available_hours": available.ravel(),
            "max_overtime_hours": _shifts(normal * OVERTIME_SHARE).ravel(),
            "overtime_cost_per_hour": cost[resource.ravel()],
        }
    )


def _shifts(hours: FloatArray) -> FloatArray:
    return np.round(np.asarray(hours) / SHIFT_HOURS) * SHIFT_HOURS


def resources_at(calendar: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The `resources` export of a cycle: capacity from the cycle month through 24 months on."""
    window = calendar[(calendar["month"] >= cycle) & (calendar["month"] < cycle + PLANNING_MONTHS)]
    return window.assign(month=month_labels(window["month"])).reset_index(drop=True)


def routings_at(routings: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The `routings` export of a cycle: the routings of the SKUs in its item master."""
    return routings[routings["sku"].isin(items["sku"])].reset_index(drop=True)
