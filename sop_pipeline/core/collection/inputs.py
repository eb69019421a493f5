"""What the collection step reads from the warehouse: the cycle's items (to know the SKUs an
export may name) and the sales lines' versions (to build the monthly actuals)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.collection.sales_actuals import sales_actuals
from sop_pipeline.core.inputs import HISTORY_CYCLES, cycles_back, this_cycle


@dataclass(frozen=True)
class KnownSkuInputs:
    """What an export with a SKU column is checked against: the cycle's item master."""

    items: pd.DataFrame = this_cycle("items")


def known_skus(inputs: KnownSkuInputs) -> list[str]:
    """The SKUs of the cycle's items, sorted."""
    return sorted(inputs.items["sku"].dropna().unique())


@dataclass(frozen=True)
class SalesActualsInputs:
    """Every loaded version of the sales lines: one row per line x load, with `cycle`, over the
    last `HISTORY_CYCLES` loads."""

    sales_lines: pd.DataFrame = cycles_back("sales_lines", 0, HISTORY_CYCLES - 1)


def monthly_actuals(inputs: SalesActualsInputs, cycle: pd.Timestamp) -> pd.DataFrame:
    """The `sales_actuals` rows of the cycle: grain sku x region x month before it."""
    return sales_actuals(inputs.sales_lines, cycle)
