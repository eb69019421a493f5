"""Validating one parsed export: which rows load, which go to quarantine and why.

Every raw row ends in exactly one of the two outputs. A row is quarantined when a cell cannot
be typed, when it breaks an expectation of the entity's suite, when it fills none of the
columns of which the contract needs one (`missing_scope`), when a positive quantity carries a
negative revenue (`negative_revenue`), or when a later row of the same file has the same key
(`duplicate_key`: the later version wins, as ERP corrections do).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

import pandas as pd

from sop_pipeline.core.collection.parsing import PROBLEM_COLUMNS
from sop_pipeline.core.collection.reading import RAW_RECORD, ROW_NUMBER, SHEET, RawExport
from sop_pipeline.core.collection.suites import build_suite, run_suite
from sop_pipeline.core.contracts import EntityContract

QUARANTINE_COLUMNS = ["source_file", "row_number", "column", "rule", "value", "raw_record"]


@dataclass(frozen=True)
class ValidatedExport:
    """The rows of one export to load (contract columns) and its quarantine rows."""

    loaded: pd.DataFrame
    quarantine: pd.DataFrame
    rows_read: int
    read_as: dict[str, str] = field(default_factory=dict)  # encoding, delimiter, sheets
    source_file: str = ""
    max_quarantined_share: float | None = None  # the mapping's threshold for this entity

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
    rejected_items: dict[str, int] | None = None,
) -> ValidatedExport:
    """Split a parsed export into loaded rows and quarantine rows (one per failed cell/rule).
    `rejected_items`: {sku: items row} of the drop's quarantined items, whose dependants are
    quarantined as `item_rejected` naming that row rather than as `unknown_sku`."""
    problems = [
        parse_problems,
        _missing_scope(typed, contract),
        _item_rejected(typed, contract, rejected_items or {}),
        *_end_before_start(typed, contract),
        _negative_revenue(typed, contract),
    ]
    early = [index for p in problems for index in p["row_index"]]
    candidates = typed.drop(index=pd.Index(early).unique())
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


def _item_rejected(
    typed: pd.DataFrame, contract: EntityContract, rejected: dict[str, int]
) -> pd.DataFrame:
    if not contract.sku_column or not rejected:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    skus = typed[contract.sku_column]
    hit = skus.isin(list(rejected))
    found = _rows(typed.index[hit], contract.sku_column, "item_rejected", typed)
    found["value"] = [f"{sku} (items row {rejected[sku]} quarantined)" for sku in skus[hit]]
    return found


def _end_before_start(typed: pd.DataFrame, contract: EntityContract) -> list[pd.DataFrame]:
    return [
        _rows(typed.index[typed[end] < typed[start]], end, "end_before_start", typed)
        for start, end in contract.ordered
    ]


def _negative_revenue(typed: pd.DataFrame, contract: EntityContract) -> pd.DataFrame:
    if contract.revenue_of is None:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    quantity, revenue = contract.revenue_of
    wrong = typed[quantity].gt(0) & typed[revenue].lt(0)
    return _rows(typed.index[wrong], revenue, "negative_revenue", typed)


def with_malformed(validated: ValidatedExport, raw: RawExport, source_file: str) -> ValidatedExport:
    """`validated` plus one `wrong_field_count` row per malformed line (kept verbatim), and
    how the file was read."""
    malformed = pd.DataFrame(
        {
            "source_file": source_file,
            "row_number": [number for number, _ in raw.malformed],
            "column": "*",
            "rule": "wrong_field_count",
            "value": [_field_count(line, raw.delimiter) for _, line in raw.malformed],
            "raw_record": [line for _, line in raw.malformed],
        },
        columns=QUARANTINE_COLUMNS,
    )
    frames = [f for f in (validated.quarantine, malformed) if not f.empty]
    quarantine = (
        pd.concat(frames, ignore_index=True).sort_values(["row_number", "column"])
        if frames
        else validated.quarantine
    )
    read_as = {
        "encoding": raw.encoding or "n/a",
        "delimiter": _delimiter_name(raw.delimiter),
        "sheets": ", ".join(raw.sheets) or "n/a",
    }
    return ValidatedExport(
        loaded=validated.loaded,
        quarantine=quarantine.reset_index(drop=True),
        rows_read=validated.rows_read + len(raw.malformed),
        read_as=read_as,
        source_file=source_file,
    )


def _delimiter_name(delimiter: str) -> str:
    if not delimiter:
        return "n/a"
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _field_count(line: str, delimiter: str) -> str:
    return f"{len(next(csv.reader(line.splitlines(), delimiter=delimiter or ',')))} fields"


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
    sheets = rows[SHEET] if SHEET in rows else pd.Series("", index=rows.index)
    return (
        pd.DataFrame(
            {
                "source_file": [f"{source_file}[{s}]" if s else source_file for s in sheets],
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
