"""Publishing a cycle: its tables, marts and files reach readers only once the cycle is whole."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from sop_pipeline.defs.catalogue import OWNERS
from sop_pipeline.defs.dbt import assets as dbt_assets  # the module: its assets load once
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.publish.files import settle_files
from sop_pipeline.defs.resources import PlanningSettings, WarehouseResource
from sop_pipeline.io.reports import CYCLE_FILES, cycle_folder
from sop_pipeline.io.staging import publish_cycle

MARTS = sorted(dbt_assets.sop_dbt_marts.keys)
# Ordering, not reads: publish waits for the file-making steps and for every mart (whose dbt
# build runs the dbt tests); a failed upstream step, test or blocking check skips it.
GATES = [AssetKey("mps"), AssetKey("sop_pack"), *MARTS]


@asset(
    group_name="publish",
    partitions_def=cycle_partitions,
    deps=GATES,
    kinds={"python", "table", "csv", "html"},
    owners=OWNERS,
)
def publish(
    context: AssetExecutionContext, warehouse: WarehouseResource, settings: PlanningSettings
) -> MaterializeResult:
    """The cycle published whole, once every step of it, dbt's tests and the blocking checks
    included, succeeded: in one transaction the run's staged rows of every table replace the
    cycle's published rows, the marts dbt built for the cycle replace its rows of
    `<schema>_marts`, and `cycle_runs` says `published`; then reports/<cycle>/mps.csv (the ERP
    import) and sop_pack.html move there from reports/.pending/<cycle>/<run id>/, with the
    pending files of any earlier run killed after it published."""
    cycle = cycle_of(context)
    rows: dict[str, int] = {}
    if warehouse.run_id is not None:  # outside a run nothing was staged
        marts = [key.path[-1] for key in MARTS]
        rows = publish_cycle(warehouse.warehouse(), cycle, warehouse.run_id, marts)
    settle_files(context, warehouse, settings)
    folder = cycle_folder(Path(settings.reports_dir), cycle)
    published = [folder / name for name in CYCLE_FILES if (folder / name).exists()]
    return MaterializeResult(
        metadata={
            "tables_published": len(rows),
            "rows_published": sum(rows.values()),
            **{path.name: MetadataValue.path(str(path.resolve())) for path in published},
        }
    )
