"""Exercises on a dossier's frozen answer key: the teacher's operations.

The teacher's side (create, list, read, close, reopen, delete) is for the dossier's owner,
its annotators and admins, as answer keys are (:func:`~.keys.may_use_keys`): anyone else
who may see the dossier is refused (403), anyone who may not gets 404. The student's side
(:mod:`.exercise_answers`) needs no account: an exercise is reached by its code; a
submission is stored with a pseudonym and reached again only with its receipt code.
Nothing about a student's address or browser is ever stored.

The pieces live in their own modules and are re-exported here under the names callers
use: codes and receipts (:mod:`.exercise_codes`), the teacher's choices and their checks
(:mod:`.exercise_spec`), and what pages show (:mod:`.exercise_info`). A closed exercise is
deleted with its submissions ``retention_days`` after closing.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..errors import Forbidden, NotFound, Refused
from ..store import Dossier, User
from ..store.exercise_models import Exercise, Submission
from ..store.models import AnswerKey
from . import exercise_extras as extras
from . import exercise_hints as hints
from . import exercise_tasks as tasks
from . import exercise_tour as tour
from .access import Need, load
from .comparisons import Library
from .exercise_codes import (
    ALPHABET,
    CODE_LENGTH,
    MAX_PSEUDONYM,
    RECEIPT_HINT,
    RECEIPT_LENGTH,
    aware,
    new_code,
    normal_code,
    now,
    receipt_hash,
)
from .exercise_info import (
    ExerciseInfo,
    SubmissionInfo,
    account_of,
    exercise_info,
    key_of,
    purge_expired,
    submission_info,
)
from .exercise_spec import (
    DEFAULT_RETENTION_DAYS,
    HINTS,
    REVEALS,
    Spec,
    default_title,
    validate,
    zero_based,
)
from .keys import may_use_keys

Range = tuple[int | None, int | None]

__all__ = [
    "ALPHABET",
    "CSV_FIRST",
    "CODE_LENGTH",
    "DEFAULT_RETENTION_DAYS",
    "HINTS",
    "MAX_PSEUDONYM",
    "RECEIPT_HINT",
    "RECEIPT_LENGTH",
    "REVEALS",
    "ExerciseInfo",
    "Spec",
    "SubmissionInfo",
    "create",
    "csv_rows",
    "exercise_info",
    "list_exercises",
    "new_code",
    "normal_code",
    "purge_expired",
    "read",
    "receipt_hash",
    "remove",
    "set_state",
    "step_tour",
    "submission_info",
    "submissions",
]

# --- The teacher's side -------------------------------------------------------------------


def _check(dossier_info: Any, user: User | None, action: str) -> None:
    if not may_use_keys(dossier_info, user):
        raise Forbidden(f"only the owner or an annotator of the dossier may {action}")


def _latest_key(session: Session, dossier_id: int) -> int:
    version = session.scalar(
        select(AnswerKey.version)
        .where(AnswerKey.dossier_id == dossier_id)
        .order_by(AnswerKey.version.desc())
        .limit(1)
    )
    if version is None:
        raise Refused("freeze an answer key of the dossier first: an exercise is scored on one")
    return version


def _insert(session: Session, row: Exercise, code: str) -> None:
    """Store a new or reopened exercise open under ``code``, drawing another on a clash
    (a failed savepoint expires the row, so its open state is set on every try)."""
    for _ in range(20):
        try:
            with session.begin_nested():
                row.state, row.closed_at, row.code, row.open_code = "open", None, code, code
                session.add(row)
                session.flush()
            return
        except IntegrityError:
            code = new_code()
    raise Refused("no free exercise code was found; try again", status=503)


def _machine(library: Library, user: User, slug: str, spec: Spec) -> dict[str, hints.Machine]:
    """With hints shown: the machine's pairs of each chosen account (before any session)."""
    if spec.hints not in ("shown", "cost"):
        return {}
    return {a: hints.machine_pairs(library, user, slug, spec.kind, a) for a in spec.chosen}


