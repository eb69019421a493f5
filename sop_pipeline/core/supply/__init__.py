"""Supply review (S&OP step 3): capacity-constrained supply plan, rough-cut capacity,
exceptions, what-if scenarios, and the master production schedule handed to ERP."""

from sop_pipeline.core.supply.costs import CostSettings
from sop_pipeline.core.supply.model import (
    SOLVER_TOLERANCE,
    SupplyInputs,
    SupplyPlanError,
    SupplyReview,
)
from sop_pipeline.core.supply.mps import build_mps, write_mps_csv
from sop_pipeline.core.supply.plan import plan_supply

__all__ = [
    "SOLVER_TOLERANCE",
    "CostSettings",
    "SupplyInputs",
    "SupplyPlanError",
    "SupplyReview",
    "build_mps",
    "plan_supply",
    "write_mps_csv",
]
