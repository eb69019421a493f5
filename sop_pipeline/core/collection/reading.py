"""Reading one export file of a drop into a frame of raw strings, whatever its format.

CSV (encoding detected, delimiter sniffed), XLSX (every sheet whose header matches) and Parquet
are accepted by file stem, or by the mapping file's `file` glob. Every cell is kept as the text
the ERP wrote, so that a rejected row can be quarantined exactly as it came; typing happens
later, by contract. Column names are matched case-insensitively after trimming, after the
mapping's renames. `NULL`, `N/A`, `#N/A` and `-` are missing values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sop_pipeline.core.collection.decoding import decode
from sop_pipeline.core.collection.delimited import split_records
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.mapping import NO_MAPPING, EntityMapping

SUFFIXES = (".csv", ".xlsx", ".parquet")
ROW_NUMBER = "__row_number"  # line number in the file as a person would see it (header = 1)
RAW_RECORD = "__raw_record"  # the original row as JSON, for quarantine
SHEET = "__sheet"  # the XLSX sheet the row came from ('' for other formats)
MISSING_MARKERS = frozenset({"NULL", "N/A", "#N/A", "-"})


@dataclass(frozen=True)
class RawExport:
    """One export file as read: rows as text, the malformed lines, and how it was read."""

    frame: pd.DataFrame
    encoding: str = ""
    delimiter: str = ""
    sheets: list[str] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line number, line)


def find_export(drop_dir: Path, stem: str, mapping: EntityMapping = NO_MAPPING) -> Path | None:
    """The file of entity `stem` in the drop (any accepted format, case-insensitive), or None."""
    if mapping.file is not None and any(ch in mapping.file for ch in "*?["):
        matches = sorted(p for p in drop_dir.glob(mapping.file) if p.suffix.lower() in SUFFIXES)
    else:
        wanted = (mapping.file or stem).lower()
        matches = sorted(
            p
            for p in drop_dir.iterdir()
            if wanted in (p.stem.lower(), p.name.lower()) and p.suffix.lower() in SUFFIXES
        )
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise ExportError(f"{drop_dir}: several files for '{stem}' ({names}); keep exactly one")
    return matches[0] if matches else None


def read_raw(path: Path, mapping: EntityMapping = NO_MAPPING) -> pd.DataFrame:
    """The rows of an export as strings (see `read_export`)."""
    return read_export(path, mapping).frame


def read_export(
    path: Path, mapping: EntityMapping = NO_MAPPING, header: list[str] | None = None
) -> RawExport:
    """All rows of an export as strings ('' for empty), normalised column names, plus the
    file row number and the original record as JSON. `header`: the contract's required
    columns, by which an XLSX sheet is recognised as data."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _read_csv(path, mapping)
        if suffix == ".xlsx":
            return _read_xlsx(path, mapping, header or [])
        table = pd.read_parquet(path).astype(object).where(lambda f: f.notna(), "")
        return RawExport(_normalised(table, path.name, mapping, first_line=1))
    except ExportError:
        raise
    except Exception as exc:  # any parser failure is the file's fault: name it
        raise ExportError(f"{path.name}: cannot be read as {suffix[1:].upper()}: {exc}") from exc


def _read_csv(path: Path, mapping: EntityMapping) -> RawExport:
    text, encoding = decode(path.read_bytes(), path.name, mapping.encoding)
    records = split_records(text, mapping.skip_rows, mapping.delimiter)
    if records is None:
        raise ExportError(f"{path.name}: the file is empty (no header row)")
    table = pd.DataFrame(records.rows, columns=records.header, dtype=object)
    if not records.rows:
        table = pd.DataFrame(columns=records.header, dtype=object)
    frame = _normalised(table, path.name, mapping, line_numbers=records.line_numbers)
    return RawExport(frame, encoding, records.delimiter, [], records.malformed)


def _read_xlsx(path: Path, mapping: EntityMapping, header: list[str]) -> RawExport:
    sheets = pd.read_excel(
        path,
        sheet_name=mapping.sheet if mapping.sheet is not None else None,
        dtype=str,
        keep_default_na=False,
        skiprows=mapping.skip_rows,
    )
    if isinstance(sheets, pd.DataFrame):
        sheets = {str(mapping.sheet): sheets}
    data = {name: sheet for name, sheet in sheets.items() if _has(sheet, mapping, header)}
    if not data:  # no sheet looks like data: read the first, require_columns names what is missing
        first = next(iter(sheets))
        data = {first: sheets[first]}
    frames = [
        _normalised(sheet, path.name, mapping, first_line=2 + mapping.skip_rows).assign(
            **{SHEET: str(name) if len(data) > 1 else ""}
        )
        for name, sheet in data.items()
    ]
    return RawExport(pd.concat(frames, ignore_index=True), sheets=[str(n) for n in data])


def _has(sheet: pd.DataFrame, mapping: EntityMapping, header: list[str]) -> bool:
    names = {mapping.renamed(str(c).strip().lower()) for c in sheet.columns}
    return set(header) <= names


def _normalised(
    table: pd.DataFrame,
    file_name: str,
    mapping: EntityMapping,
    first_line: int = 2,
    line_numbers: list[int] | None = None,
) -> pd.DataFrame:
    original_columns = [str(c) for c in table.columns]
    frame = table.copy()
    frame.columns = pd.Index([mapping.renamed(c.strip().lower()) for c in original_columns])
    if frame.columns.duplicated().any():
        dupes = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise ExportError(
            f"{file_name}: duplicate column names after trimming/lower-casing: {dupes}"
        )
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame = frame.apply(lambda col: col.str.strip()) if len(frame.columns) else frame
    records = [
        json.dumps(dict(zip(original_columns, row, strict=True)), ensure_ascii=False)
        for row in frame.to_numpy().tolist()
    ]
    frame = frame.mask(frame.apply(lambda col: col.str.upper().isin(MISSING_MARKERS)), "")
    for column, value in mapping.constants.items():
        frame[column.strip().lower()] = str(value)
    numbers = line_numbers or range(first_line, first_line + len(frame))
    frame[ROW_NUMBER] = list(numbers) if len(frame) else []
    frame[RAW_RECORD] = records
    frame[SHEET] = ""
    return frame.reset_index(drop=True)
