"""Exports and imports of curated dossiers: JSON, CSV, TEI P5, W3C Web Annotation, HTML."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from .csv_export import to_csv
from .json_export import from_json, to_json
from .model import CuratedDossier
from .tei import from_tei, to_tei, validate_tei
from .webanno import to_webanno


class ExportFormat(NamedTuple):
    """How to write one format: the file's bytes, its media type and its file extension."""

    write: Callable[[CuratedDossier], bytes]
    mimetype: str
    extension: str


def _json_bytes(value: dict[str, object]) -> bytes:
    """Indented UTF-8 JSON; ``\\u`` escapes only if the text holds lone surrogates."""
    try:
        return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, indent=2).encode("ascii")


#: Format name -> (function giving the file's bytes, media type, extension without dot).
FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat(lambda d: _json_bytes(to_json(d)), "application/json", "json"),
    "csv": ExportFormat(lambda d: to_csv(d).encode("utf-8"), "text/csv; charset=utf-8", "csv"),
    "tei": ExportFormat(to_tei, "application/tei+xml", "tei.xml"),
    "webanno": ExportFormat(
        lambda d: _json_bytes(to_webanno(d)),
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        "jsonld",
    ),
}

__all__ = [
    "FORMATS",
    "ExportFormat",
    "from_json",
    "from_tei",
    "to_csv",
    "to_json",
    "to_tei",
    "to_webanno",
    "validate_tei",
]
