"""Meeting pack rendered from the tiny case: sections, charts with data, well-formed and
self-contained HTML, escaped text, and the empty-input variants."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.finance import build_financial_plan
from sop_pipeline.core.kpi import compute_kpis
from sop_pipeline.core.report import SECTION_IDS, PackInputs, render_sop_pack, write_sop_pack
from sop_pipeline_tests.core.test_kpi import CYCLE, tiny_inputs

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr"}
MARKS = {"rect", "path", "circle"}


class PackParser(HTMLParser):
    """Checks that every element is closed in order and counts data marks per <svg>."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.marks_per_svg: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def _note(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "svg":
            self.marks_per_svg.append(0)
        elif tag in MARKS and values.get("class") == "mark" and "svg" in self.stack:
            self.marks_per_svg[-1] += 1


def parse(html: str) -> PackParser:
    parser = PackParser()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def pack_inputs(previous: bool = True) -> PackInputs:
    inputs = tiny_inputs()
    kpi = compute_kpis(inputs, CYCLE)
    plan = build_financial_plan(inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget)
    previous_kpi = kpi.assign(value=kpi["value"] * 0.9) if previous else None
    return PackInputs(
        kpi=kpi,
        financial_plan=plan,
        resource_load=inputs.resource_load,
        exceptions=inputs.exceptions,
        forecast_accuracy=inputs.forecast_accuracy,
        previous_kpi=previous_kpi,
    )


@pytest.fixture(scope="module")
def html() -> str:
    return render_sop_pack(pack_inputs(), CYCLE)


def test_pack_has_every_section_and_charts_with_data(html: str) -> None:
    parser = parse(html)

    assert set(SECTION_IDS) <= set(parser.ids)
    assert len(parser.ids) == len(set(parser.ids))
    # demand/supply/budget per month and per family, capacity, accuracy, scenarios
    assert len(parser.marks_per_svg) == 5
    assert all(marks > 0 for marks in parser.marks_per_svg)
    assert "cycle 2026-03" in html
    assert "<title>S&amp;OP meeting pack" in html


def test_pack_is_self_contained(html: str) -> None:
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=""", html)
    assert "@import" not in html and "url(" not in html


def test_pack_escapes_text(html: str) -> None:
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pack_shows_kpi_figures_and_changes(html: str) -> None:
    kpis = html[html.index('id="kpis"') : html.index('id="demand-supply-budget"')]
    assert "Sales last month" in kpis and ">500<" in kpis
    assert "98.1 %" in kpis  # planned fill rate 1 - 2/105
    assert "+11.1 % vs previous cycle" in kpis  # 500 against 450
    assert html.count("vs previous cycle") == kpis.count("vs previous cycle") > 0


def test_pack_lists_exceptions_and_scenarios(html: str) -> None:
    exceptions = html[html.index('id="exceptions"') : html.index('id="scenarios"')]
    assert "B short by 2 units in 2026-05" in exceptions
    assert exceptions.index("R1 over by 20 h") < exceptions.index("B short by 2 units")
    scenarios = html[html.index('id="scenarios"') :]
    assert "baseline" in scenarios and "cap_cut" in scenarios
    assert scenarios.index("baseline") < scenarios.index("cap_cut")
    assert "95.2 %" in scenarios  # cap_cut fill rate 1 - 5/105


def test_first_cycle_pack_without_accuracy_capacity_or_previous_kpis() -> None:
    pack = dataclasses.replace(
        pack_inputs(previous=False), forecast_accuracy=None, resource_load=None, exceptions=None
    )
    pack = dataclasses.replace(pack, kpi=pack.kpi[~pack.kpi["kpi"].str.startswith("forecast_")])

    html = render_sop_pack(pack, CYCLE)

    parser = parse(html)
    assert set(SECTION_IDS) <= set(parser.ids)
    assert "No accuracy yet: needs earlier cycles" in html
    assert "vs previous cycle" not in html
    assert "No capacity data" in html
    assert all(marks > 0 for marks in parser.marks_per_svg)


def test_pack_renders_empty_tables() -> None:
    empty_kpi = pack_inputs().kpi.iloc[0:0]
    pack = PackInputs(kpi=empty_kpi, financial_plan=pack_inputs().financial_plan.iloc[0:0])

    parser = parse(render_sop_pack(pack, CYCLE))

    assert set(SECTION_IDS) <= set(parser.ids)


def test_write_sop_pack_puts_the_page_under_the_cycle(tmp_path: Path, html: str) -> None:
    path = write_sop_pack(html, tmp_path / "reports", pd.Timestamp("2026-03-01"))

    assert path == tmp_path / "reports" / "2026-03" / "sop_pack.html"
    assert path.read_text(encoding="utf-8") == html
