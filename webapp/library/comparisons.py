"""The dossiers a person may see, and their comparisons, cached per document versions.

Reads the store, checks visibility (public, secret link, or owner/members/admins) and
answers with plain view objects the pages and the API render. A comparison is computed
once per (document versions, reference, settings): kept in memory, and stored in the
database so that it survives a restart; a changed document changes the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate import (
    ENGINE_VERSION,
    SCHEMA_VERSION,
    Comparison,
    Document,
    Settings,
    compare,
)
from ..collate.curate import adjust_sentences
from ..errors import NotFound, StillComputing
from ..store import Database, User
from ..store import Document as StoredDocument
from ..store import Dossier as StoredDossier
from . import curation
from .access import Need, check
from .cache_rows import forget, read_cached, store
from .infos import METADATA, Account, DocInfo, DossierComparison, DossierInfo, Entry, info
from .keylocks import KeyLocks

__all__ = [
    "Account",
    "DocInfo",
    "DossierComparison",
    "DossierInfo",
    "Entry",
    "Gate",
    "Library",
    "cache_key",
    "compute",
    "document_of",
    "engine_settings",
    "info",
    "load_or_compute",
    "stored_dossier",
]


class Gate(Protocol):
    """Decides whether a comparison is computed here or in the background (the jobs).

    It is asked with what the computation then uses: the sum of the texts' lengths (from
    the database, so that a dossier too long is never read), else the texts themselves.
    """

    #: More characters than this in a dossier's texts: computed in the background.
    chars: int

    def wants_background(self, texts: Iterable[str]) -> bool:
        """Whether a dossier of these texts is too much work for a request."""

    def defer(self, dossier: DossierInfo, key: str, user: User | None) -> None:
        """Queue the comparison: raise :class:`~webapp.errors.StillComputing`, or return
        once it is stored (a queue that runs tasks at once)."""


class Library:
    """Read access to the stored dossiers, with permission checks and a result cache."""

    def __init__(self, database: Database, jobs: Gate | None = None) -> None:
        self.database = database
        self._cache: dict[str, DossierComparison] = {}
        #: One lock per cache key: the same comparison is computed once at a time; a key's
        #: lock is dropped when no request holds or waits for it.
        self._locks = KeyLocks()
        #: Background comparisons of large dossiers (None: always computed in the request).
        self.jobs = jobs

    def visible(self, user: User | None, shares: Collection[str] = ()) -> list[DossierInfo]:
        """The dossiers this person may see, by date then title."""
        with self.database.session() as session:
            rows = session.scalars(select(StoredDossier).options(*METADATA)).all()
            infos = [info(row) for row in rows]
        return sorted(
            (d for d in infos if d.can_read(user, shares)), key=lambda d: (d.date, d.title)
        )

    def overview(self, user: User | None, shares: Collection[str] = ()) -> list[Entry]:
        """Every dossier this person may see with its comparison, for the library page.

        One database session for all the dossiers whose comparison is cached; only the
        others (computed now, or in the background) take sessions of their own.
        """
        with self.database.session() as session:
            rows = session.scalars(select(StoredDossier).options(*METADATA)).all()
            dossiers = sorted(
                (d for d in map(info, rows) if d.can_read(user, shares)),
                key=lambda d: (d.date, d.title),
            )
            warm = {
                d.id: self._curated(session, cached, d)
                for d in dossiers
                if d.documents and (cached := self._cache.get(cache_key(d))) is not None
            }
        return [self._entry(d, warm.get(d.id), user, shares) for d in dossiers]

    def _entry(
        self,
        dossier: DossierInfo,
        warm: DossierComparison | None,
        user: User | None,
        shares: Collection[str],
    ) -> Entry:
        if warm is not None or not dossier.documents:
            return Entry(dossier, warm)
        try:
            return Entry(dossier, self.comparison(dossier.id, user, shares))
        except StillComputing as pending:
            return Entry(dossier, None, pending.job)

    def dossier(self, slug: str, user: User | None, shares: Collection[str] = ()) -> DossierInfo:
        """The dossier with this slug if this person may see it, else :class:`NotFound`."""
        with self.database.session() as session:
            return self._visible(session, slug, user, shares)

    def _visible(
        self,
        session: Session,
        slug: str,
        user: User | None,
        shares: Collection[str],
        need: Need = Need.READ,
    ) -> DossierInfo:
        row = session.scalar(
            select(StoredDossier).where(StoredDossier.slug == slug).options(*METADATA)
        )
        return check(info(row) if row is not None else None, slug, user, need, shares)

    def text_of(self, document: DocInfo) -> str:
        """The stored text of one document the caller has already shown to be visible."""
        with self.database.session() as session:
            text = session.scalar(
                select(StoredDocument.text).where(StoredDocument.id == document.id)
            )
        return text or ""

    def comparison(
        self,
        slug: str,
        user: User | None,
        shares: Collection[str] = (),
        reference: str | None = None,
        need: Need = Need.READ,
    ) -> DossierComparison:
        """The dossier compared against its record (or another reference), cached, if this
        person may do ``need`` with it (reading, by default).

        On a warm cache this is one database session: the dossier, its visibility and
        people's curation read together.
        """
        with self.database.session() as session:
            dossier = _against(self._visible(session, slug, user, shares, need), reference)
            key = cache_key(dossier)
            cached = self._cache.get(key)
            if cached is not None:
                return self._curated(session, cached, dossier)
        cached = self._cached_or_computed(dossier, key, user)
        with self.database.session() as session:
            return self._curated(session, cached, dossier)

    def machine(
        self, dossier: DossierInfo, user: User | None, reference: str | None = None
    ) -> DossierComparison:
        """The machine's comparison of a dossier already checked (no curation applied).

        For changes, which need the sentences but not people's links: no database
        session on a warm cache.
        """
        dossier = _against(dossier, reference)
        key = cache_key(dossier)
        return self._cache.get(key) or self._cached_or_computed(dossier, key, user)

    def _cached_or_computed(
        self, dossier: DossierInfo, key: str, user: User | None
    ) -> DossierComparison:
        """The machine's comparison for this key, computed at most once at a time per key.

        One lock per key: requests for the same dossier wait for one computation, requests
        for different dossiers compute side by side.
        """
        with self._locks.hold(key):
            cached = self._cache.get(key)
            if cached is None:  # a large dossier raises jobs.Pending
                cached = load_or_compute(self.database, dossier, key, gate=self.jobs, user=user)
                self._cache[key] = cached
        return cached

    def _curated(
        self, session: Session, machine: DossierComparison, dossier: DossierInfo
    ) -> DossierComparison:
        """People's decisions and marks applied to the machine's (cached) comparison."""
        comparison, curations, review = curation.apply(
            session,
            machine.dossier.db_id,
            (machine.record_meta.id, machine.record),
            [(a.meta.id, a.document) for a in machine.accounts],
            machine.comparison,
        )
        accounts = tuple(
            replace(account, result=result, curation=curated)
            for account, result, curated in zip(
                machine.accounts, comparison.witnesses, curations, strict=True
            )
        )
        return replace(
            machine,
            dossier=dossier,  # as stored now (notes, visibility), not as when computed
            accounts=accounts,
            comparison=comparison,
            review=review,
            machine=machine.comparison,
        )

    def compute(
        self, dossier: DossierInfo, key: str, progress: Callable[[str, float], None]
    ) -> None:
        """Compute and store a comparison here and now (a background job's work)."""
        compute(self.database, dossier, key, progress)


def compute(
    database: Database,
    dossier: DossierInfo,
    key: str,
    progress: Callable[[str, float], None],
) -> None:
    """Compute and store a comparison here and now (a background job's work)."""
    load_or_compute(database, dossier, key, progress)


def load_or_compute(
    database: Database,
    dossier: DossierInfo,
    key: str,
    progress: Callable[[str, float], None] | None = None,
    *,
    gate: Gate | None = None,
    user: User | None = None,
) -> DossierComparison:
    """The stored comparison for this key, or else computed and stored.

    The cache row and the texts are read once, in one session; the ``gate`` (the jobs)
    decides on those same texts whether the request computes it or a job does.
    """
    loaded = read_cached(database, dossier, key, gate.chars if gate else None)
    if loaded is not None:
        texts, data = loaded
        if data is not None:
            try:
                return _view(dossier, texts, Comparison.from_dict(data))
            except (ValueError, KeyError, TypeError):  # not readable: compute it again
                forget(database, dossier.db_id, key)
        if gate is None or not gate.wants_background(texts.values()):
            return _computed(database, dossier, key, texts, progress)
    assert gate is not None
    gate.defer(dossier, key, user)  # raises Pending unless the queue ran it at once
    return load_or_compute(database, dossier, key, progress)


def _computed(
    database: Database,
    dossier: DossierInfo,
    key: str,
    texts: dict[str, str],
    progress: Callable[[str, float], None] | None,
) -> DossierComparison:
    """Compare the dossier's texts (already read) and store the result."""
    record_meta = dossier.record_meta
    assert record_meta is not None
    # One report per text segmented: a long dossier's job can be cancelled between texts.
    metas = [record_meta, *dossier.accounts]
    documents = []
    for done, meta in enumerate(metas):
        if progress is not None:
            progress("segmenting", done / len(metas))
        documents.append(document_of(meta, texts[meta.slug]))
    record, accounts = documents[0], documents[1:]
    result = compare(record, accounts, engine_settings(dossier), progress=progress)
    store(database, dossier.db_id, key, result)
    return _view(dossier, texts, result)


def document_of(meta: DocInfo, text: str) -> Document:
    """The engine's document: the text segmented, with people's boundary fixes applied."""
    document = Document.from_text(meta.title, text)
    if meta.splits or meta.joins:
        # Only fixes that still fit the segmentation apply (a new segmenter may have made
        # one unnecessary); the others are ignored rather than breaking the page.
        starts = {s.start for s in document.sentences[1:]}
        joins = [offset for offset in meta.joins if offset in starts]
        splits = [
            offset
            for offset in meta.splits
            if any(s.start < offset < s.end for s in document.sentences)
        ]
        try:
            sentences = adjust_sentences(text, document.sentences, splits, joins)
        except ValueError:
            sentences = document.sentences
        document = Document(meta.title, text, sentences)
    return document


def stored_dossier(session: Session, slug: str) -> StoredDossier | None:
    """The stored dossier row with this slug (for changes, after a permission check)."""
    return session.scalar(select(StoredDossier).where(StoredDossier.slug == slug))


def cache_key(dossier: DossierInfo) -> str:
    """Hash of what a comparison depends on: document ids and versions, record, settings,
    and the engine's version and schema (results computed by an older engine are not
    served: they are computed again)."""
    payload = {
        "engine": ENGINE_VERSION,
        "schema": SCHEMA_VERSION,
        "record": dossier.record,
        "documents": [(d.id, d.slug, d.version, d.title) for d in dossier.documents],
        "settings": engine_settings(dossier).to_dict(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def engine_settings(dossier: DossierInfo) -> Settings:
    """The engine's settings for a dossier: its spelling variants and chosen scorer."""
    return Settings(variants=dossier.variants, semantic=bool(dossier.settings.get("semantic")))


def _against(dossier: DossierInfo, reference: str | None) -> DossierInfo:
    """The dossier with ``reference`` (a document's slug) as its record, if one is given;
    NotFound if it has no such document, or no documents at all."""
    if reference:
        if not any(d.slug == reference for d in dossier.documents):
            raise NotFound(f"dossier {dossier.id!r} has no document {reference!r}")
        dossier = replace(dossier, record=reference)
    if dossier.record_meta is None:
        raise NotFound(f"dossier {dossier.id!r} has no documents yet")
    return dossier


def _view(dossier: DossierInfo, texts: dict[str, str], result: Comparison) -> DossierComparison:
    record_meta = dossier.record_meta
    assert record_meta is not None
    record = Document(record_meta.title, texts[record_meta.slug], result.source.sentences)
    accounts = tuple(
        Account(meta.slug, meta, Document(meta.title, texts[meta.slug], witness.sentences), witness)
        for meta, witness in zip(dossier.accounts, result.witnesses, strict=True)
    )
    return DossierComparison(dossier, record_meta, record, accounts, result)
