"""The page frame of the meeting pack: one self-contained HTML document, its style, sections
and tables. Every text reaching the page goes through html.escape here or in the chart code."""

from __future__ import annotations

from collections.abc import Container, Sequence
from html import escape

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0;
 background:#f5f6f8;color:#1d2733}
header{background:#1f3b57;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85}
main{max-width:1080px;margin:0 auto;padding:8px 24px 40px}
section{background:#fff;border-radius:8px;padding:14px 20px;margin:16px 0;
 box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:18px;margin:4px 0 10px}p.note{color:#5b6773;font-size:13px;margin:6px 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px}
.tile{border:1px solid #e1e5ea;border-radius:6px;padding:10px 12px}
.tile .label{font-size:12px;color:#5b6773}.tile .value{font-size:22px;font-weight:600;margin:2px 0}
.change{font-size:12px}.good{color:#1e8449}.bad{color:#c0392b}.neutral{color:#5b6773}
table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #e1e5ea;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
svg.chart text{fill:#33414e;font-family:inherit}svg.chart line.grid{stroke:#e6e9ed}
ol.headline{font-size:16px;line-height:1.45;margin:4px 0 4px 18px;padding:0}
ol.headline li{margin:4px 0}p.status{font-size:15px;font-weight:600;margin:4px 0}
td{overflow-wrap:anywhere}
@page{size:A4 landscape;margin:10mm}
@media print{body{background:#fff;font-size:11px}header{padding:8px 12px;
 -webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none;padding:0}
 section{box-shadow:none;border:1px solid #e1e5ea;break-inside:avoid;margin:6px 0;
 padding:8px 12px}svg.chart{max-height:85mm;width:auto}
 .good,.bad,svg.chart{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


NUMERIC = ' class="num"'


def page(title: str, subtitle: str, sections: Sequence[str]) -> str:
    """The whole HTML document: header with the title, then the sections in order."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>"
        f"<main>{''.join(sections)}</main></body></html>\n"
    )


def section(section_id: str, heading: str, *body: str) -> str:
    """One section of the pack; `body` parts are HTML already escaped by their builders."""
    return f'<section id="{escape(section_id)}"><h2>{escape(heading)}</h2>{"".join(body)}</section>'


def note(text: str) -> str:
    """A short explanatory line under a heading or chart."""
    return f'<p class="note">{escape(text)}</p>'


def no_data(reason: str) -> str:
    """The line that stands in for a chart or a section whose input is absent: says why."""
    return f'<p class="note no-data">{escape(f"No data because {reason}.")}</p>'


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Container[int] | None = None
) -> str:
    """A plain table of already formatted cells; the `numeric` columns (by default all but the
    first) align right."""
    numeric = numeric if numeric is not None else range(1, len(headers))

    def cells(values: Sequence[str], tag: str) -> str:
        return "".join(
            f"<{tag}{NUMERIC if i in numeric else ''}>{escape(v)}</{tag}>"
            for i, v in enumerate(values)
        )

    head = f"<thead><tr>{cells(headers, 'th')}</tr></thead>"
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"