def _spans(
    key: FrozenKey, accounts: Sequence[FrozenAccount], record: Range, where: Range
) -> tuple[tasks.Span, list[tasks.Span]]:
    """The record's span and each account's (the account range's end cut to an account's
    last sentence); Refused, naming the account, for a range outside it."""
    spans = []
    for account in accounts:
        last = where[1] if where[1] is None else min(where[1], len(account.sentences) - 1)
        try:
            spans.append(tasks.span(where[0], last, len(account.sentences)))
        except Refused as error:
            raise Refused(f"{account.title}: {error}") from None
    return tasks.span(*record, len(key.record.sentences)), spans


def create(library: Library, user: User, slug: str, spec: Spec) -> ExerciseInfo:
    """A new open exercise on the dossier's key (the latest version unless one is given),
    asking about one or more of its accounts."""
    validate(spec)
    machine = _machine(library, user, slug, spec)
    with library.database.session() as session:
        purge_expired(session)
        loaded = load(session, slug, user, Need.READ)
        _check(loaded.info, user, "set an exercise")
        version = spec.key_version or _latest_key(session, loaded.row.id)
        key = key_of(session, Exercise(dossier_id=loaded.row.id, key_version=version))
        accounts = [account_of(key, a, version) for a in spec.chosen]
        record, where = zero_based(spec.record_range), zero_based(spec.account_range)
        record_span, spans = _spans(key, accounts, record, where)
        more = extras.prepare(spec.kind, spec.hints, spec.phrases, spec.hint_points, key, accounts)
        code = new_code()
        row = Exercise(
            dossier_id=loaded.row.id, key_version=version,
            title=spec.title.strip()[:200]
            or default_title(spec.kind, tuple(a.title for a in accounts)),
            kind=spec.kind, accounts=list(spec.chosen),
            record_first=record[0], record_last=record[1],
            account_first=where[0], account_last=where[1],
            labels=list(spec.labels) if spec.labels is not None else None,
            hints=spec.hints, reveal=spec.reveal, deadline=spec.deadline, state="open",
            code=code, open_code=code, salt=secrets.token_hex(16),
            retention_days=spec.retention_days, created_by=user.name,
        )  # fmt: skip
        if machine:
            row.hint_pairs = {
                a.slug: hints.in_range(machine[a.slug], key, a, record_span, span)
                for a, span in zip(accounts, spans, strict=True)
            }
        if spec.kind == "tour":
            row.tour = {"stops": tour.parse_stops(spec.stops, accounts), "at": 0}
        _insert(session, row, code)
        extras.store(session, row.id, more)
        return exercise_info(session, row, loaded.row, 0)


def _teacher_row(session: Session, user: User | None, exercise_id: int, action: str) -> Exercise:
    """The exercise if this person may manage it. Someone who may see its dossier but is
    not one of its teachers is refused (403, as for its keys: even on a public dossier the
    students' work is not public); for anyone else it does not exist (404)."""
    row = session.get(Exercise, exercise_id)
    if row is None:
        raise NotFound(f"no exercise {exercise_id}")
    dossier = session.get_one(Dossier, row.dossier_id)
    try:
        loaded = load(session, dossier.slug, user, Need.READ)
    except (NotFound, Forbidden):
        raise NotFound(f"no exercise {exercise_id}") from None
    _check(loaded.info, user, action)
    return row


def read(library: Library, user: User | None, exercise_id: int) -> ExerciseInfo:
    """The exercise, for its teacher."""
    with library.database.session() as session:
        row = _teacher_row(session, user, exercise_id, "see its exercises")
        return exercise_info(session, row, session.get_one(Dossier, row.dossier_id))


def list_exercises(library: Library, user: User | None, slug: str) -> list[ExerciseInfo]:
    """The dossier's exercises, newest first, for its teachers."""
    with library.database.session() as session:
        purge_expired(session)
        loaded = load(session, slug, user, Need.READ)
        _check(loaded.info, user, "see its exercises")
        rows = session.scalars(
            select(Exercise)
            .where(Exercise.dossier_id == loaded.row.id)
            .order_by(Exercise.id.desc())
        )
        return [exercise_info(session, row, loaded.row) for row in rows]


