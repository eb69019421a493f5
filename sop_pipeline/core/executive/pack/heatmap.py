"""Inline-SVG heatmap for the meeting pack: capacity utilisation per resource x month."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

CELL_HEIGHT = 24
LABEL_WIDTH = 130
HEADER = 34
MAX_WIDTH = 900


def utilisation_colour(value: float) -> str:
    """Green while there is slack, amber when nearly full, red when overloaded, grey if unknown."""
    if not math.isfinite(value):
        return "#d9d9d9"
    if value > 1.0:
        return "#c0392b" if value > 1.1 else "#e67e22"
    if value >= 0.85:
        return "#f4d03f"
    shade = int(225 - 110 * max(value, 0.0) / 0.85)
    return f"rgb({shade},{min(shade + 25, 235)},{shade})"


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    label: str,
) -> str:
    """A grid of coloured cells, values[row][col] as utilisation (1.0 = 100 %), each cell
    labelled with its percentage and a tooltip."""
    cell = max(22.0, min(48.0, (MAX_WIDTH - LABEL_WIDTH) / max(len(col_labels), 1)))
    width = int(LABEL_WIDTH + cell * len(col_labels) + 4)
    height = HEADER + CELL_HEIGHT * len(row_labels) + 4
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    ]
    for c, col in enumerate(col_labels):
        x = LABEL_WIDTH + (c + 0.5) * cell
        parts.append(
            f'<text x="{x:.1f}" y="{HEADER - 8}" text-anchor="middle" '
            f'font-size="9">{escape(col)}</text>'
        )
    for r, row in enumerate(row_labels):
        y = HEADER + r * CELL_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" '
            f'font-size="11">{escape(row)}</text>'
        )
        parts += [
            _cell(LABEL_WIDTH + c * cell, y, cell, values[r][c], f"{row} {col}")
            for c, col in enumerate(col_labels)
        ]
    parts.append("</svg>")
    return "".join(parts)


def _cell(x: float, y: float, width: float, value: float, where: str) -> str:
    shown = f"{value * 100:.0f}%" if math.isfinite(value) else "-"
    tooltip = escape(f"{where}: {shown}")
    return (
        f'<rect class="mark" x="{x:.1f}" y="{y}" width="{width - 1:.1f}" '
        f'height="{CELL_HEIGHT - 1}" fill="{utilisation_colour(value)}">'
        f"<title>{tooltip}</title></rect>"
        f'<text x="{x + width / 2:.1f}" y="{y + 15}" text-anchor="middle" '
        f'font-size="9">{escape(shown)}</text>'
    )
