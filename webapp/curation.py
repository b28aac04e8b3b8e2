"""People's curation of a dossier: decisions on links, sentence marks, notes, boundaries, history.

The machine's comparison is cached per (texts, settings); people's decisions are stored
apart, as character spans of the texts, and applied on top of it on every view. So they
survive a re-alignment with other settings, and when a text is edited they are carried to
the new text by passage and offset; what cannot be carried is kept and listed for review.

Every change is written with a :class:`~webapp.store.models.Change` row (who, when, the
state before and after) in the same transaction, and can be reverted. Every editable row
has a version: a change based on an older version raises :class:`StaleEdit` (409) and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .collate import Comparison, Document, Sentence
from .collate.carry import carry_spans, sentences_for_spans
from .collate.curate import Decision, curate
from .export.model import LABELS, MACHINE
from .notes import NoteError, check_note
from .store.dossiers import DossierError, StaleEdit
from .store.models import Change, LinkDecision, SentenceMark
from .store.models import Document as StoredDocument
from .store.models import Dossier as StoredDossier

ACTIONS = ("confirm", "remove", "add")
SIDES = ("record", "account")


class CurationError(DossierError):
    """A curation change was refused; the message says why (400)."""


class NotInDossier(LookupError):
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
                sentences_for_spans(record_doc.sentences, _spans(row.source_spans)),
                sentences_for_spans(account_doc.sentences, _spans(row.witness_spans)),
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


def _spans(raw: Iterable[Any]) -> list[tuple[int, int]]:
    return [(int(start), int(end)) for start, end in raw]


def _link_text(row: LinkDecision) -> str:
    return f"{row.source_text} ⟷ {row.witness_text}"


# --- Changes, each with its history row -------------------------------------------------


def snapshot(row: Any) -> dict[str, Any]:
    """The editable state of a row, as stored in the history (plain JSON values)."""
    if isinstance(row, LinkDecision):
        return {
            "action": row.action,
            "record_id": row.record_id,
            "account_id": row.account_id,
            "source_spans": [list(s) for s in row.source_spans],
            "witness_spans": [list(s) for s in row.witness_spans],
            "source_text": row.source_text,
            "witness_text": row.witness_text,
            "label": row.label,
            "note": row.note,
            "needs_review": row.needs_review,
        }
    if isinstance(row, SentenceMark):
        return {
            "document_id": row.document_id,
            "account_id": row.account_id,
            "start": row.start,
            "end": row.end,
            "text": row.text,
            "significant": row.significant,
            "note": row.note,
            "needs_review": row.needs_review,
        }
    if isinstance(row, StoredDossier):
        return {"notes": row.notes}
    if isinstance(row, StoredDocument):
        return {
            "title": row.title,
            "kind": row.kind,
            "author": row.author,
            "date": row.date,
            "provenance": row.provenance,
            "text": row.text,
            "splits": list(row.splits or []),
            "joins": list(row.joins or []),
        }
    raise TypeError(f"no history for {type(row).__name__}")


_TARGETS: dict[type, str] = {
    LinkDecision: "link",
    SentenceMark: "mark",
    StoredDossier: "dossier",
    StoredDocument: "document",
}
_MODELS = {name: model for model, name in _TARGETS.items()}


def record_change(
    session: Session,
    dossier_id: int,
    who: str,
    row: Any,
    action: str,
    before: dict[str, Any] | None,
    reverts: int | None = None,
) -> Change:
    """Write one history row for a change just made to ``row`` (flushed, so ids exist)."""
    session.flush()
    change = Change(
        dossier_id=dossier_id,
        user_name=who,
        target=_TARGETS[type(row)],
        target_id=row.id,
        action=action,
        before=before,
        after=None if action == "delete" else snapshot(row),
        reverts=reverts,
    )
    session.add(change)
    session.flush()
    return change


def _check_version(what: str, row: Any, expected: int | None) -> None:
    if expected is None:
        raise CurationError(f"say which version of the {what} you edited (version)")
    if expected != row.version:
        raise StaleEdit(f"the {what}", expected, row.version)


def _check_label(label: str | None) -> str | None:
    if label in (None, ""):
        return None
    if label not in LABELS:
        raise CurationError(f"unknown label {label!r} (choose {', '.join(LABELS)})")
    return label


def _note(text: str) -> str:
    try:
        return check_note(text)
    except NoteError as exc:
        raise CurationError(str(exc)) from None


def _sentence_spans(
    sentences: Sequence[Sentence], indices: Iterable[int], side: str
) -> list[list[int]]:
    chosen = sorted(set(indices))
    if not chosen:
        raise CurationError(f"choose at least one {side} sentence")
    for index in chosen:
        if not 0 <= index < len(sentences):
            raise CurationError(f"there is no {side} sentence {index + 1}")
    return [[sentences[i].start, sentences[i].end] for i in chosen]


def decide(
    session: Session,
    dossier: StoredDossier,
    who: str,
    *,
    action: str,
    record: tuple[int, Document],
    account: tuple[int, Document],
    source: Iterable[int],
    witness: Iterable[int],
    label: str | None = None,
    note: str = "",
) -> LinkDecision:
    """Confirm, remove or add a link between record and account sentences (by index)."""
    if action not in ACTIONS:
        raise CurationError(f"unknown action {action!r} (choose {', '.join(ACTIONS)})")
    record_id, record_doc = record
    account_id, account_doc = account
    source_spans = _sentence_spans(record_doc.sentences, source, "record")
    witness_spans = _sentence_spans(account_doc.sentences, witness, "account")
    row = LinkDecision(
        dossier_id=dossier.id,
        record_id=record_id,
        account_id=account_id,
        action=action,
        source_spans=source_spans,
        witness_spans=witness_spans,
        source_text=" ".join(record_doc.text[a:b] for a, b in source_spans),
        witness_text=" ".join(account_doc.text[a:b] for a, b in witness_spans),
        label=_check_label(label),
        note=_note(note),
        created_by=who,
        updated_by=who,
    )
    session.add(row)
    record_change(session, dossier.id, who, row, "create", None)
    return row


def edit_decision(
    session: Session,
    row: LinkDecision,
    who: str,
    expected: int | None,
    changes: Mapping[str, Any],
) -> LinkDecision:
    """Change a decision's label or note (or its action: confirm <-> add)."""
    _check_version("link", row, expected)
    unknown = sorted(set(changes) - {"label", "note", "action"})
    if unknown:
        raise CurationError(f"cannot change {', '.join(unknown)} (editable: label, note, action)")
    before = snapshot(row)
    if "label" in changes:
        row.label = _check_label(changes["label"])
    if "note" in changes:
        if not isinstance(changes["note"], str):
            raise CurationError("note must be text")
        row.note = _note(changes["note"])
    if "action" in changes:
        if changes["action"] not in ACTIONS:
            raise CurationError(f"unknown action {changes['action']!r}")
        row.action = changes["action"]
    if snapshot(row) == before:
        return row
    row.updated_by = who
    row.updated_at = _now()
    record_change(session, row.dossier_id, who, row, "update", before)
    return row


