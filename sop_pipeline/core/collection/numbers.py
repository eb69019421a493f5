"""Numbers as ERPs write them: the decimal and thousands separators of a file, and the values
that cannot be read without guessing.

The separators are detected once per file from all its numeric cells (or set in the mapping):
`12,5` or `1.234,50` show a decimal comma, `12.5` or `1,234.50` a decimal point. In a file
that shows neither, `1,234` or `1.234` could be a thousand or a fraction: quarantined as
`ambiguous_number`, never guessed. A value must match the file's convention exactly (thousands
in groups of three), so `12,5` in a decimal-point file is `not_a_number`, never 125. A value
beyond its column's plausible magnitude (declared in the contract) is `implausible_value`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

NON_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan"})


def _evidence(point: str, group: str) -> str:
    """Values that show `point` is the decimal separator: a fraction of other than three
    digits, a leading 0 or 4+ integer digits, grouped thousands with a fraction, or two groups."""
    d, g = re.escape(point), re.escape(group)
    return (
        rf"^[+-]?(\d+{d}(\d{{1,2}}|\d{{4,}})|0{d}\d+|\d{{4,}}{d}\d+"
        rf"|\d{{1,3}}({g}\d{{3}})+{d}\d+|\d{{1,3}}({g}\d{{3}}){{2,}})$"
    )


AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
COMMA_DECIMAL = re.compile(_evidence(",", "."))
POINT_DECIMAL = re.compile(_evidence(".", ","))


def detect_decimal(cells: pd.Series) -> str | None:
    """The decimal separator the numeric cells of a file show (`.` or `,`), None if neither."""
    text = cells[cells.ne("")]
    commas = int(text.str.match(COMMA_DECIMAL).sum())
    points = int(text.str.match(POINT_DECIMAL).sum())
    if commas == points:
        return None
    return "," if commas > points else "."


def parse_numbers(
    text: pd.Series, decimal: str | None, thousands: str | None, bound: float
) -> tuple[pd.Series, pd.Series]:
    """Float values (NaN when not read) and the quarantine rule of each cell ('' when fine);
    a magnitude beyond `bound` is implausible."""
    lowered = text.str.lower()
    point = decimal or "."
    group = thousands if thousands is not None else ("." if point == "," else ",")
    pattern = _strict_pattern(point, group)
    valid = text.str.match(pattern)
    plain = text.str.replace(group, "", regex=False).str.replace(point, ".", regex=False)
    values = pd.to_numeric(plain.where(valid), errors="coerce").astype(float)
    rule = pd.Series("", index=text.index, dtype=object)
    rule[text.ne("") & values.isna()] = "not_a_number"
    if decimal is None and thousands is None:
        rule[text.str.match(AMBIGUOUS)] = "ambiguous_number"
    rule[lowered.isin(NON_FINITE)] = "not_finite"
    rule[values.abs().gt(bound)] = "implausible_value"
    values = values.where(rule.eq(""), np.nan)
    return values, rule


def _strict_pattern(point: str, group: str) -> str:
    d, g = re.escape(point), re.escape(group)
    integer = rf"(\d+|\d{{1,3}}({g}\d{{3}})+)" if group else r"\d+"
    scientific = r"|\d+(\.\d*)?[eE][+-]?\d+" if point == "." else ""
    return rf"^[+-]?({integer}({d}\d*)?|{d}\d+{scientific})$"
