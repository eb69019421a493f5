"""More bad input, one case per rule: Excel serial dates, return lines, negative revenue, the
plausible bound of each column, and the blocking errors a drop can raise. Each case asserts
its exact rule or message and conservation (rows in the file = loaded + quarantined)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.mapping import EntityMapping, load_mapping
from sop_pipeline.core.collection.sales_actuals import sales_actuals
from sop_pipeline.core.collection.threshold import threshold_breaches
from sop_pipeline.core.collection.validation import ValidatedExport
from sop_pipeline.core.contracts import CONTRACTS
from sop_pipeline.core.contracts.model import QUANTITY_BOUND

CYCLE = pd.Timestamp("2026-11-01")
SKUS = ["A", "B"]
SALES = "line_id,ship_date,sku,region,quantity,net_revenue"


def _folder(root: Path) -> Path:
    folder = root / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _collect(
    root: Path,
    entity: str,
    skus: list[str] | None = SKUS,
    mappings: dict[str, EntityMapping] | None = None,
) -> ValidatedExport:
    result = collect_export(root, CONTRACTS[entity], CYCLE, skus, mappings)
    assert result is not None
    assert result.rows_read == len(result.loaded) + result.rows_quarantined  # conservation
    return result


def _rules(result: ValidatedExport) -> dict[int, str]:
    return dict(zip(result.quarantine["row_number"], result.quarantine["rule"], strict=True))


def _csv(root: Path, name: str, header: str, rows: list[str]) -> None:
    (_folder(root) / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _sales_xlsx(root: Path, ship_dates: list[object]) -> None:
    frame = pd.DataFrame(
        {
            "line_id": [str(n) for n in range(1, len(ship_dates) + 1)],
            "ship_date": pd.Series(ship_dates, dtype=object),
            "sku": "A",
            "region": "North",
            "quantity": 5,
            "net_revenue": 10,
        }
    )
    frame.to_excel(_folder(root) / "sales_history.xlsx", index=False)


def test_excel_serial_numbers_and_date_cells_are_dates(tmp_path: Path) -> None:
    _sales_xlsx(tmp_path, [45991, 45991.75, datetime.datetime(2025, 11, 29), "2025-11-28", "x"])
    result = _collect(tmp_path, "sales_history")
    assert result.loaded["ship_date"].tolist() == [
        pd.Timestamp("2025-11-30"),
        pd.Timestamp("2025-11-30"),  # the time of day dropped
        pd.Timestamp("2025-11-29"),
        pd.Timestamp("2025-11-28"),
    ]
    assert _rules(result) == {6: "not_a_date"}


def test_excel_dates_are_read_whatever_the_mapping_date_format(tmp_path: Path) -> None:
    _sales_xlsx(tmp_path, [45991, datetime.datetime(2025, 11, 29), "28.11.2025", "2025-11-27"])
    mappings = {"sales_history": EntityMapping(date_format="DD.MM.YYYY")}
    result = _collect(tmp_path, "sales_history", mappings=mappings)
    assert result.loaded["ship_date"].dt.day.tolist() == [30, 29, 28]
    assert _rules(result) == {5: "not_a_date"}  # ISO text where the mapping says DD.MM.YYYY


def test_a_serial_number_in_a_csv_is_not_a_date(tmp_path: Path) -> None:
    _csv(tmp_path, "sales_history.csv", SALES, ["1,45991,A,North,5,10", "2,2025-11-30,A,North,5,1"])
    assert _rules(_collect(tmp_path, "sales_history")) == {2: "not_a_date"}


def test_excel_serials_older_than_15_years_are_implausible(tmp_path: Path) -> None:
    _sales_xlsx(tmp_path, [1, 45991])  # serial 1 is 1900-01-01
    assert _rules(_collect(tmp_path, "sales_history")) == {2: "implausible_date"}


RETURNS = f"{SALES},document_type"


def test_a_return_line_nets_against_its_month(tmp_path: Path) -> None:
    rows = ["1,2026-10-05,A,North,10,20,sale", "2,2026-10-20,A,North,-3,-6,Return"]
    result = _sales_with_returns(tmp_path, rows)
    assert result.quarantine.empty
    assert result.loaded["document_type"].tolist() == ["sale", "return"]
    actuals = sales_actuals(result.loaded.assign(cycle=CYCLE), CYCLE)
    assert actuals[["quantity", "revenue"]].values.tolist() == [[7.0, 14.0]]


def test_a_negative_line_not_marked_as_a_return_is_out_of_range(tmp_path: Path) -> None:
    rows = [
        "1,2026-10-05,A,North,-3,-6,sale",
        "2,2026-10-06,A,North,-3,-6,",
        "3,2026-10-07,A,North,2,4,",
    ]
    result = _sales_with_returns(tmp_path, rows)
    assert _rules(result) == {2: "out_of_range", 3: "out_of_range"}


def test_a_return_with_a_positive_quantity_is_out_of_range(tmp_path: Path) -> None:
    result = _sales_with_returns(tmp_path, ["1,2026-10-05,A,North,3,6,return"])
    assert _rules(result) == {2: "out_of_range"}


def test_the_erps_own_return_codes_come_from_the_mapping(tmp_path: Path) -> None:
    _csv(
        tmp_path,
        "sales_history.csv",
        f"{SALES},Type",
        ["1,2026-10-05,A,North,-3,-6,re", "2,2026-10-05,A,North,-3,-6,RX"],
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("sales_history:\n  columns: {type: document_type}\n  return_types: RE\n")
    result = _collect(tmp_path, "sales_history", mappings=load_mapping(mapping))
    assert result.loaded["line_id"].tolist() == ["1"]
    assert _rules(result) == {3: "out_of_range"}


def _sales_with_returns(root: Path, rows: list[str]) -> ValidatedExport:
    _csv(root, "sales_history.csv", RETURNS, rows)
    return _collect(root, "sales_history")


def test_negative_revenue_on_a_positive_quantity(tmp_path: Path) -> None:
    rows = [
        "1,2026-10-05,A,North,5,-10,sale",
        "2,2026-10-05,A,North,0,-10,",  # a credit note without goods
        "3,2026-10-05,A,North,-5,-10,return",
        "4,2026-10-05,A,North,5,0,",
    ]
    result = _sales_with_returns(tmp_path, rows)
    assert _rules(result) == {2: "negative_revenue"}
    assert result.quarantine["column"].tolist() == ["net_revenue"]


@pytest.mark.parametrize(
    ("entity", "header", "row", "rule"),
    [
        ("sales_history", SALES, "1,2026-10-05,A,North,2000000000,10", "implausible_value"),
        ("sales_history", SALES, f"1,2026-10-05,A,North,{QUANTITY_BOUND:.0f},10", None),
        ("sales_history", SALES, "1,2026-10-05,A,North,5,20000000000", "implausible_value"),
        ("items", "sku,family,unit_cost,unit_price", "A,Tea,1,50000000", "implausible_value"),
        ("routings", "sku,resource,hours_per_unit", "A,R1,5000", "implausible_value"),
        ("budget", "family,month,revenue", "Tea,2026-12,20000000000", None),
        ("budget", "family,month,revenue", "Tea,2026-12,-2000000000000", "implausible_value"),
        ("scenarios", "scenario,kind,multiplier", "s,demand,1e4", "implausible_value"),
    ],
)
def test_each_column_has_its_plausible_bound(
    tmp_path: Path, entity: str, header: str, row: str, rule: str | None
) -> None:
    _csv(tmp_path, f"{entity}.csv", header, [row])
    result = _collect(tmp_path, entity, None if entity == "items" else SKUS)
    assert _rules(result) == ({2: rule} if rule else {})


def test_a_power_written_with_a_caret_is_not_a_number(tmp_path: Path) -> None:
    _csv(tmp_path, "sales_history.csv", SALES, ["1,2026-10-05,A,North,10^20,10"])
    assert _rules(_collect(tmp_path, "sales_history")) == {2: "not_a_number"}


def test_a_routing_to_an_undefined_resource(tmp_path: Path) -> None:
    _csv(tmp_path, "resources.csv", "resource,month,available_hours", ["R1,2026-11,100"])
    _csv(tmp_path, "routings.csv", "sku,resource,hours_per_unit", ["A,R1,0.5", "B,R9,0.5"])
    assert _rules(_collect(tmp_path, "routings")) == {3: "unknown_resource"}


def test_a_scenario_of_an_unknown_kind_is_not_allowed(tmp_path: Path) -> None:
    _csv(tmp_path, "scenarios.csv", "scenario,kind,multiplier", ["s,demand,1.1", "t,Demand,1"])
    assert _rules(_collect(tmp_path, "scenarios")) == {3: "not_allowed"}


def test_a_sales_line_after_the_cycle(tmp_path: Path) -> None:
    _csv(
        tmp_path,
        "sales_history.csv",
        SALES,
        ["1,2026-11-01,A,North,5,10", "2,2026-10-31,A,North,5,10"],
    )
    assert _rules(_collect(tmp_path, "sales_history")) == {2: "after_cycle"}


def test_a_header_without_rows_fails_naming_the_file(tmp_path: Path) -> None:
    _csv(tmp_path, "items.csv", "sku,family,unit_cost,unit_price", [])
    with pytest.raises(ExportError, match=r"2026-11/items\.csv: the file has a header but no data"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_two_files_for_one_entity_fail_naming_both(tmp_path: Path) -> None:
    _csv(tmp_path, "items.csv", "sku,family,unit_cost,unit_price", ["A,Tea,1,2"])
    _csv(tmp_path, "Items.parquet", "x", [])
    with pytest.raises(
        ExportError, match=r"several files for 'items' \(Items\.parquet, items\.csv\)"
    ):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_columns_equal_after_trimming_fail_naming_them(tmp_path: Path) -> None:
    _csv(tmp_path, "items.csv", "sku,family,unit_cost,unit_price, SKU", ["A,Tea,1,2,A"])
    with pytest.raises(ExportError, match=r"items\.csv: duplicate column names .*\['sku'\]"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_an_xlsx_with_only_a_cover_sheet_names_the_missing_columns(tmp_path: Path) -> None:
    pd.DataFrame({"Report": ["Stock"]}).to_excel(_folder(tmp_path) / "inventory.xlsx", index=False)
    with pytest.raises(
        ExportError, match=r"inventory\.xlsx: required column\(s\) sku, on_hand missing"
    ):
        collect_export(tmp_path, CONTRACTS["inventory"], CYCLE, SKUS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("budgets:\n  file: b.csv\n", "unknown entity 'budgets'"),
        ("items: [unclosed\n", "cannot read the mapping file"),
        ("- items\n", "the mapping file must map entity names to settings"),
    ],
)
def test_a_broken_mapping_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(text)
    with pytest.raises(ExportError, match=message):
        load_mapping(path)


def test_the_threshold_is_set_per_entity_in_the_mapping(tmp_path: Path) -> None:
    rows = [f"{n},2026-10-05,A,North,5,10" for n in range(40)]
    rows += [f"x{n},2026-10-05,A,North,-1,10" for n in range(6)]  # 13 %
    _csv(tmp_path, "sales_history.csv", SALES, rows)
    strict = _collect(tmp_path, "sales_history")
    assert len(threshold_breaches("sales_history", strict, CYCLE)) == 1
    loose = {"sales_history": EntityMapping(max_quarantined_share=0.2)}
    lenient = _collect(tmp_path, "sales_history", mappings=loose)
    assert threshold_breaches("sales_history", lenient, CYCLE) == []


def test_a_date_more_than_15_years_after_the_cycle_is_implausible(tmp_path: Path) -> None:
    _csv(
        tmp_path,
        "open_orders.csv",
        "order_id,line,sku,region,requested_date,quantity",
        ["o1,1,A,North,2106-11-20,5", "o1,2,A,North,2027-01-20,5"],
    )
    assert _rules(_collect(tmp_path, "open_orders")) == {2: "implausible_date"}


def test_a_far_end_date_means_no_end_and_loads(tmp_path: Path) -> None:
    _csv(
        tmp_path, "items.csv", "sku,family,unit_cost,unit_price,end_date", ["A,Tea,1,2,2099-12-31"]
    )
    result = _collect(tmp_path, "items", None)
    assert result.loaded["end_date"].tolist() == [pd.Timestamp("2099-12-31")]


def test_an_item_rejected_with_its_sales_stops_the_drop(tmp_path: Path) -> None:
    _csv(
        tmp_path,
        "items.csv",
        "sku,family,unit_cost,unit_price,status",
        ["A,Tea,1,2,active", "B,Tea,1,2,Active"],
    )
    items = _collect(tmp_path, "items", None)
    assert threshold_breaches("items", items, CYCLE) == []  # one row: under the minimum
    rows = [f"{n},2026-10-05,{'B' if n < 6 else 'A'},North,5,10" for n in range(20)]
    _csv(tmp_path, "sales_history.csv", SALES, rows)
    sales = _collect(tmp_path, "sales_history", items.loaded["sku"].tolist())
    assert set(sales.quarantine["rule"]) == {"item_rejected"}
    (breach,) = threshold_breaches("sales_history", sales, CYCLE)
    assert "6 of 20 rows quarantined (30.0% > 2.0%): item_rejected 6" in breach
