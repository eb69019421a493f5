"""Tiny inline-SVG charts for the meeting pack: grouped bars, lines, a waterfall and a heatmap.

Pure string building, no dependencies; every label is escaped. Data marks (bars, lines, points,
cells) carry class="mark" and a <title> tooltip with the exact figure. No xmlns attribute:
inline SVG in HTML does not need one, and the page holds no external references.

Labels never overlap and are never cut: category labels that do not fit their slot side by
side are turned vertical (the chart grows downwards to hold the longest), and the legend wraps
onto more rows. Text width is estimated at CHAR_WIDTH per character of the 11 px font.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from sop_pipeline.core.executive.pack.formatting import compact, nice_step

PALETTE = ("#1f5f8b", "#e07b39", "#6a9f58", "#8c6bb1", "#c44e52", "#937860", "#5b9bd5")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 64
CHAR_WIDTH = 6.6  # upper estimate of an 11 px sans-serif character's advance
LEGEND_ROW = 16
DASHED = ' stroke-dasharray="7 4"'


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


def _legend_rows(names: Sequence[str]) -> list[list[tuple[int, str, float]]]:
    """The legend entries (index, name, x) per row, wrapped at the chart's width."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = float(LEFT)
    for index, name in enumerate(names):
        width = 24 + CHAR_WIDTH * len(name)
        if rows[-1] and x + width > WIDTH - RIGHT:
            rows.append([])
            x = float(LEFT)
        rows[-1].append((index, name, x))
        x += width
    return rows


def _legend(names: Sequence[str], top: float) -> list[str]:
    parts = []
    for r, row in enumerate(_legend_rows(names)):
        y = top + r * LEGEND_ROW
        for index, name, x in row:
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{colour}"/>')
            parts.append(_text(x + 14, y + 9, name, anchor="start"))
    return parts


@dataclass(frozen=True)
class Frame:
    """A chart's layout: its height, the plot's bottom edge, where labels and legend go."""

    height: int
    plot_bottom: float
    vertical_labels: bool
    legend_top: float


def _frame(labels: Sequence[str], slot: float, legend: Sequence[str]) -> Frame:
    """Room for the category labels (vertical when one does not fit its slot) and legend."""
    longest = max((len(label) for label in labels), default=0) * CHAR_WIDTH
    vertical = longest > slot * 0.95
    label_room = longest + 8 if vertical else 18.0
    plot_bottom = HEIGHT - BOTTOM
    legend_top = plot_bottom + label_room + 10
    height = legend_top + LEGEND_ROW * len(_legend_rows(legend)) + 4
    return Frame(int(math.ceil(height)), plot_bottom, vertical, legend_top)


def _category_label(x: float, frame: Frame, content: str) -> str:
    if not frame.vertical_labels:
        return _text(x, frame.plot_bottom + 14, content)
    y = frame.plot_bottom + 6
    return (
        f'<text x="{x + 4:.1f}" y="{y:.1f}" text-anchor="end" font-size="11" '
        f'transform="rotate(-90 {x + 4:.1f} {y:.1f})">{escape(content)}</text>'
    )


def _scale(values: Sequence[float]) -> tuple[float, float, Callable[[float], float]]:
    """Axis bounds on round steps, always including zero, and the value -> y mapping."""
    finite = [v for v in values if math.isfinite(v)]
    step = nice_step(max([0.0, *finite]) - min([0.0, *finite]))
    low = math.floor(min([0.0, *finite]) / step) * step
    high = max(math.ceil(max([0.0, *finite]) / step) * step, low + step)
    plot_height = HEIGHT - TOP - BOTTOM
    return low, high, lambda v: TOP + plot_height * (high - v) / (high - low)


def bar_chart(categories: Sequence[str], series: Mapping[str, Sequence[float]], label: str) -> str:
    """Grouped bars: one group per category, one bar per series (NaN values draw no bar)."""
    low, high, to_y = _scale([v for values in series.values() for v in values])
    group = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    frame = _frame(categories, group, list(series))
    parts = [_open(WIDTH, frame.height, label), *_y_axis(low, high, to_y)]
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
        parts.append(_category_label(LEFT + (c + 0.5) * group, frame, category))
    parts += [*_legend(list(series), frame.legend_top), "</svg>"]
    return "".join(parts)


def line_chart(x_labels: Sequence[str], series: Mapping[str, Sequence[float]], label: str) -> str:
    """One line per series over the x labels, with a point per value; NaN values break the
    line (e.g. months the budget does not cover). The first series is drawn last and dashed,
    so a line it shares stretches with (demand served in full) never hides it."""
    low, high, to_y = _scale([v for values in series.values() for v in values])
    step = (WIDTH - LEFT - RIGHT) / max(len(x_labels), 1)
    every = max(1, math.ceil(len(x_labels) * CHAR_WIDTH * 7 / (WIDTH - LEFT - RIGHT)))
    shown = [x if i % every == 0 else "" for i, x in enumerate(x_labels)]
    frame = _frame([x for x in shown if x], step * every, list(series))
    parts = [_open(WIDTH, frame.height, label), *_y_axis(low, high, to_y)]
    for i, x_label in enumerate(shown):
        if x_label:
            parts.append(_category_label(LEFT + (i + 0.5) * step, frame, x_label))
    for s, (name, values) in reversed(list(enumerate(series.items()))):
        xs = [LEFT + (i + 0.5) * step for i in range(len(values))]
        parts += _line(xs, values, to_y, x_labels, name, PALETTE[s % len(PALETTE)], s == 0)
    parts += [*_legend(list(series), frame.legend_top), "</svg>"]
    return "".join(parts)


def waterfall_chart(steps: Sequence[tuple[str, float, bool]], label: str) -> str:
    """A bridge: each step (label, value, total) is a bar from the running total, or from zero
    for a total; rises green, falls red, totals blue."""
    running, spans = 0.0, []
    for name, value, total in steps:
        start = 0.0 if total else running
        end = value if total else running + value
        spans.append((name, value, start, end, total))
        running = end
    low, high, to_y = _scale([v for _, _, a, b, _ in spans for v in (a, b)])
    slot = (WIDTH - LEFT - RIGHT) / max(len(steps), 1)
    frame = _frame([s[0] for s in steps], slot, [])
    parts = [_open(WIDTH, frame.height, label), *_y_axis(low, high, to_y)]
    for i, (name, value, start, end, total) in enumerate(spans):
        top, bottom = sorted((to_y(start), to_y(end)))
        colour = PALETTE[0] if total else "#1e8449" if value >= 0 else "#c0392b"
        parts.append(
            f'<rect class="mark" x="{LEFT + i * slot + slot * 0.15:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{max(bottom - top, 0.5):.1f}" fill="{colour}">'
            f"<title>{escape(f'{name}: {compact(value)}')}</title></rect>"
        )
        parts.append(_category_label(LEFT + (i + 0.5) * slot, frame, name))
    parts.append("</svg>")
    return "".join(parts)


def _line(
    xs: Sequence[float],
    values: Sequence[float],
    to_y: Callable[[float], float],
    x_labels: Sequence[str],
    name: str,
    colour: str,
    dashed: bool = False,
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
        f'stroke-width="2"{DASHED if dashed else ""}/>'
    )
    return [path, *points]
