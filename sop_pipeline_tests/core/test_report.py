"""Meeting pack rendered from the tiny case: sections, charts with data, well-formed and
self-contained HTML, escaped text, and the empty-input variants."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.executive.kpi import compute_kpis
from sop_pipeline.core.executive.pack import SECTION_IDS, PackInputs, render_sop_pack
from sop_pipeline.core.executive.pack.svg import line_chart
from sop_pipeline.core.executive.plan_changes import plan_changes
from sop_pipeline.core.finance.plan import build_financial_plan
from sop_pipeline.io.reports import cycle_folder, write_sop_pack
from sop_pipeline_tests.cases import plan_changes as changes_case
from sop_pipeline_tests.cases.kpi import CYCLE, exceptions, tiny_inputs

PREVIOUS_CYCLE = pd.Timestamp("2026-02-01")
APPROVALS = pd.DataFrame(
    {
        "approval_id": ["a1", "a2"],
        "scenario": ["baseline", "cap_cut"],
        "approved_by": ["CEO", "COO"],
        "approved_at": ["2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z"],
        "note": ["", "capacity cut confirmed"],
        "plan_fingerprint": ["f1", "f2"],
    }
)

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr"}
MARKS = {"rect", "path", "circle"}
# charts each section must draw from the tiny case (KPI tiles and exceptions are not charts)
CHARTS_PER_SECTION = {
    "headline": 0,
    "approval": 0,
    "kpis": 0,
    "bridge": 1,
    "decisions": 0,
    "demand-supply-budget": 2,
    "units": 2,
    "plan-changes": 1,
    "capacity": 1,
    "accuracy": 2,
    "exceptions": 0,
    "scenarios": 1,
}
# sections that always have something to say: the approval status is known in every cycle
ALWAYS_SHOWN = {"approval"}
FIGURE = re.compile(r": (-?\d+(?:\.\d+)?)([kMB%]?)$")
SCALE = {"": 1.0, "%": 0.01, "k": 1e3, "M": 1e6, "B": 1e9}


@dataclass
class Chart:
    """One <svg> of the pack: the section it sits in, its data marks and their tooltips."""

    section: str
    marks: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tooltips: list[str] = field(default_factory=list)


class PackParser(HTMLParser):
    """Checks that every element is closed in order; collects section ids, each section's
    text and each chart's data marks with their tooltips."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.charts: list[Chart] = []
        self.text: dict[str, str] = {}
        self.section = ""
        self.in_title = False

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
        self.in_title = False

    def handle_data(self, data: str) -> None:
        self.text[self.section] = self.text.get(self.section, "") + data
        if self.in_title and "svg" in self.stack:
            self.charts[-1].tooltips.append(data)

    def _note(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "section":
            self.section = values.get("id", "")
        elif tag == "svg":
            self.charts.append(Chart(self.section))
        elif tag in MARKS and values.get("class") == "mark" and "svg" in self.stack:
            self.charts[-1].marks.append((tag, values))
        self.in_title = tag == "title" and "svg" in self.stack


def parse(html: str) -> PackParser:
    parser = PackParser()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def drawn(tag: str, attrs: dict[str, str]) -> bool:
    """A mark with finite coordinates and a visible size."""
    if tag == "rect":
        sizes = [float(attrs[k]) for k in ("x", "y", "width", "height")]
        return all(math.isfinite(v) for v in sizes) and sizes[2] > 0 and sizes[3] > 0
    if tag == "circle":
        return all(math.isfinite(float(attrs[k])) for k in ("cx", "cy"))
    points = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", attrs["d"])]
    return len(points) >= 4 and all(math.isfinite(v) for v in points)


def figures(chart: Chart) -> list[float]:
    """The figures the chart's tooltips show ('Mar 26 - Demand: 1.2k' -> 1200.0)."""
    found = [FIGURE.search(tip.strip()) for tip in chart.tooltips]
    return [float(m.group(1)) * SCALE[m.group(2)] for m in found if m]


def assert_charts_hold_data(parser: PackParser) -> None:
    """Every chart draws marks, each mark is drawn, and its figures are finite and vary."""
    for chart in parser.charts:
        assert chart.marks, f"empty chart in {chart.section}"
        assert all(drawn(tag, attrs) for tag, attrs in chart.marks), chart.section
        values = figures(chart)
        assert len(values) == len(chart.tooltips) > 0, chart.section
        assert len(set(values)) > 1, f"degenerate chart in {chart.section}: {values}"


def charts_per_section(parser: PackParser) -> dict[str, int]:
    return {sid: sum(c.section == sid for c in parser.charts) for sid in SECTION_IDS}


def pack_inputs(previous: bool = True) -> PackInputs:
    """The tiny case's pack; `previous` adds last cycle's KPIs (all 10 % lower) and a KPI
    history of the two cycles for the accuracy trend."""
    inputs = tiny_inputs()
    kpi = compute_kpis(inputs, CYCLE)
    plan = build_financial_plan(inputs.supply_plan, inputs.demand_plan, inputs.items, inputs.budget)
    previous_kpi = kpi.assign(value=kpi["value"] * 0.9) if previous else None
    history = (
        pd.concat([previous_kpi.assign(cycle=PREVIOUS_CYCLE), kpi.assign(cycle=CYCLE)])
        if previous_kpi is not None
        else None
    )
    return PackInputs(
        kpi=kpi,
        financial_plan=plan,
        resource_load=inputs.resource_load,
        exceptions=exceptions(),
        forecast_accuracy=inputs.forecast_accuracy,
        previous_kpi=previous_kpi,
        kpi_history=history,
        supply_plan=inputs.supply_plan,
        plan_changes=plan_changes(changes_case.inputs(), changes_case.CYCLE) if previous else None,
        plan_approvals=APPROVALS if previous else None,
        scenarios=pd.DataFrame(
            {"scenario": ["cap_cut"], "kind": "capacity", "scope": "R1", "multiplier": 0.5}
        ),
    )


@pytest.fixture(scope="module")
def html() -> str:
    return render_sop_pack(pack_inputs(), CYCLE)


def test_pack_has_every_section_and_charts_with_data(html: str) -> None:
    parser = parse(html)

    assert set(SECTION_IDS) <= set(parser.ids)
    assert len(parser.ids) == len(set(parser.ids))
    assert charts_per_section(parser) == CHARTS_PER_SECTION
    assert_charts_hold_data(parser)
    assert "No data because" not in html
    assert "cycle 2026-03" in html
    assert "<title>S&amp;OP meeting pack" in html


def test_accuracy_trend_draws_one_point_per_cycle_and_lag(html: str) -> None:
    trend = parse(html).charts[[c.section for c in parse(html).charts].index("accuracy")]

    # lag 1 total 1 - 5/34 = 85.3 % now and 90 % of it (76.8 %) last cycle; lag 3 1 - 7/34
    assert [t for t in trend.tooltips if "(lag 1)" in t] == [
        "Feb 26 - Forecast accuracy (lag 1): 76.8",
        "Mar 26 - Forecast accuracy (lag 1): 85.3",
    ]
    assert len([tag for tag, _ in trend.marks if tag == "path"]) == 2


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


def test_tile_changes_are_coloured_by_the_kpis_direction(html: str) -> None:
    """Every KPI rose 10 % against the previous cycle: good news for sales, bad for unmet
    demand, neither for the bias (read in context)."""
    tiles = dict(re.findall(r'<div class="label">([^<]+)</div>.*?class="change (\w+)"', html))

    assert tiles["Sales last month"] == "good"
    assert tiles["Unmet demand (units)"] == "bad"
    assert tiles["Forecast bias (lag 1)"] == "neutral"


def test_pack_lists_exceptions_and_scenarios(html: str) -> None:
    exceptions = html[html.index('id="exceptions"') :]
    assert "B short by 2 units in 2026-05" in exceptions
    assert exceptions.index("R1 over by 20 h") < exceptions.index("B short by 2 units")
    scenarios = html[html.index('id="scenarios"') : html.index('id="capacity"')]
    assert "baseline" in scenarios and "cap_cut" in scenarios
    assert scenarios.index("baseline") < scenarios.index("cap_cut")
    assert "95.2 %" in scenarios  # cap_cut fill rate 1 - 5/105


def test_first_cycle_pack_says_why_sections_have_no_data() -> None:
    pack = dataclasses.replace(
        pack_inputs(previous=False), forecast_accuracy=None, resource_load=None, exceptions=None
    )
    pack = dataclasses.replace(pack, kpi=pack.kpi[~pack.kpi["kpi"].str.startswith("forecast_")])

    html = render_sop_pack(pack, CYCLE)

    parser = parse(html)
    assert set(SECTION_IDS) <= set(parser.ids)
    assert charts_per_section(parser) == {
        **dict.fromkeys(SECTION_IDS, 0),
        "bridge": 1,
        "demand-supply-budget": 2,
        "units": 2,
        "scenarios": 1,
    }
    assert_charts_hold_data(parser)
    for sid in ("accuracy", "capacity", "exceptions", "plan-changes"):
        assert "No data because" in parser.text[sid], sid
    assert "no earlier cycle has KPIs on record" in parser.text["accuracy"]
    assert "resources or routings export is absent" in parser.text["capacity"]
    assert "vs previous cycle" not in html


def test_accuracy_trend_needs_two_scored_cycles() -> None:
    pack = pack_inputs()
    pack = dataclasses.replace(pack, kpi_history=pack.kpi.assign(cycle=CYCLE))

    parser = parse(render_sop_pack(pack, CYCLE))

    assert "the accuracy trend needs two scored cycles and has 1" in parser.text["accuracy"]
    assert charts_per_section(parser)["accuracy"] == 1  # this cycle's accuracy per family
    assert_charts_hold_data(parser)


def test_pack_of_empty_tables_says_why_in_every_section() -> None:
    empty_kpi = pack_inputs().kpi.iloc[0:0]
    pack = PackInputs(kpi=empty_kpi, financial_plan=pack_inputs().financial_plan.iloc[0:0])

    parser = parse(render_sop_pack(pack, CYCLE))

    assert set(SECTION_IDS) <= set(parser.ids)
    assert parser.charts == []
    for sid in set(SECTION_IDS) - ALWAYS_SHOWN:
        assert "No data because" in parser.text[sid], sid
    assert "proposed" in parser.text["approval"]


def test_a_series_with_one_point_draws_the_point_without_an_empty_line() -> None:
    chart = line_chart(["Oct", "Nov"], {"Lag 1": [0.6, 0.7], "Lag 3": [math.nan, 0.5]}, "trend")

    parser = parse(chart)

    assert_charts_hold_data(parser)
    # the first series is drawn last (on top): Lag 3's lone point, then Lag 1's line and points
    assert [tag for tag, _ in parser.charts[0].marks] == ["circle", "path", "circle", "circle"]


def test_write_sop_pack_puts_the_page_under_the_cycle(tmp_path: Path, html: str) -> None:
    folder = cycle_folder(tmp_path / "reports", pd.Timestamp("2026-03-01"))
    path = write_sop_pack(html, folder)

    assert path == tmp_path / "reports" / "2026-03" / "sop_pack.html"
    assert path.read_text(encoding="utf-8") == html
