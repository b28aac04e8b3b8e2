"""LTI 1.3 launches in the store: record a verified launch, tie a submission to it.

A launch is recorded with its nonce in one transaction: a nonce already used is a replay
and is refused (401) with nothing stored; so is a launch of an unknown exercise (404).
Used nonces are pruned once the token they came in has expired (it could not be replayed
then anyway). The submission a launched student makes is noted beside the launch row, so
that a teacher can match results to the platform's users. (This module needs no JWT
library: the app imports it with LTI off, when the ``lti`` extra may be missing.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Refused
from ..store import User
from ..store.exercise_models import Submission
from ..store.lti_models import LtiLaunch, LtiNonce
from .comparisons import Library
from .exercise_answers import by_code
from .exercises import read


@dataclass(frozen=True, slots=True)
class Launch:
    """What memcon keeps of a verified launch: no name, e-mail, picture or roles."""

    issuer: str
    subject: str
    context_id: str | None
    code: str
    nonce: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Recorded:
    """A stored launch: its id (kept in the student's signed session) and its exercise."""

    id: str
    exercise_id: int
    code: str


def _replayed() -> Refused:
    return Refused(
        "this launch was already used (its nonce was seen before): start again", status=401
    )


def _use_nonce(session: Session, launch: Launch) -> None:
    """Mark the launch's nonce used; Refused if it was (also when two requests race)."""
    session.execute(delete(LtiNonce).where(LtiNonce.expires_at < datetime.now(UTC)))
    if session.get(LtiNonce, launch.nonce) is not None:
        raise _replayed()
    session.add(LtiNonce(nonce=launch.nonce, expires_at=launch.expires_at))
    try:
        session.flush()
    except IntegrityError as exc:
        raise _replayed() from exc


def record_launch(library: Library, launch: Launch) -> Recorded:
    """Store a verified launch (NotFound for an unknown exercise: nothing is stored)."""
    info = by_code(library, launch.code)
    with library.database.session() as session:
        _use_nonce(session, launch)
        row = LtiLaunch(
            id=secrets.token_urlsafe(18),
            exercise_id=info.id,
            issuer=launch.issuer,
            subject=launch.subject,
            context_id=launch.context_id,
        )
        session.add(row)
        session.flush()
        return Recorded(row.id, info.id, info.code)


def tie_submission(library: Library, launch_id: str, submission_id: str) -> bool:
    """Note a submission beside the launch that led to it (the latest one wins).

    Only a submission to the launch's own exercise is tied; False when none was.
    """
    with library.database.session() as session:
        launch = session.get(LtiLaunch, launch_id)
        made = session.get(Submission, submission_id)
        if launch is None or made is None or made.exercise_id != launch.exercise_id:
            return False
        launch.submission_id = made.id
        return True


#: The columns of the teacher's launches CSV: the platform's ids and the submission's
#: pseudonym and receipt block (as in the submissions CSV, to join the two).
CSV_HEADER = ["issuer", "subject", "context_id", "launched_at", "pseudonym", "receipt"]


def _cell(value: str) -> str:
    """A value a spreadsheet shows as text, never runs as a formula (=, +, -, @ first)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def launch_rows(library: Library, user: User | None, exercise_id: int) -> list[list[str]]:
    """The exercise's launches as CSV rows, oldest first, for its teacher only (Forbidden
    or NotFound otherwise): who on the platform launched, and what they submitted."""
    read(library, user, exercise_id)  # the teacher's check
    with library.database.session() as session:
        found = session.execute(
            select(LtiLaunch, Submission)
            .outerjoin(Submission, Submission.id == LtiLaunch.submission_id)
            .where(LtiLaunch.exercise_id == exercise_id)
            .order_by(LtiLaunch.launched_at, LtiLaunch.id)
        ).all()
        rows = [CSV_HEADER]
        for launch, made in found:
            when = launch.launched_at.isoformat(timespec="seconds")
            pseudonym, receipt = (made.pseudonym, f"{made.receipt_hint}-…") if made else ("", "")
            cells = [launch.issuer, launch.subject, launch.context_id or "", when, pseudonym]
            rows.append([*map(_cell, cells), receipt])
        return rows
