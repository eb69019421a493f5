"""Planner override layer: the consensus adjustment on top of all other layers, and its log.

Per sku x region x month, an `override_quantity` replaces the total demand, so the layer is
override_quantity - (statistical + event_uplift + pipeline + new_product); otherwise an
`adjustment_pct` scales that sum, so the layer is the sum x adjustment_pct / 100. When a row
gives both, the absolute quantity wins (status `applied_quantity_not_pct`).

Every row of the `demand_overrides` export is kept in the `override_log` with its author,
reason and verdict; a row is applied unless:

- `rejected_unknown_sku`: its SKU is not in the item master;
- `rejected_outside_horizon`: its month is not one the cycle plans;
- `rejected_no_reason_in_firm_window`: it falls in the rolling firm window (the first
  `firm_months` months of the cycle, 3 by default: the months the MPS freezes) and gives no
  reason. Inside the firm window production is already committed, so a change there must say
  why; a change with a reason is applied and flagged `in_firm_window`;
- `superseded`: a later row of the export has the same sku x region x month (the last counts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.demand.frames import KEYS, number, text

OTHER_LAYERS = ["statistical", "event_uplift", "pipeline", "new_product"]
FIRM_MONTHS = 3
ENTRY_COLUMNS = [
    *KEYS,
    "author",
    "reason",
    "override_quantity",
    "adjustment_pct",
    "in_firm_window",
    "applied",
    "status",
]


def override_entries(
    demand_overrides: pd.DataFrame | None,
    items: pd.DataFrame,
    months: pd.DatetimeIndex,
    firm_months: int = FIRM_MONTHS,
) -> pd.DataFrame:
    """Every override row with its verdict: sku, region, month, author, reason,
    override_quantity, adjustment_pct, in_firm_window, applied, status."""
    if demand_overrides is None or demand_overrides.empty:
        return _no_entries()
    entries = _override_rows(demand_overrides)
    entries["in_firm_window"] = entries["month"].isin(months[:firm_months])
    entries["status"] = _verdicts(entries, items, months)
    entries["applied"] = entries["status"].str.startswith("applied")
    return entries[ENTRY_COLUMNS]


def _override_rows(demand_overrides: pd.DataFrame) -> pd.DataFrame:
    """The planners' rows with keys and texts cleaned ('unknown' where no author is given)."""
    return pd.DataFrame(
        {
            "sku": text(demand_overrides, "sku"),
            "region": text(demand_overrides, "region"),
            "month": month_starts(demand_overrides["month"]),
            "author": text(demand_overrides, "author").replace("", "unknown"),
            "reason": text(demand_overrides, "reason"),
            "override_quantity": number(demand_overrides, "override_quantity"),
            "adjustment_pct": number(demand_overrides, "adjustment_pct"),
        }
    ).reset_index(drop=True)


def _verdicts(entries: pd.DataFrame, items: pd.DataFrame, months: pd.DatetimeIndex) -> np.ndarray:
    """The status of each entry: the first rule it breaks, else 'applied'."""
    both = entries["override_quantity"].notna() & entries["adjustment_pct"].notna()
    verdicts = [  # first matching rule wins
        (entries.duplicated(KEYS, keep="last"), "superseded"),
        (~entries["sku"].isin(items["sku"]), "rejected_unknown_sku"),
        (~entries["month"].isin(months), "rejected_outside_horizon"),
        (
            entries["in_firm_window"] & (entries["reason"] == ""),
            "rejected_no_reason_in_firm_window",
        ),
        (both, "applied_quantity_not_pct"),
    ]
    return np.select([rule for rule, _ in verdicts], [s for _, s in verdicts], "applied")


def applied_overrides(entries: pd.DataFrame) -> pd.DataFrame:
    """The applied overrides, one per key: sku, region, month, override_quantity,
    adjustment_pct (NaN when the quantity wins)."""
    applied = entries[entries["applied"]][[*KEYS, "override_quantity", "adjustment_pct"]]
    quantity_wins = applied["override_quantity"].notna()
    return applied.assign(adjustment_pct=applied["adjustment_pct"].mask(quantity_wins))


def override_layer(plan: pd.DataFrame) -> pd.Series:
    """The override per row of `plan` (the other layers, override_quantity, adjustment_pct)."""
    others = plan[OTHER_LAYERS].sum(axis=1).to_numpy()
    quantity = plan["override_quantity"].to_numpy(dtype=float)
    pct = plan["adjustment_pct"].to_numpy(dtype=float)
    layer = np.where(
        ~np.isnan(quantity),
        quantity - others,
        np.where(~np.isnan(pct), others * pct / 100.0, 0.0),
    )
    return pd.Series(layer, index=plan.index)


def override_log(entries: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """The `override_log` rows: each entry with the demand of its key before the override (the
    sum of the other layers, floored at 0), the override applied (0 if not) and the demand
    after it (both NaN when the key has no plan row, e.g. an unknown SKU)."""
    effect = plan[KEYS].assign(
        demand_before=plan[OTHER_LAYERS].sum(axis=1).clip(lower=0.0),
        override=plan["override"],
        demand_after=plan["demand"],
    )
    log = entries.merge(effect, on=KEYS, how="left")
    rejected = ~log["applied"]
    log.loc[rejected, "override"] = 0.0
    log.loc[rejected, "demand_before"] = log.loc[rejected, "demand_after"]
    return log


def _no_entries() -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ENTRY_COLUMNS})
    empty["month"] = pd.Series(dtype="datetime64[ns]")
    for column in ("override_quantity", "adjustment_pct"):
        empty[column] = pd.Series(dtype=float)
    for column in ("in_firm_window", "applied"):
        empty[column] = pd.Series(dtype=bool)
    return empty
