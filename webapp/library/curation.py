"""People's curation of a dossier, read side: their decisions and marks applied on top.

The machine's comparison is cached per (texts, settings); people's decisions are stored
apart, as character spans of the texts, and applied on top of it on every view
(:func:`apply`). So they survive a re-alignment with other settings, and when a text is
edited they are carried to the new text (:mod:`.history`); what cannot be carried is kept
and listed for review. Changes are made in :mod:`.edits`, each with its history row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate import Comparison, Document
from ..collate.carry import sentences_for_spans
from ..collate.curate import Decision, curate
from ..collate.vocabulary import MACHINE
from ..errors import NotFound
from ..store.dossiers import DossierError
from ..store.models import LinkDecision, SentenceMark

ACTIONS = ("confirm", "remove", "add")
SIDES = ("record", "account")


class CurationError(DossierError):
    """A curation change was refused; the message says why (400)."""


class NotInDossier(NotFound):
    """A change names a row that belongs to another dossier: shown as 404, nothing touched.

    Rows are always reached through the dossier in the URL; ids are never reused, so this
    only happens with a history written before that (or a forged one).
    """


@dataclass(frozen=True, slots=True)
class LinkState:
    """Who stands behind one link of a curated result, and what they said of it."""

    status: str  # machine, confirmed, added
    decision: int | None = None
    version: int | None = None
    label: str | None = None
    note: str = ""
    resp: str = MACHINE
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class MarkState:
    """A person's mark on one sentence in one account's comparison."""

    id: int
    version: int
    significant: bool | None
    note: str
    resp: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Rejection:
    """A machine link a person removed, as shown in the lists and exports."""

    decision: int
    version: int
    source: tuple[int, ...]
    witness: tuple[int, ...]
    resp: str
    created: datetime
    note: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A decision or mark whose sentences an edit of a text lost: kept for a person to check."""

    target: str  # link or mark
    id: int
    version: int
    account: str
    text: str


@dataclass(frozen=True, slots=True)
class AccountCuration:
    """The curation of one account: a state per link, marks by (side, index), rejections."""

    states: tuple[LinkState, ...]
    marks: Mapping[tuple[str, int], MarkState]
    rejected: tuple[Rejection, ...]


# --- Applying decisions to a comparison -------------------------------------------------


def apply(
    session: Session,
    dossier_id: int,
    record: tuple[int, Document],
    accounts: Sequence[tuple[int, Document]],
    comparison: Comparison,
) -> tuple[Comparison, tuple[AccountCuration, ...], tuple[ReviewItem, ...]]:
    """Apply the stored decisions and marks of a dossier to the machine's comparison.

    ``record`` and ``accounts`` pair each document's database id with the engine document
    (whose sentences the comparison used). Returns the curated comparison, the curation of
    each account, and what needs review.
    """
    record_id, record_doc = record
    decisions = session.scalars(
        select(LinkDecision)
        .where(LinkDecision.dossier_id == dossier_id)
        .order_by(LinkDecision.updated_at, LinkDecision.id)
    ).all()
    marks = session.scalars(select(SentenceMark).where(SentenceMark.dossier_id == dossier_id)).all()
    names = {doc_id: doc.name for doc_id, doc in accounts}
    review = [
        ReviewItem("link", row.id, row.version, names.get(row.account_id, ""), _link_text(row))
        for row in decisions
        if row.needs_review
    ] + [
        ReviewItem("mark", row.id, row.version, names.get(row.account_id, ""), row.text)
        for row in marks
        if row.needs_review
    ]
    witnesses = []
    curations = []
    for (account_id, account_doc), result in zip(accounts, comparison.witnesses, strict=True):
        rows = {
            str(row.id): row
            for row in decisions
            if row.account_id == account_id and row.record_id == record_id and not row.needs_review
        }
        wanted = [
            Decision(
                row.action,
                sentences_for_spans(record_doc.sentences, as_spans(row.source_spans)),
                sentences_for_spans(account_doc.sentences, as_spans(row.witness_spans)),
                ref,
            )
            for ref, row in rows.items()
        ]
        wanted = [d for d in wanted if d.source and d.witness]
        curated = curate(record_doc, account_doc, result, wanted)
        states = tuple(_state(rows[ref]) if ref else LinkState("machine") for ref in curated.refs)
        rejected = tuple(
            Rejection(
                rows[ref].id,
                rows[ref].version,
                next(d.source for d in wanted if d.ref == ref),
                next(d.witness for d in wanted if d.ref == ref),
                rows[ref].updated_by or rows[ref].created_by,
                rows[ref].created_at,
                rows[ref].note,
            )
            for ref in curated.rejected
        )
        account_marks = {}
        for row in marks:
            if row.account_id != account_id or row.needs_review:
                continue
            side = "record" if row.document_id == record_id else "account"
            if side == "account" and row.document_id != account_id:
                continue
            sentences = record_doc.sentences if side == "record" else account_doc.sentences
            for index in sentences_for_spans(sentences, [(row.start, row.end)])[:1]:
                account_marks[(side, index)] = MarkState(
                    row.id,
                    row.version,
                    row.significant,
                    row.note,
                    row.updated_by or row.created_by,
                    row.created_at,
                )
        witnesses.append(curated.result)
        curations.append(AccountCuration(states, account_marks, rejected))
    return replace(comparison, witnesses=tuple(witnesses)), tuple(curations), tuple(review)


def _state(row: LinkDecision) -> LinkState:
    return LinkState(
        status="confirmed" if row.action == "confirm" else "added",
        decision=row.id,
        version=row.version,
        label=row.label,
        note=row.note,
        resp=row.updated_by or row.created_by,
        created=row.created_at,
    )


def as_spans(raw: Iterable[Any]) -> list[tuple[int, int]]:
    """Stored spans (JSON lists) as (start, end) pairs of ints."""
    return [(int(start), int(end)) for start, end in raw]


def _link_text(row: LinkDecision) -> str:
    return f"{row.source_text} ⟷ {row.witness_text}"
