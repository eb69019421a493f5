"""`sop`: the S&OP pipeline's command line (README.md, "Command line"); every command has --help.

User mistakes (a bad path, a cycle not written YYYY-MM, an unknown or unreachable warehouse)
end with a one-line error and exit code 2, passwords masked; a cycle that fails on its input
ends with the step and the cause, exit code 1. No tracebacks for either.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import click
import pandas as pd

from sop_pipeline.core.calendar import month_start, months_through
from sop_pipeline.io.run_tags import mask_secrets
from sop_pipeline.io.warehouse import DEFAULT_URL, WarehouseError, check_url

CYCLE_FORMAT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_cycle(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> pd.Timestamp | None:
    """A cycle given as YYYY-MM, as the first day of that month."""
    if value is None:
        return None
    if not CYCLE_FORMAT.match(value):
        raise click.BadParameter(f"{value!r} is not a cycle; write it as YYYY-MM, e.g. 2026-11")
    return month_start(value)


def parse_warehouse(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The warehouse URL: the option, else $SOP_WAREHOUSE_URL (click's envvar), else DuckDB."""
    try:
        return check_url(value or DEFAULT_URL)
    except WarehouseError as exc:
        raise click.BadParameter(mask_secrets(str(exc), value or "")) from None


WAREHOUSE_OPTION = click.option(
    "--warehouse",
    envvar="SOP_WAREHOUSE_URL",
    callback=parse_warehouse,
    help=f"SQLAlchemy URL of the warehouse [env SOP_WAREHOUSE_URL; default {DEFAULT_URL}]",
)
EXPORTS_OPTION = click.option(
    "--exports",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="folder holding one export drop per cycle: <DIR>/<YYYY-MM>/",
)
REPORTS_OPTION = click.option(
    "--reports",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="where reports/<cycle>/ (meeting pack, mps.csv) are written",
)
MAPPING_OPTION = click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="mapping file of the ERP's export format [default: <EXPORTS>/mapping.yaml if present]",
)
HORIZON_OPTION = click.option(
    "--horizon",
    type=click.IntRange(1, 60),
    default=18,
    show_default=True,
    help="months planned from the cycle on",
)


class OneLineErrors(click.Group):
    """A command group whose user errors print as one line (`sop: error: ...`), no usage dump."""

    def main(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)  # type: ignore[call-overload]
        except click.ClickException as exc:
            click.echo(f"sop: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("sop: aborted", err=True)
            sys.exit(1)


SKUS_OPTION = click.option(
    "--skus",
    type=click.IntRange(10, 20000),
    default=200,
    show_default=True,
    help="how many SKUs the demo company sells",
)


@click.group(cls=OneLineErrors)
def main() -> None:
    """Open-source Sales & Operations Planning: monthly cycles from ERP/CRM exports to KPIs."""


@main.command()
@EXPORTS_OPTION
@click.option("--cycle", required=True, callback=parse_cycle, help="planning cycle, YYYY-MM")
@WAREHOUSE_OPTION
@REPORTS_OPTION
@HORIZON_OPTION
@MAPPING_OPTION
def run(
    exports: Path,
    cycle: pd.Timestamp,
    warehouse: str,
    reports: Path,
    horizon: int,
    mapping: Path | None,
) -> None:
    """Run one planning cycle on the export drop <EXPORTS>/<CYCLE>/."""
    from sop_pipeline.commands import run_cycles

    run_cycles([cycle], exports, warehouse, reports, horizon, mapping)


@main.command()
@EXPORTS_OPTION
@click.option("--from", "first", required=True, callback=parse_cycle, help="first cycle, YYYY-MM")
@click.option("--to", "last", required=True, callback=parse_cycle, help="last cycle, YYYY-MM")
@WAREHOUSE_OPTION
@REPORTS_OPTION
@HORIZON_OPTION
@MAPPING_OPTION
def backfill(
    exports: Path,
    first: pd.Timestamp,
    last: pd.Timestamp,
    warehouse: str,
    reports: Path,
    horizon: int,
    mapping: Path | None,
) -> None:
    """Run every cycle from --from to --to, in order (each replaces its own rows)."""
    from sop_pipeline.commands import run_cycles

    if last < first:
        raise click.BadParameter("--to comes before --from", param_hint="--to")
    run_cycles(list(months_through(first, last)), exports, warehouse, reports, horizon, mapping)


@main.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="folder for exports/, sop.duckdb, reports/",
)
@click.option(
    "--last-cycle",
    callback=parse_cycle,
    default=None,
    help="newest demo cycle, YYYY-MM [default: the current month]",
)
@click.option(
    "--cycles",
    type=click.IntRange(1, 36),
    default=4,
    show_default=True,
    help="how many of the newest cycles to plan",
)
@SKUS_OPTION
def demo(workdir: Path, last_cycle: pd.Timestamp | None, cycles: int, skus: int) -> None:
    """Generate 36 months of realistic ERP/CRM exports, plan the newest cycles into
    ./sop.duckdb, and print the KPI summary and where the meeting pack is."""
    from sop_pipeline.commands import run_demo

    newest = last_cycle or month_start(pd.Timestamp.today())
    run_demo(workdir, newest, cycles, skus)


