"""Exercises and students' submissions (issue 14): the two tables of the classroom side.

An exercise asks students one task on a dossier, scored against one frozen answer key
version. A submission holds only what scoring and the receipt need: a random id, the
exercise, a pseudonym, the answers, the scores, the time and a salted hash of the receipt
code. There is deliberately no column for an e-mail, a real name, an address or a browser.

``open_code`` is the exercise's code while it is open and NULL once closed: its unique
constraint keeps codes unique among open exercises (both databases allow many NULLs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .models import Base


def _now() -> datetime:
    return datetime.now(UTC)


class Exercise(Base):
    """One task on a dossier for a class, scored against key version ``key_version``."""

    __tablename__ = "exercises"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    key_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    #: ``align``, ``order``, ``quotes`` or ``tour`` (see webapp.library.exercises.KINDS).
    kind: Mapped[str] = mapped_column(String(16))
    #: The accounts' slugs, in the order the pages show them (one or more).
    accounts: Mapped[list[Any]] = mapped_column()
    #: 0-based inclusive sentence ranges; NULL: from the first / to the last sentence.
    record_first: Mapped[int | None] = mapped_column(Integer)
    record_last: Mapped[int | None] = mapped_column(Integer)
    account_first: Mapped[int | None] = mapped_column(Integer)
    account_last: Mapped[int | None] = mapped_column(Integer)
    #: The labels that count in the label scores; NULL: every label.
    labels: Mapped[list[Any] | None] = mapped_column()
    hints: Mapped[str] = mapped_column(String(16), default="hidden")
    #: With hints shown: each account's machine (record, account) pairs in range, frozen at
    #: creation: ``{"<account>": [[i, j], ...]}`` (a bare list before migration 0011).
    hint_pairs: Mapped[dict[str, Any] | None] = mapped_column()
    #: ``submit`` (a student sees the key's verdicts after submitting) or ``close``.
    reveal: Mapped[str] = mapped_column(String(16), default="submit")
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(8), default="open")
    code: Mapped[str] = mapped_column(String(12), index=True)
    open_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    #: Salt of the receipt codes' hashes (random, per exercise).
    salt: Mapped[str] = mapped_column(String(32))
    retention_days: Mapped[int] = mapped_column(Integer, default=30)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: A guided tour's stops (accounts, key link numbers and questions) and how far the
    #: teacher has stepped: ``{"stops": [{"account": "luke", "link": 5, "question": "..."}],
    #: "at": 0}``; NULL for others.
    tour: Mapped[dict[str, Any] | None] = mapped_column()

    submissions: Mapped[list[Submission]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", passive_deletes=True
    )


class Submission(Base):
    """One student's answer to an exercise: nothing about the student but a pseudonym."""

    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(40))
    #: Per account (since migration 0011): ``{"accounts": {"<account>": {"links": [...]}}}``.
    answers: Mapped[dict[str, Any]] = mapped_column()
    #: The overall figures, and each account's under ``"accounts"``.
    scores: Mapped[dict[str, Any]] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: SHA-256 of the exercise's salt and the receipt code (the code itself is not kept).
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The receipt code's first block, for the teacher's CSV (a student shows the code; the
    #: rest, about 60 random bits, stays secret).
    receipt_hint: Mapped[str] = mapped_column(String(4))

    exercise: Mapped[Exercise] = relationship(back_populates="submissions")
