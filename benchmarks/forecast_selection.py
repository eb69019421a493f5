"""Choosing the regular series' combination by cross-validation on the training parts only.

`python -m benchmarks.forecast_accuracy --select [--cache DIR] [--every K]` runs it. On the
training part of every M1 and Tourism monthly series (never the test part), each candidate
model forecasts `WINDOWS` windows of the data set's horizon, their origins `STEP` months apart
and the last one h months before the end of the training part (statsforecast's
`cross_validation`); a series takes part in as many windows as leave it at least `MIN_TRAIN`
months before the origin (two seasons, as the engine needs). Forecasts are clipped at zero, as
the engine clips them; sMAPE and MASE (the scale from the months before the origin) are
averaged over series and windows per data set.

Every combination (mean and median) of at most one ETS form with any of DOTheta, Theta and
AutoCES is scored from the same forecasts, relative to the reference mean(AutoETS, DOTheta,
AutoCES) on the four cells (two data sets x two measures); the combination with the lowest
geometric mean of the four ratios is chosen. AutoARIMA is no candidate: even restricted it
costs about nine times the whole current ensemble per series (docs/forecasting.md).

The engine itself (`forecast_series`: routes, fallbacks, clipping) forecasts the same windows
from the same training months and gets a row of its own, `engine`, never a candidate: it shows
whether the engine as shipped scores what its chosen combination scores, and how often the
windows' actuals fall inside its 80 and 95 % bands.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.forecast_accuracy import SEASON, Panel, competition_panel, smape
from sop_pipeline.core.demand.forecasting.candidates import CHOSEN_COMBINATION

WINDOWS = 3
STEP = 12
MIN_TRAIN = 24
ETS_FORMS = {"AutoETS": "ZZZ", "ETS ZZA": "ZZA", "ETS AZA": "AZA"}
OTHERS = ["DOTheta", "Theta", "AutoCES"]
REFERENCE = ("mean", ("AutoETS", "DOTheta", "AutoCES"))
ENGINE_BEFORE = ("mean", ("ETS AZA", "DOTheta", "AutoCES"))  # the engine until 2026-12
ENGINE = "engine"  # forecast_series on the windows: a row of the table, never a candidate
VALUES = ["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]


def candidates() -> list[Any]:
    """The single models of the cross-validation, statsforecast's defaults but the ETS form."""
    from statsforecast.models import AutoCES, AutoETS, DynamicOptimizedTheta, Theta

    forms = [AutoETS(season_length=SEASON, model=m, alias=a) for a, m in ETS_FORMS.items()]
    return [
        *forms,
        DynamicOptimizedTheta(season_length=SEASON, alias="DOTheta"),
        Theta(season_length=SEASON, alias="Theta"),
        AutoCES(season_length=SEASON, alias="AutoCES"),
    ]


