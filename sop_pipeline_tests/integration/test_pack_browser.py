"""The meeting pack in a real headless browser (Chromium driven by Selenium): every section is
there, every chart draws marks with a size, no two labels of a chart overlap on screen, and a
screenshot of the whole page is written (to the test's tmp_path, never committed).

The pack is the tiny case's with long family and scenario names, the case that used to run
labels into each other. Where no Chromium (or chromedriver, or selenium) is installed the test
skips and says which is missing; .ci/run installs Debian's `chromium` and `chromium-driver`.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sop_pipeline.core.executive.pack import SECTION_IDS, render_sop_pack
from sop_pipeline_tests.cases.kpi import CYCLE
from sop_pipeline_tests.core.test_report import pack_inputs

pytestmark = pytest.mark.integration  # starts a browser process

LONG_NAMES = {"F1": "Microwave Ovens", "F2": "Refrigerators & Freezers"}
# (section, chart index, label a, label b) of every pair of overlapping texts
OVERLAPS = """
const found = [];
document.querySelectorAll('svg.chart').forEach((svg, index) => {
  const section = svg.closest('section').id;
  const boxes = [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim())
    .map(t => [t.textContent, t.getBoundingClientRect()]);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [ta, a] = boxes[i], [tb, b] = boxes[j];
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 0.5 && h > 0.5) found.push([section, index, ta, tb]);
  }
});
return found;
"""
# per chart: its section, how many marks, how many have a visible size on screen
CHARTS = """
return [...document.querySelectorAll('svg.chart')].map(svg => {
  const marks = [...svg.querySelectorAll('.mark')];
  const drawn = marks.filter(m => {
    const r = m.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && r.width < 5000 && r.height < 5000;
  });
  return [svg.closest('section').id, marks.length, drawn.length];
});
"""


def _missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not _chromium():
        return "no Chromium found (apt-get install -y chromium chromium-driver)"
    if not shutil.which("chromedriver"):
        return "no chromedriver found (apt-get install -y chromium-driver)"
    return None


def _chromium() -> str | None:
    return next((p for n in ("chromium", "chromium-browser") if (p := shutil.which(n))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        print(f"browser test skipped: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(_chromium())
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pack_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pack = pack_inputs()
    plan = pack.financial_plan.assign(family=pack.financial_plan["family"].replace(LONG_NAMES))
    pack = dataclasses.replace(pack, financial_plan=plan)
    path = tmp_path_factory.mktemp("pack") / "sop_pack.html"
    path.write_text(render_sop_pack(pack, CYCLE), encoding="utf-8")
    browser.get(path.as_uri())
    return path


def test_every_section_is_present_in_the_browser(browser: Any, pack_page: Path) -> None:
    found = browser.execute_script(
        "return [...document.querySelectorAll('section')].map(s => s.id)"
    )
    assert list(SECTION_IDS) == found
    assert "Microwave Ovens" in browser.page_source


def test_every_chart_is_drawn_with_data(browser: Any, pack_page: Path) -> None:
    charts = browser.execute_script(CHARTS)
    assert len(charts) >= 10
    for section, marks, drawn in charts:
        assert marks > 0, f"a chart in {section} draws nothing"
        assert drawn == marks, f"{marks - drawn} mark(s) of a chart in {section} have no size"


def test_no_two_labels_of_a_chart_overlap(browser: Any, pack_page: Path) -> None:
    assert browser.execute_script(OVERLAPS) == []


def test_a_screenshot_of_the_whole_pack_is_written(browser: Any, pack_page: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 100, 16000))
    shot = pack_page.with_suffix(".png")
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


def test_the_overlap_check_sees_labels_drawn_on_each_other(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "overlap.html"
    page.write_text(
        '<section id="s"><svg class="chart" width="200" height="50">'
        '<text x="10" y="20" font-size="11">Microwave Ovens</text>'
        '<text x="40" y="22" font-size="11">Refrigerators</text>'
        '<text x="10" y="45" font-size="11">apart</text></svg></section>',
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    assert browser.execute_script(OVERLAPS) == [["s", 0, "Microwave Ovens", "Refrigerators"]]
