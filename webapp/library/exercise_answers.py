"""The student's side of exercises: an exercise by its code, a submission, a receipt.

No account is needed: an exercise is reached by its code (an open one's, or a closed one's
for its receipts and reveal). A submission is scored and stored with a pseudonym only, and
reached again only with its receipt code, of which the store keeps a salted SHA-256 hash
(see :mod:`.exercises`). Refusals (a closed exercise, a bad pseudonym, a tampered answer)
come before anything is stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound, Refused
from ..store import Dossier
from ..store.exercise_models import Exercise, Submission
from . import exercise_extras as extras
from . import exercise_tasks as tasks
from .comparisons import Library
from .exercise_codes import (
    MAX_PSEUDONYM,
    RECEIPT_HINT,
    RECEIPT_LENGTH,
    new_code,
    normal_code,
    receipt_hash,
)
from .exercise_info import (
    ExerciseInfo,
    SubmissionInfo,
    exercise_info,
    purge_expired,
    submission_info,
)


@dataclass(frozen=True, slots=True)
class Submitted:
    """A new submission and its receipt code (shown once, never stored)."""

    submission: SubmissionInfo
    receipt: str


# --- The student's side -------------------------------------------------------------------


def _by_code(session: Session, code: str) -> Exercise:
    code = normal_code(code)
    row = session.scalar(select(Exercise).where(Exercise.open_code == code))
    if row is None:  # a closed one keeps its code for its receipts and its reveal
        row = session.scalar(
            select(Exercise).where(Exercise.code == code).order_by(Exercise.id.desc()).limit(1)
        )
    if row is None:
        raise NotFound(f"there is no exercise with the code {code or '(none)'}: check the code")
    return row


def by_code(library: Library, code: str) -> ExerciseInfo:
    """The exercise a code gives to anyone (the task, never the key's answers on a page)."""
    with library.database.session() as session:
        purge_expired(session)
        row = _by_code(session, code)
        return exercise_info(session, row, session.get_one(Dossier, row.dossier_id))


def pseudonym_of(text: str) -> str:
    """The pseudonym as given (trimmed), or an assigned one; Refused if too long."""
    name = " ".join(text.split())
    if len(name) > MAX_PSEUDONYM:
        raise Refused(f"a pseudonym has at most {MAX_PSEUDONYM} characters ({len(name)} given)")
    return name or f"Student {new_code(4)}"


def _closed(info: ExerciseInfo) -> Refused:
    """A closed or expired exercise takes no answers: 410 Gone, with the day it closed."""
    when = info.closed_on
    day = when.strftime("%Y-%m-%d %H:%M UTC") if when else "an earlier day"
    return Refused(f"this exercise closed on {day}: no more answers are taken", status=410)


def submit(library: Library, code: str, pseudonym: str, form: tasks.Form) -> Submitted:
    """Score and store the answers a task page's form gives (see :func:`submit_given`)."""
    return submit_given(library, code, pseudonym, form=form)


def submit_given(
    library: Library,
    code: str,
    pseudonym: str,
    given: Any = None,
    form: tasks.Form | None = None,
    attempt: str | None = None,
) -> Submitted:
    """Score and store a student's answers, ``given`` as a JSON body gives them (or read
    from a page's ``form``): both are checked by one reader; Refused before anything is
    stored (410 for a closed exercise). ``attempt``: the JSON's hint attempt, if given
    beside the answers (else read from the form or the answers)."""
    name = pseudonym_of(pseudonym)
    with library.database.session() as session:
        row = _by_code(session, code)
        info = exercise_info(session, row, session.get_one(Dossier, row.dossier_id))
        if not info.is_open:
            raise _closed(info)
        if info.kind == "tour":
            raise Refused("a guided tour takes no answers: follow it on your teacher's screen")
        parts = [p.task for p in info.parts]
        answers = tasks.stored_answers(
            parts, tasks.read_forms(parts, form) if form is not None else given
        )
        answers.update(extras.read(info.extras, form, given))
        figures = info.scores(answers).figures()
        attempt = extras.attempt(form, given) if attempt is None else attempt
        figures.update(extras.figures(session, info, answers, attempt, figures))
        receipt = new_code(RECEIPT_LENGTH)
        stored = Submission(
            id=secrets.token_urlsafe(18),
            exercise_id=row.id,
            pseudonym=name,
            answers=answers,
            scores=figures,
            receipt_hash=receipt_hash(row.salt, receipt),
            receipt_hint=receipt[:RECEIPT_HINT],
        )
        session.add(stored)
        session.flush()
        return Submitted(
            submission_info(stored), "-".join(receipt[k : k + 4] for k in range(0, 16, 4))
        )


def by_receipt(library: Library, code: str, receipt: str) -> tuple[ExerciseInfo, SubmissionInfo]:
    """The one submission a receipt code names, with its exercise; NotFound otherwise."""
    with library.database.session() as session:
        row = _by_code(session, code)
        found = session.scalar(
            select(Submission).where(
                Submission.exercise_id == row.id,
                Submission.receipt_hash == receipt_hash(row.salt, receipt),
            )
        )
        if found is None:
            raise NotFound("no submission to this exercise has that receipt code")
        info = exercise_info(session, row, session.get_one(Dossier, row.dossier_id))
        return info, submission_info(found)
