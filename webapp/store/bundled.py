"""Load the bundled dossiers into the database on first start (public, owned by no one).

A bundled dossier with a teaching key (``key.json`` beside its texts) gets it as its first
frozen answer key, checked against the texts as the web app segments them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate import Document as EngineDocument
from ..ingest.corpus import Dossier as BundledDossier
from ..ingest.keyfile import frozen, read_key
from .models import AnswerKey, Document, Dossier

#: Who froze a bundled teaching key.
BUNDLED_BY = "memcon project"


def load_bundled(session: Session, dossiers: list[BundledDossier]) -> int:
    """Add every bundled dossier that is not stored yet; return how many were added."""
    known = set(session.scalars(select(Dossier.slug)))
    added = 0
    for bundled in dossiers:
        if bundled.id in known:
            continue
        dossier = Dossier(
            slug=bundled.id,
            title=bundled.title,
            date=bundled.date,
            description=bundled.description,
            note=bundled.note,
            visibility="public",
            bundled=True,
            variants=dict(bundled.variants),
            phrases=[list(p) for p in bundled.phrases],
        )
        dossier.documents.extend(_documents(bundled))
        session.add(dossier)
        session.flush()
        _add_key(session, bundled, dossier)
        added += 1
    session.flush()
    return added


def _documents(bundled: BundledDossier) -> list[Document]:
    """The stored documents of a bundled dossier, in its metadata's order."""
    return [
        Document(
            slug=meta.file.rsplit(".", 1)[0],
            position=position,
            title=meta.title,
            author=meta.author,
            date=meta.date,
            kind=meta.kind,
            provenance=meta.provenance,
            source=meta.source,
            reconstructed=meta.reconstructed,
            is_record=meta.file == bundled.record,
            filename=meta.file,
            text=bundled.text(meta),
        )
        for position, meta in enumerate(bundled.documents)
    ]


def _add_key(session: Session, bundled: BundledDossier, dossier: Dossier) -> None:
    """Store the dossier's bundled teaching key, if it has one, as its key version 1."""
    key = read_key(bundled.folder)
    if key is None:
        return
    stored = {doc.filename: doc for doc in dossier.documents}
    documents = {
        file: EngineDocument.from_text(doc.title, doc.text) for file, doc in stored.items()
    }
    ids = {file: (doc.id, doc.version) for file, doc in stored.items()}
    snapshot = frozen(key, documents, ids)
    session.add(
        AnswerKey(
            dossier_id=dossier.id,
            version=1,
            source="bundled",
            note=key.teacher_note,
            frozen_by=BUNDLED_BY,
            data=snapshot.to_dict(),
        )
    )


def record_of(dossier: Dossier) -> Document | None:
    """The reference document: the chosen one, else the first memcon, else the first."""
    documents = list(dossier.documents)
    for pick in (
        lambda d: d.is_record,
        lambda d: d.kind == "memcon",
        lambda d: True,
    ):
        found = next((d for d in documents if pick(d)), None)
        if found is not None:
            return found
    return None
