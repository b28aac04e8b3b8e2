"""Read a curated dossier back from TEI P5, checking every value it takes."""

from __future__ import annotations

import json
import math

from lxml import etree

from ...collate import DiffOp, Sentence
from ..common import (
    check_dossier,
    kind_problem,
    label_problem,
    mark_status_problem,
    score_problem,
    status_problem,
)
from ..model import (
    MACHINE,
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportMark,
    ExportQuote,
    HistoryEntry,
    RejectedLink,
)
from ..quotations import quote_from_json
from .elements import (
    _at,
    _attr,
    _child,
    _children,
    _codepoint,
    _diff,
    _int,
    _name,
    _ordered_offsets,
    _parse_int,
    _pointers,
    _text,
    _xml_id,
    parse_tei,
)
from .ids import (
    _T,
    KIND_CATEGORY,
    LABEL_CATEGORY,
    MOVED,
    POSSIBLE_MOVE,
    SIGNIFICANT,
    _unprefixed,
    from_xml_id,
)


def from_tei(data: bytes) -> CuratedDossier:
    """Rebuild the dossier from :func:`to_tei` output; ``ValueError`` says what and where."""
    root = parse_tei(data)
    return _Reader(root).read()


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
