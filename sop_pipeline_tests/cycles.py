"""Running planning cycles in tests: real Dagster materialisations against a real warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from dagster import DagsterInstance, ExecuteInProcessResult, materialize

from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.definitions import build_definitions
from sop_pipeline.defs.dbt.assets import sop_dbt_marts
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource
from sop_pipeline.io.staging import publish_cycle
from sop_pipeline.io.warehouse import Warehouse

DEMO_LAST_CYCLE = "2026-11"


def materialize_cycle(
    cycle: str,
    url: str,
    exports: Path,
    reports: Path,
    selection: str | None = None,
    mapping: Path | None = None,
) -> ExecuteInProcessResult:
    """Materialise the assets and checks of one cycle (YYYY-MM) in process. A `selection` that
    succeeds is then published as the cycle's `publish` step would (it moves only what the run
    staged), so the subset's tables are read as a whole cycle's are."""
    defs = build_definitions(
        warehouse=WarehouseResource(url=url),
        exports=ExportsResource(root=str(exports), mapping=str(mapping or "")),
        settings=PlanningSettings(reports_dir=str(reports), horizon_months=12),
    )
    assets = [*defs.assets, *defs.asset_checks]  # type: ignore[misc]
    result = materialize(
        assets,
        partition_key=f"{cycle}-01",
        resources=defs.resources,
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
        selection=selection,
    )
    if selection is not None and result.success:  # a subset has no `publish` step of its own
        marts = [key.path[-1] for key in sop_dbt_marts.keys]
        warehouse = WarehouseResource(url=url).warehouse()
        publish_cycle(warehouse, pd.Timestamp(f"{cycle}-01"), result.run_id, marts)
    return result


def cycle_tables(url: str, cycle: str) -> dict[str, pd.DataFrame]:
    """Every output table's rows of a cycle, sorted by key so that two reads compare equal."""
    warehouse = Warehouse(url)
    timestamp = pd.Timestamp(f"{cycle}-01")
    tables = {}
    for name, spec in OUTPUT_TABLES.items():
        rows = warehouse.read(name, timestamp, columns=spec.columns)
        tables[name] = rows.sort_values(list(spec.key)).reset_index(drop=True)
    return tables


def drop_without(exports: Path, target: Path, stem: str, cycle: str = DEMO_LAST_CYCLE) -> Path:
    """A copy of one cycle's drop under `target/exports` with the files of entity `stem`
    removed; returns the new exports root."""
    root = target / "exports"
    shutil.copytree(exports / cycle, root / cycle)
    for path in (root / cycle).glob(f"{stem}.*"):
        path.unlink()
    return root
