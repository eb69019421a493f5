"""Blocking checks of step 1: each loaded export table passes its expectation suite.

Bad rows were quarantined on the way in, so a failure here means a row slipped through; the
check is blocking, and the planning steps downstream do not run on such data.
"""

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetChecksDefinition, asset_check

from sop_pipeline.core.collection.inputs import KnownSkuInputs, known_skus
from sop_pipeline.core.collection.suites import build_suite, run_suite
from sop_pipeline.core.contracts import CONTRACTS, EntityContract
from sop_pipeline.defs.inputs import read_inputs
from sop_pipeline.defs.partitions import cycle_of
from sop_pipeline.defs.resources import WarehouseResource


def build_suite_check(contract: EntityContract) -> AssetChecksDefinition:
    """The blocking check that runs the entity's GX suite on the cycle's loaded rows."""

    @asset_check(
        asset=contract.table,
        name="passes_expectation_suite",
        blocking=True,
        description=f"The loaded `{contract.table}` rows pass the `{contract.name}` suite.",
    )
    def _check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> AssetCheckResult:
        cycle = cycle_of(context)
        rows = warehouse.read(contract.table, cycle)
        skus = None
        if contract.sku_column is not None:
            skus = known_skus(read_inputs(KnownSkuInputs, warehouse, cycle))
        failures = run_suite(rows, build_suite(contract, skus, cycle)) if len(rows) else []
        return AssetCheckResult(
            passed=not failures,
            metadata={
                "rows_checked": len(rows),
                "failed_expectations": ", ".join(f"{f.rule}({f.column})" for f in failures)
                or "none",
                "failed_rows": sum(len(f.row_index) for f in failures),
            },
        )

    return _check


suite_checks = [build_suite_check(contract) for contract in CONTRACTS.values()]
