"""TEI P5 export and import of a curated dossier, lossless: ``from_tei(to_tei(d)) == d``.

Layout (``schema/memcon-tei.rng`` is the exact subset, ``validate_tei`` checks a file):

* ``teiHeader``: ``titleStmt`` with the title and one ``respStmt`` per agent
  (``xml:id="resp-machine"``, ``resp-<name>``); ``publicationStmt`` with the dossier's id
  (``idno type="dossier"``), URL (``idno type="URI"``) and export time (``date
  type="exported"``); ``notesStmt`` with the description, the dossier's note and the engine
  settings (JSON); ``sourceDesc/listBibl`` with one ``bibl`` per document (title, author,
  date, ``idno type="version"``, kind, provenance); ``classDecl`` with the categories that
  ``@ana`` points to; ``settingDesc`` with the dossier's date; ``revisionDesc/listChange``
  with the history (``change`` with ``@n`` = id, ``@type`` = action, ``@who``, a ``date``,
  a ``label`` for the target and ``note type="before"/"after"`` holding the JSON text).
* ``text/group``: one ``text xml:id="<doc>" type="record|account"`` per document; its body
  has ``p xml:space="preserve"`` paragraphs with ``s xml:id="<doc>-s<n>"`` (n 1-based) around
  every sentence. **Text**: the string value of the ``p`` elements, concatenated, is the
  document text exactly; whitespace between sentences stays inside the paragraphs (a
  paragraph ends after a gap that holds a blank line), and whitespace outside ``p`` is
  indentation. Characters XML cannot carry (C0 controls but tab/newline/CR, U+FFFE/U+FFFF,
  lone surrogates) are ``<c type="codepoint" n="U+000C"/>``; carriage returns are written
  as ``&#13;``. Splits and joins are empty ``<anchor type="split|join" n="<k>"/>`` at their
  offsets (``n`` is the place in the tuple, so order and repeats survive).
* ``standOff``: per account ``linkGrp type="alignment" corresp="#<account>"`` of
  ``link xml:id="<link id>" target="#<record sentences> #<account sentences>"`` with
  ``@type`` = the label (spaces as hyphens) or else the machine kind (for readers only),
  ``@subtype`` = status (machine, confirmed, added), ``@resp`` = ``#resp-<name>``,
  ``@cert`` = the score (shortest exact decimal), ``@ana`` = ``#memcon-kind-<kind>``,
  ``#memcon-label-<label>`` when labelled, ``#memcon-moved`` when moved and
  ``#memcon-possible-move`` when off the order on weak evidence only. Rejected
  machine links are in ``linkGrp type="rejected"`` (``xml:id="rejected-<id>"``). Notes on
  links are ``note type="comment" target="#<id>"``, diffs ``note type="diff"`` (JSON
  ``[[op, text], ...]``), decision times ``note type="created"`` with a ``date``. Marks are
  ``span xml:id="mark-<id>" target="#<sentence>" type="<omitted|added|linked>"
  corresp="#<account>"`` in a ``spanGrp type="marks"``, with ``@ana`` =
  ``#memcon-significant`` / ``#memcon-not-significant`` (absent: not decided); a mark's note
  is a ``note type="comment"`` pointing to the span (``span`` may not hold ``c``, notes may).
  Consecutive links of one account share a ``linkGrp``, so the dossier's
  order of links is kept. Each quotation check is a ``note type="quotation"`` pointing to
  the account sentence that quotes (``target="#<account>-s<n>"``), holding the engine's JSON
  of the check (``status`` exact, altered or not_found, ``changes`` record -> account).
* Free text elsewhere (titles, names, notes, dates, history) is element content, exact:
  ``xml:space="preserve"`` marks each one whose whitespace is more than single spaces, and
  it may hold ``c`` too; only ``idno`` values (dossier id and URL) must be XML characters.

Ids: a document or link id that is not an ASCII NCName (``[A-Za-z][A-Za-z0-9.-]*``) is
written ``_`` + the id with every other character as ``_<hex>_`` (``1993-memcon`` ->
``_1993-memcon``), which :func:`from_xml_id` reverses. Two things needing the same
``xml:id`` make the export fail with a ``ValueError``.
"""

