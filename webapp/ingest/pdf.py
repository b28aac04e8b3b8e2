"""Read the text layer of a PDF, refusing encrypted, damaged or image-only files clearly.

>>> read_pdf(minutes_pdf_bytes, "memcon.pdf")  # doctest: +SKIP
'MEMORANDUM OF CONVERSATION\\nParticipants: ...\\n\\nThe President said ...\\n'

Invariants: the text is what the PDF's text layer holds, page by page in page order; pages
are separated by one blank line (``\\n\\n``), line ends are ``\\n``, the text ends with one
``\\n``, and pages whose text layer is empty are left out. No OCR is done: a PDF with no text
layer on any page is refused, and so is any encrypted PDF (even one that opens without a
password), because its text may be incomplete or its owner may not want it copied.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from .limits import DEFAULT_LIMITS, Limits
from .text import IngestError

#: Where the ``%PDF-`` header may start; readers accept junk before it up to this offset.
PDF_HEADER_WINDOW = 1024


def read_pdf(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the text layer of every page of a PDF, or raise :class:`IngestError`.

    A PDF of more pages than ``limits`` allow is refused before any page is read (its
    page tree's count is checked first, then the pages really found), and reading stops
    as soon as the text passes the limit (:class:`TooLarge`).
    """
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if not has_pdf_header(data):
        raise IngestError(f"{name}: is not a PDF (it does not start with %PDF-)")
    reader, encrypted = _open(data, name, limits)
    if encrypted:
        raise IngestError(f"{name}: is encrypted; remove the password and upload it again")
    pages = [page for page in _page_texts(reader, name, limits) if page]
    if not pages:
        raise IngestError(f"{name}: has no text layer (a scanned image?); run OCR on it first")
    return "\n\n".join(pages) + "\n"


def has_pdf_header(data: bytes) -> bool:
    """Tell whether bytes carry the ``%PDF-`` header where PDF readers look for it."""
    return b"%PDF-" in data[:PDF_HEADER_WINDOW]


def _open(data: bytes, name: str, limits: Limits) -> tuple[PdfReader, bool]:
    """Open a PDF and tell whether it is encrypted; a damaged file is an :class:`IngestError`."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = bool(reader.is_encrypted)
        if not encrypted:
            limits.check_pages(_declared_pages(reader), name)  # cheap: before the page tree
            pages = len(reader.pages)  # walks the page tree: the count may have lied
            limits.check_pages(pages, name)
            if pages == 0:
                raise IngestError(f"{name}: the PDF has no pages")
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise IngestError(f"{name}: is not a readable PDF ({_reason(exc)})") from None
    return reader, encrypted


def _declared_pages(reader: PdfReader) -> int:
    """The page count the PDF's page tree declares (0 if it declares none)."""
    try:
        trailer: Any = reader.trailer
        count = trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except (KeyError, TypeError, ValueError):
        return 0


def _page_texts(reader: PdfReader, name: str, limits: Limits) -> list[str]:
    """Extract each page's text with ``\\n`` line ends and no blank lines around it."""
    texts: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text()
        except Exception as exc:  # a damaged content stream can fail in many ways
            raise IngestError(
                f"{name}: is not a readable PDF (page {number}: {_reason(exc)})"
            ) from None
        texts.append(text.replace("\r\n", "\n").replace("\r", "\n").strip())
        total += len(texts[-1]) + 2
        limits.check_chars(total, name)
    return texts


def _reason(exc: Exception) -> str:
    """Say in a few words why pypdf failed: the first line of its message, or its kind."""
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    if not message:
        return f"damaged or incomplete: {type(exc).__name__}"
    if len(message) > 120:
        message = message[:117] + "..."
    if message[1:2].islower():  # "Stream has ended" reads better mid-sentence; "EOF" does not
        message = message[0].lower() + message[1:]
    return f"damaged or incomplete: {message}"
