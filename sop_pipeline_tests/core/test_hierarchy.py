"""The forecast hierarchy: structure, coherence to 1e-6, non-negativity, phase-out and short
series after reconciliation, on generated series of two families in two regions."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import nnls

from sop_pipeline.core.demand.forecast import DemandForecast, filled_series, forecast_levels
from sop_pipeline.core.demand.forecasting.hierarchy import (
    LEVEL_DIMENSIONS,
    hierarchy_nodes,
    summing_matrix,
)
from sop_pipeline.core.demand.forecasting.intervals import VALUE_COLUMNS
from sop_pipeline.core.demand.forecasting.reconciliation import (
    _mintrace,
    _verified_bottom,
    reconcile,
    reconcile_checked,
)
from sop_pipeline.core.demand.forecasting.reconciliation_check import (
    Reconciliation,
    _unexplained_move,
    bounded_references,
    closed_form,
    failed_check,
    objective,
)
from sop_pipeline.defs.demand.charts import forecast_charts_markdown, top_families
from sop_pipeline.defs.demand.metadata import forecast_hierarchy_figures
from sop_pipeline_tests import factories

CYCLE = pd.Timestamp("2024-01-01")
HORIZON = 6
END = pd.Timestamp("2024-02-29")  # B ends in February


def items() -> pd.DataFrame:
    return factories.items(
        ["A", "B", "C", "D", "E"],
        family=["F1", "F1", "F1", "F2", "F2"],
        status=["active", "phase_out", "new", "active", "active"],
        end_date=[pd.NaT, END, pd.NaT, pd.NaT, pd.NaT],
    )


def sales() -> pd.DataFrame:
    """36 months of seasonal sales for A, B, D (both regions) and E (sparse); C: 5 months."""
    rng = np.random.default_rng(5)
    months = pd.date_range("2021-01-01", periods=36, freq="MS")
    season = 1 + 0.4 * np.sin(2 * np.pi * np.arange(36) / 12)
    rows = []
    for sku, region, level in [
        ("A", "N", 120),
        ("A", "S", 50),
        ("B", "N", 70),
        ("D", "N", 200),
        ("D", "S", 90),
    ]:
        quantity = np.maximum(0.0, np.round(level * season + rng.normal(0, 0.08 * level, 36)))
        rows += [(sku, region, m, q) for m, q in zip(months, quantity, strict=True)]
    rows += [("E", "S", m, float(q)) for m, q in zip(months, rng.poisson(0.4, 36) * 7, strict=True)]
    rows += [("C", "N", m, 12.0 * s) for m, s in zip(months[-5:], season[-5:], strict=True)]
    frame = pd.DataFrame(rows, columns=["sku", "region", "month", "quantity"])
    return frame.assign(revenue=frame["quantity"] * 3.0)


def test_bottom_series_run_from_first_sale_to_the_month_before_the_cycle() -> None:
    sold = pd.DataFrame(
        {
            "sku": ["A", "A", "A", "A", "X"],
            "region": ["N", "N", "N", "N", "N"],
            "month": ["2023-08-01", "2023-09-15", "2023-11-01", "2024-01-01", "2023-09-01"],
            "quantity": [0.0, 5.0, 3.0, 9.0, 4.0],  # a zero before the first sale; X unknown
        }
    )
    monthly = filled_series(sold, items()[["sku", "family"]], CYCLE)
    assert list(monthly["month"]) == list(pd.date_range("2023-09-01", "2023-12-01", freq="MS"))
    assert list(monthly["quantity"]) == [5.0, 0.0, 3.0, 0.0]
    assert set(monthly["family"]) == {"F1"}


@pytest.fixture(scope="module")
def levels() -> DemandForecast:
    return forecast_levels(sales(), items(), CYCLE, horizon=HORIZON)


def test_every_level_has_its_nodes(levels: DemandForecast) -> None:
    nodes = levels.hierarchy.drop_duplicates(["level", "node"])
    counts = nodes["level"].value_counts().to_dict()
    assert counts == {
        "sku_region": 7,
        "sku": 5,
        "family_region": 4,
        "family": 2,
        "region": 2,
        "total": 1,
    }
    family = levels.hierarchy[levels.hierarchy["level"] == "family_region"]
    assert set(family["node"]) == {"F1/N", "F1/S", "F2/N", "F2/S"}
    assert (levels.hierarchy.groupby(["level", "node"]).size() == HORIZON).all()


@pytest.mark.parametrize("level", [lv for lv in LEVEL_DIMENSIONS if lv != "sku_region"])
def test_levels_add_up_to_1e6(levels: DemandForecast, level: str) -> None:
    hierarchy = levels.hierarchy
    bottom = hierarchy[hierarchy["level"] == "sku_region"]
    dims = list(LEVEL_DIMENSIONS[level])
    summed = bottom.groupby([*dims, "month"])["forecast"].sum() if dims else None
    nodes = hierarchy[hierarchy["level"] == level]
    if summed is None:
        summed = bottom.groupby("month")["forecast"].sum()
        own = nodes.set_index("month")["forecast"]
    else:
        own = nodes.set_index([*dims, "month"])["forecast"]
    assert np.abs(own.sort_index().to_numpy() - summed.sort_index().to_numpy()).max() < 1e-6


def test_bottom_level_is_the_statistical_forecast(levels: DemandForecast) -> None:
    bottom = levels.hierarchy[levels.hierarchy["level"] == "sku_region"]
    bottom = bottom.sort_values(["sku", "region", "month"], ignore_index=True)
    assert bottom["forecast"].to_numpy() == pytest.approx(levels.statistical["forecast"])
    assert list(levels.statistical["model"]) == list(bottom["model"])


def test_non_negative_and_nested(levels: DemandForecast) -> None:
    values = levels.hierarchy[VALUE_COLUMNS]
    assert (values >= 0).all().all()
    h = levels.hierarchy
    assert (h["lo_95"] <= h["lo_80"] + 1e-9).all() and (h["lo_80"] <= h["forecast"] + 1e-9).all()
    assert (h["forecast"] <= h["hi_80"] + 1e-9).all() and (h["hi_80"] <= h["hi_95"] + 1e-9).all()


def test_phase_out_stays_zero_after_its_end_date_at_sku_level(levels: DemandForecast) -> None:
    h = levels.hierarchy
    ended = h[(h["sku"] == "B") & (h["month"] > END)]
    assert len(ended) == 2 * (HORIZON - 2)  # B/N and the SKU node B
    assert (ended[VALUE_COLUMNS] == 0).all().all()
    before = h[(h["sku"] == "B") & (h["month"] <= END)]
    assert (before["forecast"] > 0).all()


def test_short_series_keeps_its_family_profile(levels: DemandForecast) -> None:
    short = levels.hierarchy[levels.hierarchy["node"] == "C/N"]
    assert set(short["model"]) == {"family_profile"}
    assert short["forecast"].to_numpy() == pytest.approx(short["base_forecast"], rel=0.05)


def test_summing_matrix_maps_bottom_series_to_their_nodes() -> None:
    bottom = pd.DataFrame(
        {"sku": ["A", "A", "B"], "family": ["F", "F", "F"], "region": ["N", "S", "N"]}
    )
    nodes = hierarchy_nodes(bottom)
    summing = summing_matrix(nodes).toarray()
    assert summing.shape == (len(nodes), 3)
    assert list(nodes["level"].tail(3)) == ["sku_region"] * 3
    assert (summing[-3:] == np.eye(3)).all()
    row = {(r.level, r.node): summing[i] for i, r in enumerate(nodes.itertuples())}
    assert list(row[("total", "total")]) == [1, 1, 1]
    assert list(row[("sku", "A")]) == [1, 1, 0]
    assert list(row[("region", "N")]) == [1, 0, 1]
    assert list(row[("family_region", "F/S")]) == [0, 1, 0]


def test_reconcile_makes_an_incoherent_forecast_coherent_and_non_negative() -> None:
    bottom = pd.DataFrame({"sku": ["A", "B"], "family": ["F", "F"], "region": ["N", "N"]})
    nodes = hierarchy_nodes(bottom)
    month = pd.Timestamp("2025-01-01")
    base_values = {"A/N": 60.0, "B/N": -5.0, "A": 60.0, "B": 0.0}  # aggregates say 100
    base = nodes.assign(
        month=month,
        model="test",
        forecast=[base_values.get(n, 100.0) for n in nodes["node"]],
    )
    for bound in ("lo_80", "lo_95"):
        base[bound] = base["forecast"] - 10.0
    for bound in ("hi_80", "hi_95"):
        base[bound] = base["forecast"] + 10.0
    history = base[["level", "node"]].merge(
        pd.DataFrame({"month": pd.date_range("2024-01-01", periods=12, freq="MS")}), how="cross"
    )
    history["quantity"] = np.tile(np.arange(12.0), len(base)) * 3 + 20
    out = reconcile(base, nodes, summing_matrix(nodes), base.iloc[0:0], history)
    forecast = out.set_index("node")["forecast"]
    assert forecast["total"] == pytest.approx(forecast["A/N"] + forecast["B/N"], abs=1e-6)
    assert forecast["F/N"] == pytest.approx(forecast["total"], abs=1e-6)
    assert (out[VALUE_COLUMNS] >= 0).all().all()
    assert 60.0 < forecast["total"] < 100.0  # between what the bottom and the top said
    assert (out["hi_80"] - out["forecast"]).to_numpy() == pytest.approx(10.0)  # re-centred


def test_planner_chart_draws_actuals_forecast_and_band_of_top_families(
    levels: DemandForecast,
) -> None:
    markdown = forecast_charts_markdown(sales(), items(), levels.hierarchy)
    assert top_families(levels.hierarchy) == ["F2", "F1"]  # F2 sells more
    images = re.findall(r"!\[(\w+)\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", markdown)
    assert [family for family, _ in images] == ["F2", "F1"]
    svg = base64.b64decode(images[0][1]).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    actual, forecast = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(actual.split()) == 24 and len(forecast.split()) == HORIZON
    band = re.search(r'<polygon points="([^"]+)"', svg)
    assert band is not None and len(band.group(1).split()) == 2 * HORIZON


def _zero_variance_case() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two families of four SKUs in two regions, 24 months of noisy history except two series
    with no variance at all (one at 0, one constant at 30), base forecasts within 1 % of
    coherent: the case where MinTrace's weights of 1/2e-8 made the solver stop far from the
    optimum (a family moved +9.5 % on the old code) while reporting success."""
    rng = np.random.default_rng(0)
    skus = [f"S{i}" for i in range(8)]
    bottom = pd.DataFrame(
        [(s, f"F{1 + i // 4}", r) for i, s in enumerate(skus) for r in ("N", "S")],
        columns=["sku", "family", "region"],
    )
    nodes = hierarchy_nodes(bottom)
    summing = summing_matrix(nodes)
    level = rng.uniform(20, 400, summing.shape[1])
    level[0], level[5] = 0.0, 30.0
    past = level[:, None] * (1 + 0.15 * rng.standard_normal((len(level), 24)))
    past[0], past[5] = 0.0, 30.0
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    history = nodes[["level", "node"]].merge(pd.DataFrame({"month": months}), how="cross")
    history["quantity"] = (summing @ past).ravel()
    forecast = (summing @ level) * (1 + 0.01 * rng.standard_normal(len(nodes)))
    base = nodes.assign(month=pd.Timestamp("2025-01-01"), model="test", forecast=forecast)
    for bound, offset in (("lo_95", -9.0), ("lo_80", -5.0), ("hi_80", 5.0), ("hi_95", 9.0)):
        base[bound] = base["forecast"] + offset
    return nodes, base, history


