"""Database models: users and their API tokens, dossiers, documents, cached comparisons.

Every editable row has a ``version`` that grows with each change, so a comparison cached
for (document versions, settings) is never served for changed texts.

Ids are never reused: the tables whose ids are referenced (in URLs, the history, sessions)
are ``AUTOINCREMENT`` on SQLite (which otherwise hands a deleted row's id to the next one);
PostgreSQL's sequences never go back anyway.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from .roles import ROLES as ROLES
from .roles import VISIBILITIES as VISIBILITIES


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every model."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """A person who logs in: reader, annotator or admin."""

    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="reader")
    #: Log-in attempts since the last success (counted before the password is checked).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: No log-in attempt is checked before this moment (see ``users.check_login``).
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Grows at each log-out and password change; a session cookie carrying an older
    #: number is refused, so a copied cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, shown in listings so its owner can tell which it is.
    prefix: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")


class Dossier(Base):
    """One event: a record and its accounts, with an owner and a visibility."""

    __tablename__ = "dossiers"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    variants: Mapped[dict[str, Any]] = mapped_column(default=dict)
    phrases: Mapped[list[Any]] = mapped_column(default=list)
    #: People's notes on the dossier (Markdown-like source; shown only through the sanitiser).
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Alignment settings chosen for this dossier (e.g. ``{"semantic": true}``); part of the
    #: cache key of its comparisons.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    bundled: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )

    documents: Mapped[list[Document]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        order_by="Document.position",
        foreign_keys="Document.dossier_id",
    )
    owner: Mapped[User | None] = relationship()
    members: Mapped[list[Member]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class Member(Base):
    """A user who may see (and, as annotator, work on) a private dossier."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("dossier_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    dossier: Mapped[Dossier] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Document(Base):
    """One text of a dossier, stored exactly as read (offsets refer to ``text``)."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("dossier_id", "slug"),
        # At most one record per dossier (a partial unique index, SQLite and PostgreSQL).
        Index(
            "ix_documents_one_record",
            "dossier_id",
            unique=True,
            sqlite_where=sql("is_record"),
            postgresql_where=sql("is_record"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(300), default="")
    date: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(16))
    provenance: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    reconstructed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_record: Mapped[bool] = mapped_column(Boolean, default=False)
    filename: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    #: Sentence boundaries fixed by people: offsets where a sentence starts / no longer starts.
    splits: Mapped[list[Any]] = mapped_column(default=list)
    joins: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    dossier: Mapped[Dossier] = relationship(back_populates="documents", foreign_keys=[dossier_id])

    __mapper_args__ = {"version_id_col": version}


class ComparisonCache(Base):
    """A stored comparison, keyed by the document versions and settings it came from."""

    __tablename__ = "comparison_cache"
    __table_args__ = (UniqueConstraint("dossier_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class _PersonsDecision:
    """Columns every curation row has: who made and changed it, when, its version, and
    whether an edit of a text lost its sentences (then it is listed for review)."""

    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Every update checks and raises the version (stale edits fail, never overwrite)."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class LinkDecision(_PersonsDecision, Base):
    """A person's decision on a link between the record and one account.

    ``action`` is ``confirm`` (a machine link is right), ``remove`` (it is wrong) or ``add``
    (a link the machine missed). Sentences are kept as character spans and their texts, not
    indices, so decisions survive re-segmentation, re-alignment and edits of the texts.
    """

    __tablename__ = "link_decisions"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(8))
    source_spans: Mapped[list[Any]] = mapped_column()
    witness_spans: Mapped[list[Any]] = mapped_column()
    source_text: Mapped[str] = mapped_column(Text, default="")
    witness_text: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")


class SentenceMark(_PersonsDecision, Base):
    """A person's mark on one sentence: significant or not (omissions, additions), a note.

    ``account_id`` says in which comparison the mark was made (a record sentence omitted by
    one account may matter and not by another); it equals ``document_id`` for an account's
    own sentences.
    """

    __tablename__ = "sentence_marks"
    __table_args__ = (
        # One mark per sentence in one account's comparison (two first marks sent at once
        # would otherwise make two rows).
        UniqueConstraint(
            "dossier_id", "document_id", "account_id", "start", "end", name="uq_sentence_marks"
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    significant: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class Change(Base):
    """One recorded change to a dossier's curation: who, when, what, before and after."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: ``link``, ``mark``, ``dossier`` or ``document``, and the row's id.
    target: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(Integer)
    #: ``create``, ``update``, ``delete`` or ``revert``.
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: For a revert, the change it undid.
    reverts: Mapped[int | None] = mapped_column(Integer)
    #: Restored from an imported export: a record of another dossier's past, shown and
    #: exported again but never reverted (its ``target_id`` names a row of that dossier).
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        Index("ix_changes_target", "dossier_id", "target", "target_id"),
        {"sqlite_autoincrement": True},
    )


class Job(Base):
    """A comparison computed in the background: its stage, progress and outcome.

    Stored so that the page can show progress, a person can cancel, and a restart of the
    web server or the worker loses nothing (the worker resumes queued jobs).
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_dossier_key", "dossier_id", "key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    #: The cache key of the comparison the job computes (see ``library.cache_key``).
    key: Mapped[str] = mapped_column(String(64))
    #: queued, running, done, failed or cancelled.
    status: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(40), default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The document compared against (the record when the job was queued, or another).
    reference: Mapped[str | None] = mapped_column(String(120))
    #: ``host:pid`` of the worker running the job (empty while queued); see webapp/library/jobs.py.
    worker: Mapped[str] = mapped_column(String(120), default="")


class AnswerKey(Base):
    """A frozen answer key of a dossier: one numbered version, never changed once stored.

    ``data`` is the snapshot (:class:`webapp.collate.answerkey.FrozenKey`: the sentences it
    speaks of, each account's links with labels, notes and "not scored" flags, omissions,
    order and quotation verdicts), so later curation or edits of the texts leave it as it
    was. ``source`` says how it was made: ``curation`` (frozen from the curated alignment),
    ``bundled`` (a shipped teaching key) or ``flags`` (a copy of version ``based_on`` with
    links flagged scored or not scored).
    """

    __tablename__ = "answer_keys"
    __table_args__ = (
        UniqueConstraint("dossier_id", "version", name="uq_answer_keys_version"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, ... within the dossier (not an optimistic-lock counter: a key never changes).
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    based_on: Mapped[int | None] = mapped_column(Integer)
    #: The teacher's note on the key (Markdown-like source; shown only through the sanitiser).
    note: Mapped[str] = mapped_column(Text, default="")
    frozen_by: Mapped[str] = mapped_column(String(80), default="")
    frozen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    data: Mapped[dict[str, Any]] = mapped_column()
