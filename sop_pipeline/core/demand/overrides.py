"""Planner override layer: the consensus adjustment on top of all other layers.

Per sku x region x month, an `override_quantity` replaces the total demand, so the layer is
override_quantity - (statistical + event_uplift + pipeline + new_product); otherwise an
`adjustment_pct` scales that sum, so the layer is the sum x adjustment_pct / 100. When a row
gives both, the absolute quantity wins. Overrides outside the horizon or for SKUs not in the
item master are ignored; for one key the last row counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.demand.frames import KEYS, empty_rows, month_start, number, text

OTHER_LAYERS = ["statistical", "event_uplift", "pipeline", "new_product"]


def override_keys(
    demand_overrides: pd.DataFrame | None, items: pd.DataFrame, months: pd.DatetimeIndex
) -> pd.DataFrame:
    """Valid overrides: sku, region, month, override_quantity, adjustment_pct, one per key."""
    columns = [*KEYS, "override_quantity", "adjustment_pct"]
    if demand_overrides is None or demand_overrides.empty:
        return empty_rows("override_quantity", "adjustment_pct")
    overrides = pd.DataFrame(
        {
            "sku": text(demand_overrides, "sku"),
            "region": text(demand_overrides, "region"),
            "month": month_start(demand_overrides["month"]),
            "override_quantity": number(demand_overrides, "override_quantity"),
            "adjustment_pct": number(demand_overrides, "adjustment_pct"),
        }
    )
    valid = overrides["sku"].isin(items["sku"]) & overrides["month"].isin(months)
    return overrides[valid].drop_duplicates(KEYS, keep="last")[columns]


def override_layer(plan: pd.DataFrame, overrides: pd.DataFrame) -> pd.Series:
    """The override per row of `plan` (keys and the other layers), aligned to its index."""
    merged = plan[KEYS].merge(overrides, on=KEYS, how="left")
    others = plan[OTHER_LAYERS].sum(axis=1).to_numpy()
    quantity = merged["override_quantity"].to_numpy(dtype=float)
    pct = merged["adjustment_pct"].to_numpy(dtype=float)
    layer = np.where(
        ~np.isnan(quantity),
        quantity - others,
        np.where(~np.isnan(pct), others * pct / 100.0, 0.0),
    )
    return pd.Series(layer, index=plan.index)
