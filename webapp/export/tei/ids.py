"""Namespaces, ``@ana`` categories and the ``xml:id`` scheme shared by the TEI writer and reader."""

from __future__ import annotations

import re
import string

from ...collate import LINK_KINDS
from ..model import (
    LABELS,
    MACHINE,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_SPACE = f"{{{XML_NS}}}space"
SCHEMA_FILE = "memcon-tei.rng"

#: ``@ana`` categories (declared in the header's taxonomy).
LABEL_CATEGORY = {label: "memcon-label-" + label.replace(" ", "-") for label in LABELS}
KIND_CATEGORY = {kind: "memcon-kind-" + kind for kind in LINK_KINDS}
MOVED = "memcon-moved"
POSSIBLE_MOVE = "memcon-possible-move"
SIGNIFICANT = {True: "memcon-significant", False: "memcon-not-significant"}
RESP_MACHINE = "resp-machine"

_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9.-]*\Z")
_SAFE_CHARS = frozenset(string.ascii_letters + string.digits + ".-")
_ESCAPED = re.compile(r"_([0-9a-f]+)_")
#: Characters an XML 1.0 document cannot hold, even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_XSD_DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?\Z", re.ASCII
)
#: Elements that are part of running text: never indented around.
_INLINE = frozenset({_T + "s", _T + "c", _T + "anchor"})


def xml_id(value: str) -> str:
    """A valid ``xml:id`` (NCName) for ``value``, reversibly (see :func:`from_xml_id`).

    >>> xml_id("zavidovo-1993-memcon"), xml_id("1993 memo_1")
    ('zavidovo-1993-memcon', '_1993_20_memo_5f_1')
    >>> from_xml_id(xml_id("1993 memo_1"))
    '1993 memo_1'
    """
    if _SAFE_ID.match(value):
        return value
    return "_" + _escape(value)


def from_xml_id(value: str) -> str:
    """The id that :func:`xml_id` turned into ``value``."""
    if not value.startswith("_"):
        return value
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value[1:])


def _escape(value: str) -> str:
    return "".join(c if c in _SAFE_CHARS else f"_{ord(c):x}_" for c in value)


def _prefixed(prefix: str, value: str) -> str:
    return prefix + _escape(value)


def _unprefixed(prefix: str, value: str) -> str | None:
    if not value.startswith(prefix):
        return None
    return from_xml_id("_" + value[len(prefix) :])


def _resp_id(name: str) -> str:
    return RESP_MACHINE if name == MACHINE else _prefixed("resp-", name)
