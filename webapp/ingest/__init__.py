"""Readers that turn uploaded or local files into plain text for the engine."""

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
