"""Onboarding a new ERP: `sop validate` (a dry run of a drop) and `sop template` (an empty drop).

`validate_drop` reads and validates every export of a drop exactly as the cycle would, without
touching the warehouse: the items of the drop stand in for the warehouse's items.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.mapping import EntityMapping, default_mapping, load_mapping
from sop_pipeline.core.collection.sales_actuals import short_history_warning
from sop_pipeline.core.collection.threshold import threshold_breaches
from sop_pipeline.core.collection.validation import ValidatedExport
from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.core.contracts.examples import example_rows

SAMPLES = 3


@dataclass
class DropReport:
    """What a drop would do to a cycle: per file how it was read and what was quarantined."""

    collected: dict[str, ValidatedExport] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)  # errors that fail the cycle
    breaches: list[str] = field(default_factory=list)  # failure-threshold verdicts
    warnings: list[str] = field(default_factory=list)

    @property
    def would_run(self) -> bool:
        return not self.blocking and not self.breaches


def validate_drop(
    exports: Path, cycle: pd.Timestamp, mapping_file: Path | None = None
) -> DropReport:
    """Read and validate every export of the cycle's drop (no warehouse)."""
    report = DropReport()
    try:
        mappings = load_mapping(mapping_file) if mapping_file else default_mapping(exports)
    except ExportError as exc:
        report.blocking.append(str(exc))
        return report
    items = _collect(report, exports, "items", cycle, None, mappings)
    skus = None if items is None else sorted(items.loaded["sku"].dropna().unique())
    for name in CONTRACTS:
        if name != "items":
            _collect(report, exports, name, cycle, skus, mappings)
    sales = report.collected.get("sales_history")
    if sales is not None and len(sales.loaded):
        months = int(sales.loaded["ship_date"].dt.to_period("M").nunique())
        warning = short_history_warning(months, "sales_history")
        report.warnings += [warning] if warning else []
    return report


def _collect(
    report: DropReport,
    exports: Path,
    name: str,
    cycle: pd.Timestamp,
    skus: list[str] | None,
    mappings: dict[str, EntityMapping],
) -> ValidatedExport | None:
    contract = CONTRACTS[name]
    try:
        collected = collect_export(exports, contract, cycle, skus, mappings)
    except ExportError as exc:
        report.blocking.append(str(exc))
        return None
    if collected is None:
        report.absent.append(name)
        return None
    report.collected[name] = collected
    report.breaches.extend(threshold_breaches(name, collected, cycle))
    return collected


def render_report(report: DropReport) -> str:
    """The report as text: one block per file, then errors, warnings and the verdict."""
    lines = []
    for name, collected in report.collected.items():
        read_as = ", ".join(f"{k} {v}" for k, v in collected.read_as.items())
        lines.append(
            f"{collected.source_file} ({name}): {read_as}; rows read {collected.rows_read}, "
            f"loaded {len(collected.loaded)}, quarantined {collected.rows_quarantined}"
        )
        quarantine = collected.quarantine
        for rule, rows in quarantine.groupby("rule"):
            lines.append(f"  {rule}: {rows['row_number'].nunique()} row(s)")
            for row in rows.head(SAMPLES).itertuples():
                lines.append(
                    f"    row {row.row_number} {row.column}={row.value!r}: {row.raw_record}"
                )
    lines += [f"absent (optional): {name}" for name in report.absent]
    lines += [f"BLOCKING: {message}" for message in report.blocking]
    lines += [f"THRESHOLD: {message}" for message in report.breaches]
    lines += [f"warning: {message}" for message in report.warnings]
    verdict = "the drop would run" if report.would_run else "the drop would NOT run"
    return "\n".join([*lines, f"verdict: {verdict}"])


def write_template(folder: Path) -> list[Path]:
    """An empty drop in `folder`: one CSV per export with its header and two example rows."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for contract in CONTRACTS.values():
        path = folder / f"{contract.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=contract.column_names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(example_rows(contract))
        written.append(path)
    return written
