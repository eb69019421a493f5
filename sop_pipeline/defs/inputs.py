"""Reading a cycle's validated exports back for the planning steps."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.defs.resources import WarehouseResource


def read_export(warehouse: WarehouseResource, entity: str, cycle: pd.Timestamp) -> pd.DataFrame:
    """The loaded rows of an export entity for the cycle (empty when its file was absent)."""
    return warehouse.read(CONTRACTS[entity].table, cycle)


def read_optional(
    warehouse: WarehouseResource, entity: str, cycle: pd.Timestamp
) -> pd.DataFrame | None:
    """Like `read_export`, but None when the cycle has no rows: the feature that needs it is off."""
    rows = read_export(warehouse, entity, cycle)
    return rows if len(rows) else None
