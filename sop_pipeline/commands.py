"""What the `sop` commands do, kept apart from argument parsing (cli.py)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd

from sop_pipeline.core.calendar import add_months, month_key, months_through
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import drop_directory
from sop_pipeline.core.collection.mapping import load_mapping
from sop_pipeline.core.executive.pack.formatting import DEFAULT_CURRENCY
from sop_pipeline.io.reports import neutralise_formulas
from sop_pipeline.io.warehouse import Warehouse

if TYPE_CHECKING:
    from dagster import DagsterInstance, JobDefinition


def run_cycles(
    cycles: list[pd.Timestamp],
    exports: Path,
    warehouse_url: str,
    reports: Path,
    horizon: int = 18,
    mapping: Path | None = None,
) -> None:
    """Run cycles in order, showing progress; a failure stops with a one-line reason.
    `mapping`: the mapping file of the exports (default: <exports>/mapping.yaml if present)."""
    _check_drops(cycles, exports)
    _check_mapping(mapping)
    _check_warehouse(warehouse_url)
    settle_reports(warehouse_url, reports)
    # the Dagster definitions load only for commands that run cycles (`sop forecast` does not);
    # loading takes seconds, so say so
    click.echo("loading the pipeline (Dagster definitions, dbt manifest) ...", err=True)
    from sop_pipeline.backfill import cycle_backfill
    from sop_pipeline.io.run_tags import run_tags
    from sop_pipeline.runner import CycleOptions, cycle_job, dagster_instance
    from sop_pipeline.stale_runs import fail_orphaned_runs

    options = CycleOptions(
        exports=exports,
        warehouse_url=warehouse_url,
        reports_dir=reports,
        horizon_months=horizon,
        mapping=mapping,
    )
    instance = dagster_instance()
    for line in fail_orphaned_runs(instance):
        click.echo(line, err=True)
    job = cycle_job(options)
    keys = [f"{cycle:%Y-%m-%d}" for cycle in cycles]
    # more than one cycle is one Dagster backfill in the UI, its runs still run here, in order
    with cycle_backfill(instance, job.name, keys, run_tags(warehouse_url)) as tags:
        for number, cycle in enumerate(cycles, start=1):
            click.echo(f"cycle {month_key(cycle)} ({number}/{len(cycles)}) ...", err=True)
            started = time.perf_counter()
            log_path = _run_logged(cycle, job, instance, warehouse_url, reports, tags)
            elapsed = time.perf_counter() - started
            click.echo(
                f"cycle {month_key(cycle)} done in {elapsed:.0f} s (log: {log_path})", err=True
            )


def _run_logged(
    cycle: pd.Timestamp,
    job: JobDefinition,
    instance: DagsterInstance,
    url: str,
    reports: Path,
    tags: Mapping[str, str],
) -> Path:
    """Run one cycle, tagged with `tags` (warehouse, code version, backfill); its run.log gets
    what dbt and the libraries print, then the whole Dagster run log, whether the cycle
    succeeds or not."""
    from sop_pipeline.defs.failures import append_run_log
    from sop_pipeline.io.run_tags import mask_secrets
    from sop_pipeline.runner import CycleFailed, run_cycle

    log_path = reports / month_key(cycle) / "run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt and the libraries print their own logs to stdout: they go to the cycle's run.log,
    # the terminal keeps one progress line per step (stderr) and the KPI summary (stdout)
    try:
        with log_path.open("w") as log, contextlib.redirect_stdout(log):
            result = run_cycle(cycle, job, instance, tags=tags)
    except CycleFailed as exc:
        if exc.run_id is not None:
            append_run_log(instance, exc.run_id, log_path, url)
        message = mask_secrets(str(exc), url)
        raise click.ClickException(f"{message} (full log: {log_path})") from None
    append_run_log(instance, result.run_id, log_path, url)
    return log_path


def _check_warehouse(url: str) -> None:
    """The warehouse reachable and writable before any cycle starts; else exit code 2."""
    from sop_pipeline.io.preflight import WarehouseUnavailable, check_warehouse

    try:
        check_warehouse(url, _warehouse(url).schema)
    except WarehouseUnavailable as exc:
        raise click.BadParameter(str(exc), param_hint="--warehouse") from None


def settle_reports(url: str, reports: Path) -> None:
    """What earlier runs left in reports/.pending/ settled before anything runs: the files of
    a run killed after it published move into place, those of runs that never will go."""
    from sop_pipeline.io.pending_files import settle_pending_files

    for line in settle_pending_files(reports, _warehouse(url)):
        click.echo(line, err=True)


def _check_mapping(mapping: Path | None) -> None:
    """A mapping file given on the command line reads, before any cycle starts; else exit 2."""
    if mapping is None:
        return
    try:
        load_mapping(mapping)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint="--mapping") from None


def _check_drops(cycles: list[pd.Timestamp], exports: Path) -> None:
    """Every cycle has its export drop; the missing ones are all named at once, before the
    first cycle runs."""
    missing = [month_key(cycle) for cycle in cycles if not _has_drop(exports, cycle)]
    if missing:
        raise click.BadParameter(
            f"no export drop for cycle(s) {', '.join(missing)} in {exports} "
            "(expected one folder <DIR>/<YYYY-MM>/ per cycle)",
            param_hint="--exports",
        )


def _has_drop(exports: Path, cycle: pd.Timestamp) -> bool:
    try:
        drop_directory(exports, cycle)
    except ExportError:
        return False
    return True


def run_demo(workdir: Path, newest: pd.Timestamp, cycles: int, skus: int) -> None:
    """Generate the demo company's exports and plan its newest cycles into workdir/sop.duckdb."""
    from sop_pipeline.demo import write_demo_exports

    workdir.mkdir(parents=True, exist_ok=True)
    first = add_months(newest, 1 - cycles)
    click.echo(
        f"writing 36 months of ERP/CRM exports for {skus} SKUs to {workdir / 'exports'}", err=True
    )
    write_demo_exports(
        workdir / "exports",
        last_cycle=month_key(newest),
        months=36,
        n_skus=skus,
        full_history_at=month_key(first),
    )
    url = f"duckdb:///{(workdir / 'sop.duckdb').resolve()}"
    planned = list(months_through(first, newest))
    run_cycles(planned, workdir / "exports", url, workdir / "reports")
    warehouse = _warehouse(url)
    print_kpi_summary(warehouse, newest)
    click.echo(
        f"meeting pack: {(workdir / 'reports' / month_key(newest) / 'sop_pack.html').resolve()}"
    )
    click.echo(
        f"warehouse:    {url}  (tables in schema '{warehouse.schema}', "
        f"marts in '{warehouse.schema}_marts')"
    )


