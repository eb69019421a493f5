"""The mapping file of a real ERP export: how an entity's file is named, laid out and spelled.

`exports/mapping.yaml` (or `--mapping FILE`) holds one block per entity (docs/exports.md,
"Mapping real ERP exports"); every key is optional:

    sales_history:
      file: "VK_*.csv"          # a stem or a glob, instead of the entity name
      columns: {Material: sku, Buchungsdatum: ship_date, Menge: quantity, Umsatz: net_revenue}
      encoding: cp1252          # else detected
      delimiter: ";"            # else sniffed
      decimal: ","              # else detected from the numeric columns
      thousands: "."
      date_format: DD.MM.YYYY   # else ISO 8601
      sheet: Daten              # XLSX: only this sheet
      skip_rows: 2              # lines above the header
      constants: {region: EU}   # columns the export does not have
      return_types: [RE, G2]    # document_type values that mark a return line
      max_quarantined_share: 0.05
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sop_pipeline.core.collection.errors import ExportError

DATE_TOKENS = {"DD": "%d", "MM": "%m", "YYYY": "%Y", "YY": "%y"}
KEYS = {
    "file",
    "columns",
    "encoding",
    "delimiter",
    "decimal",
    "thousands",
    "date_format",
    "sheet",
    "skip_rows",
    "constants",
    "max_quarantined_share",
    "return_types",
}


@dataclass(frozen=True)
class EntityMapping:
    """How one entity's export deviates from the contract's defaults (None: detect)."""

    file: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    skip_rows: int = 0
    constants: dict[str, str] = field(default_factory=dict)
    max_quarantined_share: float | None = None
    return_types: tuple[str, ...] = ()

    @property
    def strftime(self) -> str | None:
        """`date_format` (`DD.MM.YYYY`) as a strptime pattern (`%d.%m.%Y`)."""
        if self.date_format is None:
            return None
        pattern = self.date_format
        for token in sorted(DATE_TOKENS, key=len, reverse=True):
            pattern = pattern.replace(token, DATE_TOKENS[token])
        return pattern

    def renamed(self, column: str) -> str:
        """The contract name of an export column (names compared trimmed, lower-cased)."""
        lookup = {k.strip().lower(): v.strip().lower() for k, v in self.columns.items()}
        return lookup.get(column, column)


NO_MAPPING = EntityMapping()


def load_mapping(path: Path) -> dict[str, EntityMapping]:
    """{entity: mapping} from a mapping YAML; an unknown entity or key fails naming it."""
    from sop_pipeline.core.contracts import CONTRACTS

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExportError(f"{path}: cannot read the mapping file: {exc}") from exc
    if not isinstance(document, dict):
        raise ExportError(f"{path}: the mapping file must map entity names to settings")
    mappings = {}
    for entity, settings in document.items():
        if entity not in CONTRACTS:
            raise ExportError(f"{path}: unknown entity '{entity}' (known: {', '.join(CONTRACTS)})")
        unknown = sorted(set(settings or {}) - KEYS)
        if unknown:
            raise ExportError(f"{path}: {entity}: unknown setting(s) {', '.join(unknown)}")
        settings = dict(settings or {})
        if "return_types" in settings:
            listed = settings["return_types"]
            settings["return_types"] = tuple([listed] if isinstance(listed, str) else listed)
        mappings[entity] = EntityMapping(**settings)
    return mappings


def default_mapping(exports_root: Path) -> dict[str, EntityMapping]:
    """The mapping of `<exports_root>/mapping.yaml`, or none when there is no such file."""
    path = Path(exports_root) / "mapping.yaml"
    return load_mapping(path) if path.is_file() else {}
