"""Read the reading text of a TEI XML edition: the paragraphs of ``text/body``, safely parsed.

>>> read_tei(b'<TEI><text><body><p>We met <choice><sic>the the</sic>'
...          b'<corr>the</corr></choice> Chairman.<note>A note.</note></p></body></text></TEI>',
...          "memcon.xml")
'We met the Chairman.\\n'

Invariants: each block element (``head``, ``p``, ``ab``, ``l``, ``item``, ``speaker``, a
table ``cell``, a block-level ``quote`` ...) becomes one paragraph, paragraphs are separated
by one blank line and the text ends with one ``\\n``; white space inside a paragraph becomes
single spaces. What an editor added or that is not part of the text is left out: ``note``,
``del``, ``fw`` (running heads), the ``sic``/``orig``/``abbr`` of a ``choice`` when a
``corr``/``reg``/``expan`` is given, ``rdg`` when a ``lem`` is given. A ``lb``/``pb``/``cb``
is a space, or nothing when it has ``break="no"`` (a word broken across lines). The TEI P5
namespace and un-namespaced TEI are both read. The parser never resolves entities, loads a
DTD or reaches the network, and a DOCTYPE that declares entities is refused (XXE, billion
laughs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .text import IngestError, UnsupportedType

TEI_NS = "http://www.tei-c.org/ns/1.0"

#: Elements that make one paragraph each (unless they hold other blocks: then they hold them).
_BLOCKS = frozenset(
    {
        "head", "p", "ab", "l", "item", "speaker", "cell", "label", "dateline", "salute",
        "signed", "byline", "docAuthor", "docDate", "trailer", "stage", "bibl",
    }
)  # fmt: skip
#: Elements that hold blocks and make no paragraph of their own.
_CONTAINERS = frozenset(
    {
        "body", "text", "group", "floatingText", "div", "div1", "div2", "div3", "div4", "div5",
        "div6", "div7", "lg", "list", "sp", "spGrp", "table", "row", "opener", "closer",
        "postscript", "argument", "epigraph", "cit", "figure", "listBibl", "castList",
    }
)  # fmt: skip
#: ``quote`` and ``q`` are blocks only where they stand between blocks, not inside a paragraph.
_BLOCK_LEVEL_QUOTES = frozenset({"quote", "q"})
#: Elements whose content is not part of the reading text.
_DROPPED = frozenset(
    {"note", "del", "fw", "gap", "figDesc", "index", "interp", "interpGrp", "surplus", "teiHeader"}
)
#: Breaks: a space, or nothing with ``break="no"``.
_BREAKS = frozenset({"lb", "pb", "cb"})
#: In a ``choice`` or ``app``, the first present of these is read and the others are not.
_PREFERRED = ("corr", "reg", "expan", "lem")
#: Alternatives that are dropped when a preferred sibling is present.
_ALTERNATIVES = {"sic": "corr", "orig": "reg", "abbr": "expan", "rdg": "lem", "rdgGrp": "lem"}
#: Marks a break with ``break="no"`` while text is gathered; XML text cannot contain NUL.
_JOIN = "\x00"
_JOIN_RE = re.compile(r"\s*\x00\s*")
_SPACE_RE = re.compile(r"\s+")


def read_tei(data: bytes, name: str) -> str:
    """Return the paragraphs of a TEI document's body, or raise :class:`IngestError`."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    root = _parse(data, name)
    if _local(root) not in {"TEI", "teiCorpus"}:
        raise UnsupportedType(
            f"{name}: is not a TEI document (its root element is {_display(root)}, not <TEI>)"
        )
    bodies = [el for el in root.iter() if _local(el) == "body" and _is_text_body(el)]
    if not bodies:
        raise IngestError(f"{name}: is TEI but has no <text><body> to read")
    blocks = [block for body in bodies for block in _blocks(body)]
    if not blocks:
        raise IngestError(f"{name}: the TEI body has no text")
    return "\n\n".join(blocks) + "\n"


