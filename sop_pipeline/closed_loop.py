"""The pipeline as a planner of the closed loop: each cycle runs as the `sop_cycle` job in
process (runner.py, as `sop run` does), then its MPS and demand plan are read back from the
warehouse once the cycle has published them."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd

from sop_pipeline.runner import CycleOptions, cycle_job, dagster_instance, job_warehouse, run_cycle
from sop_pipeline.simulation.loop import CyclePlan


class PipelinePlanner:
    """Plans cycles of the export drops under `exports` into the warehouse at `url`."""

    def __init__(self, exports: Path, url: str, reports: Path, horizon: int) -> None:
        options = CycleOptions(
            exports=exports, warehouse_url=url, reports_dir=reports, horizon_months=horizon
        )
        self.reports = reports
        self.instance = dagster_instance()
        self.job = cycle_job(options)
        self.warehouse = job_warehouse(self.job)

    def plan(self, cycle: pd.Timestamp, log: Path) -> CyclePlan:
        """Run the cycle (what dbt and the libraries print goes to `log`), read its plan."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out, contextlib.redirect_stdout(out):
            run_cycle(cycle, self.job, self.instance)
        mps = self.warehouse.read("mps", cycle)
        plan = self.warehouse.read("demand_plan", cycle)
        demand = plan.groupby(["sku", "month"], as_index=False)["demand"].sum()
        return CyclePlan(mps=mps[["sku", "month", "quantity", "firm"]], demand=demand)
