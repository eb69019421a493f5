"""The KPI list of docs/kpis.md, generated from the KPI definitions so that the doc cannot drift:

    python -m sop_pipeline.core.executive.kpi.catalogue docs/kpis.md

rewrites the table between the two markers and leaves the prose around it alone;
sop_pipeline_tests/core/test_kpi_docs.py checks the committed doc against `kpi_table()`.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Sequence
from pathlib import Path

from sop_pipeline.core.executive.kpi.definitions import KPI_DEFINITIONS, KpiDefinition

START = "<!-- kpi table: generated from sop_pipeline/core/executive/kpi/definitions.py -->"
END = "<!-- kpi table: end -->"
HEADERS = ("kpi", "label", "formula", "unit", "scopes", "scenarios", "good news", "needs")


def kpi_table(definitions: Sequence[KpiDefinition] = KPI_DEFINITIONS) -> str:
    """The markdown table of the KPIs, one row per definition in table order; the formula is
    the formula function's docstring."""
    lines = [_cells(HEADERS), "|" + "---|" * len(HEADERS)]
    return "\n".join([*lines, *(_cells(_row(kpi)) for kpi in definitions)])


def committed_table(doc: str) -> str:
    """The table between the markers of a doc (ValueError when a marker is missing)."""
    if START not in doc or END not in doc:
        raise ValueError(f"the doc needs the markers {START!r} and {END!r}")
    return doc.split(START, 1)[1].split(END, 1)[0].strip()


def with_kpi_table(doc: str) -> str:
    """The doc with the table between its markers regenerated."""
    committed_table(doc)  # the markers are there
    before, rest = doc.split(START, 1)
    after = rest.split(END, 1)[1]
    return f"{before}{START}\n{kpi_table()}\n{END}{after}"


def formula_text(kpi: KpiDefinition) -> str:
    """The formula as docs/kpis.md states it: the formula function's docstring on one line."""
    doc = inspect.getdoc(kpi.formula)
    if not doc:
        raise ValueError(f"the formula of {kpi.name} has no docstring to document it")
    return " ".join(doc.split())


def _row(kpi: KpiDefinition) -> tuple[str, ...]:
    return (
        f"`{kpi.name}`",
        kpi.label,
        formula_text(kpi),
        kpi.unit,
        ", ".join(kpi.scopes),
        "each scenario" if kpi.per_scenario else "baseline",
        kpi.direction.reads,
        kpi.needs,
    )


def _cells(values: Sequence[str]) -> str:
    return "| " + " | ".join(value.replace("|", "\\|") for value in values) + " |"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(with_kpi_table(path.read_text(encoding="utf-8")), encoding="utf-8")
