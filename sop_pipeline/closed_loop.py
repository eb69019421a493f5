"""The pipeline as a planner of the closed loop: each cycle runs in process (runner.py, as
`sop run` does), then its MPS and demand plan are read back from the warehouse once the cycle
has published them.

By default a cycle runs `sop_closed_loop`: the steps the MPS is computed from and `publish`,
with their checks, i.e. collection (exports validated by the same blocking checks), the
forecast, the demand plan, forecast accuracy (the realised errors safety stock is sized on),
the supply review and the MPS. It leaves out what only reports on the plan: the quarantine
table, forecast value added, the financial plan, the KPIs, plan changes, the meeting pack and
dbt's views, marts and tests. None of those is read by a step the MPS depends on (the asset
graph has no edge from them into it), so the released starts are the ones `sop_cycle` would
release; `whole_cycle=True` runs `sop_cycle` itself.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from sop_pipeline.core.names import BASELINE
from sop_pipeline.defs.partitions import cycle_partitions
from sop_pipeline.runner import (
    CycleOptions,
    bound_definitions,
    dagster_instance,
    job_warehouse,
    run_cycle,
)
from sop_pipeline.simulation.loop import CyclePlan

PLANNING_STEPS = (
    (AssetSelection.assets("mps").upstream() | AssetSelection.assets("publish"))
    .required_multi_asset_neighbors()
    .materializable()
)
closed_loop_job = define_asset_job(
    "sop_closed_loop",
    selection=PLANNING_STEPS,
    partitions_def=cycle_partitions,
    description="The planning steps of a cycle (collection to MPS) and publish, no reporting.",
    executor_def=in_process_executor,
)


class PipelinePlanner:
    """Plans cycles of the export drops under `exports` into the warehouse at `url`."""

    def __init__(
        self, exports: Path, url: str, reports: Path, horizon: int, whole_cycle: bool = False
    ) -> None:
        options = CycleOptions(
            exports=exports, warehouse_url=url, reports_dir=reports, horizon_months=horizon
        )
        defs = Definitions.merge(bound_definitions(options), Definitions(jobs=[closed_loop_job]))
        self.reports = reports
        self.instance = dagster_instance()
        self.job = defs.resolve_job_def("sop_cycle" if whole_cycle else closed_loop_job.name)
        self.warehouse = job_warehouse(self.job)

    def plan(self, cycle: pd.Timestamp, log: Path) -> CyclePlan:
        """Run the cycle (what dbt and the libraries print goes to `log`), read its plan."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out, contextlib.redirect_stdout(out):
            run_cycle(cycle, self.job, self.instance)
        mps = self.warehouse.read("mps", cycle)
        plan = self.warehouse.read("demand_plan", cycle)
        demand = plan.groupby(["sku", "month"], as_index=False)["demand"].sum()
        supply = self.warehouse.read("supply_plan", cycle)
        targets = supply.loc[supply["scenario"] == BASELINE, ["sku", "month", "safety_stock"]]
        return CyclePlan(
            mps=mps[["sku", "month", "quantity", "firm"]], demand=demand, safety_stock=targets
        )
