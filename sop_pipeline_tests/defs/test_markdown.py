"""Values from the drop cannot inject markdown or HTML into Dagster's markdown metadata."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sop_pipeline.defs.demand.charts import forecast_charts_markdown
from sop_pipeline.defs.markdown import markdown_text

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code`",
    "a | b | c",
    "[click](javascript:alert(1))",
    "# Heading\n- item",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_leaves_no_markup(payload: str) -> None:
    text = markdown_text(payload)
    assert "<" not in text and ">" not in text and "\n" not in text
    # once the backslash escapes are taken out, no character that opens markup is left
    bare = re.sub(r"\\.", "", text)
    assert not set(bare) & set("\\`*_[]()#|-!")


def test_plain_names_stay_readable() -> None:
    assert markdown_text("Kühlgeräte 500ml") == "Kühlgeräte 500ml"
    assert markdown_text("a_b") == "a\\_b"
    assert markdown_text("<b>") == "&lt;b&gt;"


def test_a_family_name_in_the_forecast_charts_is_escaped() -> None:
    family = "<img src=x onerror=alert(1)>**"
    months = pd.date_range("2026-01-01", periods=3, freq="MS")
    actuals = pd.DataFrame({"sku": "A", "region": "N", "month": months, "quantity": 5.0})
    items = pd.DataFrame({"sku": ["A"], "family": [family]})
    hierarchy = pd.DataFrame(
        {
            "level": "family",
            "family": family,
            "month": pd.date_range("2026-04-01", periods=2, freq="MS"),
            "forecast": 5.0,
            "lo_80": 4.0,
            "hi_80": 6.0,
        }
    )
    markdown = forecast_charts_markdown(actuals, items, hierarchy)
    assert family not in markdown and "<img" not in markdown
    assert markdown.startswith("**&lt;img src=x onerror=alert\\(1\\)&gt;\\*\\***")
