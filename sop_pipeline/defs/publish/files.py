"""Where a run's steps write the cycle's files (mps.csv, sop_pack.html) for `publish` to move."""

from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext

from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.pending_files import pending_folder, settle_pending_files


def settle_files(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> None:
    """Finish what earlier runs left in reports/.pending/ (the files of a run killed after it
    published move into place, those of runs that never will are deleted), saying what."""
    for line in settle_pending_files(settings.reports_dir, warehouse.warehouse()):
        context.log.info(line)


def run_files_folder(
    context: AssetExecutionContext,
    warehouse: WarehouseResource,
    settings: PlanningSettings,
    cycle: pd.Timestamp,
) -> Path:
    """This run's pending folder of the cycle, reports/.pending/<YYYY-MM>/<run id>/, once what
    earlier runs left pending is settled."""
    settle_files(context, warehouse, settings)
    return pending_folder(settings.reports_dir, cycle, warehouse.run_id)
