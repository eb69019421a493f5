"""Step 1, data collection: one asset per export file, plus the monthly sales actuals.

Each export asset reads its file from the cycle's drop, validates it, and replaces the cycle's
rows of its table and its quarantine rows in one transaction.
"""

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.sales_actuals import sales_actuals as aggregate_sales
from sop_pipeline.core.contracts import CONTRACTS, EntityContract, table_columns
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import ExportsResource, WarehouseResource
from sop_pipeline.io.warehouse import TableWrite

GROUP = "collection"


def build_export_asset(contract: EntityContract) -> AssetsDefinition:
    """The asset that loads one export file of the cycle into the table of the same entity."""

    @asset(
        name=contract.table,
        group_name=GROUP,
        partitions_def=cycle_partitions,
        deps=[] if contract.sku_column is None else ["items"],
        description=f"`{contract.name}` export of the cycle, validated: {contract.grain}.",
        kinds={"python", "pandas"},
    )
    def _export(
        context: AssetExecutionContext, warehouse: WarehouseResource, exports: ExportsResource
    ) -> MaterializeResult:
        cycle = cycle_of(context)
        known_skus = None
        if contract.sku_column is not None:
            known_skus = sorted(warehouse.read("items", cycle)["sku"].dropna().unique())
        collected = collect_export(exports.path(), contract, cycle, known_skus)
        quarantine = OUTPUT_TABLES["quarantine"]
        writes = [
            TableWrite(
                contract.table,
                table_columns(contract),
                collected.loaded if collected else _empty(contract),
            ),
            TableWrite(
                "quarantine",
                quarantine.columns,
                collected.quarantine.assign(entity=contract.name)
                if collected
                else _empty_quarantine(),
                scope={"entity": contract.name},
            ),
        ]
        warehouse.warehouse().replace(cycle, writes)
        if collected is None:
            context.log.warning(
                f"{contract.name}: optional file absent from the {cycle:%Y-%m} drop; "
                "the features that need it are off this cycle"
            )
            return MaterializeResult(metadata={"file_present": False, "rows_loaded": 0})
        if collected.rows_quarantined:
            context.log.warning(f"{contract.name}: {collected.rows_quarantined} row(s) quarantined")
        return MaterializeResult(
            metadata={
                "file_present": True,
                "rows_read": collected.rows_read,
                "rows_loaded": len(collected.loaded),
                "rows_quarantined": collected.rows_quarantined,
                "quarantine_rules": ", ".join(sorted(collected.quarantine["rule"].unique()))
                or "none",
            }
        )

    return _export


def _empty(contract: EntityContract) -> pd.DataFrame:
    return pd.DataFrame(columns=contract.column_names)


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(columns=list(OUTPUT_TABLES["quarantine"].columns))


export_assets = [build_export_asset(contract) for contract in CONTRACTS.values()]


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=["sales_lines"],
    kinds={"python", "pandas"},
)
def sales_actuals(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Shipped history as the cycle sees it: grain sku x region x month, months before the cycle,
    from the latest loaded version of every sales line."""
    cycle = cycle_of(context)
    actuals = aggregate_sales(warehouse.warehouse().read("sales_lines", cycle, upto=True), cycle)
    warehouse.write(cycle, sales_actuals=actuals)
    last_month = actuals[actuals["month"] == actuals["month"].max()] if len(actuals) else actuals
    return MaterializeResult(
        metadata={
            "rows": len(actuals),
            "months": int(actuals["month"].nunique()),
            "last_month_revenue": float(last_month["revenue"].sum()),
        }
    )