from __future__ import annotations

import functools
import json
import math
import re
import string
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from importlib import resources

from lxml import etree

from ..collate import LINK_KINDS, DiffOp, Sentence
from .common import (
    DIFF_OPS,
    check_dossier,
    kind_problem,
    label_problem,
    mark_status_problem,
    score_problem,
    status_problem,
)
from .model import (
    LABELS,
    MACHINE,
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportMark,
    ExportQuote,
    HistoryEntry,
    RejectedLink,
)
from .quotations import quote_from_json, quote_json

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


# --- ids -------------------------------------------------------------------------------------


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


# --- export ----------------------------------------------------------------------------------


def to_tei(d: CuratedDossier) -> bytes:
    """The dossier as a pretty-printed, UTF-8 TEI P5 document (see the module docstring)."""
    check_dossier(d)
    writer = _Writer(d)
    root = writer.build()
    _indent(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8")) + b"\n"


class _Writer:
    """Builds the TEI tree of one dossier, handing out (and checking) the ``xml:id`` s."""

    def __init__(self, d: CuratedDossier) -> None:
        self.d = d
        self.ids: dict[str, str] = {}
        self.documents = (d.record, *d.accounts)
        self.doc_ids = {
            doc.id: self.claim(xml_id(doc.id), f"document {doc.id!r}") for doc in self.documents
        }

    def claim(self, value: str, what: str) -> str:
        """Reserve ``value`` as an ``xml:id`` for ``what``; two claims of one id fail."""
        if value in self.ids:
            raise ValueError(f"xml:id {value!r} would name both {self.ids[value]} and {what}")
        self.ids[value] = what
        return value

    def sentence_ref(self, document: str, index: int) -> str:
        """The pointer to a sentence: ``#<doc xml:id>-s<n>`` with n 1-based."""
        return f"#{self.doc_ids[document]}-s{index + 1}"

    def build(self) -> etree._Element:
        """The ``TEI`` element: header, texts, then the stand-off alignment."""
        d = self.d
        root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
        header = _sub(root, "teiHeader")
        file_desc = _sub(header, "fileDesc")
        title_stmt = _sub(file_desc, "titleStmt")
        _text_el(title_stmt, "title", d.title)
        people = sorted(
            (
                {link.resp for link in d.links}
                | {r.resp for r in d.rejected}
                | {m.resp for m in d.marks}
                | {h.who for h in d.history}
            )
            - {MACHINE}
        )
        for name in (MACHINE, *people):
            resp_stmt = _sub(title_stmt, "respStmt")
            resp_stmt.set(XML_ID, self.claim(_resp_id(name), f"agent {name!r}"))
            if name == MACHINE:
                _text_el(resp_stmt, "resp", "proposed the machine alignment")
                _text_el(resp_stmt, "name", "memcon", type="software")
            else:
                _text_el(resp_stmt, "resp", "curation")
                _text_el(resp_stmt, "name", name, type="person")
        publication = _sub(file_desc, "publicationStmt")
        _text_el(publication, "publisher", "memcon")
        _idno(publication, "dossier", d.id, "id")
        _idno(publication, "URI", d.url, "url")
        _date_el(publication, d.exported, type="exported")
        notes = _sub(file_desc, "notesStmt")
        _text_el(notes, "note", d.description, type="description")
        _text_el(notes, "note", d.note, type="dossier")
        _text_el(notes, "note", _json_text(d.settings), type="settings")
        bibls = _sub(_sub(file_desc, "sourceDesc"), "listBibl")
        for n, doc in enumerate(self.documents):
            where = "record" if n == 0 else f"accounts[{n - 1}]"
            bibl = _sub(bibls, "bibl", type=_role(n), corresp="#" + self.doc_ids[doc.id])
            _text_el(bibl, "title", doc.title)
            _text_el(bibl, "author", doc.author)
            _date_el(bibl, doc.date)
            _idno(bibl, "version", str(doc.version), f"{where}.version")
            _text_el(bibl, "note", doc.kind, type="kind")
            _text_el(bibl, "note", doc.provenance, type="provenance")
        self._categories(_sub(_sub(header, "encodingDesc"), "classDecl"))
        setting = _sub(_sub(_sub(header, "profileDesc"), "settingDesc"), "setting")
        _date_el(setting, d.date)
        if d.history:
            changes = _sub(_sub(header, "revisionDesc"), "listChange")
            for n, entry in enumerate(d.history):
                self._change(changes, entry, f"history[{n}]")
        group = _sub(_sub(root, "text"), "group")
        for n, doc in enumerate(self.documents):
            text = _sub(group, "text", type=_role(n))
            text.set(XML_ID, self.doc_ids[doc.id])
            self._body(_sub(text, "body"), doc)
        stand_off = etree.Element(_T + "standOff")
        self._links(stand_off)
        if len(stand_off):
            root.append(stand_off)
        return root

    def _categories(self, class_decl: etree._Element) -> None:
        taxonomy = _sub(class_decl, "taxonomy")
        taxonomy.set(XML_ID, self.claim("memcon-categories", "the taxonomy"))
        described = [
            *((LABEL_CATEGORY[label], f"label: {label}") for label in LABELS),
            *((KIND_CATEGORY[kind], f"machine kind: {kind}") for kind in LINK_KINDS),
            (MOVED, "moved: outside the longest order-preserving chain of links"),
            (POSSIBLE_MOVE, "possible move: outside that chain on weak evidence only"),
            (SIGNIFICANT[True], "marked significant by a curator"),
            (SIGNIFICANT[False], "marked not significant by a curator"),
        ]
        for category_id, description in described:
            category = _sub(taxonomy, "category")
            category.set(XML_ID, self.claim(category_id, "a category"))
            _text_el(category, "catDesc", description)

    def _change(self, changes: etree._Element, entry: HistoryEntry, where: str) -> None:
        if not _is_token(entry.action):
            raise ValueError(f"{where}.action: {entry.action!r} is not a single word")
        change = _sub(changes, "change", n=str(entry.id), type=entry.action)
        change.set("who", "#" + _resp_id(entry.who))
        if _is_w3c_date(entry.when):
            change.set("when", entry.when)
        _date_el(change, entry.when)
        _text_el(change, "label", entry.target)
        for kind, value in (("before", entry.before), ("after", entry.after)):
            if value is not None:
                _text_el(change, "note", value, type=kind)

    def _body(self, body: etree._Element, doc: ExportDocument) -> None:
        """Paragraphs of ``doc``: its text exactly, sentences wrapped, anchors at offsets."""
        anchors = sorted(
            [(offset, "split", k) for k, offset in enumerate(doc.splits)]
            + [(offset, "join", k) for k, offset in enumerate(doc.joins)]
        )
        out = _TextOut(doc.text, anchors)
        sentences = doc.sentences
        starts = [0] + [
            k
            for k in range(1, len(sentences))
            if _BLANK_LINE.search(doc.text[sentences[k - 1].end : sentences[k].start])
        ]
        bounds = [*starts, len(sentences)]
        for number in range(len(starts)):
            first, last = bounds[number], bounds[number + 1]
            is_last = number == len(starts) - 1
            p = _sub(body, "p")
            p.set(XML_SPACE, "preserve")
            out.element = p
            for sentence in sentences[first:last]:
                out.write_to(sentence.start)
                s = _sub(p, "s")
                s_id = self.sentence_ref(doc.id, sentence.index)[1:]
                s.set(XML_ID, self.claim(s_id, f"sentence {sentence.index} of {doc.id!r}"))
                out.element = s
                out.write_to(sentence.end)
                out.element = p
            out.write_to(len(doc.text) if is_last else sentences[last].start, final=is_last)

    def _links(self, stand_off: etree._Element) -> None:
        d = self.d
        notes: list[etree._Element] = []
        group: etree._Element | None = None
        for link in d.links:
            if group is None or group.get("corresp") != "#" + self.doc_ids[link.account]:
                group = _sub(stand_off, "linkGrp", type="alignment")
                group.set("corresp", "#" + self.doc_ids[link.account])
            link_id = self.claim(xml_id(link.id), f"link {link.id!r}")
            ana = [KIND_CATEGORY[link.kind]]
            if link.label is not None:
                ana.append(LABEL_CATEGORY[link.label])
            if link.moved:
                ana.append(MOVED)
            if link.possible_move:
                ana.append(POSSIBLE_MOVE)
            element = _sub(
                group,
                "link",
                target=self._target(link),
                type=(link.label or link.kind).replace(" ", "-"),
                subtype=link.status,
                resp="#" + _resp_id(link.resp),
                cert=repr(float(link.score)),
                ana=" ".join("#" + a for a in ana),
            )
            element.set(XML_ID, link_id)
            notes += _link_notes(link_id, link.resp, link.note, link.created)
            if link.diff:
                diff = _json_text([op.to_list() for op in link.diff])
                notes.append(_loose_text("note", diff, type="diff", target="#" + link_id))
        group = None
        for rejected in d.rejected:
            if group is None or group.get("corresp") != "#" + self.doc_ids[rejected.account]:
                group = _sub(stand_off, "linkGrp", type="rejected")
                group.set("corresp", "#" + self.doc_ids[rejected.account])
            rejected_id = self.claim(
                _prefixed("rejected-", rejected.id), f"rejected link {rejected.id!r}"
            )
            element = _sub(group, "link", target=self._target(rejected))
            element.set("resp", "#" + _resp_id(rejected.resp))
            element.set(XML_ID, rejected_id)
            notes += _link_notes(rejected_id, rejected.resp, rejected.note, rejected.created)
        if d.marks:
            spans = _sub(stand_off, "spanGrp", type="marks")
            for mark in d.marks:
                mark_id = self.claim(_prefixed("mark-", mark.id), f"mark {mark.id!r}")
                span = _sub(spans, "span")
                span.set(XML_ID, mark_id)
                span.set("target", self.sentence_ref(mark.document, mark.index))
                span.set("type", mark.status)
                span.set("corresp", "#" + self.doc_ids[mark.account])
                if mark.significant is not None:
                    span.set("ana", "#" + SIGNIFICANT[mark.significant])
                span.set("resp", "#" + _resp_id(mark.resp))
                notes += _link_notes(mark_id, mark.resp, mark.note, mark.created)
        for found in d.quotes:
            target = self.sentence_ref(found.account, found.quote.witness)
            text = _json_text(quote_json(found))
            notes.append(_loose_text("note", text, type="quotation", target=target))
        for note in notes:
            stand_off.append(note)

    def _target(self, link: ExportLink | RejectedLink) -> str:
        return " ".join(
            [self.sentence_ref(self.d.record.id, i) for i in link.source]
            + [self.sentence_ref(link.account, j) for j in link.witness]
        )


class _TextOut:
    """Writes a document's text into the current element, in order, with anchors and ``c``."""

    def __init__(self, text: str, anchors: list[tuple[int, str, int]]) -> None:
        self.text = text
        self.anchors = anchors
        self.next_anchor = 0
        self.position = 0
        self.element: etree._Element | None = None

    def write_to(self, end: int, final: bool = False) -> None:
        """Write the text up to ``end`` and the anchors before it (or at it, when ``final``)."""
        while self.next_anchor < len(self.anchors):
            offset, kind, k = self.anchors[self.next_anchor]
            if offset > end or (offset == end and not final):
                break
            self._chars(self.text[self.position : offset])
            self.position = offset
            assert self.element is not None
            _sub(self.element, "anchor", type=kind, n=str(k))
            self.next_anchor += 1
        self._chars(self.text[self.position : end])
        self.position = end

    def _chars(self, text: str) -> None:
        assert self.element is not None
        _append_text(self.element, text)


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


# --- import ----------------------------------------------------------------------------------


def from_tei(data: bytes) -> CuratedDossier:
    """Rebuild the dossier from :func:`to_tei` output; ``ValueError`` says what and where."""
    root = parse_tei(data)
    return _Reader(root).read()


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


class _Reader:
    """Reads the tree :class:`_Writer` builds, checking every value it takes."""

    def __init__(self, root: etree._Element) -> None:
        if root.tag != _T + "TEI":
            raise ValueError(
                f"TEI: the root element is {_name(root)}, not TEI in the TEI namespace"
            )
        self.root = root
        self.resp: dict[str, str] = {}
        self.documents: dict[str, str] = {}  # xml:id -> document id
        self.sentences: dict[str, tuple[str, int]] = {}  # xml:id -> (document id, index)
        self.quotes: list[ExportQuote] = []

    def read(self) -> CuratedDossier:
        """The whole dossier: header, documents, history, then the stand-off alignment."""
        root = self.root
        header = _child(root, "teiHeader")
        file_desc = _child(header, "fileDesc")
        title_stmt = _child(file_desc, "titleStmt")
        for resp_stmt in _children(title_stmt, "respStmt"):
            name = _child(resp_stmt, "name")
            agent = MACHINE if name.get("type") == "software" else _text(name)
            self.resp[_xml_id(resp_stmt)] = agent
        publication = _child(file_desc, "publicationStmt")
        notes = _child(file_desc, "notesStmt")
        settings_text = _text(_child(notes, "note", "settings"))
        try:
            settings = json.loads(settings_text)
        except ValueError:
            settings = None
        if not isinstance(settings, dict):
            raise ValueError(f"{_at(notes)}: the settings note is not a JSON object")
        bibls = _children(_child(_child(file_desc, "sourceDesc"), "listBibl"), "bibl")
        group = _child(_child(root, "text"), "group")
        texts = _children(group, "text")
        if len(texts) != len(bibls) or not texts:
            raise ValueError(f"{_at(group)}: {len(texts)} texts for {len(bibls)} bibl entries")
        documents = [
            self._document(text, bibl, n)
            for n, (text, bibl) in enumerate(zip(texts, bibls, strict=True))
        ]
        record, accounts = documents[0], tuple(documents[1:])
        setting = _child(_child(_child(header, "profileDesc"), "settingDesc"), "setting")
        revision = header.find(_T + "revisionDesc")
        history: tuple[HistoryEntry, ...] = ()
        if revision is not None:
            history = tuple(
                self._change(c) for c in _children(_child(revision, "listChange"), "change")
            )
        links, rejected, marks = self._stand_off(record, {a.id: a for a in accounts})
        d = CuratedDossier(
            id=_text(_child(publication, "idno", "dossier")),
            title=_text(_child(title_stmt, "title")),
            date=_text(_child(setting, "date")),
            description=_text(_child(notes, "note", "description")),
            url=_text(_child(publication, "idno", "URI")),
            note=_text(_child(notes, "note", "dossier")),
            record=record,
            accounts=accounts,
            links=links,
            rejected=rejected,
            marks=marks,
            history=history,
            exported=_text(_child(publication, "date", "exported")),
            settings=settings,
            quotes=tuple(self.quotes),
        )
        check_dossier(d)
        return d

    def _quote(self, note: etree._Element, target: str) -> ExportQuote:
        """A quotation check: the account from the sentence it points to, the rest JSON."""
        found = self.sentences.get(target)
        if found is None:
            raise ValueError(f"{_at(note)}: target {target!r} is not a sentence")
        try:
            data = json.loads(_text(note))
        except ValueError:
            raise ValueError(f"{_at(note)}: the quotation is not JSON") from None
        return quote_from_json(data, _at(note), found[0])

    def _document(self, text: etree._Element, bibl: etree._Element, n: int) -> ExportDocument:
        """One document: its text rebuilt from the paragraphs, sentence offsets as it goes."""
        expected = "record" if n == 0 else "account"
        if text.get("type") != expected:
            raise ValueError(f"{_at(text)}: @type should be {expected!r}")
        text_id = _xml_id(text)
        if bibl.get("corresp") != "#" + text_id:
            raise ValueError(f"{_at(bibl)}: @corresp should be '#{text_id}'")
        doc_id = from_xml_id(text_id)
        self.documents[text_id] = doc_id
        parts: list[str] = []
        sentences: list[Sentence] = []
        anchors: dict[str, list[tuple[int, int]]] = {"split": [], "join": []}
        position = 0

        def add(chunk: str | None) -> None:
            nonlocal position
            if chunk:
                parts.append(chunk)
                position += len(chunk)

        def walk(element: etree._Element, in_sentence: bool) -> None:
            add(element.text)
            for child in element:
                if not isinstance(child.tag, str):  # comment or processing instruction
                    pass
                elif child.tag == _T + "s" and not in_sentence:
                    start = position
                    walk(child, True)
                    sid = _xml_id(child)
                    if sid in self.sentences:
                        raise ValueError(f"{_at(child)}: xml:id {sid!r} is used twice")
                    self.sentences[sid] = (doc_id, len(sentences))
                    sentences.append(Sentence(len(sentences), start, position, ""))
                elif child.tag == _T + "c":
                    add(_codepoint(child))
                elif child.tag == _T + "anchor":
                    kind = child.get("type", "")
                    if kind not in anchors:
                        raise ValueError(f"{_at(child)}: @type should be 'split' or 'join'")
                    anchors[kind].append((_int(child, "n"), position))
                else:
                    raise ValueError(f"{_at(child)}: unexpected {_name(child)} in running text")
                add(child.tail)

        body = _child(text, "body")
        for p in body:
            if p.tag != _T + "p" and isinstance(p.tag, str):
                raise ValueError(f"{_at(p)}: a body holds only <p> paragraphs")
            if p.tag == _T + "p":
                walk(p, False)
        full = "".join(parts)
        sentences = [Sentence(s.index, s.start, s.end, full[s.start : s.end]) for s in sentences]
        where = "record" if n == 0 else f"account {doc_id!r}"
        return ExportDocument(
            id=doc_id,
            title=_text(_child(bibl, "title")),
            author=_text(_child(bibl, "author")),
            date=_text(_child(bibl, "date")),
            kind=_text(_child(bibl, "note", "kind")),
            provenance=_text(_child(bibl, "note", "provenance")),
            version=_parse_int(_text(_child(bibl, "idno", "version")), f"{where} version", bibl),
            text=full,
            sentences=tuple(sentences),
            splits=_ordered_offsets(anchors["split"], text),
            joins=_ordered_offsets(anchors["join"], text),
        )

    def _change(self, change: etree._Element) -> HistoryEntry:
        """One history entry; a missing before/after note stands for ``None``."""
        values = {"before": None, "after": None} | {
            note.get("type", ""): _text(note) for note in _children(change, "note")
        }
        if set(values) != {"before", "after"}:
            raise ValueError(f"{_at(change)}: notes may only be of type 'before' or 'after'")
        return HistoryEntry(
            id=_int(change, "n"),
            when=_text(_child(change, "date")),
            who=self._agent(change, "who"),
            target=_text(_child(change, "label")),
            action=_attr(change, "type"),
            before=values["before"],
            after=values["after"],
        )

    def _agent(self, element: etree._Element, attribute: str) -> str:
        pointer = _attr(element, attribute)
        agent = self.resp.get(pointer[1:]) if pointer.startswith("#") else None
        if agent is None:
            raise ValueError(f"{_at(element)}: @{attribute} {pointer!r} is not a respStmt")
        return agent

    def _account(self, element: etree._Element, accounts: dict[str, ExportDocument]) -> str:
        pointer = _attr(element, "corresp")
        account = self.documents.get(pointer[1:]) if pointer.startswith("#") else None
        if account is None or account not in accounts:
            raise ValueError(f"{_at(element)}: @corresp {pointer!r} is not an account")
        return account

    def _sides(
        self, link: etree._Element, record: str, account: str
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        source: list[int] = []
        witness: list[int] = []
        for pointer in _attr(link, "target").split():
            found = self.sentences.get(pointer[1:]) if pointer.startswith("#") else None
            if found is None:
                raise ValueError(f"{_at(link)}: target {pointer!r} is not a sentence")
            document, index = found
            if document == record:
                source.append(index)
            elif document == account:
                witness.append(index)
            else:
                raise ValueError(f"{_at(link)}: target {pointer!r} is in neither side's document")
        return tuple(source), tuple(witness)

    def _stand_off(
        self, record: ExportDocument, accounts: dict[str, ExportDocument]
    ) -> tuple[tuple[ExportLink, ...], tuple[RejectedLink, ...], tuple[ExportMark, ...]]:
        stand_off = self.root.find(_T + "standOff")
        if stand_off is None:
            return (), (), ()
        comments: dict[str, str] = {}
        diffs: dict[str, tuple[DiffOp, ...]] = {}
        created: dict[str, str] = {}
        for note in _children(stand_off, "note"):
            target = _attr(note, "target")[1:]
            kind = note.get("type")
            if kind == "comment":
                comments[target] = _text(note)
            elif kind == "diff":
                diffs[target] = _diff(note)
            elif kind == "created":
                created[target] = _text(_child(note, "date"))
            elif kind == "quotation":
                self.quotes.append(self._quote(note, target))
            else:
                raise ValueError(f"{_at(note)}: unknown note type {kind!r}")
        links: list[ExportLink] = []
        rejected: list[RejectedLink] = []
        for group in _children(stand_off, "linkGrp"):
            account = self._account(group, accounts)
            kind = group.get("type")
            if kind not in ("alignment", "rejected"):
                raise ValueError(f"{_at(group)}: @type should be 'alignment' or 'rejected'")
            for element in _children(group, "link"):
                source, witness = self._sides(element, record.id, account)
                element_id = _xml_id(element)
                if kind == "rejected":
                    rejected_id = _unprefixed("rejected-", element_id)
                    if rejected_id is None:
                        raise ValueError(f"{_at(element)}: xml:id should start with 'rejected-'")
                    rejected.append(
                        RejectedLink(
                            id=rejected_id,
                            account=account,
                            source=source,
                            witness=witness,
                            resp=self._agent(element, "resp"),
                            created=created.get(element_id),
                            note=comments.get(element_id, ""),
                        )
                    )
                else:
                    links.append(
                        self._link(
                            element,
                            element_id,
                            account,
                            (source, witness),
                            (
                                comments.get(element_id, ""),
                                created.get(element_id),
                                diffs.get(element_id, ()),
                            ),
                        )
                    )
        marks = []
        for spans in _children(stand_off, "spanGrp"):
            for span in _children(spans, "span"):
                marks.append(self._mark(span, accounts, comments, created))
        return tuple(links), tuple(rejected), tuple(marks)

    def _link(
        self,
        element: etree._Element,
        element_id: str,
        account: str,
        sides: tuple[tuple[int, ...], tuple[int, ...]],
        notes: tuple[str, str | None, tuple[DiffOp, ...]],
    ) -> ExportLink:
        """One alignment link; ``notes`` are its comment, decision time and diff."""
        source, witness = sides
        note, created, diff = notes
        categories = _pointers(element, "ana")
        kinds = [k for k, c in KIND_CATEGORY.items() if c in categories]
        labels = [label for label, c in LABEL_CATEGORY.items() if c in categories]
        known = set(KIND_CATEGORY.values()) | set(LABEL_CATEGORY.values()) | {MOVED, POSSIBLE_MOVE}
        if len(kinds) != 1 or len(labels) > 1 or not categories <= known:
            raise ValueError(
                f"{_at(element)}: @ana should hold one kind, at most one label, "
                f"#{MOVED} and #{POSSIBLE_MOVE}"
            )
        status = _attr(element, "subtype")
        if problem := status_problem(status):
            raise ValueError(f"{_at(element)}: @subtype {problem}")
        cert = _attr(element, "cert")
        try:
            score = float(cert)
        except ValueError:
            score = math.nan
        if score_problem(score) or not cert.strip():
            raise ValueError(f"{_at(element)}: @cert {cert!r} is not a score in [0, 1]")
        label = labels[0] if labels else None
        for problem in (kind_problem(kinds[0]), label_problem(label)):
            if problem:
                raise ValueError(f"{_at(element)}: {problem}")
        return ExportLink(
            id=from_xml_id(element_id),
            account=account,
            source=source,
            witness=witness,
            score=score,
            kind=kinds[0],
            moved=MOVED in categories,
            possible_move=POSSIBLE_MOVE in categories,
            status=status,
            resp=self._agent(element, "resp"),
            label=label,
            note=note,
            created=created,
            diff=diff,
        )

    def _mark(
        self,
        span: etree._Element,
        accounts: dict[str, ExportDocument],
        comments: dict[str, str],
        created: dict[str, str],
    ) -> ExportMark:
        span_id = _xml_id(span)
        mark_id = _unprefixed("mark-", span_id)
        if mark_id is None:
            raise ValueError(f"{_at(span)}: xml:id should start with 'mark-'")
        pointer = _attr(span, "target")
        found = self.sentences.get(pointer[1:]) if pointer.startswith("#") else None
        if found is None:
            raise ValueError(f"{_at(span)}: target {pointer!r} is not a sentence")
        status = _attr(span, "type")
        if problem := mark_status_problem(status):
            raise ValueError(f"{_at(span)}: @type {problem}")
        categories = _pointers(span, "ana")
        significant = {SIGNIFICANT[True]: True, SIGNIFICANT[False]: False}
        if len(categories) > 1 or not categories <= set(significant):
            raise ValueError(
                f"{_at(span)}: @ana should be #{SIGNIFICANT[True]} or #{SIGNIFICANT[False]}"
            )
        return ExportMark(
            id=mark_id,
            document=found[0],
            account=self._account(span, accounts),
            index=found[1],
            status=status,
            significant=significant[next(iter(categories))] if categories else None,
            note=comments.get(span_id, ""),
            resp=self._agent(span, "resp"),
            created=created.get(span_id),
        )


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


# --- validation ------------------------------------------------------------------------------


@functools.cache
def _schema() -> etree.RelaxNG:
    source = resources.files(__package__).joinpath("schema", SCHEMA_FILE).read_bytes()
    return etree.RelaxNG(etree.fromstring(source))


def validate_tei(data: bytes) -> list[str]:
    """Problems of a TEI file against ``schema/memcon-tei.rng`` and its pointers (empty: valid).

    Beyond the schema, every ``#id`` in ``@target``, ``@corresp``, ``@resp``, ``@who`` and
    ``@ana`` must name an element of the file.
    """
    try:
        root = parse_tei(data)
    except ValueError as exc:
        return [str(exc)]
    schema = _schema()
    problems = []
    if not schema.validate(root):
        problems += [f"line {e.line}: {e.message}" for e in schema.error_log]
    ids = {element.get(XML_ID) for element in root.iter() if element.get(XML_ID) is not None}
    for element in root.iter():
        for pointer in _all_pointers(element):
            if pointer[1:] not in ids:
                problems.append(f"line {element.sourceline}: {pointer!r} points to no element")
    return problems


def _all_pointers(element: etree._Element) -> Iterator[str]:
    if not isinstance(element.tag, str):
        return
    for name in ("target", "corresp", "resp", "who", "ana"):
        for pointer in (element.get(name) or "").split():
            if pointer.startswith("#"):
                yield pointer
