"""Small lxml helpers of the TEI writer and reader: text and elements built, and read back."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime

from lxml import etree

from ...collate import DiffOp
from ..common import (
    DIFF_OPS,
)
from .ids import _INLINE, _NOT_XML, _T, _XSD_DATETIME, XML_ID, XML_SPACE, _resp_id


def _link_notes(target_id: str, resp: str, note: str, created: str | None) -> list[etree._Element]:
    """The standOff notes of a link, rejected link or mark: its comment and decision time."""
    notes = []
    if note:
        notes.append(
            _loose_text(
                "note",
                note,
                type="comment",
                target="#" + target_id,
                resp="#" + _resp_id(resp),
            )
        )
    if created is not None:
        element = etree.Element(_T + "note", type="created", target="#" + target_id)
        _date_el(element, created)
        notes.append(element)
    return notes


def _role(n: int) -> str:
    return "record" if n == 0 else "account"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _T + tag, attrs)


def _append_text(element: etree._Element, text: str) -> None:
    """Append ``text`` at the end of ``element``'s content, characters XML lacks as ``c``."""
    position = 0
    for match in _NOT_XML.finditer(text):
        _append_plain(element, text[position : match.start()])
        char = _sub(element, "c", type="codepoint", n=f"U+{ord(match.group()):04X}")
        char.tail = None
        position = match.end()
    _append_plain(element, text[position:])


def _append_plain(element: etree._Element, text: str) -> None:
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _loose_text(tag: str, text: str, **attrs: str) -> etree._Element:
    """A free-standing element holding ``text`` (see :func:`_text_el`)."""
    element = etree.Element(_T + tag, attrs)
    _fill(element, text)
    return element


