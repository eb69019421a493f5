"""The Dagster definitions of the S&OP pipeline: assembly only, no logic.

Dagster's loader collects every asset, check, job and schedule defined in the modules of
`sop_pipeline/defs/` (one folder per S&OP step); this module binds the resources and the
progress logger and links each asset to its source code.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ComponentTree, Definitions, in_process_executor, with_source_code_references

import sop_pipeline.defs
from sop_pipeline.defs.dbt.assets import dbt_cli
from sop_pipeline.defs.progress import progress_logger
from sop_pipeline.defs.resources import ExportsResource, PlanningSettings, WarehouseResource

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def load_pipeline_defs() -> Definitions:
    """Everything defined in `sop_pipeline/defs/`, as Dagster's defs-folder loader finds it."""
    loaded = ComponentTree.from_module(
        defs_module=sop_pipeline.defs, project_root=PROJECT_ROOT
    ).build_defs()
    return Definitions(
        assets=with_source_code_references(list(loaded.assets or [])),
        asset_checks=loaded.asset_checks,
        jobs=loaded.jobs,
        schedules=loaded.schedules,
        sensors=loaded.sensors,
    )


def build_definitions(
    warehouse: WarehouseResource | None = None,
    exports: ExportsResource | None = None,
    settings: PlanningSettings | None = None,
) -> Definitions:
    """The pipeline's definitions with the given resources (defaults: environment and ./)."""
    return Definitions.merge(
        PIPELINE_DEFS,
        Definitions(
            resources={
                "warehouse": warehouse or WarehouseResource(),
                "exports": exports or ExportsResource(),
                "settings": settings or PlanningSettings(),
                "dbt": dbt_cli(),
            },
            loggers={"progress": progress_logger},
            # every job, the UI's ad-hoc asset runs too, in one process: the warehouse resource
            # then starts once per run, holding the cycle's lock for the whole run
            executor=in_process_executor,
        ),
    )


PIPELINE_DEFS = load_pipeline_defs()
defs = build_definitions()