def delete_decision(session: Session, row: LinkDecision, who: str, expected: int | None) -> None:
    """Withdraw a decision: the machine's proposal applies again."""
    _check_version("link", row, expected)
    before = snapshot(row)
    record_change(session, row.dossier_id, who, row, "delete", before)
    session.delete(row)
    session.flush()


def set_mark(
    session: Session,
    dossier: StoredDossier,
    who: str,
    *,
    document_id: int,
    account_id: int,
    sentence: Sentence,
    significant: bool | None,
    note: str,
    expected: int | None,
) -> SentenceMark:
    """Mark a sentence significant or not and/or note it, in one account's comparison."""
    row = session.scalar(
        select(SentenceMark).where(
            SentenceMark.dossier_id == dossier.id,
            SentenceMark.document_id == document_id,
            SentenceMark.account_id == account_id,
            SentenceMark.start == sentence.start,
            SentenceMark.end == sentence.end,
        )
    )
    if row is None:
        row = SentenceMark(
            dossier_id=dossier.id,
            document_id=document_id,
            account_id=account_id,
            start=sentence.start,
            end=sentence.end,
            text=sentence.text,
            significant=significant,
            note=_note(note),
            created_by=who,
            updated_by=who,
        )
        session.add(row)
        record_change(session, dossier.id, who, row, "create", None)
        return row
    _check_version("mark", row, expected)
    before = snapshot(row)
    row.significant = significant
    row.note = _note(note)
    if snapshot(row) != before:
        row.updated_by = who
        row.updated_at = _now()
        record_change(session, dossier.id, who, row, "update", before)
    return row


def set_notes(
    session: Session, dossier: StoredDossier, who: str, notes: str, expected: int | None
) -> None:
    """Change the dossier's notes."""
    _check_version("dossier", dossier, expected)
    before = snapshot(dossier)
    dossier.notes = _note(notes)
    if snapshot(dossier) != before:
        record_change(session, dossier.id, who, dossier, "update", before)


