"""The figures a planner sees beside each demand-review table in the Dagster UI: counts, totals
and headline accuracy, computed from the table's rows (`charts` draws the forecast charts).
Every figure is a plain int, float or str, ready to be materialisation metadata; tables are
frames for `catalogue.frame_table`."""

from __future__ import annotations

import pandas as pd

from sop_pipeline.core.calendar import add_months
from sop_pipeline.core.demand.accuracy import bias, interval_coverage, wape
from sop_pipeline.core.demand.forecasting.reconciliation_check import Reconciliation
from sop_pipeline.core.demand.plan import LAYERS

Figures = dict[str, float | int | str]
NEAR_MONTHS = 3
FVA_FIGURES = ("naive_wape", "statistical_wape", "consensus_wape", "fva_consensus")


def counts(values: pd.Series) -> str:
    """How often each value occurs, most frequent first: 'a: 3, b: 1' ('none' when empty)."""
    return ", ".join(f"{value}: {n}" for value, n in values.value_counts().items()) or "none"


def statistical_forecast_figures(forecast: pd.DataFrame, cycle: pd.Timestamp) -> Figures:
    """Rows, series, the models chosen and the forecast of the next three months."""
    series = forecast.drop_duplicates(["sku", "region"])
    near = forecast[forecast["month"] < add_months(cycle, NEAR_MONTHS)]
    return {
        "rows": len(forecast),
        "series": len(series),
        "models_chosen": counts(series["model"]),
        f"forecast_next_{NEAR_MONTHS}_months": float(near["forecast"].sum()),
    }


def forecast_hierarchy_figures(
    hierarchy: pd.DataFrame, reconciliation: Reconciliation | None = None
) -> Figures:
    """Rows, nodes per level, how far reconciliation moved the forecasts, the largest move of a
    family, and how the levels were reconciled: the method, whether it fell back (its first
    choice failed a check, see `reconciliation_check`) and why."""
    figures: Figures = {
        "rows": len(hierarchy),
        "nodes_per_level": counts(hierarchy.drop_duplicates(["level", "node"])["level"]),
        "reconciliation_change_pct": reconciliation_change_pct(hierarchy),
        "max_family_move_pct": max_family_move_pct(hierarchy),
    }
    if reconciliation is not None:
        figures["reconciliation_method"] = reconciliation.method
        figures["reconciliation_fallback"] = str(reconciliation.fallback)
        figures["reconciliation_fallback_reason"] = reconciliation.reason or "none"
        figures["variance_floored_nodes"] = reconciliation.floored_nodes
    return figures


def max_family_move_pct(hierarchy: pd.DataFrame) -> float:
    """The largest |reconciled - base| / base of a family over its horizon, in %."""
    families = hierarchy[hierarchy["level"] == "family"]
    totals = families.groupby("node")[["forecast", "base_forecast"]].sum()
    totals = totals[totals["base_forecast"] > 0]
    moves = (totals["forecast"] / totals["base_forecast"] - 1).abs() * 100
    return float(moves.max()) if len(moves) else 0.0


def reconciliation_change_pct(hierarchy: pd.DataFrame) -> float:
    """Σ|reconciled - base| / Σ base over every level, in %; 0 without a base forecast."""
    base = float(hierarchy["base_forecast"].sum())
    moved = float((hierarchy["forecast"] - hierarchy["base_forecast"]).abs().sum())
    return moved / base * 100 if base else 0.0


def forecast_accuracy_figures(accuracy: pd.DataFrame) -> Figures:
    """Rows, and accuracy (1 - WAPE), bias and 80 % interval coverage at each lag scored this
    cycle."""
    figures: Figures = {"rows": len(accuracy)}
    for lag in sorted(accuracy["lag"].unique()):
        at_lag = accuracy[accuracy["lag"] == lag]
        figures[f"accuracy_lag{lag}"] = 1 - wape(at_lag)
        figures[f"bias_lag{lag}"] = bias(at_lag)
        figures[f"interval_coverage_80_lag{lag}"] = interval_coverage(at_lag)
    return figures


def forecast_value_added_figures(value_added: pd.DataFrame) -> Figures:
    """Rows, and the company total's WAPEs and consensus value added at each lag."""
    figures: Figures = {"rows": len(value_added)}
    total = value_added[value_added["scope_type"] == "total"]
    for row in total.itertuples():
        for name in FVA_FIGURES:
            figures[f"{name}_lag{row.lag}"] = float(getattr(row, name))
    return figures


def demand_plan_figures(plan: pd.DataFrame) -> Figures:
    """Rows and the horizon's total of each layer and of `demand`."""
    totals = {f"total_{c}": float(plan[c].sum()) for c in [*LAYERS, "demand"]}
    return {"rows": len(plan), **totals}


def override_log_figures(log: pd.DataFrame) -> Figures:
    """Overrides logged, applied and inside the firm window, and the count by status."""
    return {
        "overrides": len(log),
        "applied": int(log["applied"].sum()),
        "in_firm_window": int(log["in_firm_window"].sum()),
        "by_status": counts(log["status"]),
    }


def family_accuracy(value_added: pd.DataFrame) -> pd.DataFrame:
    """Forecast accuracy by family and lag (`forecast_value_added` rows): actual, accuracy
    (1 - WAPE), bias, naive WAPE and the value the statistical forecast adds over naive."""
    rows = value_added[value_added["scope_type"] == "family"].sort_values(["lag", "scope"])
    return pd.DataFrame(
        {
            "family": rows["scope"],
            "lag": rows["lag"].astype(int),
            "actual": rows["actual"].astype(float).round(0),
            "accuracy": 1 - rows["statistical_wape"].astype(float),
            "bias": rows["statistical_bias"].astype(float),
            "naive_wape": rows["naive_wape"].astype(float),
            "fva_vs_naive": rows["fva_statistical"].astype(float),
        }
    ).reset_index(drop=True)
