"""Demand classes of Syntetos and Boylan, and the route each series takes through the engine.

Per series, over its filled monthly history (missing months are zero demand):

- ADI, the average demand interval: months per month with demand (`points / demand_months`);
- CV², the squared coefficient of variation of the non-zero demand sizes (ddof 0).

With the published cut-offs ADI 1.32 and CV² 0.49 a series is *smooth* (ADI < 1.32, CV² < 0.49),
*erratic* (ADI < 1.32, CV² >= 0.49), *intermittent* (ADI >= 1.32, CV² < 0.49) or *lumpy*
(ADI >= 1.32, CV² >= 0.49). Intermittent and lumpy series go to the Croston-type candidates:
their zeros break the level and season models. Smooth and erratic series go to the regular
candidates. Before either, series without any demand take route `zero` and series shorter
than the engine's minimum history take route `short` (see `fallback`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
INTERMITTENT_CLASSES = frozenset({"intermittent", "lumpy"})


def demand_classes(series: pd.DataFrame) -> pd.DataFrame:
    """ADI, CV² and class per series of `series` (unique_id, ds, y; filled): index unique_id,
    columns points, demand_months, adi, cv2, demand_class."""
    y = series["y"]
    nonzero = y.where(y != 0)
    grouped = nonzero.groupby(series["unique_id"], sort=True)
    stats = pd.DataFrame(
        {
            "points": y.groupby(series["unique_id"], sort=True).size(),
            "demand_months": grouped.count(),
            "mean_size": grouped.mean(),
            "std_size": grouped.std(ddof=0),
        }
    )
    stats["adi"] = stats["points"] / stats["demand_months"].where(stats["demand_months"] > 0)
    stats["cv2"] = (stats["std_size"] / stats["mean_size"].where(stats["mean_size"] != 0)) ** 2
    sparse = stats["adi"] >= ADI_CUTOFF
    variable = stats["cv2"].fillna(0.0) >= CV2_CUTOFF
    stats["demand_class"] = np.select(
        [sparse & variable, sparse, variable], ["lumpy", "intermittent", "erratic"], "smooth"
    )
    stats.loc[stats["demand_months"] == 0, "demand_class"] = "none"
    return stats.drop(columns=["mean_size", "std_size"])


def routes(series: pd.DataFrame, min_points: int) -> pd.Series:
    """The engine route of every series: `zero`, `short`, `intermittent` or `regular`
    (index unique_id)."""
    classes = demand_classes(series)
    route = np.where(classes["demand_class"].isin(INTERMITTENT_CLASSES), "intermittent", "regular")
    route = np.where(classes["points"] < min_points, "short", route)
    route = np.where(classes["demand_months"] == 0, "zero", route)
    return pd.Series(route, index=classes.index, name="route")