def _text_el(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    """A child element holding ``text`` exactly; ``xml:space`` says when whitespace matters."""
    element = _sub(parent, tag, **attrs)
    _fill(element, text)
    return element


def _fill(element: etree._Element, text: str) -> None:
    _append_text(element, text)
    if text != " ".join(text.split()):
        element.set(XML_SPACE, "preserve")


def _idno(parent: etree._Element, kind: str, value: str, where: str) -> None:
    """An ``idno`` (whose content may not hold ``c``): refuses characters XML lacks."""
    if _NOT_XML.search(value):
        raise ValueError(f"{where}: {value!r} holds a character XML cannot carry")
    element = _sub(parent, "idno", type=kind)
    element.text = value
    if value != " ".join(value.split()):
        element.set(XML_SPACE, "preserve")


def _date_el(parent: etree._Element, value: str, **attrs: str) -> None:
    """A ``date`` holding ``value`` as text, with ``@when`` when it is a W3C date or time."""
    element = _text_el(parent, "date", value, **attrs)
    if _is_w3c_date(value):
        element.set("when", value)


def _is_w3c_date(value: str) -> bool:
    """Whether ``value`` is an xsd:date or xsd:dateTime that a validator accepts."""
    match = _XSD_DATETIME.match(value)
    if not match:
        return False
    zone = match.group(3) or ""
    if zone not in ("", "Z") and (int(zone[1:3]) * 60 + int(zone[4:6])) > 14 * 60:
        return False
    try:
        if "T" in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _is_token(value: str) -> bool:
    """Whether ``value`` is a TEI enumerated value: no separators, no control characters."""
    return bool(value) and all(unicodedata.category(c)[0] not in "CZ" for c in value)


def _json_text(value: object) -> str:
    """JSON that XML can carry: non-ASCII kept readable, what XML lacks as ``\\uXXXX``.

    ``json`` already escapes C0 controls; what is left (U+FFFE, U+FFFF, lone surrogates)
    is in the Basic Multilingual Plane, so one ``\\u`` escape each is exact.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _indent(element: etree._Element, level: int = 0) -> None:
    """Pretty-print structure only: never touch text, ``xml:space="preserve"`` or inline parts."""
    children = list(element)
    if (
        not children
        or element.get(XML_SPACE) == "preserve"
        or element.text
        or any(child.tag in _INLINE or child.tail for child in children)
    ):
        return
    element.text = "\n" + "  " * (level + 1)
    for child in children:
        child.tail = "\n" + "  " * (level + 1)
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def parse_tei(data: bytes) -> etree._Element:
    """Parse untrusted XML safely: no DTD, no entities, no network; ``ValueError`` if bad."""
    if not isinstance(data, bytes):
        raise ValueError(f"TEI: expected bytes, got {type(data).__name__}")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("TEI: DOCTYPE and entity declarations are not accepted")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"TEI: not well-formed XML: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ValueError("TEI: DOCTYPE and entity declarations are not accepted")
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise ValueError("TEI: entity references are not accepted")
    return root


def _name(element: etree._Element) -> str:
    return f"<{etree.QName(element).localname}>" if isinstance(element.tag, str) else "a node"


def _at(element: etree._Element) -> str:
    """Where ``element`` is, for messages: its line, name and ``xml:id``."""
    ident = element.get(XML_ID)
    what = _name(element) if ident is None else f"{_name(element)[:-1]} xml:id={ident!r}>"
    return f"TEI line {element.sourceline} {what}"


def _children(parent: etree._Element, tag: str) -> list[etree._Element]:
    return list(parent.iterchildren(_T + tag))


def _child(parent: etree._Element, tag: str, kind: str | None = None) -> etree._Element:
    for child in parent.iterchildren(_T + tag):
        if kind is None or child.get("type") == kind:
            return child
    typed = f" type={kind!r}" if kind else ""
    raise ValueError(f"{_at(parent)}: missing <{tag}{typed}>")


def _attr(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise ValueError(f"{_at(element)}: missing @{name}")
    return str(value)


def _xml_id(element: etree._Element) -> str:
    value = element.get(XML_ID)
    if not value:
        raise ValueError(f"{_at(element)}: missing xml:id")
    return str(value)


def _pointers(element: etree._Element, name: str) -> set[str]:
    pointers = (element.get(name) or "").split()
    if any(not p.startswith("#") for p in pointers):
        raise ValueError(f"{_at(element)}: @{name} should hold '#id' pointers")
    return {p[1:] for p in pointers}


def _int(element: etree._Element, name: str) -> int:
    return _parse_int(_attr(element, name), f"@{name}", element)


def _parse_int(value: str, what: str, element: etree._Element) -> int:
    if not re.fullmatch(r"-?[0-9]+", value):
        raise ValueError(f"{_at(element)}: {what} {value!r} is not an integer")
    return int(value)


def _codepoint(element: etree._Element) -> str:
    value = element.get("n", "")
    if element.get("type") != "codepoint" or not re.fullmatch(r"U\+[0-9A-F]{4,6}", value):
        raise ValueError(f"{_at(element)}: expected type='codepoint' and n='U+XXXX'")
    code = int(value[2:], 16)
    if code > 0x10FFFF:
        raise ValueError(f"{_at(element)}: {value} is not a code point")
    return chr(code)


def _text(element: etree._Element) -> str:
    """The exact text of a text-carrying element (``c`` children read as their character)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _T + "c":
            parts.append(_codepoint(child))
        elif isinstance(child.tag, str):
            raise ValueError(f"{_at(child)}: unexpected {_name(child)} in {_name(element)}")
        parts.append(child.tail or "")
    return "".join(parts)


def _diff(note: etree._Element) -> tuple[DiffOp, ...]:
    try:
        rows = json.loads(_text(note))
    except ValueError:
        rows = None
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == 2 and r[0] in DIFF_OPS and isinstance(r[1], str)
        for r in rows
    ):
        raise ValueError(f"{_at(note)}: the diff is not JSON [[operation, text], ...]")
    return tuple(DiffOp(op, text) for op, text in rows)


def _ordered_offsets(anchors: list[tuple[int, int]], text: etree._Element) -> tuple[int, ...]:
    """Anchor offsets in the order of their ``@n`` (their places in the tuple)."""
    ordered = sorted(anchors)
    if [n for n, _ in ordered] != list(range(len(ordered))):
        raise ValueError(f"{_at(text)}: anchors of one type should be numbered 0, 1, 2, ...")
    return tuple(offset for _, offset in ordered)
