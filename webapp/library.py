"""The dossiers a person may see, and their comparisons, cached per document versions.

Reads the store, checks visibility (public, secret link, or owner/members/admins) and
answers with plain view objects the pages and the API render. A comparison is computed
once per (document versions, reference, settings): kept in memory, and stored in the
database so that it survives a restart; a changed document changes the key.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from . import curation
from .collate import (
    ENGINE_VERSION,
    SCHEMA_VERSION,
    Comparison,
    Document,
    OrderAnswer,
    Settings,
    WitnessResult,
    compare,
    phrase_order,
)
from .collate.curate import adjust_sentences
from .curation import AccountCuration, LinkState, ReviewItem
from .store import ROLES, ComparisonCache, Database, Member, User
from .store import Document as StoredDocument
from .store import Dossier as StoredDossier
from .store.bundled import record_of

if TYPE_CHECKING:
    from .jobs import Jobs


#: What the pages need of a dossier: its details, owner, members and the details of its
#: documents, never their texts (a listing of every dossier must not read every text;
#: reading a text here raises, so a page that starts to need one is noticed).
_METADATA = (
    selectinload(StoredDossier.documents).defer(StoredDocument.text, raiseload=True),
    selectinload(StoredDossier.members).joinedload(Member.user),
    joinedload(StoredDossier.owner),
)


class NotFound(LookupError):
    """An unknown dossier or document, or one this person may not see (never says which)."""


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What the pages show of one stored document."""

    id: int
    slug: str
    title: str
    author: str
    date: str
    kind: str
    provenance: str
    source: str
    reconstructed: bool
    version: int
    filename: str
    splits: tuple[int, ...] = ()
    joins: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DossierInfo:
    """What the pages show of one dossier, and who may do what with it."""

    db_id: int
    id: str
    title: str
    date: str
    description: str
    note: str
    visibility: str
    share_token: str | None
    owner: str | None
    owner_id: int | None
    members: tuple[str, ...]
    member_ids: tuple[int, ...]
    variants: dict[str, str]
    phrases: tuple[tuple[str, str], ...]
    bundled: bool
    version: int
    documents: tuple[DocInfo, ...]
    record: str | None
    notes: str = ""
    #: Alignment settings chosen for the dossier, e.g. ``{"semantic": True}``.
    settings: dict[str, Any] = field(default_factory=dict)

    def can_read(self, user: User | None, shares: Collection[str] = ()) -> bool:
        """Public, shared by a link the person holds, or theirs (or an admin's)."""
        if self.visibility == "public":
            return True
        if self.visibility == "link" and self.share_token and self.share_token in shares:
            return True
        return user is not None and (user.role == "admin" or self._involves(user))

    def can_edit(self, user: User | None) -> bool:
        """Add and change documents: annotators among owner and members, and admins."""
        if user is None:
            return False
        if user.role == "admin":
            return True
        return ROLES.index(user.role) >= ROLES.index("annotator") and self._involves(user)

    def can_manage(self, user: User | None) -> bool:
        """Rename, delete, share, add members, choose the record: the owner or an admin."""
        return user is not None and (user.role == "admin" or user.id == self.owner_id)

    def _involves(self, user: User) -> bool:
        return user.id == self.owner_id or user.id in self.member_ids

    @property
    def record_meta(self) -> DocInfo | None:
        """The reference document, if the dossier has any document."""
        return next((d for d in self.documents if d.slug == self.record), None)

    @property
    def accounts(self) -> tuple[DocInfo, ...]:
        """Every document but the record."""
        return tuple(d for d in self.documents if d.slug != self.record)


@dataclass(frozen=True, slots=True)
class Account:
    """One account of a dossier with its result against the reference."""

    slug: str
    meta: DocInfo
    document: Document
    result: WitnessResult
    curation: AccountCuration = AccountCuration((), {}, ())

    def state(self, index: int) -> LinkState:
        """Who stands behind link ``index`` of the result (the machine unless a person)."""
        states = self.curation.states
        return states[index] if index < len(states) else LinkState("machine")


@dataclass(frozen=True, slots=True)
class DossierComparison:
    """A dossier compared: the reference, every account, and the engine's result."""

    dossier: DossierInfo
    record_meta: DocInfo
    record: Document
    accounts: tuple[Account, ...]
    comparison: Comparison
    #: Decisions and marks whose sentences an edit of a text lost, for a person to check.
    review: tuple[ReviewItem, ...] = ()
    #: The machine's comparison before people's decisions (the curated one is ``comparison``).
    machine: Comparison | None = None

    def account(self, slug: str) -> Account:
        """The account with this slug, or :class:`NotFound`."""
        for account in self.accounts:
            if account.slug == slug:
                return account
        raise NotFound(f"dossier {self.dossier.id!r} has no account {slug!r}")

    def order(self, phrase_a: str, phrase_b: str) -> OrderAnswer:
        """Answer the phrase-order question for every account."""
        return phrase_order(self.record, self.comparison, phrase_a, phrase_b)