def window_forecasts(panel: Panel, model: Any, cache: Path | None) -> pd.DataFrame:
    """One model's cross-validation forecasts of `panel`'s training parts: unique_id, ds,
    cutoff, y and the model's column, clipped at zero (read from `cache` when there)."""
    n_series = panel.train["unique_id"].nunique()
    name = f"{panel.name}_{n_series}_{model.alias.replace(' ', '_')}.parquet"
    path = cache / name if cache else None
    if path is not None and path.exists():
        return pd.read_parquet(path)
    from statsforecast import StatsForecast

    lengths = panel.train.groupby("unique_id").size()
    usable = ((lengths - MIN_TRAIN - panel.horizon) // STEP + 1).clip(upper=WINDOWS)
    frames, started = [], time.perf_counter()
    for windows, ids in usable[usable > 0].groupby(usable).groups.items():
        engine = StatsForecast(models=[model], freq="MS", n_jobs=-1)
        subset = panel.train[panel.train["unique_id"].isin(ids)]
        frames.append(
            engine.cross_validation(
                df=subset, h=panel.horizon, n_windows=int(windows), step_size=STEP
            )
        )
    result = pd.concat(frames, ignore_index=True)
    result[model.alias] = result[model.alias].clip(lower=0.0)
    print(f"  {panel.name} {model.alias}: {time.perf_counter() - started:.0f} s", flush=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        result.to_parquet(path)
    return result


def engine_window_forecasts(
    panel: Panel, windows: pd.DataFrame, cache: Path | None
) -> pd.DataFrame:
    """The engine's forecasts (`forecast_series`: forecast and the 80/95 % bounds) of every
    series x cutoff of `windows`, each from its training months up to the cutoff, aligned with
    `windows`' rows (cached as the models' are)."""
    n_series = panel.train["unique_id"].nunique()
    path = cache / f"{panel.name}_{n_series}_{ENGINE}.parquet" if cache else None
    if path is not None and path.exists():
        result = pd.read_parquet(path)
    else:
        from sop_pipeline.core.demand.forecasting.engine import forecast_series

        frames, started = [], time.perf_counter()
        for cutoff, ids in windows.groupby("cutoff")["unique_id"].unique().items():
            known = panel.train["unique_id"].isin(ids) & (panel.train["ds"] <= cutoff)
            forecast = forecast_series(panel.train[known], panel.horizon, SEASON)
            frames.append(forecast[["unique_id", "ds", *VALUES]].assign(cutoff=cutoff))
        result = pd.concat(frames, ignore_index=True)
        print(f"  {panel.name} {ENGINE}: {time.perf_counter() - started:.0f} s", flush=True)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            result.to_parquet(path)
    keys = ["unique_id", "ds", "cutoff"]
    return windows[keys].merge(result, on=keys, how="left")[VALUES]


def band_coverage(windows: pd.DataFrame, engine: pd.DataFrame) -> dict[str, float]:
    """Share of the windows' actuals inside the engine's 80 and 95 % bands, one month ahead
    and over the whole horizon (calibrated bands: about 0.80 and 0.95)."""
    first = windows["ds"] == windows.groupby(["unique_id", "cutoff"])["ds"].transform("min")
    out = {}
    for level in (80, 95):
        inside = windows["y"].between(engine[f"lo_{level}"], engine[f"hi_{level}"])
        out[f"{level} % band, 1 month ahead"] = float(inside[first].mean())
        out[f"{level} % band, all months"] = float(inside.mean())
    return out


def combinations() -> list[tuple[str, tuple[str, ...]]]:
    """(how, members): every single model, and the mean and median of at most one ETS form
    with one or more of the others (two members: the mean only, the median being the same)."""
    singles = [("single", (m,)) for m in [*ETS_FORMS, *OTHERS]]
    combos = []
    for ets in [None, *ETS_FORMS]:
        for k in range(1, len(OTHERS) + 1):
            for others in itertools.combinations(OTHERS, k):
                members = (ets, *others) if ets else others
                if len(members) >= 2:
                    combos.append(("mean", members))
                if len(members) >= 3:
                    combos.append(("median", members))
    return singles + combos


def combined(windows: pd.DataFrame, how: str, members: tuple[str, ...]) -> pd.Series:
    values = windows[list(members)].to_numpy(dtype=float)
    return pd.Series(np.median(values, axis=1) if how == "median" else values.mean(axis=1))


def window_scores(panel: Panel, windows: pd.DataFrame, forecast: pd.Series) -> tuple[float, float]:
    """(sMAPE, MASE) averaged over every series x window of `windows`."""
    keys = [windows["unique_id"].to_numpy(), windows["cutoff"].to_numpy()]
    y, f = windows["y"].to_numpy(float), forecast.to_numpy(float)
    per_smape = pd.Series(smape(y, f)).groupby(keys).mean()
    per_mae = pd.Series(np.abs(y - f)).groupby(keys).mean()
    scale = in_sample_scales(panel.train, windows[["unique_id", "cutoff"]].drop_duplicates())
    mase = per_mae / scale.reindex(per_mae.index).to_numpy()
    return float(per_smape.mean()), float(mase[np.isfinite(mase)].mean())


def in_sample_scales(train: pd.DataFrame, origins: pd.DataFrame) -> pd.Series:
    """MASE's scale per series x cutoff: the seasonal naive's MAE on the months up to it."""
    merged = train.merge(origins, on="unique_id")
    merged = merged[merged["ds"] <= merged["cutoff"]].sort_values(["unique_id", "cutoff", "ds"])
    lagged = merged.groupby(["unique_id", "cutoff"])["y"].shift(SEASON)
    error = (merged["y"] - lagged).abs()
    return error.groupby([merged["unique_id"], merged["cutoff"]]).mean()


def label(how: str, members: tuple[str, ...]) -> str:
    return members[0] if how == "single" else f"{how}({', '.join(members)})"


def selection_table(panels: list[Panel], cache: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per combination: sMAPE and MASE per data set, each relative to the reference,
    and `score`, the geometric mean of the four ratios (lower is better); and the engine's
    band coverage per data set (`band_coverage`)."""
    rows: dict[str, dict[str, float]] = {}
    coverage: dict[str, dict[str, float]] = {}
    for panel in panels:
        forecasts = [window_forecasts(panel, m, cache) for m in candidates()]
        windows = forecasts[0]
        for frame in forecasts[1:]:
            windows = windows.merge(frame.drop(columns="y"), on=["unique_id", "ds", "cutoff"])
        for how, members in combinations():
            s, m = window_scores(panel, windows, combined(windows, how, members))
            row = rows.setdefault(label(how, members), {})
            row[f"{panel.name} sMAPE"], row[f"{panel.name} MASE"] = s, m
        engine = engine_window_forecasts(panel, windows, cache)
        s, m = window_scores(panel, windows, engine["forecast"])
        rows.setdefault(ENGINE, {}).update({f"{panel.name} sMAPE": s, f"{panel.name} MASE": m})
        coverage[panel.name] = band_coverage(windows, engine)
    table = pd.DataFrame.from_dict(rows, orient="index")
    ratios = table / table.loc[label(*REFERENCE)]
    table["score"] = np.exp(np.log(ratios).mean(axis=1))
    table["cells ahead"] = (ratios < 1).sum(axis=1)
    return table.sort_values("score"), pd.DataFrame(coverage)


def selection_report(table: pd.DataFrame, coverage: pd.DataFrame, top: int = 15) -> str:
    """The table's best `top` rows, the single models, the reference, the engine's previous
    combination and the engine, as markdown, then the choice and the engine's band coverage."""
    choices = table.drop(index=ENGINE)
    keep = [*choices.index[:top], *[label(*c) for c in combinations() if c[0] == "single"]]
    keep += [label(*REFERENCE), label(*ENGINE_BEFORE), ENGINE]
    shown = table.loc[list(dict.fromkeys(keep))]
    cells = [c for c in table.columns if c not in ("score", "cells ahead")]
    lines = ["| combination | " + " | ".join(cells) + " | score | cells ahead |"]
    lines.append("|---|" + "---:|" * (len(cells) + 2))
    for name, row in shown.iterrows():
        values = " | ".join(f"{row[c]:.3f}" for c in cells)
        lines.append(f"| {name} | {values} | {row['score']:.4f} | {int(row['cells ahead'])} |")
    engine = label(*CHOSEN_COMBINATION)
    verdict = "the same" if engine == choices.index[0] else "DIFFERENT: update candidates.py"
    bands = ["", "| engine's band coverage | " + " | ".join(coverage.columns) + " |"]
    bands.append("|---|" + "---:|" * len(coverage.columns))
    for name, row in coverage.iterrows():
        bands.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
    chosen = f"chosen: {choices.index[0]}; the engine's: {engine} ({verdict})"
    return "\n".join([*lines, "", chosen, *bands])


def select(every: int | None, cache: Path | None) -> str:
    """The cross-validation on M1 and Tourism training parts (every `every`-th series when
    given: a deterministic subsample) and its report."""
    panels = [competition_panel(name) for name in ("m1", "tourism")]
    if every:
        panels = [_every(p, every) for p in panels]
    return selection_report(*selection_table(panels, cache))


def _every(panel: Panel, every: int) -> Panel:
    ids = panel.train["unique_id"].drop_duplicates().iloc[::every]
    keep = panel.train["unique_id"].isin(ids)
    return Panel(panel.name, panel.train[keep], panel.test.iloc[:0], panel.horizon)
