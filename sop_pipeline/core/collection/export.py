"""Collecting one entity of a cycle's export drop: find, read, parse, validate."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pandas as pd

from sop_pipeline.core.calendar import month_key
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.mapping import NO_MAPPING, EntityMapping, default_mapping
from sop_pipeline.core.collection.parsing import parse_frame, require_columns
from sop_pipeline.core.collection.reading import ROW_NUMBER, SUFFIXES, find_export, read_export
from sop_pipeline.core.collection.validation import (
    ValidatedExport,
    validate_export,
    with_malformed,
)
from sop_pipeline.core.contracts import CONTRACTS, EntityContract

log = logging.getLogger(__name__)

# entity -> (column, entity of the same drop whose keys its values must be): a routing to a
# resource the resources export does not define would plan against zero hours, so it is
# quarantined instead (rule unknown_resource)
REFERENCES = {"routings": ("resource", "resources")}


def drop_directory(exports_root: Path, cycle: pd.Timestamp) -> Path:
    """The folder `<exports_root>/<YYYY-MM>/` holding the exports for a cycle; it must exist."""
    folder = Path(exports_root) / month_key(cycle)
    if not folder.is_dir():
        raise ExportError(f"export drop {folder} does not exist (expected one folder per cycle)")
    return folder


def collect_export(
    exports_root: Path,
    contract: EntityContract,
    cycle: pd.Timestamp,
    known_skus: list[str] | None,
    mappings: dict[str, EntityMapping] | None = None,
) -> ValidatedExport | None:
    """The validated rows of one entity for a cycle; None when an optional file is absent.
    `mappings`: the mapping file's settings (default: `<exports_root>/mapping.yaml` if any).

    Raises ExportError, naming the file, when a required file is missing or empty, unreadable,
    or a required column is absent."""
    folder = drop_directory(exports_root, cycle)
    mappings = default_mapping(exports_root) if mappings is None else mappings
    mapping = mappings.get(contract.name, NO_MAPPING)
    path = find_export(folder, contract.name, mapping)
    if path is None:
        looked_for = mapping.file or ", ".join(contract.name + s for s in SUFFIXES)
        if contract.required:
            raise ExportError(
                f"{folder}: required file '{contract.name}' missing (looked for {looked_for})"
            )
        log.warning(
            "%s: optional file '%s' absent; the features that need it are off",
            folder,
            contract.name,
        )
        return None
    raw = read_export(path, mapping, [c.name for c in contract.columns if c.in_file])
    source_file = f"{folder.name}/{path.name}"
    require_columns(raw.frame, contract, source_file, len(raw.malformed))
    xlsx = path.suffix.lower() == ".xlsx"
    typed, problems = parse_frame(raw.frame, contract, mapping, cycle, xlsx)
    known_values = _referenced_keys(folder, contract, mappings)
    rejected = _rejected_items(folder, known_skus, mappings) if contract.sku_column else None
    validated = validate_export(
        raw.frame, typed, problems, contract, source_file, known_skus, cycle, known_values, rejected
    )
    collected = dataclasses.replace(
        with_malformed(validated, raw, source_file),
        max_quarantined_share=mapping.max_quarantined_share,
    )
    log.info("%s: read as %s", source_file, collected.read_as)
    return collected


def _parsed(folder: Path, entity: str, mappings: dict[str, EntityMapping]) -> pd.DataFrame | None:
    """The typed rows of another entity of the drop, or None when its file is absent."""
    mapping = mappings.get(entity, NO_MAPPING)
    path = find_export(folder, entity, mapping)
    if path is None:
        return None
    xlsx = path.suffix.lower() == ".xlsx"
    frame = read_export(path, mapping).frame
    typed, _ = parse_frame(frame, CONTRACTS[entity], mapping, xlsx=xlsx)
    return typed


def _referenced_keys(
    folder: Path, contract: EntityContract, mappings: dict[str, EntityMapping]
) -> dict[str, list[str]] | None:
    """{column: keys of the referenced export} for `contract`, or None when it references none
    or the referenced file is absent (then the feature that needs it is off anyway)."""
    if contract.name not in REFERENCES:
        return None
    column, entity = REFERENCES[contract.name]
    typed = _parsed(folder, entity, mappings)
    if typed is None:
        return None
    return {column: sorted(typed[column].dropna().astype(str).unique())}


def _rejected_items(
    folder: Path, known_skus: list[str] | None, mappings: dict[str, EntityMapping]
) -> dict[str, int]:
    """{sku: items file row} of the SKUs the drop's items file lists but the cycle's loaded
    items lack: those rows were quarantined, so their dependants are `item_rejected`."""
    if known_skus is None:
        return {}
    try:
        items = _parsed(folder, "items", mappings)
    except ExportError:
        return {}
    if items is None:
        return {}
    listed = items.dropna(subset=["sku"]).drop_duplicates("sku", keep="last")
    rejected = listed[~listed["sku"].isin(set(known_skus))]
    return dict(zip(rejected["sku"], rejected[ROW_NUMBER].astype(int), strict=True))
