"""Load the bundled dossiers into the database on first start (public, owned by no one)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..ingest.corpus import Dossier as BundledDossier
from .models import Document, Dossier


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
        for position, meta in enumerate(bundled.documents):
            dossier.documents.append(
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
            )
        session.add(dossier)
        added += 1
    session.flush()
    return added


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