class Library:
    """Read access to the stored dossiers, with permission checks and a result cache."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._cache: dict[str, DossierComparison] = {}
        self._lock = threading.Lock()
        #: Background comparisons of large dossiers (set by ``create_app``; None: never).
        self.jobs: Jobs | None = None

    def visible(self, user: User | None, shares: Collection[str] = ()) -> list[DossierInfo]:
        """The dossiers this person may see, by date then title."""
        with self.database.session() as session:
            rows = session.scalars(select(StoredDossier).options(*_METADATA)).all()
            infos = [info(row) for row in rows]
        return sorted(
            (d for d in infos if d.can_read(user, shares)), key=lambda d: (d.date, d.title)
        )

    def dossier(self, slug: str, user: User | None, shares: Collection[str] = ()) -> DossierInfo:
        """The dossier with this slug if this person may see it, else :class:`NotFound`."""
        with self.database.session() as session:
            row = session.scalar(
                select(StoredDossier).where(StoredDossier.slug == slug).options(*_METADATA)
            )
            found = info(row) if row is not None else None
        if found is None or not found.can_read(user, shares):
            raise NotFound(f"no dossier {slug!r}")
        return found

    def comparison(
        self,
        slug: str,
        user: User | None,
        shares: Collection[str] = (),
        reference: str | None = None,
    ) -> DossierComparison:
        """The dossier compared against its record (or another reference), cached."""
        dossier = self.dossier(slug, user, shares)
        if reference:
            if not any(d.slug == reference for d in dossier.documents):
                raise NotFound(f"dossier {slug!r} has no document {reference!r}")
            dossier = _with_record(dossier, reference)
        if dossier.record_meta is None:
            raise NotFound(f"dossier {slug!r} has no documents yet")
        key = cache_key(dossier)
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                if self.jobs is not None:  # a large dossier raises jobs.Pending
                    self.jobs.check(dossier, key, user)
                cached = self._load_or_compute(dossier, key)
                self._cache[key] = cached
        return self._curated(cached, dossier)

    def _curated(self, machine: DossierComparison, dossier: DossierInfo) -> DossierComparison:
        """People's decisions and marks applied to the machine's (cached) comparison."""
        with self.database.session() as session:
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
        self._load_or_compute(dossier, key, progress)

    def _load_or_compute(
        self,
        dossier: DossierInfo,
        key: str,
        progress: Callable[[str, float], None] | None = None,
    ) -> DossierComparison:
        with self.database.session() as session:
            texts = {
                row.slug: row.text
                for row in session.scalars(
                    select(StoredDocument).where(StoredDocument.dossier_id == dossier.db_id)
                )
            }
            stored = session.scalar(
                select(ComparisonCache).where(
                    ComparisonCache.dossier_id == dossier.db_id, ComparisonCache.key == key
                )
            )
            data = stored.data if stored is not None else None
        if data is not None:
            try:
                return _view(dossier, texts, Comparison.from_dict(data))
            except (ValueError, KeyError, TypeError):  # not readable: compute it again
                self._forget(dossier.db_id, key)
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
        self._store(dossier.db_id, key, result)
        return _view(dossier, texts, result)

    def _forget(self, dossier_id: int, key: str) -> None:
        """Drop a stored result that can no longer be read, so a new one takes its place."""
        with self.database.session() as session:
            session.execute(
                delete(ComparisonCache).where(
                    ComparisonCache.dossier_id == dossier_id, ComparisonCache.key == key
                )
            )

    def _store(self, dossier_id: int, key: str, result: Comparison) -> None:
        """Keep a result in the database; another worker storing it first is fine."""
        try:
            with self.database.session() as session:
                session.add(ComparisonCache(dossier_id=dossier_id, key=key, data=result.to_dict()))
        except IntegrityError:
            pass


def info(row: StoredDossier) -> DossierInfo:
    """The view of a stored dossier (read inside its session)."""
    record = record_of(row)
    return DossierInfo(
        db_id=row.id,
        id=row.slug,
        title=row.title,
        date=row.date,
        description=row.description,
        note=row.note,
        visibility=row.visibility,
        share_token=row.share_token,
        owner=row.owner.name if row.owner else None,
        owner_id=row.owner_id,
        members=tuple(sorted(m.user.name for m in row.members)),
        member_ids=tuple(m.user_id for m in row.members),
        variants=dict(row.variants or {}),
        phrases=tuple((str(a), str(b)) for a, b in (row.phrases or [])),
        bundled=row.bundled,
        version=row.version,
        documents=tuple(
            DocInfo(
                id=d.id,
                slug=d.slug,
                title=d.title,
                author=d.author,
                date=d.date,
                kind=d.kind,
                provenance=d.provenance,
                source=d.source,
                reconstructed=d.reconstructed,
                version=d.version,
                filename=d.filename,
                splits=tuple(d.splits or ()),
                joins=tuple(d.joins or ()),
            )
            for d in row.documents
        ),
        record=record.slug if record is not None else None,
        notes=row.notes or "",
        settings=dict(row.settings or {}),
    )


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


def _with_record(dossier: DossierInfo, record: str) -> DossierInfo:
    return replace(dossier, record=record)


def _view(dossier: DossierInfo, texts: dict[str, str], result: Comparison) -> DossierComparison:
    record_meta = dossier.record_meta
    assert record_meta is not None
    record = Document(record_meta.title, texts[record_meta.slug], result.source.sentences)
    accounts = tuple(
        Account(meta.slug, meta, Document(meta.title, texts[meta.slug], witness.sentences), witness)
        for meta, witness in zip(dossier.accounts, result.witnesses, strict=True)
    )
    return DossierComparison(dossier, record_meta, record, accounts, result)
