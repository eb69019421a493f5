"""The demo company's export drops: complete, reproducible, loadable by the collection step
except for the deliberately poisoned sales lines, and realistic where the plan depends on it
(full and incremental sales history, SKU life cycles, intermittency, short capacity)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.parsing import parse_frame
from sop_pipeline.core.collection.reading import find_export, read_raw
from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.demo import write_demo_exports

LAST = "2026-11"
FULL = "2026-09"
MONTHS = 26
CYCLES = [f"{c:%Y-%m}" for c in pd.date_range(end=f"{LAST}-01", periods=MONTHS, freq="MS")]
POISON_RULES = {"out_of_range", "unknown_sku", "not_a_date", "not_a_number"}


def write_small_company(root: Path) -> None:
    """30 SKUs, 26 cycles up to 2026-11, the full sales history in the 2026-09 drop."""
    write_demo_exports(
        root, last_cycle=LAST, months=MONTHS, n_skus=30, seed=3, full_history_at=FULL
    )


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "exports"
    write_small_company(root)
    return root


def typed(exports: Path, cycle: str, stem: str) -> pd.DataFrame:
    """A drop's file parsed by its contract (no validation), cells that do not parse as NaN."""
    path = find_export(exports / cycle, stem)
    assert path is not None, f"{cycle}/{stem} missing"
    frame, _ = parse_frame(read_raw(path), CONTRACTS[stem])
    return frame


def sales_months(exports: Path, cycle: str) -> pd.Series:
    """Shipment month (YYYY-MM) of each parsable line of a drop's sales history, by line_id."""
    sales = typed(exports, cycle, "sales_history").dropna(subset=["ship_date", "quantity"])
    return sales.set_index("line_id")["ship_date"].dt.strftime("%Y-%m")


def test_one_drop_per_cycle_with_every_contract_file(exports: Path) -> None:
    assert sorted(p.name for p in exports.iterdir()) == CYCLES
    for cycle in CYCLES:
        missing = [s for s in CONTRACTS if find_export(exports / cycle, s) is None]
        assert missing == [], f"{cycle} lacks {missing}"


