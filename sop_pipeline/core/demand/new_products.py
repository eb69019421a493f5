"""New-product layer: launch volumes for new SKUs that have no statistical forecast.

A SKU with status `new` and no statistical forecast rows (no sales history yet) is planned from
its launch month, or from the cycle when it launched before or has no launch date, in every
region where its family has a forecast. Its volume in a month is the average statistical
forecast per SKU of its family in that region and month, ramped up over the first months after
launch: 50 %, 75 %, then 100 %. The ramp counts from the launch month itself, so a SKU launched
a month ago without sales starts at 75 %.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts, months_between_series
from sop_pipeline.core.demand.frames import KEYS, empty_rows, text

RAMP = (0.5, 0.75)  # share of the family average in the first months after launch


def new_product_rows(
    statistical: pd.DataFrame, items: pd.DataFrame, cycle: pd.Timestamp
) -> pd.DataFrame:
    """Launch volume per new SKU x region x month of the horizon: columns sku, region,
    month, new_product."""
    launches = _launches(statistical, items, cycle)
    if launches.empty or statistical.empty:
        return empty_rows("new_product")
    families = items[["sku", "family"]].drop_duplicates("sku")
    average = (
        statistical.merge(families, on="sku")
        .groupby(["family", "region", "month"], as_index=False)["statistical"]
        .mean()
    )
    rows = launches.merge(average, on="family")
    rows = rows[rows["month"] >= rows["start"]]
    age = months_between_series(rows["launch"], rows["month"])
    ramp = age.map(lambda months: RAMP[months] if 0 <= months < len(RAMP) else 1.0)
    rows = rows.assign(new_product=rows["statistical"] * ramp)
    return rows[[*KEYS, "new_product"]].reset_index(drop=True)


def _launches(statistical: pd.DataFrame, items: pd.DataFrame, cycle: pd.Timestamp) -> pd.DataFrame:
    """New SKUs without a forecast: sku, family, launch (month), start (first planned month)."""
    catalogue = items.drop_duplicates("sku")
    new = catalogue[
        (text(catalogue, "status").str.lower() == "new")
        & ~catalogue["sku"].isin(statistical["sku"])
    ]
    launch_date = new["launch_date"] if "launch_date" in new else pd.Series(pd.NaT, index=new.index)
    launch = month_starts(launch_date).fillna(cycle)
    return pd.DataFrame(
        {
            "sku": new["sku"],
            "family": new["family"],
            "launch": launch,
            "start": launch.where(launch > cycle, cycle),
        }
    )
