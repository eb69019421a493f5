"""Recording an approval: outside any planning run, straight into the warehouse and the cycle's
published `mps.csv`.

The approval row, the released MPS and the decisions go in one transaction (`Warehouse.replace`):
`plan_approvals` is scoped to the new approval's id, so earlier approvals stay (append-only);
`released_mps` and `decisions` are the cycle's, replaced by the latest approval's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sop_pipeline.core.implementation.approval import Approval
from sop_pipeline.core.implementation.inputs import released_file_rows
from sop_pipeline.core.tables import OUTPUT_TABLES
from sop_pipeline.io.reports import MPS_FILE, cycle_folder, write_mps_csv
from sop_pipeline.io.warehouse import TableWrite, Warehouse


def read_table(warehouse: Warehouse, table: str, cycle: pd.Timestamp) -> pd.DataFrame:
    """A contract table's rows of one cycle (with its columns even before it was written)."""
    return warehouse.read(table, cycle, columns=OUTPUT_TABLES[table].columns)


def record_approval(
    warehouse: Warehouse, cycle: pd.Timestamp, approval: Approval, reports_dir: Path
) -> Path:
    """Write the approval to the warehouse, then the released MPS to reports/<cycle>/mps.csv;
    return the file's path."""
    columns = {name: OUTPUT_TABLES[name].columns for name in OUTPUT_TABLES}
    warehouse.replace(
        cycle,
        [
            TableWrite(
                "plan_approvals",
                columns["plan_approvals"],
                approval.approval,
                scope={"approval_id": approval.approval_id},
            ),
            TableWrite("released_mps", columns["released_mps"], approval.released_mps),
            TableWrite("decisions", columns["decisions"], approval.decisions),
        ],
    )
    path = cycle_folder(reports_dir, cycle) / MPS_FILE
    return write_mps_csv(released_file_rows(approval.released_mps), path)
