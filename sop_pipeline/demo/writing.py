"""Writing a drop the way the demo company's systems export it: the item master as GBK or
UTF-8-with-BOM CSV from the Chinese ERP, sales lines and planner overrides as UTF-8 with BOM,
on-hand stock as the warehouse's XLSX report, capacity as Parquet from the MES, the rest as
plain UTF-8 CSV. Every writer is byte-for-byte reproducible."""

from __future__ import annotations

import functools
import io
import math
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

XLSX_STEMS = ("inventory",)
PARQUET_STEMS = ("resources",)
BOM_STEMS = ("sales_history", "demand_overrides")
# a fixed time for workbook properties and zip entries: reproducible files, not "now"
FIXED_TIME = datetime(2020, 1, 1)
SHEET_ENTRY = "xl/worksheets/sheet1.xml"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def write_drop(folder: Path, frames: dict[str, pd.DataFrame], items_encoding: str) -> None:
    """Write one file per frame into `folder` (created if needed), named by its stem."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, frame in frames.items():
        if stem in XLSX_STEMS:
            write_xlsx(frame, folder / f"{stem}.xlsx")
        elif stem in PARQUET_STEMS:
            frame.to_parquet(folder / f"{stem}.parquet", index=False)
        else:
            encoding = _encoding(stem, items_encoding)
            frame.to_csv(
                folder / f"{stem}.csv", index=False, encoding=encoding, lineterminator="\n"
            )


def _encoding(stem: str, items_encoding: str) -> str:
    if stem == "items":
        return items_encoding
    return "utf-8-sig" if stem in BOM_STEMS else "utf-8"


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """One sheet named after the file: a header row, then the frame's rows (text as inline
    strings, numbers as numbers, missing values as empty cells). openpyxl lays out the
    workbook package; the sheet's rows are rendered here in one pass, as openpyxl's
    cell-by-cell writer needs seconds for the few thousand rows of a large catalogue."""
    sheet = {SHEET_ENTRY: _sheet_xml(frame)}
    path.write_bytes(_repackaged(_workbook_package(path.stem), sheet))


@functools.cache
def _workbook_package(sheet_title: str) -> bytes:
    """An openpyxl workbook with one empty sheet, dated FIXED_TIME, as zip bytes."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "WMS"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.create_sheet(sheet_title)
    package = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED)).save()
    return package.getvalue()


def _sheet_xml(frame: pd.DataFrame) -> bytes:
    """The worksheet XML of a header row and the frame's rows."""
    letters = [get_column_letter(i) for i in range(1, frame.shape[1] + 1)]
    header = [_cell(f"{c}1", name) for c, name in zip(letters, frame.columns, strict=True)]
    columns = [
        [_cell(f"{c}{r}", v) for r, v in enumerate(frame[name].tolist(), start=2)]
        for c, name in zip(letters, frame.columns, strict=True)
    ]
    rows = [f'<row r="1">{"".join(header)}</row>']
    rows += [
        f'<row r="{r}">{"".join(cells)}</row>'
        for r, cells in enumerate(zip(*columns, strict=True), start=2)
    ]
    sheet = f'<worksheet xmlns="{SHEET_NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    return (XML_HEAD + sheet).encode()


def _cell(reference: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = escape(str(value))
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _repackaged(archive: bytes, replaced: dict[str, bytes]) -> bytes:
    """The same zip archive with some entries' content replaced and every entry dated
    FIXED_TIME, so that the same rows give the same bytes."""
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, replaced.get(entry.filename) or source.read(entry))
    return rewritten.getvalue()
