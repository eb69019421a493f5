"""Reading, parsing and validating export files: formats, encodings, quarantine, blocking errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.contracts import CONTRACTS

CYCLE = pd.Timestamp("2026-11-01")
ITEMS = pd.DataFrame(
    {
        "sku": ["A", "B"],
        "family": ["Tea", "Tea"],
        "unit_cost": ["1.5", "2"],
        "unit_price": ["3", "4"],
        "description": ["绿茶 500ml", "black tea"],
    }
)


def _drop(root: Path) -> Path:
    folder = root / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("fmt", ["csv-utf8-bom", "csv-gbk", "xlsx", "parquet"])
def test_items_read_in_every_format(tmp_path: Path, fmt: str) -> None:
    folder = _drop(tmp_path)
    frame = ITEMS.rename(columns={"sku": " SKU ", "unit_cost": "Unit_Cost"})
    if fmt == "csv-utf8-bom":
        frame.to_csv(folder / "items.csv", index=False, encoding="utf-8-sig")
    elif fmt == "csv-gbk":
        frame.to_csv(folder / "ITEMS.csv", index=False, encoding="gbk")
    elif fmt == "xlsx":
        frame.to_excel(folder / "items.xlsx", index=False)
    else:
        frame.to_parquet(folder / "items.parquet")
    result = collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)
    assert result is not None
    assert list(result.loaded["sku"]) == ["A", "B"]
    assert result.loaded["unit_cost"].tolist() == [1.5, 2.0]
    assert result.loaded["description"].iloc[0] == "绿茶 500ml"
    assert result.loaded["status"].tolist() == ["active", "active"]  # contract default
    assert result.quarantine.empty


def test_poisoned_sales_lines_are_quarantined_with_raw_record(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    pd.DataFrame(
        {
            "line_id": ["1", "2", "3", "4", "5", "6"],
            "ship_date": [
                "2026-10-01",
                "2026-10-02",
                "31/02/2026x",
                "2026-10-03",
                "2026-10-04",
                "2026-11-03",
            ],
            "sku": ["A", "A", "A", "SKU-9999", "B", "B"],
            "region": ["North"] * 6,
            "quantity": ["5", "-2", "3", "4", "twelve", "1"],
            "net_revenue": ["10"] * 6,
            "extra_col": ["kept out of the way"] * 6,
        }
    ).to_csv(folder / "sales_history.csv", index=False)
    result = collect_export(tmp_path, CONTRACTS["sales_history"], CYCLE, ["A", "B"])
    assert result is not None
    assert result.loaded["line_id"].tolist() == ["1"]
    rules = dict(zip(result.quarantine["row_number"], result.quarantine["rule"], strict=True))
    assert rules == {
        3: "out_of_range",
        4: "not_a_date",
        5: "unknown_sku",
        6: "not_a_number",
        7: "after_cycle",
    }
    record = json.loads(result.quarantine.set_index("row_number").loc[6, "raw_record"])
    assert record["quantity"] == "twelve" and record["extra_col"] == "kept out of the way"
    assert result.rows_read == len(result.loaded) + result.rows_quarantined


def test_later_duplicate_of_a_key_wins_and_earlier_is_quarantined(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    pd.DataFrame({"sku": ["A", "A"], "site": ["P1", "P1"], "on_hand": ["5", "7"]}).to_csv(
        folder / "inventory.csv", index=False
    )
    result = collect_export(tmp_path, CONTRACTS["inventory"], CYCLE, ["A"])
    assert result is not None
    assert result.loaded["on_hand"].tolist() == [7.0]
    assert result.quarantine["rule"].tolist() == ["duplicate_key"]


def test_missing_required_file_names_it(tmp_path: Path) -> None:
    _drop(tmp_path)
    with pytest.raises(ExportError, match="required file 'items' missing"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_missing_optional_file_switches_the_feature_off(tmp_path: Path) -> None:
    _drop(tmp_path)
    assert collect_export(tmp_path, CONTRACTS["promotions"], CYCLE, ["A"]) is None


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    ITEMS.drop(columns="unit_price").to_csv(folder / "items.csv", index=False)
    with pytest.raises(ExportError, match=r"items\.csv: required column\(s\) unit_price missing"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_empty_required_file_fails(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    (folder / "items.csv").write_text("")
    with pytest.raises(ExportError, match="items.csv: the file is empty"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_missing_drop_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="2026-11 does not exist"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_one_of_rule_quarantines_rows_without_scope(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    pd.DataFrame(
        {
            "event_id": ["e1", "e2"],
            "sku": ["A", ""],
            "family": ["", ""],
            "region": ["*", "*"],
            "start_month": ["2026-12", "2026-12"],
            "end_month": ["2027-01", "2027-01"],
            "uplift_pct": ["20", "10"],
        }
    ).to_csv(folder / "promotions.csv", index=False)
    result = collect_export(tmp_path, CONTRACTS["promotions"], CYCLE, ["A"])
    assert result is not None
    assert result.loaded["event_id"].tolist() == ["e1"]
    assert result.loaded["start_month"].iloc[0] == pd.Timestamp("2026-12-01")
    assert result.quarantine["rule"].tolist() == ["missing_scope"]
