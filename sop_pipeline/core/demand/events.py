"""Event uplift: promotions and one-off events as a percentage on the statistical forecast.

An event applies to its SKU, or to every SKU of its family when it names a family; to its
region, or to all regions when the region is blank; to every month from start_month to
end_month. Its uplift is statistical x uplift_pct / 100 (negative for e.g. a competitor's
launch). Overlapping events add their percentages, floored at -100 % so that events never
take a row below zero. The new-product layer is not uplifted: it is already an estimate.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.demand.frames import KEYS, number, text

FLOOR_PCT = -100.0


def event_uplift(
    plan: pd.DataFrame, promotions: pd.DataFrame | None, items: pd.DataFrame
) -> pd.Series:
    """Uplift per row of `plan` (sku, region, month, statistical), aligned to its index."""
    if promotions is None or promotions.empty or plan.empty:
        return pd.Series(0.0, index=plan.index)
    pct = _uplift_pct(plan[KEYS], _events_by_sku(promotions, items))
    rows = plan[KEYS].merge(pct, on=KEYS, how="left")["uplift_pct"].fillna(0.0)
    return pd.Series(plan["statistical"].to_numpy() * rows.to_numpy() / 100.0, index=plan.index)


def _events_by_sku(promotions: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per event x SKU it covers: sku, region ('' = all), start, end, uplift_pct."""
    events = pd.DataFrame(
        {
            "sku": text(promotions, "sku"),
            "family": text(promotions, "family"),
            "region": text(promotions, "region"),
            "start": month_starts(promotions["start_month"]),
            "end": month_starts(promotions["end_month"]),
            "uplift_pct": number(promotions, "uplift_pct").fillna(0.0),
        }
    )
    by_sku = events[events["sku"] != ""]
    families = items[["sku", "family"]].drop_duplicates("sku")
    by_family = events[(events["sku"] == "") & (events["family"] != "")].drop(columns="sku")
    by_family = by_family.merge(families, on="family")
    columns = ["sku", "region", "start", "end", "uplift_pct"]
    return pd.concat([by_sku[columns], by_family[columns]], ignore_index=True)


def _uplift_pct(keys: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Total uplift percentage per plan key that at least one event covers."""
    matched = keys.merge(events, on="sku", suffixes=("", "_event"))
    covers = (
        (matched["month"] >= matched["start"])
        & (matched["month"] <= matched["end"])
        & ((matched["region_event"] == "") | (matched["region_event"] == matched["region"]))
    )
    total = matched[covers].groupby(KEYS, as_index=False)["uplift_pct"].sum()
    return total.assign(uplift_pct=total["uplift_pct"].clip(lower=FLOOR_PCT))
