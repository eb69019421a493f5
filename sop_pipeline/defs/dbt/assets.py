"""The dbt reporting models, built by dagster-dbt downstream of the Python tables.

dbt's sources carry `meta.dagster.asset_key` equal to the Python asset that writes them, so the
lineage is one graph; dbt tests appear as Dagster asset checks. The partition's time window tells
the per-cycle marts which cycles to rebuild, and dbt's profile follows the same warehouse URL as
the Python assets. Both reach dbt as environment variables, which keep dbt's saved parse valid
from one run to the next (new `--vars` would force a full parse every cycle).
"""

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliInvocation, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from sop_pipeline.defs.partitions import cycle_partitions
from sop_pipeline.defs.resources import WarehouseResource
from sop_pipeline.io.dbt_profile import cycle_window_env, dbt_env, dbt_executable

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, for the dbt-core installed beside this Python: its version
    is the imported package's, where dagster-dbt would start `dbt --version` (2-4 s) per run."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).parent != Path(sys.executable).parent:
            return super()._cli_version
        from dbt.version import __version__

        return version.parse(__version__)


def dbt_cli() -> DbtCliResource:
    """The dbt CLI resource of the project, with the dbt installed beside this Python."""
    return InstalledDbtCliResource(
        project_dir=os.fspath(dbt_project.project_dir),
        profiles_dir=os.fspath(DBT_PROJECT_DIR),
        dbt_executable=dbt_executable(),
    )


def ensure_manifest(project: DbtProject) -> Path:
    """dbt's manifest, parsed when absent (a fresh checkout) or older than a project file, so the
    definitions load with the current models."""
    manifest = project.manifest_path
    if not manifest.exists() or _last_edit(project.project_dir) > manifest.stat().st_mtime:
        # into the project's target/ itself: by default each invocation gets its own subfolder
        dbt_cli().cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return manifest


def _last_edit(project_dir: Path) -> float:
    """When a file dbt parses (SQL, YAML) was last changed."""
    folders = [project_dir / name for name in ("models", "macros", "tests")]
    files = [project_dir / "dbt_project.yml"] + [
        path for folder in folders for path in folder.rglob("*") if path.suffix in (".sql", ".yml")
    ]
    return max(path.stat().st_mtime for path in files if path.exists())


@dbt_assets(
    manifest=ensure_manifest(dbt_project), partitions_def=cycle_partitions, project=dbt_project
)
def sop_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Staging, intermediate and mart models of the reporting layer, built and tested; the marts
    rebuild the cycles of the partition window (one cycle, or a backfill's range) only."""
    window = context.partition_time_window
    environment = {
        **dbt_env(warehouse.resolved_url(), warehouse.resolved_schema()),
        **cycle_window_env(window.start.date(), window.end.date()),
    }
    with _environment(environment):
        build = dbt.cli(["build"], context=context)
    yield from _stream_and_tidy(build)


def _stream_and_tidy(build: DbtCliInvocation) -> Iterator[Any]:
    """The run's events; then its parse is kept for the next run and, if it succeeded, its
    artefact folder (target/<asset>-<run id>-<uuid>/, several MB) is removed. A failed run's
    folder stays for its compiled SQL and dbt.log."""
    try:
        yield from build.stream()
    finally:
        keep_parse(build.target_path, shared_target())
    shutil.rmtree(build.target_path, ignore_errors=True)


def shared_target() -> Path:
    """The target folder dagster-dbt copies a saved parse from into each run's own folder:
    $DBT_TARGET_PATH or target/, relative to the dbt project."""
    return dbt_project.project_dir / os.environ.get("DBT_TARGET_PATH", "target")


def keep_parse(run_target: Path, project_target: Path) -> None:
    """Copy a run's saved parse to the project's target/, where dagster-dbt starts every run
    from: the next run on the same warehouse then re-parses only the files that changed. Written
    under a temporary name and renamed, so a concurrent run never reads half a file."""
    parse = run_target / PARTIAL_PARSE_FILE
    if not parse.exists():
        return
    project_target.mkdir(parents=True, exist_ok=True)
    partial = project_target / f".{PARTIAL_PARSE_FILE}.{uuid.uuid4().hex}"
    shutil.copyfile(parse, partial)
    os.replace(partial, project_target / PARTIAL_PARSE_FILE)


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
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
