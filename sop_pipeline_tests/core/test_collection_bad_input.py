"""Bad input as real ERP exports bring it: every case ends in its exact rule or message, and
every row of the file is either loaded or quarantined (conservation)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.mapping import EntityMapping
from sop_pipeline.core.collection.validation import ValidatedExport
from sop_pipeline.core.contracts import CONTRACTS

CYCLE = pd.Timestamp("2026-11-01")
SKUS = ["A", "B"]
SALES_HEADER = "line_id,ship_date,sku,region,quantity,net_revenue"


def _write(root: Path, name: str, content: str | bytes) -> Path:
    folder = root / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _collect(root: Path, entity: str, skus: list[str] | None = SKUS) -> ValidatedExport:
    result = collect_export(root, CONTRACTS[entity], CYCLE, skus)
    assert result is not None
    assert result.rows_read == len(result.loaded) + result.rows_quarantined  # conservation
    return result


def _rules(result: ValidatedExport) -> dict[int, str]:
    return dict(zip(result.quarantine["row_number"], result.quarantine["rule"], strict=True))


def _sales(root: Path, rows: list[str], delimiter: str = ",", name: str = "sales_history.csv"):
    header = SALES_HEADER.replace(",", delimiter)
    _write(root, name, "\n".join([header, *rows]) + "\n")
    return _collect(root, "sales_history")


@pytest.mark.parametrize(("delimiter", "shown"), [(";", "';'"), ("\t", "tab"), ("|", "'|'")])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str, shown: str) -> None:
    rows = [delimiter.join(["1", "2026-10-01", "A", "North", "5", "10.50"])]
    result = _sales(tmp_path, rows, delimiter)
    assert result.loaded["quantity"].tolist() == [5.0]
    assert result.loaded["net_revenue"].tolist() == [10.5]
    assert result.read_as["delimiter"] == shown


def test_decimal_comma_is_detected_and_never_read_as_thousands(tmp_path: Path) -> None:
    rows = ["1;2026-10-01;A;North;12,5;1.234,50", "2;2026-10-02;B;North;3;10,00"]
    result = _sales(tmp_path, rows, ";")
    assert result.loaded["quantity"].tolist() == [12.5, 3.0]  # not 125
    assert result.loaded["net_revenue"].tolist() == [1234.5, 10.0]  # not 1.2345
    assert result.quarantine.empty


def test_decimal_comma_value_in_a_decimal_point_file_is_not_a_number(tmp_path: Path) -> None:
    rows = ['1,2026-10-01,A,North,"12,5",3.75', "2,2026-10-02,A,North,2.25,4.50"]
    result = _sales(tmp_path, rows)
    assert _rules(result) == {2: "not_a_number"}
    assert result.quarantine["value"].tolist() == ["12,5"]
    assert result.loaded["quantity"].tolist() == [2.25]


def test_number_that_parses_two_ways_is_ambiguous(tmp_path: Path) -> None:
    rows = [
        '1,2026-10-01,A,North,"1,234",100',
        "2,2026-10-02,A,North,7,30",
        "3,2026-10-03,A,North,1.500,9",
    ]
    result = _sales(tmp_path, rows)
    assert _rules(result) == {2: "ambiguous_number", 4: "ambiguous_number"}
    assert result.loaded["line_id"].tolist() == ["2"]


def test_thousands_with_decimal_point_are_read(tmp_path: Path) -> None:
    result = _sales(tmp_path, ['1,2026-10-01,A,North,"1,234.50","1,234,567"'])
    assert result.loaded["quantity"].tolist() == [1234.5]
    assert result.loaded["net_revenue"].tolist() == [1234567.0]


def test_windows_1252_is_not_read_as_gbk(tmp_path: Path) -> None:
    text = "sku,family,unit_cost,unit_price,description\nK1,Kühlschrank,100,200,Größe weiß\n"
    _write(tmp_path, "items.csv", text.encode("cp1252"))
    result = _collect(tmp_path, "items", None)
    assert result.loaded["family"].tolist() == ["Kühlschrank"]
    assert result.read_as["encoding"] == "cp1252"


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [
        ("utf-8", "utf_8"),
        ("utf-8-sig", "utf_8 with BOM"),
        ("utf-16", "utf_16 with BOM"),
        ("gb18030", "gb18030"),
    ],
)
def test_encoding_is_detected_and_reported(tmp_path: Path, encoding: str, shown: str) -> None:
    text = "sku,family,unit_cost,unit_price,description\r\nA,绿茶,1.5,3,绿茶 500ml 特级\r\n"
    if encoding == "utf-8":
        text = text.replace("绿茶", "Kühl")
    _write(tmp_path, "items.csv", text.encode(encoding))
    result = _collect(tmp_path, "items", None)
    assert result.read_as["encoding"] == shown
    assert result.loaded["family"].iloc[0] in ("绿茶", "Kühl")


def test_doubtful_decoding_is_refused_naming_the_encodings_tried(tmp_path: Path) -> None:
    noise = bytes((n * 97 + 13) % 255 + 1 for n in range(3000))
    _write(tmp_path, "items.csv", b"sku,family,unit_cost,unit_price\n" + noise)
    with pytest.raises(
        ExportError,
        match=r"items\.csv: the text encoding is doubtful \(tried "
        r"utf_8, utf_16, gb18030, cp1252\)",
    ):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_missing_markers_are_missing_values(tmp_path: Path) -> None:
    rows = [
        "1,2026-10-01,A,NULL,5,10",
        "2,2026-10-01,A,N/A,5,10",
        "3,2026-10-01,A,North,#N/A,10",
        "4,2026-10-01,A,North,-,10",
        "5,2026-10-01,A,North,5,10",
    ]
    result = _sales(tmp_path, rows)
    assert _rules(result) == {
        2: "missing_value",
        3: "missing_value",
        4: "missing_value",
        5: "missing_value",
    }
    assert "NULL" not in set(result.loaded["region"])
    record = json.loads(result.quarantine.set_index("row_number").loc[2, "raw_record"])
    assert record["region"] == "NULL"  # the original text is kept


def test_rows_with_more_or_fewer_fields_keep_the_line_verbatim(tmp_path: Path) -> None:
    rows = ["1,2026-10-01,A,North,5,10", "2,2026-10-01,A,North,5,10,surplus", "3,2026-10-01,A,5"]
    result = _sales(tmp_path, rows)
    assert _rules(result) == {3: "wrong_field_count", 4: "wrong_field_count"}
    q = result.quarantine.set_index("row_number")
    assert q.loc[3, "raw_record"] == "2,2026-10-01,A,North,5,10,surplus"
    assert q.loc[4, "raw_record"] == "3,2026-10-01,A,5"
    assert q.loc[3, "value"] == "7 fields"
    assert result.rows_read == 3


def test_trailing_delimiter_on_every_line_is_quarantined_not_shifted(tmp_path: Path) -> None:
    result = _sales(tmp_path, [f"{n},2026-10-01,A,North,5,10," for n in range(1, 4)])
    assert set(result.quarantine["rule"]) == {"wrong_field_count"}
    assert result.loaded.empty and result.rows_read == 3


def test_blank_lines_do_not_shift_row_numbers(tmp_path: Path) -> None:
    rows = [
        "1,2026-10-01,A,North,5,10",
        "",
        "",
        "2,2026-10-01,A,North,-3,10",
        "   ",
        "3,2026-10-01,A,North,x,10",
    ]
    result = _sales(tmp_path, rows)
    assert _rules(result) == {5: "out_of_range", 7: "not_a_number"}


def test_every_matching_xlsx_sheet_is_read_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    first = pd.DataFrame(
        {
            "line_id": ["1", "2"],
            "ship_date": ["2026-10-01"] * 2,
            "sku": ["A", "B"],
            "region": ["North"] * 2,
            "quantity": ["5", "6"],
            "net_revenue": ["10", "12"],
        }
    )
    second = first.assign(line_id=["3", "4"], quantity=["7", "-1"])
    with pd.ExcelWriter(folder / "sales_history.xlsx") as writer:
        pd.DataFrame({"Report": ["Sales export", "printed 2026-11-01"]}).to_excel(
            writer, sheet_name="Cover", index=False
        )
        first.to_excel(writer, sheet_name="Oct-1", index=False)
        second.to_excel(writer, sheet_name="Oct-2", index=False)
    result = _collect(tmp_path, "sales_history")
    assert result.rows_read == 4
    assert result.loaded["line_id"].tolist() == ["1", "2", "3"]
    assert result.read_as["sheets"] == "Oct-1, Oct-2"
    assert result.quarantine["source_file"].tolist() == ["2026-11/sales_history.xlsx[Oct-2]"]
    assert result.quarantine["row_number"].tolist() == [3]


def test_timezone_aware_timestamps_count_as_the_date_written(tmp_path: Path) -> None:
    rows = [
        "1,2026-10-01T23:30:00+02:00,A,North,5,10",
        "2,2026-10-02 08:00:00Z,A,North,5,10",
        "3,2026-10-03,A,North,5,10",
    ]
    result = _sales(tmp_path, rows)
    assert result.loaded["ship_date"].tolist() == [
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-02"),
        pd.Timestamp("2026-10-03"),
    ]


def test_day_first_dates_without_a_mapping_are_quarantined(tmp_path: Path) -> None:
    result = _sales(tmp_path, ["1,05/10/2026,A,North,5,10", "2,2026-10-05,A,North,5,10"])
    assert _rules(result) == {2: "not_a_date"}


@pytest.mark.parametrize(
    ("quantity", "rule"),
    [
        ("inf", "not_finite"),
        ("-Infinity", "not_finite"),
        ("NaN", "not_finite"),
        ("1e300", "implausible_value"),
        ("10000000000000", "implausible_value"),
    ],
)
def test_non_finite_and_implausible_numbers(tmp_path: Path, quantity: str, rule: str) -> None:
    result = _sales(tmp_path, [f"1,2026-10-01,A,North,{quantity},10", "2,2026-10-01,A,North,5,1.5"])
    assert _rules(result) == {2: rule}
    assert result.loaded["line_id"].tolist() == ["2"]


def test_date_more_than_15_years_before_the_cycle_is_implausible(tmp_path: Path) -> None:
    result = _sales(tmp_path, ["1,1900-01-05,A,North,5,10", "2,2012-01-05,A,North,5,10"])
    assert _rules(result) == {2: "implausible_date"}
    assert result.loaded["line_id"].tolist() == ["2"]


def test_promotion_ending_before_it_starts(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "promotions.csv",
        "event_id,sku,start_month,end_month,uplift_pct\n"
        "e1,A,2026-12,2027-01,20\ne2,A,2027-03,2027-01,10\n",
    )
    result = _collect(tmp_path, "promotions")
    assert _rules(result) == {3: "end_before_start"}


def test_dependants_of_a_rejected_item_name_the_item_row(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "items.csv",
        "sku,family,unit_cost,unit_price,status\nA,Tea,1,2,active\nB,Tea,1,2,Active\n",
    )
    items = _collect(tmp_path, "items", None)
    assert _rules(items) == {3: "not_allowed"}
    result = _sales(
        tmp_path,
        ["1,2026-10-01,A,North,5,10", "2,2026-10-01,B,North,5,10", "3,2026-10-01,Z,North,5,10"],
    )
    result = collect_export(
        tmp_path, CONTRACTS["sales_history"], CYCLE, items.loaded["sku"].tolist()
    )
    assert result is not None
    assert _rules(result) == {3: "item_rejected", 4: "unknown_sku"}
    assert result.quarantine["value"].iloc[0] == "B (items row 3 quarantined)"


def test_integer_column_with_a_fraction(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "items.csv",
        "sku,family,unit_cost,unit_price,lead_time_months\nA,Tea,1,2,2.5\nB,Tea,1,2,3\n",
    )
    assert _rules(_collect(tmp_path, "items", None)) == {2: "not_an_integer"}


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "items.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 50)
    with pytest.raises(ExportError, match=r"items\.csv: binary content, not a CSV text file"):
        collect_export(tmp_path, CONTRACTS["items"], CYCLE, None)


def test_xlsx_sheet_named_in_the_mapping_is_the_only_one_read(tmp_path: Path) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    frame = pd.DataFrame({"sku": ["A"], "on_hand": ["5"]})
    with pd.ExcelWriter(folder / "inventory.xlsx") as writer:
        frame.to_excel(writer, sheet_name="Old", index=False)
        frame.assign(on_hand=["9"]).to_excel(writer, sheet_name="Now", index=False)
    mappings = {"inventory": EntityMapping(sheet="Now")}
    result = collect_export(tmp_path, CONTRACTS["inventory"], CYCLE, SKUS, mappings)
    assert result is not None and result.loaded["on_hand"].tolist() == [9.0]
    assert result.read_as["sheets"] == "Now" and result.rows_read == 1