@main.command()
@click.option("--cycle", required=True, callback=parse_cycle, help="planned cycle, YYYY-MM")
@click.option("--scenario", required=True, help="scenario approved, e.g. baseline")
@click.option("--by", "approved_by", required=True, help="who approved (name or role)")
@click.option("--note", default="", help="the meeting's reason or conditions")
@WAREHOUSE_OPTION
@REPORTS_OPTION
def approve(
    cycle: pd.Timestamp, scenario: str, approved_by: str, note: str, warehouse: str, reports: Path
) -> None:
    """Approve a scenario of a planned cycle: record it in plan_approvals (history kept, the
    latest approval wins), release its MPS (released_mps, reports/<cycle>/mps.csv) for the
    next cycle's frozen zone to pin, and record the decisions it implies."""
    from sop_pipeline.approving import approve_cycle

    approve_cycle(cycle, scenario, approved_by, note, warehouse, reports)


@main.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("closed_loop"),
    show_default=True,
    help="empty folder for exports/, closed_loop.duckdb, reports/, closed_loop.csv",
)
@click.option(
    "--cycles",
    type=click.IntRange(1, 36),
    default=12,
    show_default=True,
    help="closed-loop cycles, the newest the current month",
)
@SKUS_OPTION
@click.option("--seed", type=int, default=7, show_default=True, help="the world's random seed")
@HORIZON_OPTION
@click.option(
    "--whole-cycle",
    is_flag=True,
    help="run every step of each cycle (meeting pack, dbt marts), not only the planning steps",
)
def simulate(
    workdir: Path, cycles: int, skus: int, seed: int, horizon: int, whole_cycle: bool
) -> None:
    """Closed-loop backtest on the demo company: from two years of history, plan each cycle
    with the pipeline, let the simulated plant execute the plan and customers order, write
    the next drop from the outcome; the same world planned by two naive policies (seasonal
    naive make-to-forecast; moving average order-up-to). Prints fill rate, lost sales,
    inventory, overtime, nervousness, accuracy and cost per cycle and in total."""
    from sop_pipeline.commands import run_simulation

    run_simulation(
        workdir, month_start(pd.Timestamp.today()), cycles, skus, seed, horizon, whole_cycle
    )


@main.command()
@click.argument("input_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--horizon", type=click.IntRange(1, 120), required=True, help="months to forecast")
@click.option("--season-length", type=click.IntRange(1, 52), default=12, show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV to write: unique_id, ds, forecast, model, lo_80, hi_80, lo_95, hi_95",
)
@click.option(
    "--panel-end",
    is_flag=True,
    help="count the months after a series' last row, up to the file's last month, as zero "
    "demand and forecast every series from that month (default: each from its own last month)",
)
def forecast(
    input_csv: Path, horizon: int, season_length: int, output: Path, panel_end: bool
) -> None:
    """Forecast a long-format CSV (unique_id, ds, y) with the pipeline's engine: each series
    over the HORIZON months after its own last month, months missing inside a series as zero."""
    from sop_pipeline.commands import forecast_csv

    started = time.perf_counter()
    written = forecast_csv(input_csv, horizon, season_length, output, panel_end)
    click.echo(f"wrote {written} rows to {output} in {time.perf_counter() - started:.1f} s")


@main.command()
@EXPORTS_OPTION
@click.option("--cycle", required=True, callback=parse_cycle, help="planning cycle, YYYY-MM")
@MAPPING_OPTION
def validate(exports: Path, cycle: pd.Timestamp, mapping: Path | None) -> None:
    """Read and validate the drop <EXPORTS>/<CYCLE>/ without touching the warehouse: how each
    file was read, rows loaded and quarantined by rule, blocking errors, the threshold verdict.
    Exit 0 when the drop would run, 1 when not."""
    from sop_pipeline.onboarding import render_report, validate_drop

    report = validate_drop(exports, cycle, mapping)
    click.echo(render_report(report))
    sys.exit(0 if report.would_run else 1)


@main.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="folder to write the template drop into (one CSV per export)",
)
def template(folder: Path) -> None:
    """Write an empty export drop: every file with its header and two example rows."""
    from sop_pipeline.onboarding import write_template

    written = write_template(folder)
    click.echo(f"wrote {len(written)} files to {folder}")


if __name__ == "__main__":
    main()
