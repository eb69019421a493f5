"""What every Python asset reads is what it declares.

Two consecutive demo cycles are materialised through Dagster with a warehouse that records each
read (table and cycles) and the asset step that made it. For every asset step and cycle, the
recorded reads must equal its declared dependencies, resolved to upstream partitions by
Dagster's own partition mappings: an undeclared read or a declared input that is never read
fails. The graph check shows a backfill orders a self-dependent asset's cycles.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    DagsterInstance,
    DagsterInvariantViolationError,
    materialize,
)
from dagster._core.definitions.events import AssetKeyPartitionKey

from sop_pipeline.definitions import build_definitions
from sop_pipeline.defs.partitions import cycle_partitions
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource
from sop_pipeline.io.warehouse import Warehouse

CYCLES = ("2026-10", "2026-11")
SELF_DEPENDENT = ("supply_plan", "kpi", "forecast_value_added")
# the export assets write the quarantine rows; the `quarantine` asset depends on them as its
# writers and reads back its own table only
WRITTEN_UPSTREAM = {"quarantine"}

Reads = dict[tuple[str, str], set[tuple[str, str]]]  # (step, partition) -> {(table, cycle)}
RECORDED: Reads = defaultdict(set)
# the record of runs, not planning data: the file steps read it to settle the files of a run
# killed after publishing; no asset's result depends on it
RUN_RECORDS = {"cycle_runs"}


def read_cycles(cycle: pd.Timestamp | None, upto: bool, since: pd.Timestamp | None) -> list[str]:
    """The partition keys a warehouse read covers ('*' for a read of every cycle)."""
    if cycle is None or (upto and since is None):
        return ["*"]
    first = since if upto else cycle
    return [f"{month:%Y-%m-%d}" for month in pd.date_range(first, cycle, freq="MS")]


class RecordingWarehouse(Warehouse):
    """The warehouse, noting every read with the asset step and partition that made it."""

    def read(  # type: ignore[override]
        self,
        table: str,
        cycle: pd.Timestamp | None = None,
        upto: bool = False,
        columns: dict[str, str] | None = None,
        since: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        try:
            context = AssetExecutionContext.get()
        except DagsterInvariantViolationError:  # an asset check: not an asset's input
            return super().read(table, cycle, upto, columns, since)
        if table in RUN_RECORDS:
            return super().read(table, cycle, upto, columns, since)
        step = (context.op_def.name, context.partition_key)
        RECORDED[step].update((table, key) for key in read_cycles(cycle, upto, since))
        return super().read(table, cycle, upto, columns, since)


class RecordingWarehouseResource(WarehouseResource):
    def warehouse(self) -> Warehouse:
        return RecordingWarehouse(self.resolved_url(), self.resolved_schema())


def python_assets(defs_assets: list[AssetsDefinition]) -> list[AssetsDefinition]:
    """Every asset a run materialises but dbt's (dbt reads its sources itself, its lineage is
    the manifest's) and `publish`, whose dependencies are gates (it moves files, reads no
    table); the tables `sop approve` writes are no run's assets."""
    return [
        a
        for a in defs_assets
        if isinstance(a, AssetsDefinition)
        and a.is_executable
        and not any("dbt" in spec.kinds for spec in a.specs)
        and AssetKey("publish") not in a.keys
    ]


def declared(asset: AssetsDefinition, partition: str) -> set[tuple[str, str]]:
    """The (table, cycle) pairs the asset's specs depend on in `partition`, resolved by the
    partition mappings the specs declare (identity when none)."""
    pairs = set()
    downstream = cycle_partitions.subset_with_partition_keys([partition])
    for spec in asset.specs:
        if spec.key.to_user_string() in WRITTEN_UPSTREAM:
            pairs.add((spec.key.to_user_string(), partition))
            continue
        for dep in spec.deps:
            table = dep.asset_key.to_user_string()
            if dep.partition_mapping is None:
                pairs.add((table, partition))
                continue
            upstream = dep.partition_mapping.get_upstream_mapped_partitions_result_for_partitions(
                downstream, cycle_partitions, cycle_partitions
            )
            pairs.update((table, key) for key in upstream.partitions_subset.get_partition_keys())
    return pairs


def mismatches(assets: list[AssetsDefinition], recorded: Reads) -> dict[str, dict[str, list]]:
    """Per step and partition, what it read undeclared and what it declared but did not read."""
    problems = {}
    for asset in assets:
        for cycle in CYCLES:
            partition = f"{cycle}-01"
            read = recorded.get((asset.op.name, partition), set())
            expected = declared(asset, partition)
            if read != expected:
                problems[f"{asset.op.name} {cycle}"] = {
                    "undeclared": sorted(read - expected),
                    "unread": sorted(expected - read),
                }
    return problems


@pytest.fixture(scope="module")
def lineage_run(
    demo_exports: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[AssetsDefinition], Reads]:
    root = tmp_path_factory.mktemp("lineage")
    defs = build_definitions(
        warehouse=RecordingWarehouseResource(url=f"duckdb:///{root / 'w.duckdb'}"),
        exports=ExportsResource(root=str(demo_exports)),
        settings=PlanningSettings(reports_dir=str(root / "reports"), horizon_months=12),
    )
    assets = python_assets(list(defs.assets))  # type: ignore[arg-type]
    RECORDED.clear()
    for cycle in CYCLES:
        result = materialize(
            assets,
            partition_key=f"{cycle}-01",
            resources=defs.resources,
            instance=DagsterInstance.ephemeral(),
        )
        assert result.success, cycle
    return assets, dict(RECORDED)


@pytest.mark.integration
def test_every_asset_reads_exactly_what_it_declares(
    lineage_run: tuple[list[AssetsDefinition], Reads],
) -> None:
    assets, recorded = lineage_run
    assert {name for name, _ in recorded} >= {"supply_review", "kpi", "sales_actuals"}
    assert ("supply_plan", "2026-10-01") in recorded[("supply_review", "2026-11-01")]
    assert mismatches(assets, recorded) == {}


@pytest.mark.integration
def test_the_comparison_catches_an_undeclared_and_an_unread_input(
    lineage_run: tuple[list[AssetsDefinition], Reads],
) -> None:
    assets, recorded = lineage_run
    tampered = {step: set(pairs) for step, pairs in recorded.items()}
    tampered[("mps", "2026-11-01")].add(("demand_plan", "2026-11-01"))
    tampered[("kpi", "2026-11-01")].discard(("kpi", "2026-10-01"))
    problems = mismatches(assets, tampered)
    assert problems["mps 2026-11"]["undeclared"] == [("demand_plan", "2026-11-01")]
    assert problems["kpi 2026-11"]["unread"] == [("kpi", "2026-10-01")]


def test_a_backfill_waits_for_the_previous_cycle_of_a_self_dependent_asset() -> None:
    graph = build_definitions().resolve_asset_graph()
    for table in SELF_DEPENDENT:
        parents = graph.get_parents_partitions(AssetKey(table), "2026-11-01")
        assert AssetKeyPartitionKey(AssetKey(table), "2026-10-01") in parents.parent_partitions
        first = cycle_partitions.get_first_partition_key()
        assert first is not None
        at_start = graph.get_parents_partitions(AssetKey(table), first)
        assert not at_start.required_but_nonexistent_parents_partitions, table
        assert all(p.asset_key != AssetKey(table) for p in at_start.parent_partitions), table
