"""What a KPI definition is: its name, label, unit, scopes, direction and formula. The table of
every KPI is `definitions.KPI_DEFINITIONS`; the formula modules import this type from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import pandas as pd

from sop_pipeline.core.executive.kpi.inputs import KpiInputs


class Direction(IntEnum):
    """Which way a KPI's change is good news; the sign the pack colours a change with."""

    HIGHER_IS_GOOD = 1
    LOWER_IS_GOOD = -1
    NEUTRAL = 0  # read in context: bias, stock, load, volumes

    @property
    def reads(self) -> str:
        """The direction in words, as the docs and the CLI print it."""
        return {1: "higher is good", -1: "lower is good", 0: "neutral"}[int(self)]


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: `name` as the `kpi` column holds it, the reader's `label`, the `unit` of its
    values, the scope types it is reported at, which way is good news, the `formula` computing
    its rows, whether it has rows per scenario (plan KPIs) or under 'baseline' only (actuals
    KPIs), and the inputs it `needs` (for the docs)."""

    name: str
    label: str
    unit: str
    scopes: tuple[str, ...]
    direction: Direction
    formula: KpiFormula
    per_scenario: bool
    needs: str


KpiFormula = Callable[[KpiInputs, pd.Timestamp, KpiDefinition], pd.DataFrame]
