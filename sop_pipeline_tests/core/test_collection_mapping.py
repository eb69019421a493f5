"""The mapping file on a SAP-style drop (German headers, `;`, decimal comma, DD.MM.YYYY,
Windows-1252, a title line), end to end through `sop validate`, and the failure threshold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sop_pipeline.cli import main
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.export import collect_export
from sop_pipeline.core.collection.mapping import EntityMapping, load_mapping
from sop_pipeline.core.collection.threshold import (
    DropRejected,
    enforce_threshold,
    threshold_breaches,
)
from sop_pipeline.core.contracts import CONTRACTS

CYCLE = pd.Timestamp("2026-11-01")

SAP_MAPPING = """\
items:
  file: Materialstamm.csv
  columns: {Material: sku, Bezeichnung: description, Warengruppe: family,
            Standardpreis: unit_cost, Verkaufspreis: unit_price}
  delimiter: ";"
  decimal: ","
  thousands: "."
sales_history:
  file: "VK_*.csv"
  columns: {Beleg: line_id, Material: sku, Buchungsdatum: ship_date, Menge: quantity,
            Umsatz: net_revenue, Kunde: customer_id}
  encoding: cp1252
  delimiter: ";"
  decimal: ","
  thousands: "."
  date_format: DD.MM.YYYY
  skip_rows: 1
  constants: {region: EU}
inventory:
  file: Bestand.csv
  columns: {Material: sku, Werk: site, Bestand: on_hand}
