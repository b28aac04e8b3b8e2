"""The history page's data: every change of a dossier in words, with its revert advice.

One database session reads the changes and the texts they refer to; the texts are
segmented as the compare view segments them, so R3 here is R3 there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..store.database import Database
from ..store.models import Document as StoredDocument
from .history import load_history
from .history_advice import Advice, advise
from .history_words import Described, Text, describe, dossier_texts
from .infos import DossierInfo


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the history page."""

    described: Described
    advice: Advice


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """The lines shown (newest first) and, for one row's history, what the row is."""

    entries: tuple[Entry, ...]
    subject: str


def read_history(
    database: Database, info: DossierInfo, target: str | None = None, target_id: int | None = None
) -> HistoryPage:
    """The dossier's history in words (``target``/``target_id``: one row's changes only);
    the advice always weighs the whole history, since a later change elsewhere can
    override a decision."""
    with database.session() as session:
        changes = load_history(session, info.db_id)
        rows = session.execute(
            select(StoredDocument.id, StoredDocument.text).where(
                StoredDocument.dossier_id == info.db_id
            )
        ).all()
    texts = dossier_texts(info, {doc_id: text for doc_id, text in rows if doc_id is not None})
    advice = advise(changes, texts)
    shown = [
        c
        for c in changes
        if (not target or c.target == target)
        and (target_id is None or (c.target_id == target_id and not c.imported))
    ]
    entries = tuple(Entry(describe(c, texts), advice[c.id]) for c in shown)
    subject = entries[0].described.subject if entries and target_id is not None else ""
    return HistoryPage(entries, subject)


def revert_advice(database: Database, info: DossierInfo, change_id: int) -> Advice | None:
    """What reverting one change would do (None for a change this dossier lacks)."""
    page = read_history(database, info)
    found = next((e for e in page.entries if e.described.change.id == change_id), None)
    return found.advice if found else None


__all__ = ["Entry", "HistoryPage", "Text", "read_history", "revert_advice"]
