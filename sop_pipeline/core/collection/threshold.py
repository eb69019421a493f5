"""The failure threshold: a cycle does not plan on a broken drop.

A few bad rows are quarantined and the cycle runs; but when an entity's quarantined share
passes the threshold (default 2 %, `SOP_MAX_QUARANTINED_SHARE` or the mapping's
`max_quarantined_share` per entity), or the newest month of sales holds under half the usual
lines, the drop is rejected before planning with a report naming the file, the rows and the
rules. A share counts only from `MIN_ROWS` quarantined rows on: in a file of 50 lines one typo
is 2 %, and the demo company's four deliberately bad lines must not stop a small demo.
"""

from __future__ import annotations

import os

import pandas as pd

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.validation import ValidatedExport

DEFAULT_MAX_SHARE = 0.02
SHARE_VARIABLE = "SOP_MAX_QUARANTINED_SHARE"
SAMPLE_ROWS = 5
MIN_ROWS = 5
USUAL_MONTHS = 12  # the months whose median line count is "usual"
MIN_USUAL_MONTHS = 3  # fewer earlier months in the file (a monthly increment): no comparison


class DropRejected(ExportError):
    """The drop breaks the failure threshold: too many quarantined rows, or too few sales."""


def max_share(entity_share: float | None = None) -> float:
    """The threshold of an entity: its mapping's, else `$SOP_MAX_QUARANTINED_SHARE`, else 2 %."""
    if entity_share is not None:
        return float(entity_share)
    return float(os.environ.get(SHARE_VARIABLE) or DEFAULT_MAX_SHARE)


def threshold_breaches(
    entity: str, collected: ValidatedExport | None, cycle: pd.Timestamp
) -> list[str]:
    """Every way one collected export breaks the failure threshold (empty when it passes)."""
    if collected is None:
        return []
    breaches = [
        quarantine_breach(entity, collected, max_share(collected.max_quarantined_share)),
        sales_volume_breach(collected.source_file, collected.loaded, cycle)
        if entity == "sales_history"
        else None,
    ]
    return [b for b in breaches if b]


def quarantine_breach(entity: str, collected: ValidatedExport, limit: float) -> str | None:
    """Why the entity's quarantined share breaks the threshold, or None when it does not."""
    source_file = collected.source_file
    quarantined, read = collected.rows_quarantined, collected.rows_read
    if quarantined < MIN_ROWS or quarantined / read <= limit:
        return None
    rules = collected.quarantine.drop_duplicates(["row_number", "rule"])["rule"].value_counts()
    by_rule = ", ".join(f"{rule} {count}" for rule, count in rules.sort_index().items())
    rows = sorted(collected.quarantine["row_number"].unique())[:SAMPLE_ROWS]
    share = collected.rows_quarantined / collected.rows_read
    return (
        f"{entity} ({source_file}): {collected.rows_quarantined} of {collected.rows_read} rows "
        f"quarantined ({share:.1%} > {limit:.1%}): {by_rule}; e.g. rows "
        f"{', '.join(str(r) for r in rows)}"
    )


def sales_volume_breach(
    source_file: str, sales_lines: pd.DataFrame, cycle: pd.Timestamp
) -> str | None:
    """Why the newest month of the loaded sales lines is too thin, or None: under half the
    median lines of the earlier months in the file (when it holds at least three)."""
    months = sales_lines["ship_date"].dt.to_period("M")
    newest = (cycle - pd.DateOffset(months=1)).to_period("M")
    counts = months.value_counts()
    earlier = counts[counts.index < newest].sort_index().tail(USUAL_MONTHS)
    if len(earlier) < MIN_USUAL_MONTHS:
        return None
    usual, latest = float(earlier.median()), int(counts.get(newest, 0))
    if latest >= usual / 2:
        return None
    return (
        f"sales_history ({source_file}): the newest month {newest} holds {latest} lines, under "
        f"half the usual {usual:.0f} (median of the {len(earlier)} months before); an "
        "incomplete export?"
    )


def enforce_threshold(breaches: list[str]) -> None:
    """Raise DropRejected listing every breach; nothing when there is none."""
    if breaches:
        raise DropRejected("drop rejected before planning: " + "; ".join(breaches))
