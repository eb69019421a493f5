"""One warehouse table's contract: its columns, the key that makes its grain, the grain."""

from __future__ import annotations

from dataclasses import dataclass

Columns = dict[str, str]


@dataclass(frozen=True)
class TableSpec:
    """One warehouse table: its columns (name -> portable type) and the key that makes its grain."""

    name: str
    columns: Columns
    key: tuple[str, ...]
    grain: str


def table_spec(name: str, grain: str, key: tuple[str, ...], columns: Columns) -> TableSpec:
    """A pipeline table: `cycle` is the first column and the first part of every key."""
    return TableSpec(
        name=name, columns={"cycle": "date", **columns}, key=("cycle", *key), grain=grain
    )
