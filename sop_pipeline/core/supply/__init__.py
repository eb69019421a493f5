"""Supply review (S&OP step 3): capacity-constrained supply plan, rough-cut capacity,
exceptions and what-if scenarios."""

from sop_pipeline.core.names import SOLVER_TOLERANCE
from sop_pipeline.core.supply.costs import CostSettings
from sop_pipeline.core.supply.model import SupplyInputs, SupplyPlanError, SupplyReview
from sop_pipeline.core.supply.plan import plan_supply

__all__ = [
    "SOLVER_TOLERANCE",
    "CostSettings",
    "SupplyInputs",
    "SupplyPlanError",
    "SupplyReview",
    "plan_supply",
]