def test_zero_variance_series_do_not_derail_the_reconciliation() -> None:
    nodes, base, history = _zero_variance_case()
    summing = summing_matrix(nodes)
    out = reconcile_checked(base, nodes, summing, base.iloc[0:0], history)
    assert out.report.floored_nodes == 2
    assert out.report.weight_ratio < 1e6  # conditioning bounded by the floor
    families = out.frame[out.frame["level"] == "family"]
    move = (families["forecast"] / families["base_forecast"] - 1).abs()
    assert move.max() < 0.05, "base forecasts within 1 % of coherent move no family by 5 %"

    # the same answer as the closed form with the floored weights, computed here densely:
    # variance of the one-step naive errors, at least (5 % of the level)² and 1
    def floored(q: pd.Series) -> float:
        q = q.to_numpy()
        return max(np.var(np.diff(q), ddof=1), (0.05 * np.abs(q[1:]).mean()) ** 2, 1.0)

    position = pd.MultiIndex.from_frame(nodes[["level", "node"]])
    variance = history.groupby(["level", "node"])["quantity"].apply(floored).reindex(position)
    dense, weight = summing.toarray(), 1.0 / variance.to_numpy()
    normal = dense.T @ (weight[:, None] * dense)
    closed = np.linalg.solve(normal, dense.T @ (weight * base["forecast"].to_numpy()))
    assert closed.min() > -0.01  # the bound barely binds: the QP's optimum is the clipped one
    expected = dense @ np.clip(closed, 0.0, None)
    assert out.frame["forecast"].to_numpy() == pytest.approx(expected, rel=1e-4, abs=0.02)


