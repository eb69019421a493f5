"""The pack's message on the tiny case: the headline's figures recomputed from the financial
plan, the bridge adds up, money in the configured currency, no red `-0.0`, labels that cannot
overlap (vertical when they do not fit, the legend wrapped) and the A4 landscape print layout."""

from __future__ import annotations

import re

import pytest

from sop_pipeline.core.executive.kpi import Direction
from sop_pipeline.core.executive.pack import render_sop_pack
from sop_pipeline.core.executive.pack.formatting import change_tone, format_change, money
from sop_pipeline.core.executive.pack.message import bridge
from sop_pipeline.core.executive.pack.svg import bar_chart
from sop_pipeline_tests.cases.kpi import CYCLE
from sop_pipeline_tests.core.test_report import pack_inputs, parse


@pytest.fixture(scope="module")
def html() -> str:
    return render_sop_pack(pack_inputs(), CYCLE, currency="USD")


def _text(html: str, sid: str) -> str:
    return parse(html).text[sid]


def test_the_headline_states_the_gap_its_driver_the_risk_and_the_decision(html: str) -> None:
    plan = pack_inputs().financial_plan
    budgeted = plan[(plan["scenario"] == "baseline") & plan["budget_revenue"].notna()]
    gap = budgeted["budget_revenue"].sum() - budgeted["revenue"].sum()  # 950 - 850
    sentences = re.findall(r"<li>(.*?)</li>", html[html.index('id="headline"') :])[:3]
    assert len(sentences) == 3
    assert f"plan is {money(gap, 'USD')} below budget" in sentences[0]
    assert "main driver is demand" in sentences[0]
    assert "planned fill rate 98.1 %" in sentences[1] and "2 units unmet" in sentences[1]
    assert sentences[2].startswith("Decision needed:") and "USD 60" in sentences[2]
    assert html.index('id="headline"') < html.index('id="kpis"')  # the message comes first


def test_the_bridge_adds_up_from_budget_to_plan() -> None:
    plan = pack_inputs().financial_plan
    figures = bridge(plan)
    assert figures is not None
    base = plan[(plan["scenario"] == "baseline") & plan["budget_revenue"].notna()]
    assert figures.budget + figures.demand_gap + figures.capacity_loss == pytest.approx(
        base["revenue"].sum()
    )
    assert figures.plan == pytest.approx(base["revenue"].sum())


def test_money_is_in_the_configured_currency(html: str) -> None:
    assert "money in USD" in html
    assert "EUR" not in html
    assert "USD 950" in _text(html, "bridge")
    assert "cap_cut: capacity \u00d7 0.50 on R1." in _text(html, "scenarios")
    assert "released: scenario cap_cut approved by COO" in _text(html, "approval")


def test_a_change_that_rounds_to_zero_is_no_news() -> None:
    assert format_change(0.5, 0.50004, "ratio") == "no change"
    assert change_tone(Direction.HIGHER_IS_GOOD, 0.5, 0.50004, "ratio") == "neutral"
    assert change_tone(Direction.HIGHER_IS_GOOD, 0.5, 0.51, "ratio") == "bad"
    assert money(-0.2, "EUR") == "EUR 0"


def test_long_category_labels_turn_vertical_in_full_and_the_legend_wraps() -> None:
    names = ["Microwave Ovens", "Refrigerators", "Space Heaters", "Dishwashers"] * 3
    series = {f"A long series name {i}": [float(i + c) for c in range(12)] for i in range(6)}
    chart = bar_chart(names, series, "families")
    assert chart.count('transform="rotate(-90') == len(names)
    assert "\u2026" not in chart and "Microwave Ovens" in chart
    legend_rows = {y for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="10"', chart)}
    assert len(legend_rows) > 1
    short = bar_chart(["A", "B"], {"x": [1.0, 2.0]}, "short")
    assert "rotate" not in short


def test_the_pack_prints_on_a4_landscape(html: str) -> None:
    assert "@page{size:A4 landscape" in html
    assert "@media print" in html
