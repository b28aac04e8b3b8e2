"""The extras of exercises (issue 14): phrase-order questions and hints that cost points.

``exercise_phrases`` holds a predict-the-order exercise's phrase pairs with the key's
answers, computed and frozen when the exercise is set. ``exercise_hint_costs`` holds what
one hint costs in an exercise whose hints are shown on request. ``hint_attempts`` are the
random attempt ids a task page issues (nothing personal: no address, browser or name);
``hint_reveals`` the account sentences whose hint an attempt revealed, one row each, so
two requests at once cannot lose a reveal and a hint is counted once however often it is
asked for. Every row goes with its exercise (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


def _now() -> datetime:
    return datetime.now(UTC)


class ExercisePhrase(Base):
    """One phrase-order question of an exercise: the pair and the key's answers (JSON, see
    :class:`webapp.collate.phrase_questions.Question`)."""

    __tablename__ = "exercise_phrases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[dict[str, Any]] = mapped_column()


class HintCost(Base):
    """What one hint costs, in points of a 100-point link score (5: 0.05 of link F1)."""

    __tablename__ = "exercise_hint_costs"

    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    points: Mapped[int] = mapped_column(Integer)


class HintAttempt(Base):
    """One student's go at an exercise whose hints cost points, known by a random id."""

    __tablename__ = "hint_attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: Set when a submission carried this attempt: it cannot be submitted twice.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HintReveal(Base):
    """An account sentence (0-based) whose hint an attempt revealed."""

    __tablename__ = "hint_reveals"

    attempt_id: Mapped[str] = mapped_column(
        ForeignKey("hint_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    #: The account's id in the key (an exercise may ask about several).
    account: Mapped[str] = mapped_column(String(200), primary_key=True)
    sentence: Mapped[int] = mapped_column(Integer, primary_key=True)
    revealed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
