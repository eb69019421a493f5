"""Tiny inline-SVG charts for the meeting pack: grouped bars, lines and a heatmap.

Pure string building, no dependencies; every label is escaped. Data marks (bars, lines, points,
cells) carry class="mark" and a <title> tooltip with the exact figure. No xmlns attribute:
inline SVG in HTML does not need one, and the page holds no external references.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

from sop_pipeline.core.executive.pack.formatting import compact, nice_step

PALETTE = ("#1f5f8b", "#e07b39", "#6a9f58", "#8c6bb1", "#c44e52", "#937860", "#5b9bd5")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 64


def _open(width: int, height: int, label: str) -> str:
    return (
        f'<svg class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    )


def _text(x: float, y: float, content: str, anchor: str = "middle", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}">'
        f"{escape(content)}</text>"
    )


def _y_axis(low: float, high: float, to_y: Callable[[float], float]) -> list[str]:
    parts = []
    step = nice_step(high - low)
    value = low
    while value <= high + step / 1000:
        y = to_y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(_text(LEFT - 4, y + 4, compact(value), anchor="end", size=10))
        value += step
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts, x = [], float(LEFT)
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(_text(x + 14, HEIGHT - 5, name, anchor="start"))
        x += 24 + 7 * len(name)
    return parts


def _scale(values: Sequence[float]) -> tuple[float, float, Callable[[float], float]]:
    """Axis bounds on round steps, always including zero, and the value -> y mapping."""
    finite = [v for v in values if math.isfinite(v)]
    step = nice_step(max([0.0, *finite]) - min([0.0, *finite]))
    low = math.floor(min([0.0, *finite]) / step) * step
    high = max(math.ceil(max([0.0, *finite]) / step) * step, low + step)
    plot_height = HEIGHT - TOP - BOTTOM
    return low, high, lambda v: TOP + plot_height * (high - v) / (high - low)


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def bar_chart(categories: Sequence[str], series: Mapping[str, Sequence[float]], label: str) -> str:
    """Grouped bars: one group per category, one bar per series (NaN values draw no bar)."""
    low, high, to_y = _scale([v for values in series.values() for v in values])
    group = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = [_open(WIDTH, HEIGHT, label), *_y_axis(low, high, to_y)]
    for c, category in enumerate(categories):
        x0 = LEFT + c * group + group * 0.1
        for s, (name, values) in enumerate(series.items()):
            value = values[c]
            if not math.isfinite(value):
                continue
            top, bottom = sorted((to_y(value), to_y(0.0)))
            parts.append(
                f'<rect class="mark" x="{x0 + s * bar:.1f}" y="{top:.1f}" width="{bar * 0.92:.1f}" '
                f'height="{max(bottom - top, 0.5):.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                f"<title>{escape(f'{category} - {name}: {compact(value)}')}</title></rect>"
            )
        parts.append(_text(LEFT + (c + 0.5) * group, HEIGHT - BOTTOM + 14, _short(category)))
    parts += [*_legend(list(series)), "</svg>"]
    return "".join(parts)


def line_chart(x_labels: Sequence[str], series: Mapping[str, Sequence[float]], label: str) -> str:
    """One line per series over the x labels, with a point per value; NaN values break the
    line (e.g. months the budget does not cover)."""
    low, high, to_y = _scale([v for values in series.values() for v in values])
    step = (WIDTH - LEFT - RIGHT) / max(len(x_labels), 1)
    parts = [_open(WIDTH, HEIGHT, label), *_y_axis(low, high, to_y)]
    every = max(1, math.ceil(len(x_labels) / 9))
    for i, x_label in enumerate(x_labels):
        if i % every == 0:
            parts.append(_text(LEFT + (i + 0.5) * step, HEIGHT - BOTTOM + 14, x_label))
    for s, (name, values) in enumerate(series.items()):
        xs = [LEFT + (i + 0.5) * step for i in range(len(values))]
        parts += _line(xs, values, to_y, x_labels, name, PALETTE[s % len(PALETTE)])
    parts += [*_legend(list(series)), "</svg>"]
    return "".join(parts)


def _line(
    xs: Sequence[float],
    values: Sequence[float],
    to_y: Callable[[float], float],
    x_labels: Sequence[str],
    name: str,
    colour: str,
) -> list[str]:
    """The path and points of one series; a gap (NaN) starts a new sub-path."""
    commands, points, previous = [], [], -2
    for i, value in enumerate(values):
        if not math.isfinite(value):
            continue
        commands.append(f"{'L' if previous == i - 1 else 'M'}{xs[i]:.1f},{to_y(value):.1f}")
        tooltip = escape(f"{x_labels[i]} - {name}: {compact(value)}")
        points.append(
            f'<circle class="mark" cx="{xs[i]:.1f}" cy="{to_y(value):.1f}" r="3" '
            f'fill="{colour}"><title>{tooltip}</title></circle>'
        )
        previous = i
    if not any(command.startswith("L") for command in commands):
        return points  # lone points: a path of single moves would draw nothing
    path = (
        f'<path class="mark" d="{" ".join(commands)}" fill="none" stroke="{colour}" '
        'stroke-width="2"/>'
    )
    return [path, *points]
