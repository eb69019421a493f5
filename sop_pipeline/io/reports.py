"""The files a cycle hands to people and to ERP: `reports/<YYYY-MM>/sop_pack.html` and
`reports/<YYYY-MM>/mps.csv`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sop_pipeline.core.calendar import month_key, month_keys

PACK_FILE = "sop_pack.html"
MPS_FILE = "mps.csv"


def cycle_folder(reports_dir: Path, cycle: pd.Timestamp) -> Path:
    """`reports_dir/<YYYY-MM>/`, created if absent."""
    folder = Path(reports_dir) / month_key(cycle)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_sop_pack(html: str, reports_dir: Path, cycle: pd.Timestamp) -> Path:
    """Write the pack to `reports_dir/<YYYY-MM>/sop_pack.html` and return that path."""
    path = cycle_folder(reports_dir, cycle) / PACK_FILE
    path.write_text(html, encoding="utf-8")
    return path


def write_mps_csv(mps: pd.DataFrame, path: Path) -> Path:
    """Write `mps` in the ERP import layout: sku, period (YYYY-MM), quantity, firm (Y/N)."""
    erp = pd.DataFrame(
        {
            "sku": mps["sku"].astype(str),
            "period": month_keys(mps["month"]),
            "quantity": mps["quantity"].astype(float).round(3),
            "firm": mps["firm"].map({True: "Y", False: "N"}),
        }
    ).sort_values(["sku", "period"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    erp.to_csv(path, index=False, float_format="%.3f")
    return path