def _warehouse(url: str) -> Warehouse:
    """The warehouse at `url` in the schema the cycles wrote ($SOP_SCHEMA, else sop)."""
    from sop_pipeline.defs.resources import WarehouseResource

    return WarehouseResource(url=url).warehouse()


def print_kpi_summary(warehouse: Warehouse, cycle: pd.Timestamp) -> None:
    """The baseline's headline KPIs of a cycle on standard output, one line per KPI with its
    name, label, value (ratios in percent, money in $SOP_CURRENCY), change against the previous
    cycle and which way is good news; then the plan's change since the previous cycle and the
    approval status."""
    from sop_pipeline.core.executive.summary import summary_lines
    from sop_pipeline.io.approvals import read_table

    previous = warehouse.read("kpi", add_months(cycle, -1))
    lines = summary_lines(
        warehouse.read("kpi", cycle),
        previous if not previous.empty else None,
        read_table(warehouse, "plan_changes", cycle),
        read_table(warehouse, "plan_approvals", cycle),
        cycle,
        (os.environ.get("SOP_CURRENCY") or DEFAULT_CURRENCY).strip().upper(),
    )
    click.echo("\n" + "\n".join(lines))


def forecast_csv(
    input_csv: Path, horizon: int, season_length: int, output: Path, panel_end: bool = False
) -> int:
    """Forecast a long-format CSV with the pipeline's engine (each series from its own last
    month, or with `panel_end` zero-filled to the file's last month); return the rows written."""
    try:
        history = read_long_format(input_csv)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    # imported late: statsforecast takes seconds to load, a bad file should fail at once
    from sop_pipeline.core.demand.forecasting.engine import forecast_series

    result = forecast_series(history, horizon, season_length, panel_end=panel_end)
    output.parent.mkdir(parents=True, exist_ok=True)
    neutralise_formulas(result).to_csv(output, index=False, date_format="%Y-%m-%d")
    return len(result)


def read_long_format(path: Path) -> pd.DataFrame:
    """A long-format series file (unique_id, ds, y), parsed and checked. The engine sums each
    series per month and counts months missing inside a series as zero, as in sales history."""
    frame = pd.read_csv(path, dtype={"unique_id": str})
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = {"unique_id", "ds", "y"} - set(frame.columns)
    if missing:
        raise ExportError(f"{path.name}: column(s) {', '.join(sorted(missing))} missing")
    frame["ds"] = pd.to_datetime(frame["ds"], errors="coerce", format="ISO8601")
    frame["y"] = pd.to_numeric(frame["y"], errors="coerce")
    bad = frame[frame["ds"].isna() | frame["y"].isna()]
    if len(bad):
        row = int(bad.index[0]) + 2
        column = "ds" if pd.isna(bad.iloc[0]["ds"]) else "y"
        raise ExportError(f"{path.name}: row {row}, column {column}: not a valid value")
    return frame[["unique_id", "ds", "y"]]


def run_simulation(
    workdir: Path,
    newest: pd.Timestamp,
    cycles: int,
    skus: int,
    seed: int,
    horizon: int,
    whole_cycle: bool = False,
) -> None:
    """The closed-loop backtest in `workdir` (which must not hold one yet): drops under
    exports/, the pipeline's warehouse closed_loop.duckdb, reports/, the scores per policy
    and cycle in closed_loop.csv; prints the report. Each cycle runs the planning steps
    (`closed_loop.py`), every step with `whole_cycle`."""
    from sop_pipeline.core.calendar import month_ordinal
    from sop_pipeline.simulation.loop import LoopSettings, run_closed_loop
    from sop_pipeline.simulation.report import render

    database = workdir / "closed_loop.duckdb"
    if database.exists() or (workdir / "exports").exists():
        raise click.BadParameter(
            f"{workdir} already holds a closed-loop run (exports/ or {database.name}); "
            "choose an empty folder",
            param_hint="--dir",
        )
    url = f"duckdb:///{database.resolve()}"
    _check_warehouse(url)
    click.echo("loading the pipeline (Dagster definitions, dbt manifest) ...", err=True)
    from sop_pipeline.closed_loop import PipelinePlanner

    planner = PipelinePlanner(workdir / "exports", url, workdir / "reports", horizon, whole_cycle)
    settings = LoopSettings(
        last=month_ordinal(newest), cycles=cycles, skus=skus, seed=seed, horizon=horizon
    )
    scores_path = workdir / "closed_loop.csv"
    result = run_closed_loop(
        settings,
        workdir / "exports",
        planner.plan,
        workdir / "reports",
        progress=lambda line: click.echo(line, err=True),
        on_cycle=lambda scores: scores.to_csv(scores_path, index=False),
    )
    click.echo(render(result.scores))
    click.echo(f"\nscores per policy and cycle: {scores_path}")
