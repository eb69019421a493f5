"""Reading one export file of a drop into a frame of raw strings, whatever its format.

CSV (UTF-8, UTF-8 with BOM, or GBK), XLSX and Parquet are accepted by file stem. Every cell is
kept as the text the ERP wrote, so that a rejected row can be quarantined exactly as it came;
typing happens later, by contract. Column names are matched case-insensitively after trimming.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sop_pipeline.core.collection.errors import ExportError

SUFFIXES = (".csv", ".xlsx", ".parquet")
CSV_ENCODINGS = ("utf-8-sig", "gbk")
ROW_NUMBER = "__row_number"  # line number in the file as a person would see it (header = 1)
RAW_RECORD = "__raw_record"  # the original row as JSON, for quarantine


def find_export(drop_dir: Path, stem: str) -> Path | None:
    """The file of entity `stem` in the drop (any accepted format, case-insensitive), or None."""
    matches = sorted(
        p for p in drop_dir.iterdir() if p.stem.lower() == stem and p.suffix.lower() in SUFFIXES
    )
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise ExportError(f"{drop_dir}: several files for '{stem}' ({names}); keep exactly one")
    return matches[0] if matches else None


def read_raw(path: Path) -> pd.DataFrame:
    """All rows of an export as strings ('' for empty), normalised column names, plus the
    file row number and the original record as JSON."""
    frame = _read_any(path)
    original_columns = [str(c) for c in frame.columns]
    frame.columns = pd.Index([c.strip().lower() for c in original_columns])
    if frame.columns.duplicated().any():
        dupes = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise ExportError(
            f"{path.name}: duplicate column names after trimming/lower-casing: {dupes}"
        )
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame = frame.apply(lambda col: col.str.strip())
    first_data_line = 1 if path.suffix.lower() == ".parquet" else 2
    frame[ROW_NUMBER] = range(first_data_line, first_data_line + len(frame))
    values = frame[frame.columns[:-1]].to_numpy().tolist()
    frame[RAW_RECORD] = [
        json.dumps(dict(zip(original_columns, row, strict=True)), ensure_ascii=False)
        for row in values
    ]
    return frame.reset_index(drop=True)


def _read_any(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _read_csv(path)
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        return pd.read_parquet(path).astype(object).where(lambda f: f.notna(), "")
    except ExportError:
        raise
    except Exception as exc:  # any parser failure is the file's fault: name it
        raise ExportError(f"{path.name}: cannot be read as {suffix[1:].upper()}: {exc}") from exc


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in CSV_ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError as exc:
            raise ExportError(f"{path.name}: the file is empty (no header row)") from exc
    raise ExportError(f"{path.name}: not valid UTF-8 or GBK text; re-export it as UTF-8 CSV")
