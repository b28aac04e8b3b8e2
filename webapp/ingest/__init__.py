"""Readers that turn uploaded or local files into plain text for the engine.

Names are loaded on first use (PEP 562): reading a text file does not load the PDF,
Word and TEI readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..collate.lazy import lazy_names

if TYPE_CHECKING:
    from .cleanup import Cleanup, clean_scan
    from .limits import DEFAULT_LIMITS, Limits, TooLarge
    from .text import IngestError, UnsupportedType, decode_text, markdown_to_text, read_text
    from .upload import ACCEPTED_TYPES, read_upload

__all__ = [
    "ACCEPTED_TYPES",
    "Cleanup",
    "DEFAULT_LIMITS",
    "IngestError",
    "Limits",
    "TooLarge",
    "UnsupportedType",
    "clean_scan",
    "decode_text",
    "markdown_to_text",
    "read_text",
    "read_upload",
]

#: Where each public name lives, relative to this package.
_HOMES = {
    "ACCEPTED_TYPES": ".upload",
    "Cleanup": ".cleanup",
    "DEFAULT_LIMITS": ".limits",
    "IngestError": ".text",
    "Limits": ".limits",
    "TooLarge": ".limits",
    "UnsupportedType": ".text",
    "clean_scan": ".cleanup",
    "decode_text": ".text",
    "markdown_to_text": ".text",
    "read_text": ".text",
    "read_upload": ".upload",
}


__getattr__ = lazy_names(__name__, _HOMES)
