"""Publishing a cycle: its files reach ERP and the S&OP meeting only once the cycle is whole."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from sop_pipeline.defs.catalogue import OWNERS
from sop_pipeline.defs.dbt import assets as dbt_assets  # the module: its assets load once
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import PlanningSettings
from sop_pipeline.io.pending_files import publish_cycle_files

# Ordering, not reads: publish waits for the file-making steps and for every mart (whose dbt
# build runs the dbt tests); a failed upstream step, test or blocking check skips it.
GATES = [AssetKey("mps"), AssetKey("sop_pack"), *sorted(dbt_assets.sop_dbt_marts.keys)]


@asset(
    group_name="publish",
    partitions_def=cycle_partitions,
    deps=GATES,
    kinds={"python", "csv", "html"},
    owners=OWNERS,
)
def publish(context: AssetExecutionContext, settings: PlanningSettings) -> MaterializeResult:
    """The cycle's files published: reports/<cycle>/mps.csv for the ERP import and
    reports/<cycle>/sop_pack.html, moved there from reports/.pending/<cycle>/ after every
    step of the cycle, dbt's tests included, succeeded."""
    published = publish_cycle_files(settings.reports_dir, cycle_of(context))
    return MaterializeResult(
        metadata={path.name: MetadataValue.path(str(path.resolve())) for path in published}
    )
