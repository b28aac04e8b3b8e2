"""Read the text of a Word ``.docx`` file: its paragraphs and table cells in document order.

>>> read_docx(memoir_docx_bytes, "chapter 7.docx")  # doctest: +SKIP
'Chapter 7\\n\\nWe met the Chairman at ten.\\n\\nParticipant\\n\\nRole\\n'

Invariants: one block per non-empty paragraph, blocks separated by one blank line, the text
ends with one ``\\n``. Tables are read row by row, cell by cell (a merged cell once). Text
that Word shows is kept, including tracked insertions; tracked deletions, headers, footers,
footnotes, comments and text boxes are left out. A line break inside a paragraph stays a
``\\n`` and a tab stays a tab; nothing else is changed.

Limits: the main part is read from the zip as a stream and parsed one block of the body at
a time, so reading stops as soon as the XML, the number of blocks, one block's size or the
text passes its limit (:mod:`.limits`, :data:`MAX_BLOCKS`, :data:`MAX_BLOCK_XML_BYTES`),
with :class:`~.limits.TooLarge`. A part with a DOCTYPE (a DTD, entities) is refused: Word
never writes one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, TypedDict, Unpack

from docx.oxml.ns import qn
from lxml import etree

from .limits import DEFAULT_LIMITS, Limits, TooLarge
from .text import IngestError, UnsupportedType

#: Refuse archives that say they unpack to more than this (a zip bomb, or not a memoir).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: The part holding the text, and the largest ``[Content_Types].xml`` read.
_MAIN_PART = "word/document.xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_CHUNK = 64 * 1024
#: Content types of the main part of a Word document (documents, templates, with macros).
_WORD_MAIN_TYPES = frozenset(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "openxmlformats-officedocument.wordprocessingml.document",
        "openxmlformats-officedocument.wordprocessingml.template",
        "ms-word.document.macroEnabled",
        "ms-word.template.macroEnabledTemplate",
    )
)
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_BODY = qn("w:body")
#: The elements that may stand in the body and hold text (the only ones seen in Python).
_TOP_LEVEL = (_P, _TBL, _SDT, _CUSTOM_XML)
#: Paragraphs, tables and content controls a body may hold (a 1,000-page book has some
#: 20,000); more is a document built to take the server's time.
MAX_BLOCKS = 200_000
#: The most XML read without a paragraph or table of the body ending (one block's size):
#: what the parser holds at once stays within this.
MAX_BLOCK_XML_BYTES = 4 * 1024 * 1024
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


def read_docx(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the paragraphs and table cells of a ``.docx`` file, or raise :class:`IngestError`.

    The document's XML is read as a stream, one block of the body at a time, and reading
    stops as soon as the XML or its text passes ``limits`` (:class:`TooLarge`).
    """
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    blocks: list[str] = []
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_package(archive, name)
            with archive.open(_MAIN_PART) as stream:
                for block in _stream_blocks(stream, name, limits):
                    if block:
                        total += len(block) + 2
                        limits.check_chars(total, name)
                        blocks.append(block)
    except zipfile.BadZipFile as exc:
        if "not a zip file" in str(exc).lower():
            raise _not_a_zip(name) from None
        raise IngestError(f"{name}: is a damaged Word document ({exc})") from None
    except (etree.XMLSyntaxError, EOFError, OSError) as exc:
        raise IngestError(f"{name}: is a damaged Word document ({exc})") from None
    if not blocks:
        raise IngestError(f"{name}: the Word document has no text")
    return "\n\n".join(blocks) + "\n"


def _not_a_zip(name: str) -> UnsupportedType:
    return UnsupportedType(
        f"{name}: is not a Word .docx file (it is not a zip archive; "
        "an old .doc file must be saved as .docx first)"
    )


