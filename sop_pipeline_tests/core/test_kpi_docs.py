"""docs/kpis.md lists the KPIs as the definitions define them: its table is the generated one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_pipeline.core.executive.kpi import KPI_DEFINITIONS
from sop_pipeline.core.executive.kpi.catalogue import (
    committed_table,
    formula_text,
    kpi_table,
    with_kpi_table,
)

KPIS_DOC = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


def test_the_committed_kpi_table_is_the_generated_one() -> None:
    committed = committed_table(KPIS_DOC.read_text(encoding="utf-8"))

    assert committed == kpi_table(), (
        "docs/kpis.md is out of date: run "
        "`python -m sop_pipeline.core.executive.kpi.catalogue docs/kpis.md`"
    )


def test_the_table_has_one_row_per_kpi_with_its_formula() -> None:
    rows = kpi_table().splitlines()[2:]

    assert [row.split(" | ")[0] for row in rows] == [f"| `{k.name}`" for k in KPI_DEFINITIONS]
    assert all(
        formula_text(kpi).replace("|", "\\|") in row
        for kpi, row in zip(KPI_DEFINITIONS, rows, strict=True)
    )


def test_regenerating_keeps_the_prose_around_the_table() -> None:
    doc = KPIS_DOC.read_text(encoding="utf-8")
    stale = doc.replace(kpi_table(), "| kpi |\n|---|")

    assert with_kpi_table(stale) == doc
    with pytest.raises(ValueError, match="markers"):
        committed_table("# no table here")
