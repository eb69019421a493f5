"""Choosing a CSV file's text encoding with a maintained detector (charset-normalizer).

The candidates are the encodings ERP exports come in: UTF-8 (with or without BOM), UTF-16 with
BOM, GB18030 (a superset of GBK) and Windows-1252. A file the detector cannot place, or places
only with a chaotic decoding, is refused naming the encodings tried: a German `Kühlschrank`
read as GBK (`K黨lschrank`) would no longer join the budget, silently.
"""

from __future__ import annotations

from charset_normalizer import from_bytes

from sop_pipeline.core.collection.errors import ExportError

CANDIDATES = ["utf_8", "utf_16", "gb18030", "cp1252"]
MAX_CHAOS = 0.15  # share of "mess" above which a decoding is doubtful


def decode(data: bytes, file_name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the name of the encoding used (`utf_8 with BOM`, `cp1252`, ...)."""
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ExportError(
                f"{file_name}: not {encoding} text as the mapping says: {exc}"
            ) from exc
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportError(f"{file_name}: binary content, not a CSV text file")
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None or best.chaos > MAX_CHAOS:
        tried = ", ".join(CANDIDATES)
        raise ExportError(
            f"{file_name}: the text encoding is doubtful (tried {tried}); re-export it as UTF-8 "
            "or set `encoding` in the mapping file"
        )
    name = f"{best.encoding} with BOM" if best.bom else best.encoding
    return str(best).removeprefix("\ufeff"), name
