"""Write a curated dossier as TEI P5 (the layout is described in :mod:`webapp.export.tei`)."""

from __future__ import annotations

from lxml import etree

from ...collate import LINK_KINDS
from ..common import (
    check_dossier,
)
from ..model import (
    LABELS,
    MACHINE,
    CuratedDossier,
    ExportDocument,
    ExportLink,
    HistoryEntry,
    RejectedLink,
)
from ..quotations import quote_json
from .elements import (
    _append_text,
    _date_el,
    _idno,
    _indent,
    _is_token,
    _is_w3c_date,
    _json_text,
    _link_notes,
    _loose_text,
    _role,
    _sub,
    _text_el,
)
from .ids import (
    _BLANK_LINE,
    _T,
    KIND_CATEGORY,
    LABEL_CATEGORY,
    MOVED,
    POSSIBLE_MOVE,
    SIGNIFICANT,
    TEI_NS,
    XML_ID,
    XML_SPACE,
    _prefixed,
    _resp_id,
    xml_id,
)


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
        notes += self._tellings(stand_off)
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

    def _tellings(self, stand_off: etree._Element) -> list[etree._Element]:
        """Per account, a ``linkGrp type="tellings"``: one ``link type="telling"`` per
        telling of a passage told twice, ``@corresp`` its link, with its own sentences,
        score, kind and order; return the tellings' diff notes."""
        notes: list[etree._Element] = []
        groups: dict[str, etree._Element] = {}
        for link in self.d.links:
            for k, told in enumerate(link.tellings, start=1):
                group = groups.get(link.account)
                if group is None:
                    group = _sub(stand_off, "linkGrp", type="tellings")
                    group.set("corresp", "#" + self.doc_ids[link.account])
                    groups[link.account] = group
                told_id = self.claim(
                    _prefixed("telling-", f"{link.id}.{k}"), f"telling {k} of link {link.id!r}"
                )
                ana = [KIND_CATEGORY[told.kind]]
                ana += [MOVED] if told.moved else [POSSIBLE_MOVE] if told.possible_move else []
                targets = [self.sentence_ref(self.d.record.id, i) for i in link.source]
                targets += [self.sentence_ref(link.account, j) for j in told.witness]
                element = _sub(
                    group,
                    "link",
                    target=" ".join(targets),
                    type="telling",
                    corresp="#" + xml_id(link.id),
                    resp="#" + _resp_id(MACHINE),
                    cert=repr(float(told.score)),
                    ana=" ".join("#" + a for a in ana),
                )
                element.set(XML_ID, told_id)
                if told.diff:
                    diff = _json_text([op.to_list() for op in told.diff])
                    notes.append(_loose_text("note", diff, type="diff", target="#" + told_id))
        return notes

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
