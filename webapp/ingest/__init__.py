"""Readers that turn uploaded or local files into plain text for the engine."""

from .text import IngestError, decode_text, markdown_to_text, read_text

__all__ = ["IngestError", "decode_text", "markdown_to_text", "read_text"]