def _check_package(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip that is not Word, or one that says it unpacks too large."""
    members = archive.infolist()
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or _MAIN_PART not in names:
        raise UnsupportedType(
            f"{name}: is a zip archive but not a Word document (it has no word/document.xml)"
        )
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise IngestError(f"{name}: unpacks to more than {limit} MB; it cannot be read here")
    kind = _main_content_type(archive, name)
    if kind not in _WORD_MAIN_TYPES:
        raise UnsupportedType(f"{name}: is not a Word document (it holds {kind or 'no type'})")


def _main_content_type(archive: zipfile.ZipFile, name: str) -> str:
    """The content type ``[Content_Types].xml`` gives the main part (read with a bound)."""
    with archive.open("[Content_Types].xml") as stream:
        data = stream.read(_MAX_CONTENT_TYPES_BYTES + 1)
    if len(data) > _MAX_CONTENT_TYPES_BYTES:
        raise IngestError(f"{name}: is a damaged Word document (its content types are too long)")
    root = _safe_root(data, name)
    for override in root.iter(f"{_CT}Override"):
        if override.get("PartName", "").lower() == "/" + _MAIN_PART:
            return str(override.get("ContentType", ""))
    return ""


class _ParserOptions(TypedDict, total=False):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    remove_comments: bool
    remove_pis: bool


def _parser(**options: Unpack[_ParserOptions]) -> _ParserOptions:
    """An XML parser that never loads a DTD, resolves an entity or reaches the network."""
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, **options}


def _safe_root(data: bytes, name: str) -> etree._Element:
    """Parse a small part whole (safely), refusing a DOCTYPE."""
    root = etree.fromstring(data, etree.XMLParser(**_parser()))
    _refuse_doctype(root, name)
    return root


def _refuse_doctype(root: etree._Element, name: str) -> None:
    """Word never writes a DOCTYPE: one in a part (a DTD, entities) is refused (XXE)."""
    info = root.getroottree().docinfo
    if info.doctype or info.system_url or info.internalDTD is not None:
        raise IngestError(
            f"{name}: its XML declares a DOCTYPE (a DTD or entities), which Word never "
            "writes and which is refused for safety; save it again from Word"
        )


def _stream_blocks(stream: IO[bytes], name: str, limits: Limits) -> Iterator[str]:
    """Parse the main part in chunks; yield the blocks of each child of the body once
    it is complete, then drop it, so memory holds one top-level block at a time.

    Only the ends of block elements reach Python (lxml builds everything else in C); the
    XML read, the number of blocks and the size of one block are bounded, so a document of
    millions of tiny elements is refused within a second or two, in little memory.
    """
    parser = etree.XMLPullParser(
        events=("end",), tag=_TOP_LEVEL, **_parser(remove_comments=True, remove_pis=True)
    )
    read, blocks, since_block = 0, 0, 0
    while chunk := stream.read(_CHUNK):
        if not read:
            _check_prolog(chunk, name)
        read += len(chunk)
        since_block += len(chunk)
        if read > limits.max_xml_bytes:
            raise limits.xml_too_large(name)
        parser.feed(chunk)
        for _, element in parser.read_events():
            parent = element.getparent()
            if parent is None or parent.tag != _BODY:
                continue  # a paragraph inside a table or content control: read with it
            blocks += 1
            since_block = 0
            if blocks > MAX_BLOCKS:
                raise TooLarge(
                    f"{name}: has more than {MAX_BLOCKS:,} paragraphs and tables, the limit; "
                    "split it into smaller documents"
                )
            yield from _blocks([element])
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # what came before is read or not text
                del parent[0]
        if since_block > MAX_BLOCK_XML_BYTES:  # what is held in memory now is bounded
            raise TooLarge(
                f"{name}: has a paragraph or table (or other content) of more than "
                f"{MAX_BLOCK_XML_BYTES // (1024 * 1024)} MB of XML, the limit; "
                "it cannot be read here"
            )
    parser.close()


def _check_prolog(head: bytes, name: str) -> None:
    """Refuse a main part with a DOCTYPE, or whose root does not start in its first chunk."""
    probe = etree.XMLPullParser(events=("start",), **_parser())
    try:
        probe.feed(head)
        root = next((element for _, element in probe.read_events()), None)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"{name}: is a damaged Word document ({exc})") from None
    if root is None:
        raise IngestError(f"{name}: is a damaged Word document (no document element at its start)")
    _refuse_doctype(root, name)


def _blocks(container: Iterable[etree._Element]) -> Iterator[str]:
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


def _nearest_table(row: etree._Element) -> etree._Element | None:
    """Return the table a row belongs to (rows of nested tables belong to their own)."""
    parent = row.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _paragraph_text(element: etree._Element) -> str:
    """Return the text Word shows for a paragraph: its runs, also inside links and insertions."""
    parts: list[str] = []
    for child in element:
        if child.tag == _R:
            parts.extend(_run_text(child))
        elif child.tag in _RUN_CONTAINERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _run_text(run: etree._Element) -> Iterator[str]:
    """Yield the pieces of text of one run: its ``w:t`` text, tabs and line breaks."""
    for child in run:
        if child.tag == _T:
            yield child.text or ""
        elif child.tag in _RUN_MARKS:
            yield _RUN_MARKS[child.tag]
