"""The stand-off part of a TEI import: links, rejected links, marks and their notes.

The pointers resolve against what :mod:`.read` took from the header and the texts (agents,
documents, sentences by xml:id); every value is checked, and a bad one is a ``ValueError``
that says what and where.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

from lxml import etree

from ...collate import DiffOp, Telling
from ..common import kind_problem, label_problem, mark_status_problem, score_problem, status_problem
from ..model import ExportDocument, ExportLink, ExportMark, ExportQuote, RejectedLink
from ..quotations import quote_from_json
from .elements import _at, _attr, _child, _children, _diff, _pointers, _text, _xml_id
from .ids import (
    _T,
    KIND_CATEGORY,
    LABEL_CATEGORY,
    MOVED,
    POSSIBLE_MOVE,
    SIGNIFICANT,
    _unprefixed,
    from_xml_id,
    xml_id,
)


class StandOffReader:
    """The reader's half that resolves pointers and reads the ``standOff`` element."""

    root: etree._Element
    resp: dict[str, str]  # xml:id of a respStmt -> agent
    documents: dict[str, str]  # xml:id -> document id
    sentences: dict[str, tuple[str, int]]  # xml:id -> (document id, index)
    quotes: list[ExportQuote]

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
        told: list[tuple[etree._Element, tuple[str, tuple[int, ...]], Telling]] = []
        for group in _children(stand_off, "linkGrp"):
            account = self._account(group, accounts)
            kind = group.get("type")
            if kind not in ("alignment", "rejected", "tellings"):
                raise ValueError(
                    f"{_at(group)}: @type should be 'alignment', 'rejected' or 'tellings'"
                )
            for element in _children(group, "link"):
                source, witness = self._sides(element, record.id, account)
                element_id = _xml_id(element)
                if kind == "tellings":
                    telling = self._telling(element, witness, diffs)
                    told.append((element, (account, source), telling))
                elif kind == "rejected":
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
        return _with_tellings(links, told), tuple(rejected), tuple(marks)

    def _telling(
        self,
        element: etree._Element,
        witness: tuple[int, ...],
        diffs: dict[str, tuple[DiffOp, ...]],
    ) -> Telling:
        """One telling of a passage told twice: its sentences, kind, score and order."""
        if element.get("type") != "telling":
            raise ValueError(f"{_at(element)}: @type should be 'telling'")
        categories = _pointers(element, "ana")
        kinds = [k for k, c in KIND_CATEGORY.items() if c in categories]
        if len(kinds) != 1 or not categories <= {*KIND_CATEGORY.values(), MOVED, POSSIBLE_MOVE}:
            raise ValueError(
                f"{_at(element)}: @ana should hold one kind, #{MOVED} or #{POSSIBLE_MOVE}"
            )
        return Telling(
            witness=witness,
            score=_score(element),
            kind=kinds[0],
            moved=MOVED in categories,
            possible_move=POSSIBLE_MOVE in categories,
            diff=diffs.get(_xml_id(element), ()),
        )

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
        score = _score(element)
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


def _score(element: etree._Element) -> float:
    """A link's or telling's ``@cert``: the machine's score in [0, 1]."""
    cert = _attr(element, "cert")
    try:
        score = float(cert)
    except ValueError:
        score = math.nan
    if score_problem(score) or not cert.strip():
        raise ValueError(f"{_at(element)}: @cert {cert!r} is not a score in [0, 1]")
    return score


def _with_tellings(
    links: list[ExportLink],
    told: list[tuple[etree._Element, tuple[str, tuple[int, ...]], Telling]],
) -> tuple[ExportLink, ...]:
    """The links with their tellings (each ``link type="telling"`` names its link in
    ``@corresp``: a link of the same account, with the same record side)."""
    by_id = {xml_id(link.id): n for n, link in enumerate(links)}
    tellings: dict[int, list[Telling]] = {}
    for element, (account, source), telling in told:
        parents = _pointers(element, "corresp")
        n = by_id.get(next(iter(parents))) if len(parents) == 1 else None
        if n is None or (links[n].account, links[n].source) != (account, source):
            raise ValueError(
                f"{_at(element)}: @corresp should name one link of its account, "
                "with the same record sentences"
            )
        tellings.setdefault(n, []).append(telling)
    return tuple(
        replace(link, tellings=tuple(tellings[n])) if n in tellings else link
        for n, link in enumerate(links)
    )
