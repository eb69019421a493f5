"""The files of a cycle wait in `reports/.pending/<YYYY-MM>/` until the cycle is complete.

The steps that make `mps.csv` and `sop_pack.html` write them there; the `publish` step, which
runs only after every step of the cycle (dbt's build and tests, the blocking checks) has
succeeded, moves them into `reports/<YYYY-MM>/`. A move within one file system is atomic, so
ERP and readers only ever see a file of a complete cycle, never half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from sop_pipeline.io.reports import MPS_FILE, PACK_FILE, cycle_folder

PENDING = ".pending"
CYCLE_FILES = (MPS_FILE, PACK_FILE)


def pending_reports(reports_dir: Path | str) -> Path:
    """The folder holding one pending folder per cycle, inside `reports_dir`."""
    return Path(reports_dir) / PENDING


def publish_cycle_files(reports_dir: Path | str, cycle: pd.Timestamp) -> list[Path]:
    """Move the cycle's pending files into `reports_dir/<YYYY-MM>/`; the published paths."""
    pending = cycle_folder(pending_reports(reports_dir), cycle)
    published = []
    for name in CYCLE_FILES:
        if (pending / name).exists():
            target = cycle_folder(Path(reports_dir), cycle) / name
            os.replace(pending / name, target)
            published.append(target)
    return published
