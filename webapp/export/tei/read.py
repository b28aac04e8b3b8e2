"""Read a curated dossier back from TEI P5, checking every value it takes."""

from __future__ import annotations

import json

from lxml import etree

from ...collate import Sentence
from ..common import check_dossier
from ..model import MACHINE, CuratedDossier, ExportDocument, ExportQuote, HistoryEntry
from .elements import (
    _at,
    _attr,
    _child,
    _children,
    _codepoint,
    _int,
    _name,
    _ordered_offsets,
    _parse_int,
    _text,
    _xml_id,
    parse_tei,
)
from .ids import _T, from_xml_id
from .read_standoff import StandOffReader


def from_tei(data: bytes) -> CuratedDossier:
    """Rebuild the dossier from :func:`to_tei` output; ``ValueError`` says what and where."""
    root = parse_tei(data)
    return _Reader(root).read()


class _Reader(StandOffReader):
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
