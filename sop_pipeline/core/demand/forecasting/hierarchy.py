"""The forecast hierarchy: which series add up to which, from SKU x region to the total.

Six levels, each a way of summing the bottom series (one SKU in one region):

| level | one node per | sums |
|---|---|---|
| sku_region | SKU x region (bottom) | itself |
| sku | SKU | its regions |
| family_region | family x region | the family's SKUs in that region |
| family | family | the family's SKUs in every region |
| region | region | every SKU in that region |
| total | the company | everything |

A node's dimensions that its level sums over are '' (the warehouse writes them as NULL); its
`node` name joins the others with '/'. Bottom series are filled with zeros from their first sale
to the month before the cycle, so every aggregate is a filled series too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

LEVEL_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "sku_region": ("family", "sku", "region"),
    "sku": ("family", "sku"),
    "family_region": ("family", "region"),
    "family": ("family",),
    "region": ("region",),
    "total": (),
}
BOTTOM = "sku_region"
DIMENSIONS = ["sku", "family", "region"]
NODE_COLUMNS = ["level", "node", *DIMENSIONS]
TOTAL = "total"


def node_series(monthly: pd.DataFrame) -> pd.DataFrame:
    """Every node's monthly history from the bottom series (`monthly`: sku, region, family,
    month, quantity): columns level, node, sku, family, region, month, quantity."""
    frames = []
    for level, dims in LEVEL_DIMENSIONS.items():
        grouped = monthly.groupby([*dims, "month"], as_index=False)["quantity"].sum()
        frames.append(_named(grouped, level))
    return pd.concat(frames, ignore_index=True)[[*NODE_COLUMNS, "month", "quantity"]]


def hierarchy_nodes(bottom: pd.DataFrame) -> pd.DataFrame:
    """The nodes above and including the bottom series (`bottom`: sku, family, region, one row
    per series), aggregates first and bottom series last, in the order of the summing matrix."""
    bottom = bottom[["sku", "family", "region"]].drop_duplicates(["sku", "region"])
    frames = []
    for level, dims in LEVEL_DIMENSIONS.items():
        keys = bottom[list(dims)].drop_duplicates() if dims else pd.DataFrame(index=[0])
        frames.append(_named(keys.sort_values(list(dims)) if dims else keys, level))
    bottom_frame, *aggregates = frames
    return pd.concat([*aggregates, bottom_frame], ignore_index=True)[NODE_COLUMNS]


def summing_matrix(nodes: pd.DataFrame) -> sparse.csr_matrix:
    """S (nodes x bottom series): 1 where a bottom series adds into a node. `nodes` as
    `hierarchy_nodes` orders them, so the last rows are the identity on the bottom series."""
    bottom = nodes[nodes["level"] == BOTTOM].reset_index(drop=True)
    rows, columns = [], []
    for level, dims in LEVEL_DIMENSIONS.items():
        members = nodes[nodes["level"] == level].reset_index().rename(columns={"index": "row"})
        if dims:
            pairs = bottom.reset_index().merge(members[["row", *dims]], on=list(dims))
        else:
            pairs = bottom.reset_index().assign(row=int(members["row"].iloc[0]))
        rows.append(pairs["row"].to_numpy())
        columns.append(pairs["index"].to_numpy())
    row, column = np.concatenate(rows), np.concatenate(columns)
    values = np.ones(len(row))
    return sparse.csr_matrix((values, (row, column)), shape=(len(nodes), len(bottom)))


def _named(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """`frame` with the level, '' for the dimensions it sums over, and the node's name."""
    out = frame.assign(level=level)
    for dim in DIMENSIONS:
        if dim not in LEVEL_DIMENSIONS[level]:
            out[dim] = ""
    parts = [d for d in ("sku", "family", "region") if d in LEVEL_DIMENSIONS[level]]
    if level in ("sku_region", "sku"):
        parts.remove("family")  # a SKU names its family already
    if not parts:
        out["node"] = TOTAL
        return out
    names = out[parts[0]].astype(str)  # joined column-wise: a row-wise join takes seconds
    out["node"] = (
        names.str.cat([out[p].astype(str) for p in parts[1:]], sep="/") if parts[1:] else names
    )
    return out