def fix_boundary(
    session: Session,
    document: StoredDocument,
    who: str,
    *,
    action: str,
    offset: int,
    sentences: Sequence[Sentence],
    expected: int | None,
) -> None:
    """Split a sentence at ``offset`` or join the sentence starting there to the previous one.

    ``sentences`` are the document's current sentences (after earlier fixes), so the
    request can be checked before anything is stored.
    """
    from .collate.curate import adjust_sentences

    _check_version("document", document, expected)
    splits = set(document.splits or [])
    joins = set(document.joins or [])
    if action == "split":
        if offset in joins:
            joins.discard(offset)  # undoing a join
        else:
            splits.add(offset)
    elif action == "join":
        if offset in splits:
            splits.discard(offset)  # undoing a split
        else:
            joins.add(offset)
    else:
        raise CurationError(f"unknown boundary action {action!r} (choose split or join)")
    try:
        adjust_sentences(
            document.text,
            sentences,
            [] if action == "join" else [offset],
            [offset] if action == "join" else [],
        )
    except ValueError as exc:
        raise CurationError(str(exc)) from None
    before = snapshot(document)
    document.splits = sorted(splits)
    document.joins = sorted(joins)
    record_change(session, document.dossier_id, who, document, "update", before)


def _carry(
    old_text: str, new_text: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int] | None]:
    """Carry spans to the new text; a span that no longer makes sense is lost, not an error."""
    try:
        return carry_spans(old_text, new_text, spans)
    except ValueError:
        return [None] * len(spans)


def carry_over(session: Session, document: StoredDocument, old_text: str) -> int:
    """After an edit of a text, move every span that refers to it; return how many were lost.

    Decisions and marks whose passage is gone are kept with ``needs_review`` set (listed on
    the dossier page for a person to delete or keep); boundary fixes whose place is gone
    are dropped, since the segmenter's sentence there is new anyway.
    """
    new_text = document.text
    lost = 0
    decisions = session.scalars(
        select(LinkDecision).where(
            LinkDecision.dossier_id == document.dossier_id,
            (LinkDecision.record_id == document.id) | (LinkDecision.account_id == document.id),
        )
    ).all()
    for row in decisions:
        for field, text_field in (
            ("source_spans", "source_text"),
            ("witness_spans", "witness_text"),
        ):
            owner = row.record_id if field == "source_spans" else row.account_id
            if owner != document.id:
                continue
            moved = _carry(old_text, new_text, _spans(getattr(row, field)))
            if any(span is None for span in moved):
                row.needs_review = True
                lost += 1
            else:
                setattr(row, field, [list(span) for span in moved if span is not None])
                setattr(row, text_field, " ".join(new_text[a:b] for a, b in getattr(row, field)))
    marks = session.scalars(
        select(SentenceMark).where(
            SentenceMark.dossier_id == document.dossier_id,
            SentenceMark.document_id == document.id,
        )
    ).all()
    for mark in marks:
        (span,) = _carry(old_text, new_text, [(mark.start, mark.end)])
        if span is None:
            mark.needs_review = True
            lost += 1
        else:
            mark.start, mark.end = span
            mark.text = new_text[mark.start : mark.end]
    for name in ("splits", "joins"):
        offsets = list(getattr(document, name) or [])
        windows = [(o, min(len(old_text), o + 24)) for o in offsets]
        carried = _carry(old_text, new_text, windows)
        setattr(document, name, sorted(span[0] for span in carried if span is not None))
    return lost


def revert(session: Session, change: Change, who: str) -> Change:
    """Undo one change: put its target back in the state before it (a new history row)."""
    if change.imported:
        raise CurationError(
            "this change came with an imported file: it is a record of the dossier it was "
            "exported from and cannot be reverted here"
        )
    model = _MODELS[change.target]
    row = session.get(model, change.target_id) if change.target_id is not None else None
    if row is not None and _dossier_of(row) != change.dossier_id:
        raise NotInDossier(f"this dossier has no {change.target} {change.target_id}")
    if change.before is None:  # it was created: delete it
        if row is None:
            raise CurationError("this was already undone: the item no longer exists")
        before = snapshot(row)
        done = record_change(session, change.dossier_id, who, row, "delete", before, change.id)
        session.delete(row)
        session.flush()
        return done
    if row is None:  # it was deleted: recreate it with its old id
        if model not in (LinkDecision, SentenceMark):
            raise CurationError("this item no longer exists")
        row = model(
            id=change.target_id, dossier_id=change.dossier_id, created_by=who, updated_by=who
        )
        _restore(row, change.before)
        session.add(row)
        return record_change(session, change.dossier_id, who, row, "revert", None, change.id)
    before = snapshot(row)
    old_text = row.text if isinstance(row, StoredDocument) else ""
    _restore(row, change.before)
    if isinstance(row, StoredDocument) and row.text != old_text:
        carry_over(session, row, old_text)
    if isinstance(row, (LinkDecision, SentenceMark)):
        row.updated_by = who
        row.updated_at = _now()
    return record_change(session, change.dossier_id, who, row, "revert", before, change.id)


def _dossier_of(row: Any) -> int:
    """The id of the dossier a curated row belongs to (a dossier: its own)."""
    return int(row.id if isinstance(row, StoredDossier) else row.dossier_id)


def _restore(row: Any, state: Mapping[str, Any]) -> None:
    for field, value in state.items():
        setattr(row, field, value)


def _now() -> datetime:
    from .store.models import _now as now

    return now()
