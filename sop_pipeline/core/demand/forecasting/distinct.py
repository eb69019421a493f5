"""Series with the same history are forecast once.

In the demand hierarchy a SKU sold in one region is one series twice (its SKU node and its
SKU x region node), and a family of one SKU again: the same months and values give the same
forecast, so the engine fits the first of them only and copies its rows to the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def distinct_series(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """`series` (unique_id, ds, y; sorted, filled) without the series that repeat an earlier
    one's history, and the copies: index the repeated unique_id, value the one it repeats."""
    ids = series["unique_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    histories = np.split(series["y"].to_numpy(dtype=float), starts[1:])
    keys = pd.DataFrame(
        {"first": series["ds"].to_numpy()[starts], "values": [h.tobytes() for h in histories]},
        index=pd.Index(ids[starts], name="unique_id"),
    )
    repeated = keys.duplicated()
    originals = keys[~repeated].reset_index().set_index(["first", "values"])["unique_id"]
    copied = keys[repeated]
    copies = pd.Series(
        originals.loc[list(zip(copied["first"], copied["values"], strict=True))].to_numpy(),
        index=copied.index,
        dtype=object,
    )
    return series[~series["unique_id"].isin(copies.index)], copies


def with_copies(forecasts: pd.DataFrame, copies: pd.Series) -> pd.DataFrame:
    """`forecasts` (grain unique_id x ds) with the rows of every copied series added under
    the copy's unique_id."""
    if copies.empty:
        return forecasts
    pairs = copies.rename("original").rename_axis("copy").reset_index()
    copied = pairs.merge(forecasts, left_on="original", right_on="unique_id")
    copied = copied.drop(columns=["unique_id", "original"]).rename(columns={"copy": "unique_id"})
    return pd.concat([forecasts, copied[forecasts.columns]], ignore_index=True)
