"""The dbt reporting models as Dagster assets, downstream of the Python tables.

Two definitions over one dbt project, both per planning cycle:

- `sop_dbt_views`: the staging and intermediate views and their tests;
- `sop_dbt_marts`: the marts and their tests; the partition's time window tells them which
  cycles to build.

In a run of a cycle both build the cycle's next version, not the published one: the sources are
views over the published tables with the run's staged cycle in place (`create_overlay`), and
every layer goes to `<schema>_next_<YYYYMM>_<layer>`; the `publish` step moves the cycle's mart
rows into `<schema>_marts` once everything passed (sop_pipeline/io/staging.py).

dbt's sources carry `meta.dagster.asset_key` equal to the Python asset that writes them, so the
lineage is one graph; dbt tests appear as Dagster asset checks (dbt unit tests run inside
`dbt build` before their model). dbt's profile follows the warehouse URL of the Python assets;
the URL and the cycle window reach dbt as environment variables (new `--vars` would force a full
parse). Each build starts from the saved parse of an earlier build with the same profile
(sop_pipeline/io/dbt_parse_cache.py): the marts reuse the views' parse, a re-run both.
"""

import importlib.metadata
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliInvocation, DbtCliResource, dbt_assets
from packaging import version

from sop_pipeline.core.tables import warehouse_tables
from sop_pipeline.defs.dbt.project import DBT_PROJECT_DIR, dbt_project
from sop_pipeline.defs.partitions import cycle_of, cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io import dbt_parse_cache
from sop_pipeline.io.dbt_profile import cycle_window_env, dbt_env, dbt_executable
from sop_pipeline.io.staging import create_overlay, next_version

__all__ = ["DBT_PROJECT_DIR", "dbt_cli", "dbt_project", "sop_dbt_marts", "sop_dbt_views"]

VIEW_LAYERS = "path:models/staging path:models/intermediate"
MART_LAYER = "path:models/marts"
# dbt's default (eager) would also run, with the views, a mart's test that refers to a view (a
# relationship to a staging model): on a first run before the mart exists. Cautious runs only
# the tests of the views themselves; the marts' build (eager) runs the rest. dagster-dbt sets
# this variable itself, over ours, when a run selects only some checks.
VIEWS_ONLY_TESTS = {"DBT_INDIRECT_SELECTION": "cautious"}
PARSE_CACHE = DBT_PROJECT_DIR / "target" / "parse_cache"


class SopDbtCli(DbtCliResource):
    """dagster-dbt's CLI resource without two start-up costs of seconds each (measured 5 s and
    8 s on a loaded 2-core machine): the in-process dbt adapter opened before every build, which
    serves only `fetch_column_metadata`/`fetch_row_counts` (not asked for here), and the
    `dbt --version` process started to learn the version of the dbt that `sop-dbt` runs."""

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_cli() -> DbtCliResource:
    """The dbt CLI resource of the project, with the dbt installed beside this Python."""
    # the inherited __init__ takes the DbtProject; mypy sees only the subclass's pydantic fields
    return SopDbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())  # type: ignore[arg-type]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=VIEW_LAYERS,
    partitions_def=cycle_partitions,
    name="sop_dbt_views",
)
def sop_dbt_views(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Staging and intermediate views over every cycle of the warehouse tables (the run's
    version of its cycle), and their tests."""
    if warehouse.run_id is not None:
        create_overlay(
            warehouse.warehouse(), cycle_of(context), warehouse.run_id, warehouse_tables()
        )
    yield from _build(context, dbt, _warehouse_env(context, warehouse), VIEWS_ONLY_TESTS)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=MART_LAYER,
    partitions_def=cycle_partitions,
    name="sop_dbt_marts",
)
def sop_dbt_marts(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """The reporting marts, built and tested; the incremental ones rebuild the cycles of the
    partition window (one cycle, or a backfill's range) only."""
    window = context.partition_time_window
    cycles = cycle_window_env(window.start.date(), window.end.date())
    yield from _build(context, dbt, _warehouse_env(context, warehouse), cycles)


def _warehouse_env(context: AssetExecutionContext, warehouse: WarehouseResource) -> dict[str, str]:
    """dbt's profile on the warehouse; in a run of a cycle on the schema of its next version."""
    schema = warehouse.resolved_schema()
    if warehouse.run_id is not None:
        schema = next_version(warehouse.warehouse(), cycle_of(context)).schema
    return dbt_env(warehouse.resolved_url(), schema)


def _build(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    profile: Mapping[str, str],
    more: Mapping[str, str],
) -> Iterator[Any]:
    """`dbt build` of the selected models with the `profile` and `more` variables, from the
    profile's saved parse, streamed as Dagster events."""
    key = dbt_parse_cache.profile_key(profile)
    step = context.op_execution_context.op.name
    target = Path("target") / f"{step}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    dbt_parse_cache.seed(DBT_PROJECT_DIR / target, PARSE_CACHE, key)
    with _environment({**profile, **more}):
        build = dbt.cli(["build"], context=context, target_path=target)
    yield from _stream_and_tidy(build, key)


def _stream_and_tidy(build: DbtCliInvocation, key: str) -> Iterator[Any]:
    """The run's events; then, if it succeeded, its parse is saved for the next build with its
    profile and its artefact folder (target/<asset>-<run id>-<uuid>/, several MB per run and
    cycle) is removed. A failed run's folder stays for its compiled SQL and dbt.log."""
    yield from build.stream()
    dbt_parse_cache.keep(build.target_path, PARSE_CACHE, key)
    shutil.rmtree(build.target_path, ignore_errors=True)


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    """`variables` in the process environment while dbt starts, the previous values after.
    dagster-dbt hands dbt (and its in-process adapter) a copy of the environment: this is how the
    profile learns the URL, without leaking one run's warehouse into the next."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
