"""Turn an uploaded file into plain text, choosing the reader by the file's extension.

>>> read_upload("memcon.md", b"# Memorandum\\n\\nThe *President* said.")
'Memorandum\\n\\nThe President said.\\n'

Invariants: the extension decides the reader (case does not matter) and is checked against
the content first, so a PDF or Word file renamed ``.txt`` is refused rather than read as
garbage; every refusal is an :class:`IngestError` naming the file and the reason. Text and
Markdown are read as :mod:`webapp.ingest.text` reads them; PDF, Word and TEI by their readers.
"""

from __future__ import annotations

from collections.abc import Callable

from .docx import read_docx
from .limits import DEFAULT_LIMITS, Limits
from .pdf import has_pdf_header, read_pdf
from .tei import read_tei
from .text import IngestError, UnsupportedType, decode_text, markdown_to_text

#: Extensions accepted for upload, in the order they are offered to the archivist.
ACCEPTED_TYPES: tuple[str, ...] = (".txt", ".md", ".markdown", ".pdf", ".docx", ".xml", ".tei")

_ZIP_MAGIC = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"


def read_upload(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the plain text of an uploaded file, or raise :class:`IngestError`.

    No reader gives more text than ``limits`` allow (:class:`~.limits.TooLarge`); Word and
    PDF readers stop while reading, a Markdown source is bounded before it is parsed, and
    every text is checked on what it gives.
    """
    extension = _extension(filename)
    reader = _READERS.get(extension)
    if reader is None:
        raise UnsupportedType(f"{filename}: {_unaccepted(extension)}")
    limited = _LIMITED.get(extension)
    text = limited(data, filename, limits) if limited else reader(data, filename)
    limits.check_chars(len(text), filename)
    if "\x00" in text:  # a PDF's text layer may hold them; no database stores them
        raise IngestError(f"{filename}: its text holds NUL characters (U+0000); it cannot be read")
    return text


def _extension(filename: str) -> str:
    """Return the lower-case extension of a file name (``""`` if it has none)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def _unaccepted(extension: str) -> str:
    """Say why a type is refused and which types are accepted."""
    accepted = ", ".join(ACCEPTED_TYPES)
    if extension == ".doc":
        return f"old Word .doc files cannot be read; save it as .docx (accepted: {accepted})"
    if not extension:
        return f"has no extension, so its type is unknown (accepted: {accepted})"
    return f"{extension} files cannot be read (accepted: {accepted})"


def _read_plain(data: bytes, name: str) -> str:
    """Read a ``.txt`` file, refusing a PDF or Word file given a text name."""
    _refuse_binary_as_text(data, name)
    return decode_text(data, name)


def _read_markdown(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a ``.md``/``.markdown`` file as the plain text of its Markdown."""
    _refuse_binary_as_text(data, name)
    source = decode_text(data, name)
    limits.check_markdown(len(source), name)
    text = markdown_to_text(source)
    if not text.strip():
        raise IngestError(f"{name}: the Markdown has no text")
    return text


def _read_pdf(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a ``.pdf`` file, saying what it looks like when it is not a PDF."""
    if data.strip() and not has_pdf_header(data):
        raise UnsupportedType(
            f"{name}: is not a PDF (it does not start with %PDF-){_looks_like(data)}"
        )
    return read_pdf(data, name, limits)


def _refuse_binary_as_text(data: bytes, name: str) -> None:
    """Refuse bytes that start like a PDF or a zip (Word) file: they are not text."""
    head = data.removeprefix(_BOM).lstrip()
    if head.startswith(b"%PDF-"):
        raise UnsupportedType(f"{name}: looks like a PDF file, not text; upload it as .pdf")
    if head.startswith(_ZIP_MAGIC):
        raise UnsupportedType(
            f"{name}: looks like a Word file (a zip archive), not text; upload it as .docx"
        )


def _looks_like(data: bytes) -> str:
    """Say what non-PDF bytes look like, as a clause for a message ("" if unknown)."""
    if data.startswith(_ZIP_MAGIC):
        return "; it looks like a Word file or other zip archive"
    head = data[:1024]
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut at the end of the head
                return ""
        return "; it looks like a text file"
    return ""


_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".pdf": _read_pdf,
    ".docx": read_docx,
    ".xml": read_tei,
    ".tei": read_tei,
}
#: Readers that take the limits and stop while reading.
_LIMITED: dict[str, Callable[[bytes, str, Limits], str]] = {
    ".pdf": _read_pdf,
    ".docx": read_docx,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
}
