"""People's changes to a dossier's curation: links, marks, notes and sentence boundaries.

Each change is checked before anything is stored, and written with its history row
(:func:`.history.record_change`) in the caller's transaction. Every editable row has a
version: a change based on an older version raises :class:`StaleEdit` (409) and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate import Document, Sentence
from ..collate.curate import adjust_sentences
from ..collate.vocabulary import LABELS
from ..notes import NoteError, check_note
from ..store.dossiers import StaleEdit
from ..store.models import Document as StoredDocument
from ..store.models import Dossier as StoredDossier
from ..store.models import LinkDecision, SentenceMark
from .curation import ACTIONS, CurationError
from .history import Tracked, now, record_change, snapshot


def _check_version(what: str, row: Tracked, expected: int | None) -> None:
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
    row.updated_at = now()
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
        row.updated_at = now()
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
