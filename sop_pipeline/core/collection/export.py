"""Collecting one entity of a cycle's export drop: find, read, parse, validate."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from sop_pipeline.core.calendar import month_key
from sop_pipeline.core.collection.errors import ExportError
from sop_pipeline.core.collection.parsing import parse_frame, require_columns
from sop_pipeline.core.collection.reading import SUFFIXES, find_export, read_raw
from sop_pipeline.core.collection.validation import ValidatedExport, validate_export
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
) -> ValidatedExport | None:
    """The validated rows of one entity for a cycle; None when an optional file is absent.

    Raises ExportError, naming the file, when a required file is missing or empty, or a
    required column is absent."""
    folder = drop_directory(exports_root, cycle)
    path = find_export(folder, contract.name)
    if path is None:
        looked_for = ", ".join(contract.name + s for s in SUFFIXES)
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
    raw = read_raw(path)
    source_file = f"{folder.name}/{path.name}"
    require_columns(raw, contract, source_file)
    typed, problems = parse_frame(raw, contract)
    known_values = _referenced_keys(folder, contract)
    return validate_export(
        raw, typed, problems, contract, source_file, known_skus, cycle, known_values
    )


def _referenced_keys(folder: Path, contract: EntityContract) -> dict[str, list[str]] | None:
    """{column: keys of the referenced export} for `contract`, or None when it references none
    or the referenced file is absent (then the feature that needs it is off anyway)."""
    if contract.name not in REFERENCES:
        return None
    column, entity = REFERENCES[contract.name]
    path = find_export(folder, entity)
    if path is None:
        return None
    typed, _ = parse_frame(read_raw(path), CONTRACTS[entity])
    return {column: sorted(typed[column].dropna().astype(str).unique())}
