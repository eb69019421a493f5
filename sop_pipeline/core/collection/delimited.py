"""Splitting decoded CSV text into records that keep their file line numbers.

The delimiter is sniffed from the header line among `,` `;` tab `|` (or set in the mapping).
A record with more or fewer fields than the header is not forced into the columns: it is kept
apart, with its original line verbatim, to be quarantined as `wrong_field_count`. Blank lines
are skipped without shifting the line numbers of the rows after them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Records:
    """The header, the well-formed records with their line numbers, and the malformed lines."""

    delimiter: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line number, line)


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter that occurs most in the header line (`,` when none does)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def split_records(text: str, skip_rows: int = 0, delimiter: str | None = None) -> Records | None:
    """The records of a CSV text (None when it has no header line)."""
    lines = text.splitlines(keepends=True)[skip_rows:]
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return None
    chosen = delimiter or sniff_delimiter(first)
    reader = csv.reader(lines, delimiter=chosen)
    records: Records | None = None
    previous_end = 0
    for record in reader:
        start, end = previous_end + 1, reader.line_num
        previous_end = end
        if len(record) <= 1 and not "".join(record).strip():
            continue
        if records is None:
            records = Records(chosen, [cell.strip() for cell in record])
        elif len(record) != len(records.header):
            verbatim = "".join(lines[start - 1 : end]).rstrip("\r\n")
            records.malformed.append((start + skip_rows, verbatim))
        else:
            records.rows.append(record)
            records.line_numbers.append(start + skip_rows)
    return records
