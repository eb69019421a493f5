"""The dbt reporting models, built by dagster-dbt downstream of the Python tables.

dbt's sources carry `meta.dagster.asset_key` equal to the Python asset that writes them, so the
lineage is one graph; dbt tests appear as Dagster asset checks. The cycle is passed as a dbt var,
and dbt's profile follows the same warehouse URL as the Python assets.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from sop_pipeline.core.dbt_target import dbt_env
from sop_pipeline.defs.partitions import cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest(project: DbtProject) -> Path:
    """dbt's manifest, parsed once if absent (a fresh checkout), so the definitions can load."""
    if not project.manifest_path.exists():
        DbtCliResource(project_dir=project).cli(["parse", "--quiet"]).wait()
    return project.manifest_path


@dbt_assets(
    manifest=ensure_manifest(dbt_project), partitions_def=cycle_partitions, project=dbt_project
)
def sop_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Staging, intermediate and mart models of the reporting layer, built and tested."""
    # dagster-dbt passes the process environment to dbt: this is how the profile learns the URL
    os.environ.update(dbt_env(warehouse.resolved_url(), warehouse.schema_name))
    cycle_vars = json.dumps({"cycle": context.partition_key})
    yield from dbt.cli(["build", "--vars", cycle_vars], context=context).stream()
