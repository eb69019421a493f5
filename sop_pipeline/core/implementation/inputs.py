"""What the implementation step reads: the cycle's supply plan."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.implementation.mps import build_mps
from sop_pipeline.core.inputs import this_cycle


@dataclass(frozen=True)
class MpsInputs:
    """The supply plan of the cycle (its baseline rows become the MPS)."""

    supply_plan: pd.DataFrame = this_cycle("supply_plan")


def master_schedule(inputs: MpsInputs, cycle: pd.Timestamp, frozen_months: int) -> pd.DataFrame:
    """The `mps` rows of the cycle: grain sku x month, firm inside the frozen horizon."""
    return build_mps(inputs.supply_plan, cycle, frozen_months)
