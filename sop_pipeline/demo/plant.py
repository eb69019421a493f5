"""The demo company's plant executing a month's production starts: the hours each resource
really has that month (its calendar with noise: breakdowns, absence), overtime used where the
starts need it (up to the allowed overtime), and starts cut pro rata on a resource that still
cannot make them. Whole units; arrays in catalogue row order and `RESOURCES` order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.demo.capacity import RESOURCES
from sop_pipeline.demo.demand import FloatArray

CAPACITY_NOISE = 0.04  # spread of the hours a resource really has around its calendar
CAPACITY_BIAS = 0.98  # plants lose a little more time than they plan for


@dataclass(frozen=True)
class Plant:
    """The plant over the timeline: `hours` per unit [resource, sku], `available` and
    `max_overtime` hours and `overtime_cost` per hour [resource, month] from the capacity
    calendar, `efficiency` the share of the available hours really worked [resource, month]."""

    hours: FloatArray
    available: FloatArray
    max_overtime: FloatArray
    overtime_cost: FloatArray
    efficiency: FloatArray


def build_plant(
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
    routings: pd.DataFrame,
    calendar: pd.DataFrame,
    timeline: np.ndarray,
) -> Plant:
    """The plant of the routings and the capacity calendar (one row per resource x month)."""
    hours = np.zeros((len(RESOURCES), len(catalogue)))
    resource = pd.Index(RESOURCES).get_indexer(routings["resource"])
    sku = pd.Index(catalogue["sku"]).get_indexer(routings["sku"])
    hours[resource, sku] = routings["hours_per_unit"].to_numpy()
    grid = calendar.pivot(index="resource", columns="month").reindex(list(RESOURCES))
    shape = (len(RESOURCES), len(timeline))
    return Plant(
        hours=hours,
        available=grid["available_hours"].reindex(columns=timeline).to_numpy(),
        max_overtime=grid["max_overtime_hours"].reindex(columns=timeline).to_numpy(),
        overtime_cost=grid["overtime_cost_per_hour"].reindex(columns=timeline).to_numpy(),
        efficiency=np.clip(rng.normal(CAPACITY_BIAS, CAPACITY_NOISE, shape), 0.8, 1.05),
    )


def execute(plant: Plant, starts: FloatArray, month: int) -> tuple[FloatArray, FloatArray]:
    """Units really started per SKU and overtime hours per resource in timeline month `month`
    for the released `starts` per SKU: each resource works its real hours, then overtime up
    to its limit; a resource still short makes the same share of every SKU it loads."""
    wanted = np.floor(np.maximum(np.nan_to_num(starts), 0.0))
    worked = plant.available[:, month] * plant.efficiency[:, month]
    ceiling = worked + plant.max_overtime[:, month]
    required = plant.hours @ wanted
    ratio = np.where(required > ceiling, ceiling / np.maximum(required, 1e-9), 1.0)
    loads = plant.hours > 0
    share = np.where(loads, ratio[:, None], 1.0).min(axis=0)
    made = np.floor(wanted * share + 1e-9)
    overtime = np.clip(plant.hours @ made - worked, 0.0, plant.max_overtime[:, month])
    return made, overtime
