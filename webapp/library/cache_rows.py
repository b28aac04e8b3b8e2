"""The stored comparisons (the ``comparison_cache`` table): read together with the texts,
stored, and forgotten when they can no longer be read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..collate import Comparison
from ..store import ComparisonCache, Database
from ..store import Document as StoredDocument
from .infos import DossierInfo


def read_cached(
    database: Database, dossier: DossierInfo, key: str, limit: int | None
) -> tuple[dict[str, str], Any] | None:
    """The dossier's texts by slug and the stored result (None if there is none), read in
    one session; None if nothing is stored and the texts hold more than ``limit``
    characters (too long for a request: they are not read)."""
    of_dossier = StoredDocument.dossier_id == dossier.db_id
    with database.session() as session:
        data = session.scalar(
            select(ComparisonCache.data).where(
                ComparisonCache.dossier_id == dossier.db_id, ComparisonCache.key == key
            )
        )
        if data is None and limit is not None:
            # Too long to compare here: decided by the database, without reading the texts.
            chars = session.scalar(
                select(func.sum(func.length(StoredDocument.text))).where(of_dossier)
            )
            if (chars or 0) > limit:
                return None
        rows = session.execute(select(StoredDocument.slug, StoredDocument.text).where(of_dossier))
        texts = {slug: text for slug, text in rows.tuples()}
    return texts, data


def forget(database: Database, dossier_id: int, key: str) -> None:
    """Drop a stored result that can no longer be read, so a new one takes its place."""
    with database.session() as session:
        session.execute(
            delete(ComparisonCache).where(
                ComparisonCache.dossier_id == dossier_id, ComparisonCache.key == key
            )
        )


def store(database: Database, dossier_id: int, key: str, result: Comparison) -> None:
    """Keep a result in the database; another worker storing it first is fine."""
    try:
        with database.session() as session:
            session.add(ComparisonCache(dossier_id=dossier_id, key=key, data=result.to_dict()))
    except IntegrityError:
        pass
