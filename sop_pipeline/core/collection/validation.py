"""Validating one parsed export: which rows load, which go to quarantine and why.

Every raw row ends in exactly one of the two outputs. A row is quarantined when a cell cannot
be typed, when it breaks an expectation of the entity's suite, when it fills none of the
columns of which the contract needs one (`missing_scope`), or when a later row of the same
file has the same key (`duplicate_key`: the later version wins, as ERP corrections do).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sop_pipeline.core.collection.parsing import PROBLEM_COLUMNS
from sop_pipeline.core.collection.reading import RAW_RECORD, ROW_NUMBER
from sop_pipeline.core.collection.suites import build_suite, run_suite
from sop_pipeline.core.contracts import EntityContract

QUARANTINE_COLUMNS = ["source_file", "row_number", "column", "rule", "value", "raw_record"]


@dataclass(frozen=True)
class ValidatedExport:
    """The rows of one export to load (contract columns) and its quarantine rows."""

    loaded: pd.DataFrame
    quarantine: pd.DataFrame
    rows_read: int

    @property
    def rows_quarantined(self) -> int:
        return int(self.quarantine["row_number"].nunique())


def validate_export(
    raw: pd.DataFrame,
    typed: pd.DataFrame,
    parse_problems: pd.DataFrame,
    contract: EntityContract,
    source_file: str,
    known_skus: list[str] | None,
    cycle: pd.Timestamp,
    known_values: dict[str, list[str]] | None = None,
) -> ValidatedExport:
    """Split a parsed export into loaded rows and quarantine rows (one per failed cell/rule)."""
    problems = [parse_problems, _missing_scope(typed, contract)]
    candidates = typed.drop(index=pd.Index(parse_problems["row_index"]).unique())
    candidates = candidates.drop(index=problems[1]["row_index"].unique())
    superseded = candidates.duplicated(subset=list(contract.key), keep="last")
    problems.append(
        _rows(candidates.index[superseded], ",".join(contract.key), "duplicate_key", typed)
    )
    candidates = candidates[~superseded]
    for failure in run_suite(candidates, build_suite(contract, known_skus, cycle, known_values)):
        problems.append(_rows(pd.Index(failure.row_index), failure.column, failure.rule, typed))
    found = pd.concat([p for p in problems if not p.empty] or [problems[0]], ignore_index=True)
    loaded = typed.drop(index=pd.Index(found["row_index"]).unique())
    quarantine = _quarantine_rows(found, raw, source_file)
    return ValidatedExport(
        loaded=loaded[contract.column_names].reset_index(drop=True),
        quarantine=quarantine,
        rows_read=len(raw),
    )


def _missing_scope(typed: pd.DataFrame, contract: EntityContract) -> pd.DataFrame:
    if not contract.one_of:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    empty = typed[list(contract.one_of)].isna().all(axis=1)
    return _rows(typed.index[empty], "|".join(contract.one_of), "missing_scope", typed)


def _rows(index: pd.Index, column: str, rule: str, typed: pd.DataFrame) -> pd.DataFrame:
    first = column.split(",")[0].split("|")[0]
    values = typed.loc[index, first].astype(str).to_numpy() if len(index) else []
    return pd.DataFrame(
        {"row_index": index, "column": column, "rule": rule, "value": values},
        columns=PROBLEM_COLUMNS,
    )


def _quarantine_rows(found: pd.DataFrame, raw: pd.DataFrame, source_file: str) -> pd.DataFrame:
    if found.empty:
        return pd.DataFrame(columns=QUARANTINE_COLUMNS)
    rows = raw.loc[found["row_index"]]
    return (
        pd.DataFrame(
            {
                "source_file": source_file,
                "row_number": rows[ROW_NUMBER].to_numpy(),
                "column": found["column"].to_numpy(),
                "rule": found["rule"].to_numpy(),
                "value": found["value"].astype(str).to_numpy(),
                "raw_record": rows[RAW_RECORD].to_numpy(),
            }
        )
        .sort_values(["row_number", "column"])
        .reset_index(drop=True)
    )