def set_state(library: Library, user: User, exercise_id: int, state: str) -> ExerciseInfo:
    """Close (``closed``) or reopen (``open``) an exercise. Reopening draws a new code if
    another open exercise took this one meanwhile."""
    if state not in ("open", "closed"):
        raise Refused(f"unknown state {state!r}")
    with library.database.session() as session:
        row = _teacher_row(session, user, exercise_id, "close or reopen its exercises")
        if state == "closed":
            row.state, row.open_code, row.closed_at = "closed", None, now()
            session.flush()
        else:
            if row.deadline is not None and aware(row.deadline) <= now():  # type: ignore[operator]
                row.deadline = None  # reopening past its deadline: open until closed
            _insert(session, row, row.code)
        return exercise_info(session, row, session.get_one(Dossier, row.dossier_id))


def step_tour(library: Library, user: User, exercise_id: int, by: int) -> ExerciseInfo:
    """Move a guided tour on by ``by`` half-stops (+1: reveal the answer or go to the next
    stop; -1: back); students following it see what the teacher has shown."""
    with library.database.session() as session:
        row = _teacher_row(session, user, exercise_id, "step through its tours")
        if not row.tour:
            raise Refused("only a guided tour has stops to step through")
        at = tour.step(int(row.tour.get("at", 0)), len(row.tour["stops"]), by)
        row.tour = {**row.tour, "at": at}  # a new dict: the JSON column sees the change
        session.flush()
        return exercise_info(session, row, session.get_one(Dossier, row.dossier_id))


def remove(library: Library, user: User, exercise_id: int) -> str:
    """Delete an exercise and every submission to it; the dossier's slug."""
    with library.database.session() as session:
        row = _teacher_row(session, user, exercise_id, "delete its exercises")
        slug = session.get_one(Dossier, row.dossier_id).slug
        session.execute(delete(Submission).where(Submission.exercise_id == row.id))
        session.delete(row)
        return slug


def submissions(library: Library, user: User | None, exercise_id: int) -> list[SubmissionInfo]:
    """Every submission to the exercise, oldest first, for its teacher."""
    with library.database.session() as session:
        row = _teacher_row(session, user, exercise_id, "see its submissions")
        rows = session.scalars(
            select(Submission)
            .where(Submission.exercise_id == row.id)
            .order_by(Submission.submitted_at, Submission.id)
        )
        return [submission_info(s) for s in rows]


#: The CSV's first columns, whatever the exercise's type (overall figures; blank when the
#: type is not scored on one).
CSV_FIRST = (
    "pseudonym",
    "receipt",
    "link_f1",
    "omission_f1",
    "label_kappa",
    "label_accuracy",
    "order_tau",
    "inversions",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def csv_rows(info: ExerciseInfo, found: Sequence[SubmissionInfo]) -> list[list[str]]:
    """The CSV export: a header and one row per submission, the pseudonym the only name:
    :data:`CSV_FIRST`, the time, the type's other figures, then (with several accounts)
    each account's figures as ``<account> <figure>``."""
    overall = list(CSV_FIRST[2:])
    more = [n for n in tasks.FIGURES[info.kind] if n not in overall]
    more += info.extras.figure_names  # phrase questions, hint costs: after the type's own
    per = [(a, n) for a in info.accounts for n in tasks.FIGURES[info.kind]]
    per = per if len(info.accounts) > 1 else []
    rows = [[*CSV_FIRST, "submitted_at", *more, *(f"{a} {n}" for a, n in per)]]
    for s in found:
        accounts = s.figures.get("accounts", {})
        receipt = f"{s.receipt_hint}-…"  # the code's first block; the code itself is not kept
        rows.append(
            [
                s.pseudonym,
                receipt,
                *(_cell(s.figures.get(n)) for n in overall),
                s.submitted_at.isoformat(timespec="seconds"),
                *(_cell(s.figures.get(n)) for n in more),
                *(_cell(accounts.get(a, {}).get(n)) for a, n in per),
            ]
        )
    return rows