def test_a_reconciliation_that_fails_its_check_falls_back_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    nodes, base, history = _zero_variance_case()
    summing = summing_matrix(nodes)
    y_hat = base["forecast"].to_numpy()[:, None]
    unfloored = np.full(len(nodes), 100.0)
    unfloored[[-16, -11]] = 2e-8  # the two flat bottom series, as the library weighed them
    with caplog.at_level("WARNING"):
        bottom, report = _verified_bottom(summing, y_hat, unfloored)
    assert report.fallback and report.method == "wls_struct"
    assert report.reason.startswith("mintrace_wls_var: not optimal")
    assert "falling back" in caplog.text
    assert (bottom >= 0).all()
    structural = 1.0 / np.asarray(summing.sum(axis=1)).ravel()
    assert failed_check(summing, y_hat, structural, summing @ bottom) == ""


def test_the_check_rejects_an_incoherent_or_suboptimal_answer() -> None:
    nodes, base, _ = _zero_variance_case()
    summing = summing_matrix(nodes)
    y_hat = base["forecast"].to_numpy()[:, None]
    weight = np.ones(len(nodes))
    clipped, refined = bounded_references(summing, y_hat, weight)
    best = summing @ refined
    assert failed_check(summing, y_hat, weight, best) == ""
    # the series at 0 goes negative in the closed form: clipping it is not the optimum
    assert failed_check(summing, y_hat, weight, summing @ clipped).startswith("not optimal")
    incoherent = best.copy()
    incoherent[0] += 50.0
    assert failed_check(summing, y_hat, weight, incoherent).startswith("not coherent")
    worse = best * 1.3
    assert failed_check(summing, y_hat, weight, worse).startswith("not optimal")
    assert failed_check(summing, y_hat, weight, np.full_like(best, np.nan)) != ""


