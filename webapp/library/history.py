"""The history of a dossier's curation: snapshots, change records, revert, carry-over.

Every change is written with a :class:`~webapp.store.models.Change` row (who, when, the
state before and after) in the same transaction as the change, so it can be listed and
reverted. When a text is edited, the spans people's decisions refer to are carried to the
new text (:func:`carry_over`); what cannot be carried is kept and flagged for review.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate.carry import carry_spans
from ..store.database import Database
from ..store.models import Change, LinkDecision, SentenceMark, _now
from ..store.models import Document as StoredDocument
from ..store.models import Dossier as StoredDossier
from .curation import CurationError, NotInDossier, as_spans

#: A row whose changes are recorded, by the name its history rows use.
Tracked = LinkDecision | SentenceMark | StoredDossier | StoredDocument


def snapshot(row: Tracked) -> dict[str, Any]:
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
    row: Tracked,
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


def load_history(
    session: Session, dossier_id: int, target: str | None = None, target_id: int | None = None
) -> list[Change]:
    """The dossier's changes, newest first, optionally of one target (detached rows)."""
    query = select(Change).where(Change.dossier_id == dossier_id)
    if target:
        query = query.where(Change.target == target)
    if target_id is not None:  # imported changes name rows of another dossier
        query = query.where(Change.target_id == target_id, Change.imported.is_(False))
    rows = session.scalars(query.order_by(Change.id.desc())).all()
    for row in rows:
        session.expunge(row)
    return list(rows)


def dossier_changes(
    database: Database, dossier_id: int, target: str | None = None, target_id: int | None = None
) -> list[Change]:
    """:func:`load_history` in a session of its own (for the history page and exports)."""
    with database.session() as session:
        return load_history(session, dossier_id, target, target_id)


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
    lost = _carry_decisions(session, document, old_text) + _carry_marks(session, document, old_text)
    new_text = document.text
    for name in ("splits", "joins"):
        offsets = list(getattr(document, name) or [])
        windows = [(o, min(len(old_text), o + 24)) for o in offsets]
        carried = _carry(old_text, new_text, windows)
        setattr(document, name, sorted(span[0] for span in carried if span is not None))
    return lost


def _carry_decisions(session: Session, document: StoredDocument, old_text: str) -> int:
    """Carry the link decisions' spans in ``document``; the number flagged for review."""
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
            moved = _carry(old_text, new_text, as_spans(getattr(row, field)))
            if any(span is None for span in moved):
                row.needs_review = True
                lost += 1
            else:
                setattr(row, field, [list(span) for span in moved if span is not None])
                setattr(row, text_field, " ".join(new_text[a:b] for a, b in getattr(row, field)))
    return lost


def _carry_marks(session: Session, document: StoredDocument, old_text: str) -> int:
    """Carry the sentence marks in ``document``; the number flagged for review."""
    new_text = document.text
    lost = 0
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
        row.updated_at = now()
    return record_change(session, change.dossier_id, who, row, "revert", before, change.id)


def _dossier_of(row: Tracked) -> int:
    """The id of the dossier a curated row belongs to (a dossier: its own)."""
    return int(row.id if isinstance(row, StoredDossier) else row.dossier_id)


def _restore(row: Tracked, state: Mapping[str, Any]) -> None:
    for field, value in state.items():
        setattr(row, field, value)


def now() -> datetime:
    """The time a change is stamped with (the store's clock)."""
    return _now()
