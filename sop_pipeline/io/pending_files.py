"""The files of a cycle wait in `reports/.pending/<YYYY-MM>/<run id>/` until their run has
published the cycle, then move into `reports/<YYYY-MM>/`.

The steps that make `mps.csv` and `sop_pack.html` write them into their run's pending folder.
Once the run's `publish` has committed the cycle (its `cycle_runs` row says `published`), the
files move into place, an atomic rename each, so ERP and readers only ever see files of a
complete cycle, never half a file. A run killed between that commit and the renames leaves its
files pending; `settle_pending_files` finishes the move for it. It runs in the `publish` step,
in the steps that write pending files (before they write theirs) and in the `sop` commands that
have a warehouse and a reports folder, before they start. Each pending run folder goes by its
run's row in `cycle_runs`:

- the cycle's newest `published` run: its files move into `reports/<YYYY-MM>/`;
- an older `published` run, a `failed` or an `abandoned` one: its files are deleted;
- a `running` run, or one this warehouse does not know (another warehouse may write the same
  reports folder): left where it is, never shown as the cycle's.

Moves and deletions hold an exclusive lock on `reports/.pending/.lock`, so two settlers never
put an older version over a newer one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from sop_pipeline.io.cycle_runs import cycle_runs
from sop_pipeline.io.reports import CYCLE_FILES, cycle_folder
from sop_pipeline.io.warehouse import Warehouse
from sop_pipeline.io.write_lock import file_lock

PENDING = ".pending"
LOCK_FILE = ".lock"
DISCARDED = ("failed", "abandoned")


def pending_reports(reports_dir: Path | str) -> Path:
    """The folder holding one pending folder per cycle, inside `reports_dir`."""
    return Path(reports_dir) / PENDING


def pending_folder(reports_dir: Path | str, cycle: pd.Timestamp, run_id: str | None) -> Path:
    """Where run `run_id` writes the cycle's files, created: `.pending/<YYYY-MM>/<run id>/`.
    Outside a run (None) nothing is staged: the cycle's own folder, as table writes outside a
    run go straight to the published tables."""
    if run_id is None:
        return cycle_folder(Path(reports_dir), cycle)
    folder = cycle_folder(pending_reports(reports_dir), cycle) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settle_pending_files(reports_dir: Path | str, warehouse: Warehouse) -> list[str]:
    """Move the pending files of published runs into place and delete those of runs that will
    never publish (see the module's rules); one line per run folder settled."""
    root = pending_reports(reports_dir)
    if not any(root.glob("*/*/")):  # nothing pending: no need to read the warehouse
        return []
    with file_lock(root / LOCK_FILE):
        runs = cycle_runs(warehouse)
        newest = _newest_published(runs)
        status = dict(zip(runs["run_id"], runs["status"], strict=True))
        settled = []
        for folder in sorted(path for path in root.glob("*/*") if path.is_dir()):
            cycle, run_id = folder.parent.name, folder.name
            if newest.get(cycle) == run_id:
                moved = _move_files(folder, Path(reports_dir) / cycle)
                settled.append(f"cycle {cycle}: run {run_id}'s published {moved} moved into place")
                continue
            reason = "superseded" if status.get(run_id) == "published" else status.get(run_id)
            if reason == "superseded" or reason in DISCARDED:
                shutil.rmtree(folder)
                settled.append(f"cycle {cycle}: files of run {run_id} ({reason}) deleted")
        return settled


def _newest_published(runs: pd.DataFrame) -> dict[str, str]:
    """{YYYY-MM: run id} of each cycle's newest published run."""
    published = runs[runs["status"] == "published"].sort_values("finished_at", kind="stable")
    cycles = pd.to_datetime(published["cycle"]).dt.strftime("%Y-%m")
    return dict(zip(cycles, published["run_id"], strict=True))


def _move_files(folder: Path, target: Path) -> str:
    """Rename the folder's files into `target` (created), then remove the folder; which moved."""
    target.mkdir(parents=True, exist_ok=True)
    names = [name for name in CYCLE_FILES if (folder / name).exists()]
    for name in names:
        os.replace(folder / name, target / name)
    shutil.rmtree(folder)
    return " and ".join(names) or "nothing"