"""
SAP_ITEMS = (
    "Material;Bezeichnung;Warengruppe;Standardpreis;Verkaufspreis\n"
    "4711;Kühlschrank KS-200;Kühlgeräte;1.234,50;1.999,00\n"
    "4712;Gefrierschrank GS-90;Kühlgeräte;899,90;1.299,00\n"
)
SAP_SALES = (
    "Verkaufsbelege Oktober 2026\n"
    "Beleg;Buchungsdatum;Material;Kunde;Menge;Umsatz\n"
    "90001;05.10.2026;4711;Müller GmbH;12,5;24.987,50\n"
    "90002;12.10.2026;4712;Bäckerei Groß;3;3.897,00\n"
    "90003;19.10.2026;4711;Müller GmbH;12,5 kg;100,00\n"
)
SAP_STOCK = "Material;Werk;Bestand\n4711;1000;1.250\n4712;1000;80,5\n"


def sap_drop(root: Path) -> Path:
    folder = root / "exports" / "2026-11"
    folder.mkdir(parents=True)
    (folder / "Materialstamm.csv").write_text(SAP_ITEMS, encoding="utf-8")
    (folder / "VK_Export_202610.csv").write_bytes(SAP_SALES.encode("cp1252"))
    (folder / "Bestand.csv").write_text(SAP_STOCK, encoding="cp1252")
    mapping = root / "sap.yaml"
    mapping.write_text(SAP_MAPPING, encoding="utf-8")
    return mapping


def test_sap_style_export_loads_through_the_mapping(tmp_path: Path) -> None:
    mappings = load_mapping(sap_drop(tmp_path))
    exports = tmp_path / "exports"
    items = collect_export(exports, CONTRACTS["items"], CYCLE, None, mappings)
    assert items is not None and items.quarantine.empty
    assert items.loaded["unit_cost"].tolist() == [1234.5, 899.9]
    assert items.loaded["family"].tolist() == ["Kühlgeräte"] * 2
    skus = items.loaded["sku"].tolist()
    sales = collect_export(exports, CONTRACTS["sales_history"], CYCLE, skus, mappings)
    assert sales is not None
    assert sales.loaded["quantity"].tolist() == [12.5, 3.0]
    assert sales.loaded["net_revenue"].tolist() == [24987.5, 3897.0]
    assert sales.loaded["ship_date"].tolist() == [
        pd.Timestamp("2026-10-05"),
        pd.Timestamp("2026-10-12"),
    ]
    assert sales.loaded["region"].tolist() == ["EU", "EU"]
    assert sales.loaded["customer_id"].tolist() == ["Müller GmbH", "Bäckerei Groß"]
    assert sales.read_as == {"encoding": "cp1252", "delimiter": "';'", "sheets": "n/a"}
    # file line 5 (title line 1, header line 2)
    assert sales.quarantine[["row_number", "rule"]].values.tolist() == [[5, "not_a_number"]]
    assert sales.rows_read == len(sales.loaded) + sales.rows_quarantined == 3
    stock = collect_export(exports, CONTRACTS["inventory"], CYCLE, skus, mappings)
    assert stock is not None and stock.loaded["on_hand"].tolist() == [1250.0, 80.5]
    assert stock.read_as["delimiter"] == "';'"  # sniffed, the mapping does not say


def test_sop_validate_runs_the_sap_drop_and_reports_it(tmp_path: Path) -> None:
    mapping = sap_drop(tmp_path)
    args = ["validate", "--exports", str(tmp_path / "exports"), "--cycle", "2026-11"]
    result = CliRunner().invoke(main, [*args, "--mapping", str(mapping)])
    assert "2026-11/VK_Export_202610.csv (sales_history): encoding cp1252" in result.output
    assert "rows read 3, loaded 2, quarantined 1" in result.output
    assert "row 5 quantity='12,5 kg'" in result.output
    # one bad line of three is 33 %, but under 5 rows: the threshold does not count it
    assert "verdict: the drop would run" in result.output
    assert result.exit_code == 0


def test_mapping_with_an_unknown_setting_names_it(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("items:\n  delimeter: ';'\n")
    with pytest.raises(ExportError, match="items: unknown setting\\(s\\) delimeter"):
        load_mapping(path)


def _sales_file(root: Path, good: int, bad: int, months: int = 1) -> None:
    folder = root / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["line_id,ship_date,sku,region,quantity,net_revenue"]
    for n in range(good):
        month = pd.Timestamp("2026-10-01") - pd.DateOffset(months=n % months)
        rows.append(f"{n},{month:%Y-%m}-10,A,North,5,10")
    rows += [f"x{n},2026-10-10,A,North,-1,10" for n in range(bad)]
    (folder / "sales_history.csv").write_text("\n".join(rows) + "\n")


def _breaches(root: Path) -> list[str]:
    collected = collect_export(root, CONTRACTS["sales_history"], CYCLE, ["A"])
    assert collected is not None
    assert collected.rows_read == len(collected.loaded) + collected.rows_quarantined
    return threshold_breaches("sales_history", collected, CYCLE)


def test_quarantined_share_above_the_threshold_rejects_the_drop(tmp_path: Path) -> None:
    _sales_file(tmp_path, good=240, bad=6)
    (breach,) = _breaches(tmp_path)
    assert breach.startswith(
        "sales_history (2026-11/sales_history.csv): 6 of 246 rows quarantined (2.4% > 2.0%): "
        "out_of_range 6; e.g. rows 242, 243, 244, 245, 246"
    )
    with pytest.raises(DropRejected, match="drop rejected before planning: sales_history"):
        enforce_threshold([breach])


def test_share_under_the_threshold_or_raised_by_the_variable_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sales_file(tmp_path, good=400, bad=6)
    assert _breaches(tmp_path) == []  # 1.5 %
    _sales_file(tmp_path, good=100, bad=6)
    assert len(_breaches(tmp_path)) == 1
    monkeypatch.setenv("SOP_MAX_QUARANTINED_SHARE", "0.10")
    assert _breaches(tmp_path) == []


def test_thin_newest_month_of_sales_rejects_the_drop(tmp_path: Path) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    rows = ["line_id,ship_date,sku,region,quantity,net_revenue"]
    for month in pd.date_range("2026-04-01", "2026-09-01", freq="MS"):
        rows += [f"{month:%m}-{n},{month:%Y-%m}-10,A,North,5,10" for n in range(20)]
    rows += [f"10-{n},2026-10-10,A,North,5,10" for n in range(4)]
    (folder / "sales_history.csv").write_text("\n".join(rows) + "\n")
    assert _breaches(tmp_path) == [
        "sales_history (2026-11/sales_history.csv): the newest month 2026-10 holds 4 lines, "
        "under half the usual 20 (median of the 6 months before); an incomplete export?"
    ]


@pytest.mark.parametrize(
    ("date_format", "written"), [("DD/MM/YYYY", "05/10/2026"), ("MM/DD/YYYY", "10/05/2026")]
)
def test_day_or_month_first_dates_only_when_configured(
    tmp_path: Path, date_format: str, written: str
) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    (folder / "sales_history.csv").write_text(
        "line_id,ship_date,sku,region,quantity,net_revenue\n"
        f"1,{written},A,North,5,10\n2,2026-10-05,A,North,5,10\n"
    )
    mappings = {"sales_history": EntityMapping(date_format=date_format)}
    result = collect_export(tmp_path, CONTRACTS["sales_history"], CYCLE, ["A"], mappings)
    assert result is not None
    assert result.loaded["ship_date"].tolist() == [pd.Timestamp("2026-10-05")]
    assert result.quarantine[["row_number", "rule"]].values.tolist() == [[3, "not_a_date"]]