def _parse(data: bytes, name: str) -> etree._Element:
    """Parse XML without entities, DTDs or network; refuse entity declarations."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(
            f"{name}: is not well-formed XML (line {exc.lineno}: {exc.msg})"
        ) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities()) or b"<!ENTITY" in data):
        raise IngestError(
            f"{name}: declares entities in its DOCTYPE, which is refused for safety "
            "(entities can read local files or expand without end); remove the DOCTYPE "
            "and upload it again"
        )
    return root


def _local(element: etree._Element) -> str:
    """Return the local name of a TEI (or un-namespaced) element, else its ``{ns}name``."""
    tag = element.tag
    if not isinstance(tag, str):  # an unresolved entity reference
        return ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return local if namespace == TEI_NS else tag
    return tag


def _display(element: etree._Element) -> str:
    """Return an element's name and any namespace, for messages: ``<html>``."""
    name = etree.QName(element)
    namespace = f" in namespace {name.namespace}" if name.namespace else ""
    return f"<{name.localname}>{namespace}"


def _is_text_body(body: etree._Element) -> bool:
    """Tell whether a ``body`` is that of a ``text`` and not nested in another body."""
    parent = body.getparent()
    if parent is None or _local(parent) != "text":
        return False
    return not any(_local(ancestor) == "body" for ancestor in body.iterancestors())


def _blocks(container: etree._Element) -> Iterator[str]:
    """Yield the paragraphs under a container; loose text between blocks is a paragraph too."""
    loose: list[str] = [container.text or ""]
    for child in container:
        kind = _kind(child)
        if kind in {"block", "container"}:
            if paragraph := _paragraph(loose):
                yield paragraph
            loose = []
            if kind == "block":
                if paragraph := _paragraph(_inline(child)):
                    yield paragraph
            else:
                yield from _blocks(child)
        elif kind == "inline":
            loose.extend(_inline(child))
        loose.append(child.tail or "")
    if paragraph := _paragraph(loose):
        yield paragraph


def _kind(element: etree._Element) -> str:
    """Classify an element found between blocks: block, container, inline or dropped."""
    local = _local(element)
    if _is_dropped(element):
        return "dropped"
    if local in _CONTAINERS:
        return "container"
    if local in _BLOCKS or local in _BLOCK_LEVEL_QUOTES:
        holds_blocks = any(
            _local(child) in _BLOCKS or _local(child) in _CONTAINERS for child in element
        )
        return "container" if holds_blocks else "block"
    return "inline"


def _is_dropped(element: etree._Element) -> bool:
    """Tell whether an element's content is left out of the reading text."""
    local = _local(element)
    if local in _DROPPED:
        return True
    preferred = _ALTERNATIVES.get(local)
    if preferred is None:
        return False
    parent = element.getparent()
    return parent is not None and any(_local(sibling) == preferred for sibling in parent)


def _inline(element: etree._Element) -> list[str]:
    """Return the pieces of text an element contributes to a paragraph (without its tail)."""
    local = _local(element)
    if _is_dropped(element) or not local:
        return []
    if local in _BREAKS:
        return [_JOIN if element.get("break") == "no" else " "]
    if local in {"choice", "app"}:
        return _inline(_choose(element)) if len(element) else []
    pieces = [element.text or ""]
    for child in element:
        pieces.extend(_inline(child))
        pieces.append(child.tail or "")
    return pieces


def _choose(choice: etree._Element) -> etree._Element:
    """Return the reading of a ``choice``/``app``: the corrected, regular or expanded one."""
    for wanted in _PREFERRED:
        for child in choice:
            if _local(child) == wanted:
                return child
    return choice[0]


def _paragraph(pieces: list[str]) -> str:
    """Join pieces into one paragraph: breaks with ``break="no"`` join, white space is one."""
    text = _JOIN_RE.sub("", "".join(pieces))
    return _SPACE_RE.sub(" ", text).strip()
