"""The closed-loop report: per cycle and in total for each policy, the pipeline's ratios to
the naive policies, and whether the target is met (on-time fill rate at least
`FILL_MARGIN` above both naive policies at no more mean inventory value, or the same fill
rate with at least `INVENTORY_SAVING` less inventory)."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.simulation.loop import PIPELINE
from sop_pipeline.simulation.naive import NAIVE_POLICIES
from sop_pipeline.simulation.scores import SCORE_COLUMNS, totals

FILL_MARGIN = 0.02
INVENTORY_SAVING = 0.15
PER_CYCLE = ["fill_rate", "inventory_value", "lost_units", "overtime_hours", "cost"]


def total_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per policy: the whole run's figures."""
    return pd.DataFrame(
        {policy: totals(scores[scores["policy"] == policy]) for policy in scores["policy"].unique()}
    ).T[SCORE_COLUMNS]


def verdict(table: pd.DataFrame) -> list[str]:
    """One line per naive policy: the pipeline's fill-rate gain and inventory saving against
    it, and whether the target is met."""
    ours = table.loc[PIPELINE]
    lines = []
    for policy in NAIVE_POLICIES:
        theirs = table.loc[policy]
        gain = ours["fill_rate"] - theirs["fill_rate"]
        saving = 1.0 - ours["inventory_value"] / theirs["inventory_value"]
        met = (gain >= FILL_MARGIN and saving >= 0.0) or (
            gain >= 0.0 and saving >= INVENTORY_SAVING
        )
        lines.append(
            f"vs {policy}: fill rate {gain * 100:+.1f} points, inventory value "
            f"{-saving * 100:+.1f} %, cost x{ours['cost'] / theirs['cost']:.2f}, "
            f"lost units x{ours['lost_units'] / max(theirs['lost_units'], 1.0):.2f}: "
            f"target {'met' if met else 'NOT met'}"
        )
    return lines


def render(scores: pd.DataFrame) -> str:
    """The report as text: per-cycle figures by policy, totals, ratios and the verdict."""
    per_cycle = scores.pivot(index="cycle", columns="policy", values=PER_CYCLE)
    per_cycle = per_cycle.reindex(columns=list(POLICY_ORDER), level=1)
    table = total_table(scores).reindex(list(POLICY_ORDER))
    with pd.option_context("display.width", 200, "display.max_columns", 40):
        parts = [
            "Per cycle (the month each cycle's plan executed):",
            per_cycle.to_string(float_format=_number),
            "",
            "Total:",
            table.T.to_string(float_format=_number),
            "",
            *verdict(table),
        ]
    return "\n".join(parts)


POLICY_ORDER = (PIPELINE, *NAIVE_POLICIES)


def _number(value: float) -> str:
    if pd.isna(value):
        return "-"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"


def markdown(scores: pd.DataFrame) -> str:
    """The totals as a Markdown table (rows: figures; columns: policies)."""
    table = total_table(scores).reindex(list(POLICY_ORDER)).T
    header = "| figure | " + " | ".join(table.columns) + " |"
    rule = "|---|" + "---:|" * len(table.columns)
    rows = [
        f"| {name} | " + " | ".join(_number(v) for v in row) + " |"
        for name, row in table.iterrows()
    ]
    return "\n".join([header, rule, *rows])