def test_same_arguments_give_byte_identical_files(exports: Path, tmp_path: Path) -> None:
    write_small_company(tmp_path)
    files = sorted(p.relative_to(exports) for p in exports.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for name in files:
        assert (exports / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_another_seed_gives_another_company(tmp_path: Path) -> None:
    for seed, folder in [(1, "a"), (2, "b")]:
        write_demo_exports(tmp_path / folder, last_cycle=LAST, months=3, n_skus=20, seed=seed)
    sales = f"{LAST}/sales_history.csv"
    assert (tmp_path / "a" / sales).read_bytes() != (tmp_path / "b" / sales).read_bytes()


def test_newest_drop_loads_cleanly_except_the_four_poisoned_sales_lines(exports: Path) -> None:
    cycle = pd.Timestamp(f"{LAST}-01")
    items = collect_export(exports, CONTRACTS["items"], cycle, None)
    assert items is not None
    known_skus = items.loaded["sku"].tolist()
    for name, contract in CONTRACTS.items():
        result = collect_export(exports, contract, cycle, known_skus)
        assert result is not None, name
        assert len(result.loaded) > 0, name
        assert result.rows_read == len(result.loaded) + result.rows_quarantined, name
        if name != "sales_history":
            assert result.quarantine.empty, result.quarantine.head().to_string()
    sales = collect_export(exports, CONTRACTS["sales_history"], cycle, known_skus)
    assert sales is not None
    assert sales.rows_quarantined == 4
    assert sorted(sales.quarantine["rule"]) == sorted(POISON_RULES)
    by_rule = dict(zip(sales.quarantine["rule"], sales.quarantine["value"], strict=True))
    assert by_rule["unknown_sku"] not in known_skus
    assert by_rule["not_a_number"] == "12,5 pcs"
    assert float(by_rule["out_of_range"]) < 0


@pytest.mark.parametrize(("cycle", "poisoned"), [(FULL, 4), (CYCLES[3], 0)])
def test_sales_lines_are_poisoned_from_the_full_history_drop_on(
    exports: Path, cycle: str, poisoned: int
) -> None:
    at = pd.Timestamp(f"{cycle}-01")
    items = collect_export(exports, CONTRACTS["items"], at, None)
    assert items is not None
    sales = collect_export(exports, CONTRACTS["sales_history"], at, items.loaded["sku"].tolist())
    assert sales is not None and len(sales.loaded) > 0
    assert sales.rows_quarantined == poisoned
    assert set(sales.quarantine["rule"]) == (POISON_RULES if poisoned else set())


def test_full_drop_holds_the_whole_history_and_later_drops_one_month_plus_corrections(
    exports: Path,
) -> None:
    history = [f"{m:%Y-%m}" for m in pd.date_range(end="2026-08-01", periods=MONTHS - 2, freq="MS")]
    full = sales_months(exports, FULL)
    assert sorted(full.unique()) == history
    assert full.index.is_unique

    newest = sales_months(exports, LAST)
    assert newest.value_counts().idxmax() == "2026-10"
    corrections = newest[newest != "2026-10"]
    assert 0 < len(corrections) < 0.2 * len(newest)
    assert set(corrections) <= {"2026-08", "2026-09"}
    earlier = pd.concat([typed(exports, c, "sales_history") for c in (FULL, "2026-10")])
    before = earlier.drop_duplicates("line_id", keep="last").set_index("line_id")["quantity"]
    now = typed(exports, LAST, "sales_history").set_index("line_id")["quantity"]
    changed = now[corrections.index] != before[corrections.index]
    assert changed.all(), "a late correction re-exports a known line with a new quantity"


def test_line_ids_are_stable_between_incremental_and_full_drops(exports: Path) -> None:
    incremental = sales_months(exports, "2026-08")  # the July lines, before the full drop
    july_in_full = sales_months(exports, FULL).loc[lambda s: s == "2026-07"]
    assert set(incremental[incremental == "2026-07"].index) == set(july_in_full.index)


def test_catalogue_has_new_phase_out_and_intermittent_skus(exports: Path) -> None:
    cycle = pd.Timestamp(f"{LAST}-01")
    items = typed(exports, LAST, "items").set_index("sku")
    new = items[items["status"] == "new"]
    assert (new["launch_date"] >= cycle - pd.DateOffset(months=8)).all()
    future = new.index[new["launch_date"] > cycle]
    assert len(future) >= 1
    phase_out = items[items["status"] == "phase_out"]
    assert len(phase_out) >= 1
    assert phase_out["end_date"].between(cycle, cycle + pd.DateOffset(months=6)).all()

    sales = pd.concat([typed(exports, c, "sales_history") for c in CYCLES if c >= FULL])
    sales = sales.dropna(subset=["ship_date", "quantity"]).drop_duplicates("line_id", keep="last")
    monthly = sales.pivot_table(
        index="sku", columns=sales["ship_date"].dt.to_period("M"), values="quantity", aggfunc="sum"
    )
    assert not set(future) & set(monthly.index), "a SKU launched after the cycle has no sales"
    established = monthly.loc[monthly.index.isin(items.index[items["status"] == "active"])]
    zero_share = established.fillna(0.0).eq(0.0).mean(axis=1)
    assert (zero_share >= 0.4).sum() >= 2, "some established SKUs sell only now and then"
    fading = monthly.loc[phase_out.index].fillna(0.0)
    assert fading.iloc[:, -3:].sum().sum() < fading.iloc[:, -15:-12].sum().sum()


def test_capacity_is_short_somewhere_in_the_first_six_planned_months(exports: Path) -> None:
    sales = typed(exports, FULL, "sales_history").dropna(subset=["ship_date", "quantity"])
    recent = sales[sales["ship_date"] >= pd.Timestamp("2025-09-01")]
    naive = recent.groupby("sku")["quantity"].sum() / 12.0  # units a month per SKU
    routings = typed(exports, LAST, "routings")
    load = (
        routings.assign(hours=routings["hours_per_unit"] * routings["sku"].map(naive).fillna(0.0))
        .groupby("resource")["hours"]
        .sum()
    )
    resources = typed(exports, LAST, "resources")
    assert resources["month"].min() == pd.Timestamp(f"{LAST}-01")
    assert resources["month"].nunique() >= 25
    utilisation = resources["resource"].map(load) / resources["available_hours"]
    assert 0.6 <= utilisation.median() <= 1.0
    first_six = resources["month"] < pd.Timestamp(f"{LAST}-01") + pd.DateOffset(months=6)
    ceiling = resources["available_hours"] + resources["max_overtime_hours"]
    short = resources[first_six & (resources["resource"].map(load) > ceiling)]
    assert len(short) >= 1
    usual = resources.groupby("resource")["available_hours"].median()
    assert (short["available_hours"] < 0.6 * short["resource"].map(usual)).any()


def test_encodings_and_formats_of_a_drop(exports: Path) -> None:
    drop = exports / LAST
    items_bytes = (drop / "items.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        items_bytes.decode("utf-8")
    assert re.search("[\u4e00-\u9fff]", items_bytes.decode("gbk"))
    assert (drop / "sales_history.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (drop / "inventory.xlsx").exists() and (drop / "resources.parquet").exists()
    descriptions = typed(exports, LAST, "items")["description"]
    assert descriptions.str.contains("[\u4e00-\u9fff]").any()  # Chinese survives the reading
    inventory = typed(exports, LAST, "inventory")
    assert set(inventory["site"]) == {"WH-MAIN", "DC-SOUTH"}
    assert (inventory["on_hand"] >= 0).all() and inventory["on_hand"].sum() > 0


def test_plans_scenarios_and_budget(exports: Path) -> None:
    scenarios = typed(exports, LAST, "scenarios")
    rows = set(scenarios[["scenario", "kind", "scope", "multiplier"]].itertuples(index=False))
    assert ("demand_plus_10", "demand", "*", 1.1) in rows
    assert (scenarios["kind"] == "capacity").any()
    budget = typed(exports, LAST, "budget")
    cycle = pd.Timestamp(f"{LAST}-01")
    assert budget["month"].min() == cycle - pd.DateOffset(months=12)
    assert budget["month"].max() == cycle + pd.DateOffset(months=23)
    assert (budget["gross_margin"] < budget["revenue"]).all()
    promotions = typed(exports, LAST, "promotions")
    assert (promotions["end_month"] >= cycle).all()
    overrides = typed(exports, LAST, "demand_overrides")
    assert len(overrides) >= 3
    assert (overrides["override_quantity"].notna() ^ overrides["adjustment_pct"].notna()).all()
    assert (
        overrides["override_quantity"].notna().any() and overrides["adjustment_pct"].notna().any()
    )
    items = typed(exports, LAST, "items")
    assert (items["unit_cost"] < items["unit_price"]).all()
    assert set(items["lead_time_months"]) <= {0, 1, 2}
    policy = typed(exports, LAST, "inventory_policy")
    assert policy["service_level"].between(0.9, 0.99).all()
    by_cover = policy[policy["safety_stock_method"] == "min_cover"]
    assert len(by_cover) >= 1
    assert (by_cover["min_cover_months"] < by_cover["max_cover_months"]).all()


def test_full_history_at_must_be_one_of_the_cycles(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="full_history_at"):
        write_demo_exports(
            tmp_path, last_cycle=LAST, months=12, n_skus=20, full_history_at="2020-01"
        )
