"""The files a cycle hands to people and to ERP: `reports/<YYYY-MM>/sop_pack.html` and
`reports/<YYYY-MM>/mps.csv`."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sop_pipeline.core.calendar import month_key, month_keys

PACK_FILE = "sop_pack.html"
MPS_FILE = "mps.csv"
CYCLE_FILES = (MPS_FILE, PACK_FILE)  # what a run publishes beside the tables
# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP, CSV injection)
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def neutralise_formula(value: object) -> object:
    """`value`, with a single quote in front when it is text a spreadsheet would run as a
    formula; numbers, and text that is a plain number such as `-12.5`, stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_LEADS):
        return value
    return value if PLAIN_NUMBER.match(value) else "'" + value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot run as spreadsheet formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe


def cycle_folder(reports_dir: Path, cycle: pd.Timestamp) -> Path:
    """`reports_dir/<YYYY-MM>/`, created if absent."""
    folder = Path(reports_dir) / month_key(cycle)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_sop_pack(html: str, folder: Path) -> Path:
    """Write the pack to `folder/sop_pack.html` (a cycle's folder, or a run's pending folder
    of it) and return that path."""
    path = Path(folder) / PACK_FILE
    path.write_text(html, encoding="utf-8")
    return path


def write_mps_csv(mps: pd.DataFrame, path: Path) -> Path:
    """Write `mps` in the ERP import layout: sku, period (YYYY-MM), quantity, firm (Y/N), status
    (proposed until the executive S&OP approves, then released: ERP imports released rows
    only); text that a spreadsheet would run as a formula gets a leading quote."""
    erp = pd.DataFrame(
        {
            "sku": mps["sku"].astype(str),
            "period": month_keys(mps["month"]),
            "quantity": mps["quantity"].astype(float).round(3),
            "firm": mps["firm"].map({True: "Y", False: "N"}),
            "status": mps["status"].astype(str),
        }
    ).sort_values(["sku", "period"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # RFC 4180 line ends: with them the csv writer also quotes a cell holding a bare CR, which
    # would otherwise end the row early in a spreadsheet
    neutralise_formulas(erp).to_csv(path, index=False, float_format="%.3f", lineterminator="\r\n")
    return path
