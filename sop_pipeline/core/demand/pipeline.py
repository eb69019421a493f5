"""CRM pipeline layer: open opportunities, weighted by their probability, net of the baseline.

Each deal counts quantity x probability in its expected month and region. A deal for a SKU
lands on that SKU; a deal for a family is spread over the family's SKUs forecast in that region
and month in proportion to their statistical forecast (equally when those forecasts are all
zero; a family deal where the family has no forecast rows is dropped).

Double counting: the statistical forecast already carries the usual flow of orders, much of
which passed through the CRM as opportunities. So only the weighted pipeline above half of the
statistical forecast of the same sku x region x month is incremental:

    pipeline = max(0, Σ weighted quantity - 0.5 x statistical)

A deal on a SKU and region without a statistical forecast (e.g. a new product) counts in full.
"""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.demand.frames import KEYS, empty_rows, number, text

BASELINE_SHARE = 0.5  # share of the statistical forecast assumed to be pipeline already


def pipeline_layer(
    statistical: pd.DataFrame,
    crm_pipeline: pd.DataFrame | None,
    items: pd.DataFrame,
    months: pd.DatetimeIndex,
) -> pd.DataFrame:
    """Incremental pipeline per sku x region x month (`statistical`: sku, region, month,
    statistical): columns sku, region, month, pipeline; rows only where deals land."""
    if crm_pipeline is None or crm_pipeline.empty:
        return empty_rows("pipeline")
    deals = _weighted_deals(crm_pipeline, months)
    known = deals["sku"].isin(items["sku"])
    by_sku = deals[known][[*KEYS, "weighted"]]
    by_family = _spread_family_deals(deals[deals["sku"] == ""], statistical, items)
    weighted = pd.concat([by_sku, by_family]).groupby(KEYS, as_index=False)["weighted"].sum()
    layer = weighted.merge(statistical[[*KEYS, "statistical"]], on=KEYS, how="left")
    baseline = BASELINE_SHARE * layer["statistical"].fillna(0.0)
    layer["pipeline"] = (layer["weighted"] - baseline).clip(lower=0.0)
    return layer[[*KEYS, "pipeline"]]


def _weighted_deals(crm_pipeline: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Deals inside the horizon: sku ('' for family deals), family, region, month, weighted."""
    deals = pd.DataFrame(
        {
            "sku": text(crm_pipeline, "sku"),
            "family": text(crm_pipeline, "family"),
            "region": text(crm_pipeline, "region"),
            "month": month_starts(crm_pipeline["expected_month"]),
            "weighted": number(crm_pipeline, "quantity").fillna(0.0)
            * number(crm_pipeline, "probability").fillna(0.0),
        }
    )
    return deals[deals["month"].isin(months)]


def _spread_family_deals(
    deals: pd.DataFrame, statistical: pd.DataFrame, items: pd.DataFrame
) -> pd.DataFrame:
    """Family deals split over the family's forecast SKUs in the deal's region and month."""
    families = items[["sku", "family"]].drop_duplicates("sku")
    rows = statistical[[*KEYS, "statistical"]].merge(families, on="sku")
    family_deals = deals[deals["family"] != ""].drop(columns="sku")
    family_deals = family_deals.groupby(["family", "region", "month"], as_index=False).sum()
    spread = family_deals.merge(rows, on=["family", "region", "month"])
    group = spread.groupby(["family", "region", "month"])
    total = group["statistical"].transform("sum")
    equal = 1.0 / group["sku"].transform("size")
    share = (spread["statistical"] / total.where(total > 0)).fillna(equal)
    return spread.assign(weighted=spread["weighted"] * share)[[*KEYS, "weighted"]]
