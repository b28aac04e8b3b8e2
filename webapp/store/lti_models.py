"""LTI 1.3 launches (issue 14, part 8): who an LMS sent to an exercise, as the LMS names them.

A launch row keeps only the platform's issuer (its configuration, not a person), the
platform's opaque subject (``sub``) and course context id, the exercise, the time and,
once the student submits, that submission's id: enough for a teacher to match results to
the LMS's users, nothing more. There is deliberately no column for a name, an e-mail, a
picture, roles, an address or a browser. A used launch nonce is kept until the token it
came in expires, so a replayed token is refused; expired ones are pruned at each launch.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


def _now() -> datetime:
    return datetime.now(UTC)


class LtiLaunch(Base):
    """One accepted launch of an exercise from a learning platform."""

    __tablename__ = "lti_launches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    #: The platform's issuer URL (from the tool's platform file).
    issuer: Mapped[str] = mapped_column(String(255))
    #: The platform's opaque, stable id of the user (the token's ``sub``; at most 255).
    subject: Mapped[str] = mapped_column(String(255))
    #: The course's id on the platform (the context claim's ``id``), if the token has one.
    context_id: Mapped[str | None] = mapped_column(String(255))
    launched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: The student's latest submission after this launch (NULL until then, or once purged).
    submission_id: Mapped[str | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True
    )


class LtiNonce(Base):
    """A nonce a launch used: a second launch with it is a replay (kept until it expires)."""

    __tablename__ = "lti_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