def test_closed_form_solves_the_weighted_normal_equations() -> None:
    """The aggregates' (Woodbury) system gives x* = (SᵀWS)⁻¹SᵀWy, solved here densely."""
    nodes, base, _ = _zero_variance_case()
    summing = summing_matrix(nodes)
    rng = np.random.default_rng(2)
    y_hat = base["forecast"].to_numpy()[:, None] * rng.uniform(0.8, 1.2, (len(nodes), 3))
    weight = rng.uniform(0.01, 5.0, len(nodes))
    dense = summing.toarray()
    normal = dense.T @ np.diag(weight)
    expected = np.linalg.solve(normal @ dense, normal @ y_hat)
    assert closed_form(summing, y_hat, weight) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_the_bounded_reference_is_the_optimum_where_a_series_is_held_at_zero() -> None:
    """SKU S0's forecast (50) is 12 below its regions' (2 + 60), both trusted 100 times more
    than the rest: the closed form takes S0/N to -9.7; held at 0, the re-solved closed form is
    the non-negative optimum (scipy's NNLS), which MinTrace finds and the check accepts."""
    bottom = pd.DataFrame(
        [(f"S{i}", "F1", r) for i in range(4) for r in ("N", "S")],
        columns=["sku", "family", "region"],
    )
    nodes = hierarchy_nodes(bottom)
    summing = summing_matrix(nodes)
    y_hat = summing @ np.array([2.0, 60, 1, 45, 30, 3, 80, 25])
    y_hat[0] = 50.0  # nodes: the SKUs first, the bottom series last (S0/S is row 11)
    weight = np.ones(len(nodes))
    weight[[0, 11]] = 100.0
    assert closed_form(summing, y_hat[:, None], weight)[0, 0] < -9
    clipped, refined = bounded_references(summing, y_hat[:, None], weight)
    root_weight = np.sqrt(weight)
    optimum, _ = nnls(root_weight[:, None] * summing.toarray(), root_weight * y_hat)
    assert refined[:, 0] == pytest.approx(optimum, abs=1e-9)
    assert (
        objective(summing, y_hat[:, None], weight, clipped)[0]
        > 1.9 * (objective(summing, y_hat[:, None], weight, refined)[0])
    )
    solved = _mintrace(summing, y_hat[:, None], weight, "mintrace_wls_var")
    assert failed_check(summing, y_hat[:, None], weight, solved) == ""


