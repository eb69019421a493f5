"""The building blocks of an input contract: a column and its rules, an export file's contract."""

from __future__ import annotations

from dataclasses import dataclass

# the default plausible magnitude of a number: beyond any quantity, price or revenue of one row
PLAUSIBLE_MAGNITUDE = 1e12
QUANTITY_BOUND = 1e9  # units on one line, order, stock position or plan month
PRICE_BOUND = 1e7  # money per unit or per hour
HOURS_BOUND = 1e6  # hours of one work centre in one month
RETURN = "return"  # the value of a contract's `returns` column that marks a return line


@dataclass(frozen=True)
class Column:
    """One contract column. `kind` is text, float, int, date or month (a date at month start)."""

    name: str
    kind: str = "text"
    in_file: bool = True  # the column must be present in the file (else the cycle fails)
    nullable: bool = False
    default: object = None  # value used when the column is absent or the cell empty
    min_value: float | None = None
    max_value: float | None = None
    allowed: tuple[str, ...] | None = None
    # dates longer ago than this before the cycle are typos (`implausible_date`); None: any age
    plausible_years: int | None = 15
    # dates further than this after the cycle are typos too (`implausible_date`); None: any
    plausible_future_years: int | None = 15
    # a number of larger magnitude is a typo or an overflow (`implausible_value`), never planned
    plausible_max: float = PLAUSIBLE_MAGNITUDE


@dataclass(frozen=True)
class EntityContract:
    """One export file: its stem, the table it loads into, its columns and row rules."""

    name: str
    table: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    grain: str
    sku_column: str | None = "sku"  # values must be SKUs of the cycle's items
    before_cycle: tuple[str, ...] = ()  # date columns that must fall before the cycle month
    one_of: tuple[str, ...] = ()  # at least one of these columns must be filled
    ordered: tuple[tuple[str, str], ...] = ()  # (start, end): end may not come before start
    # the column whose value `return` marks a return line: on such a line the columns with a
    # minimum of 0 must be 0 or less instead (a return nets against its month)
    returns: str | None = None
    # (quantity, revenue): a positive quantity may not carry a negative revenue
    revenue_of: tuple[str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def optional(name: str, kind: str = "text", **rules: object) -> Column:
    """A column the file may omit; empty cells are allowed."""
    return Column(name, kind, in_file=False, nullable=True, **rules)  # type: ignore[arg-type]
