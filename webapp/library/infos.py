"""What the pages show of dossiers, documents and their comparisons: plain frozen views.

Read from the store inside a session (:func:`info`), then passed around without one;
the permission questions (may this person read, edit, manage?) are answered here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import joinedload, selectinload

from ..collate import (
    Comparison,
    Document,
    OrderAnswer,
    WitnessResult,
    phrase_order,
)
from ..errors import NotFound
from ..store import ROLES, Member, User
from ..store import Document as StoredDocument
from ..store import Dossier as StoredDossier
from ..store.bundled import record_of
from .curation import AccountCuration, LinkState, ReviewItem

#: What the pages need of a dossier: its details, owner, members and the details of its
#: documents, never their texts (a listing of every dossier must not read every text;
#: reading a text here raises, so a page that starts to need one is noticed).
METADATA = (
    selectinload(StoredDossier.documents).defer(StoredDocument.text, raiseload=True),
    selectinload(StoredDossier.members).joinedload(Member.user),
    joinedload(StoredDossier.owner),
)


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


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the library page: a dossier, its comparison, or the job computing it."""

    dossier: DossierInfo
    result: DossierComparison | None
    job: object | None = None


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
