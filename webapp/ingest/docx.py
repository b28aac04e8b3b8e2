"""Read the text of a Word ``.docx`` file: its paragraphs and table cells in document order.

>>> read_docx(memoir_docx_bytes, "chapter 7.docx")  # doctest: +SKIP
'Chapter 7\\n\\nWe met the Chairman at ten.\\n\\nParticipant\\n\\nRole\\n'

Invariants: one block per non-empty paragraph, blocks separated by one blank line, the text
ends with one ``\\n``. Tables are read row by row, cell by cell (a merged cell once). Text
that Word shows is kept, including tracked insertions; tracked deletions, headers, footers,
footnotes, comments and text boxes are left out. A line break inside a paragraph stays a
``\\n`` and a tab stays a tab; nothing else is changed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from .text import IngestError, UnsupportedType

#: Refuse archives that would unpack to more than this (a zip bomb, or not a memoir).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
#: Elements inside a paragraph whose runs Word shows as part of the paragraph.
_RUN_CONTAINERS = {
    qn(tag)
    for tag in ("w:hyperlink", "w:ins", "w:moveTo", "w:smartTag", "w:fldSimple", "w:customXml")
} | {_SDT, _SDT_CONTENT}
#: What each text-bearing child of a run contributes (``w:t`` contributes its text).
_RUN_MARKS = {
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
_T = qn("w:t")


def read_docx(data: bytes, name: str) -> str:
    """Return the paragraphs and table cells of a ``.docx`` file, or raise :class:`IngestError`."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    _check_package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:  # python-docx: "... is not a Word file, content type is ..."
        kind = str(exc).rsplit("content type is", 1)[-1].strip(" '\"")
        raise UnsupportedType(f"{name}: is not a Word document (it holds {kind})") from None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise IngestError(f"{name}: is a damaged Word document ({exc})") from None
    blocks = [text for text in _blocks(document.element.body) if text]
    if not blocks:
        raise IngestError(f"{name}: the Word document has no text")
    return "\n\n".join(blocks) + "\n"


def _check_package(data: bytes, name: str) -> None:
    """Refuse what is not a zip, a zip that is not Word, or one that unpacks too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise UnsupportedType(
            f"{name}: is not a Word .docx file (it is not a zip archive; "
            "an old .doc file must be saved as .docx first)"
        ) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnsupportedType(
            f"{name}: is a zip archive but not a Word document (it has no word/document.xml)"
        )
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise IngestError(f"{name}: unpacks to more than {limit} MB; it cannot be read here")


def _blocks(container: Any) -> Iterator[str]:
    """Yield the text of each paragraph under a body, cell or content control, in order."""
    for child in container:
        if child.tag == _P:
            yield _paragraph_text(child).strip()
        elif child.tag == _TBL:
            for row in child.iter(_TR):
                if _nearest_table(row) is child:
                    for cell in row.iterchildren(_TC):
                        yield from _blocks(cell)
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
            yield from _blocks(child)


def _nearest_table(row: Any) -> Any:
    """Return the table a row belongs to (rows of nested tables belong to their own)."""
    parent = row.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _paragraph_text(element: Any) -> str:
    """Return the text Word shows for a paragraph: its runs, also inside links and insertions."""
    parts: list[str] = []
    for child in element:
        if child.tag == _R:
            parts.extend(_run_text(child))
        elif child.tag in _RUN_CONTAINERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _run_text(run: Any) -> Iterator[str]:
    """Yield the pieces of text of one run: its ``w:t`` text, tabs and line breaks."""
    for child in run:
        if child.tag == _T:
            yield child.text or ""
        elif child.tag in _RUN_MARKS:
            yield _RUN_MARKS[child.tag]
