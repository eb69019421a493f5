"""Input frames summed into dense arrays by position in an index of keys and months."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sop_pipeline.core.calendar import month_starts
from sop_pipeline.core.supply.model import FloatArray


def grid(
    frame: pd.DataFrame,
    value: str,
    rows: pd.Index,
    cols: pd.DatetimeIndex,
    row_col: str,
    fill: float | None = None,
) -> FloatArray:
    """Sum `value` of `frame` into a (len(rows), len(cols)) array, column keys in `month`.

    Unmatched keys are dropped and cells no row reaches are 0. A blank or non-numeric value
    becomes `fill`; with `fill=None` it stays NaN so that validation can report it. An empty
    frame, or a missing `value` column when `fill` is given, gives all zeros.
    """
    total = np.zeros((len(rows), len(cols)))
    if frame.empty or (value not in frame and fill is not None):
        return total
    r = rows.get_indexer(pd.Index(frame[row_col].astype(str)))
    c = cols.get_indexer(month_starts(frame["month"]))
    keep = (r >= 0) & (c >= 0)
    numbers = pd.to_numeric(frame[value], errors="coerce")
    numbers = numbers if fill is None else numbers.fillna(fill)
    np.add.at(total, (r[keep], c[keep]), numbers.to_numpy(dtype=float)[keep])
    return total