def test_a_few_units_of_noise_on_a_small_node_is_not_a_failure() -> None:
    """Where the bound binds, the optimum differs from the clipped closed form; on a node whose
    error's standard deviation is 8 units, a move of 0.7 units more is noise (tolerance 10 % of
    8); on one of standard deviation 1, or a move of 5 units, it is not."""
    nodes, base, _ = _zero_variance_case()
    summing = summing_matrix(nodes)
    y_hat = base["forecast"].to_numpy()[:, None]
    reference = y_hat[-summing.shape[1] :].copy()  # coherent to the bottom: moves nothing
    for extra, sigma, fails in ((0.7, 8.0, False), (0.7, 1.0, True), (5.0, 8.0, True)):
        bottom = reference.copy()
        bottom[0] += extra  # S0/N, based at 0
        message = _unexplained_move(summing, y_hat, bottom, [reference], np.full(len(nodes), sigma))
        assert bool(message) == fails, (extra, sigma, message)


def test_hierarchy_metadata_shows_the_reconciliation_method_and_fallback(
    levels: DemandForecast,
) -> None:
    fallback = Reconciliation(method="wls_struct", fallback=True, reason="why", floored_nodes=2)
    figures = forecast_hierarchy_figures(levels.hierarchy, fallback)
    assert figures["reconciliation_method"] == "wls_struct"
    assert figures["reconciliation_fallback"] == "True"
    assert figures["reconciliation_fallback_reason"] == "why"
    assert figures["variance_floored_nodes"] == 2
    assert 0 <= float(figures["max_family_move_pct"]) < 100
    assert levels.reconciliation.method == "mintrace_wls_var"
    assert not levels.reconciliation.fallback
