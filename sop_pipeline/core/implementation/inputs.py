"""What the implementation step reads: the cycle's supply plan, and the MPS released for the
cycle when it was already approved (a re-run then publishes the released MPS, not a proposal)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.implementation.mps import RELEASED, build_mps
from sop_pipeline.core.inputs import this_cycle


@dataclass(frozen=True)
class MpsInputs:
    """The supply plan of the cycle (its baseline rows become the proposed MPS) and the cycle's
    released MPS, None until the cycle is approved."""

    supply_plan: pd.DataFrame = this_cycle("supply_plan")
    released_mps: pd.DataFrame | None = this_cycle("released_mps", optional=True)


def master_schedule(inputs: MpsInputs, cycle: pd.Timestamp, frozen_months: int) -> pd.DataFrame:
    """The `mps` rows of the cycle: grain sku x month, firm inside the frozen horizon, status
    proposed."""
    return build_mps(inputs.supply_plan, cycle, frozen_months)


def published_schedule(inputs: MpsInputs, proposed: pd.DataFrame) -> pd.DataFrame:
    """The MPS that goes to `mps.csv`: the released one when the cycle is approved, else the
    proposal (its status says which)."""
    if inputs.released_mps is None:
        return proposed
    return released_file_rows(inputs.released_mps)


def released_file_rows(released_mps: pd.DataFrame) -> pd.DataFrame:
    """`released_mps` rows in the layout of `mps` rows, status released."""
    return released_mps[["sku", "month", "quantity", "firm"]].assign(status=RELEASED)
