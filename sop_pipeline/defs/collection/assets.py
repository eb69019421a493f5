"""Step 1, data collection: one asset per export file, the quarantine, and the monthly sales
actuals.

Each export asset reads its file from the cycle's drop, validates it, and replaces the cycle's
rows of its table and its quarantine rows in one transaction.
"""

from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.inputs import (
    KnownSkuInputs,
    SalesActualsInputs,
    known_skus,
    monthly_actuals,
)
from sop_pipeline.core.collection.mapping import EntityMapping, load_mapping
from sop_pipeline.core.collection.sales_actuals import short_history_warning
from sop_pipeline.core.collection.threshold import enforce_threshold, threshold_breaches
from sop_pipeline.core.collection.validation import ValidatedExport
from sop_pipeline.core.contracts import CONTRACTS, EntityContract, table_columns
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.defs.catalogue import OWNERS, table_definition, written
from sop_pipeline.defs.collection.metadata import (
    export_figures,
    quarantine_figures,
    sales_actuals_figures,
)
from sop_pipeline.defs.inputs import input_deps, read_inputs
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import ExportsResource, WarehouseResource
from sop_pipeline.io.warehouse import TableWrite

GROUP = "collection"


def build_export_asset(contract: EntityContract) -> AssetsDefinition:
    """The asset that loads one export file of the cycle into the table of the same entity."""
    inputs_class = None if contract.sku_column is None else KnownSkuInputs

    @asset(
        name=contract.table,
        group_name=GROUP,
        partitions_def=cycle_partitions,
        deps=input_deps(inputs_class),
        description=f"`{contract.name}` export of the cycle, validated: {contract.grain}.",
        kinds={"python", "pandas", "table"},
        owners=OWNERS,
        metadata=table_definition(contract.table),
    )
    def _export(
        context: AssetExecutionContext, warehouse: WarehouseResource, exports: ExportsResource
    ) -> MaterializeResult:
        cycle = cycle_of(context)
        skus = None
        if inputs_class is not None:
            skus = known_skus(read_inputs(inputs_class, warehouse, cycle))
        collected = collect_export(exports.path(), contract, cycle, skus, _mappings(exports))
        loaded = _load(warehouse, contract, cycle, collected)
        if collected is None:
            context.log.warning(
                f"{contract.name}: optional file absent from the {cycle:%Y-%m} drop; "
                "the features that need it are off this cycle"
            )
        else:
            context.log.info(f"{collected.source_file}: read as {collected.read_as}")
            if collected.rows_quarantined:
                context.log.warning(
                    f"{contract.name}: {collected.rows_quarantined} row(s) quarantined"
                )
        # after the write, so that the quarantine table holds the rejected drop's evidence
        enforce_threshold(threshold_breaches(contract.name, collected, cycle))
        return MaterializeResult(
            metadata={
                **written(warehouse, contract.table, loaded),
                **export_figures(collected),
            }
        )

    return _export


def _mappings(exports: ExportsResource) -> dict[str, EntityMapping] | None:
    """The mapping file the resource names, or None: `<root>/mapping.yaml` when present."""
    return load_mapping(Path(exports.mapping)) if exports.mapping else None


def _load(
    warehouse: WarehouseResource,
    contract: EntityContract,
    cycle: pd.Timestamp,
    collected: ValidatedExport | None,
) -> int:
    """Replace the cycle's rows of the entity's table and its quarantine rows in one
    transaction; the number of rows loaded."""
    loaded = collected.loaded if collected else _empty(contract)
    quarantined = (
        collected.quarantine.assign(entity=contract.name) if collected else _empty_quarantine()
    )
    writes = [
        TableWrite(contract.table, table_columns(contract), loaded),
        TableWrite(
            "quarantine",
            OUTPUT_TABLES["quarantine"].columns,
            quarantined,
            scope={"entity": contract.name},
        ),
    ]
    warehouse.write_tables(cycle, writes)
    return len(loaded)


def _empty(contract: EntityContract) -> pd.DataFrame:
    return pd.DataFrame(columns=contract.column_names)


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(columns=list(OUTPUT_TABLES["quarantine"].columns))


export_assets = [build_export_asset(contract) for contract in CONTRACTS.values()]


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=[contract.table for contract in CONTRACTS.values()],
    kinds={"python", "table"},
    owners=OWNERS,
    metadata=table_definition("quarantine"),
)
def quarantine(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The input cells and rows the cycle's exports rejected, with the rule they broke: grain
    entity x source_file x row_number x column x rule. Each export asset writes its entity's
    rows in the transaction that loads its table; this asset shows the cycle's rows once they
    are all in (it reads back the table it stands for, nothing upstream)."""
    rows = warehouse.read("quarantine", cycle_of(context))
    return MaterializeResult(
        metadata={**written(warehouse, "quarantine", len(rows)), **quarantine_figures(rows)}
    )


@asset(
    group_name=GROUP,
    partitions_def=cycle_partitions,
    deps=input_deps(SalesActualsInputs),
    kinds={"python", "pandas", "table"},
    owners=OWNERS,
    metadata=table_definition("sales_actuals"),
)
def sales_actuals(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """Shipped history as the cycle sees it: grain sku x region x month, months before the cycle,
    from the latest loaded version of every sales line."""
    cycle = cycle_of(context)
    actuals = monthly_actuals(read_inputs(SalesActualsInputs, warehouse, cycle), cycle)
    warehouse.write(cycle, sales_actuals=actuals)
    # a new warehouse loaded from a short first drop plans on that: say so where it shows
    warning = short_history_warning(int(actuals["month"].nunique()), "sales_actuals")
    if warning:
        context.log.warning(warning)
    return MaterializeResult(
        metadata={
            **written(warehouse, "sales_actuals", len(actuals)),
            **sales_actuals_figures(actuals),
            "history_warning": warning or "none",
        }
    )
