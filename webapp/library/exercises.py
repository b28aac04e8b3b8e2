"""Exercises on a dossier's frozen answer key, and the students' submissions.

The teacher's side (create, list, read, close, reopen, delete) is for the dossier's owner,
its annotators and admins, as answer keys are (:func:`~.keys.may_use_keys`): anyone else
who may see the dossier is refused (403), anyone who may not gets 404. The student's side
needs no account: an exercise is reached by its code; a submission is stored with a
pseudonym and reached again only with its receipt code, of which only a salted SHA-256
hash is kept. Nothing about a student's address or browser is ever stored.

Codes are drawn with :mod:`secrets` from an alphabet without look-alikes (no 0/O, 1/I/L),
unique among open exercises (the store's ``open_code`` column is unique; a clash is drawn
again). A closed exercise is deleted with its submissions ``retention_days`` after closing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..collate.scoring import Key, Scores
from ..collate.vocabulary import LABELS
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
from .keys import may_use_keys

#: Letters and digits a pupil cannot misread or mistype (no 0/O, 1/I/L, no U/V).
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 6
RECEIPT_LENGTH = 16
#: How many characters of a receipt code the store keeps in clear, for the teacher's CSV.
RECEIPT_HINT = 4
MAX_PSEUDONYM = 40
REVEALS = {"submit": "after submitting", "close": "after the exercise is closed"}
HINTS = {
    "hidden": "hidden (machine suggestions are never shown)",
    "shown": "shown: the machine's links as suggestions (align and label; they cost nothing)",
    "cost": "shown on request, each costs points (set below; align and label)",
}
DEFAULT_RETENTION_DAYS = 30


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def new_code(length: int = CODE_LENGTH) -> str:
    """A random code from :data:`ALPHABET`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normal_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(c for c in text.upper() if c.isalnum())


def receipt_hash(salt: str, receipt: str) -> str:
    """The stored form of a receipt code (the code has ~78 random bits: SHA-256 suffices)."""
    return hashlib.sha256(f"{salt}:{normal_code(receipt)}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Spec:
    """What a teacher chooses for a new exercise; ranges are 1-based inclusive, as shown."""

    kind: str
    account: str
    record_range: tuple[int | None, int | None] = (None, None)
    account_range: tuple[int | None, int | None] = (None, None)
    labels: tuple[str, ...] | None = None
    reveal: str = "submit"
    hints: str = "hidden"
    deadline: datetime | None = None
    retention_days: int = DEFAULT_RETENTION_DAYS
    title: str = ""
    key_version: int | None = None
    #: A guided tour's stops, one a line: ``<key link number> | <question>``.
    stops: str = ""
    #: Phrase-order questions (predict the order), one a line: ``phrase A | phrase B``.
    phrases: str = ""
    #: With hints that cost: the points one hint costs (see exercise_hint_costs.py).
    hint_points: int | None = None


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    """An exercise as pages show it, with its task and the key cut to it."""

    id: int
    dossier: str
    dossier_title: str
    title: str
    kind: str
    account: str
    key_version: int
    record_span: tasks.Span
    account_span: tasks.Span
    labels: tuple[str, ...] | None
    reveal: str
    hints: str
    deadline: datetime | None
    state: str
    code: str
    retention_days: int
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    submissions: int
    task: tasks.Task = field(repr=False)
    key: Key = field(repr=False)
    frozen: FrozenAccount = field(repr=False)
    skip: frozenset[int] = frozenset()
    stops: tuple[tour.Stop, ...] = ()
    tour_at: int = 0
    #: With hints shown: each account sentence's machine-suggested record sentences.
    hints_for: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Phrase-order questions and a hint's cost (exercise_extras.py).
    extras: extras.Extras = field(default_factory=extras.Extras)

    @property
    def is_open(self) -> bool:
        """Open, and its deadline (if any) not yet passed."""
        return self.state == "open" and (self.deadline is None or self.deadline > _now())

    @property
    def closed_on(self) -> datetime | None:
        """When it closed: by the teacher, or at its deadline."""
        if self.state != "open":
            return self.closed_at
        return self.deadline if self.deadline and self.deadline <= _now() else None

    @property
    def expires_at(self) -> datetime | None:
        """When it and its submissions are deleted (``retention_days`` after closing)."""
        closed = self.closed_on
        return closed + timedelta(days=self.retention_days) if closed else None

    def revealed(self) -> bool:
        """Whether a student who submitted may see the key's verdicts and notes."""
        return self.reveal == "submit" or not self.is_open

    def scores(self, answers: dict[str, Any]) -> Scores:
        """Stored answers scored against this exercise's key."""
        return tasks.score_answers(self.key, self.task, answers, self.skip, self.labels)


@dataclass(frozen=True, slots=True)
class SubmissionInfo:
    """One submission: what the student gave and how it scored; never who they are."""

    id: str
    pseudonym: str
    answers: dict[str, Any]
    figures: dict[str, Any]
    submitted_at: datetime
    #: The receipt code's first block (the CSV's ``receipt``: a teacher matches a student's code).
    receipt_hint: str = ""


# --- Reading rows ----------------------------------------------------------------------


def _key_of(session: Session, exercise: Exercise) -> FrozenKey:
    row = session.scalar(
        select(AnswerKey).where(
            AnswerKey.dossier_id == exercise.dossier_id,
            AnswerKey.version == exercise.key_version,
        )
    )
    if row is None:  # keys are never deleted but with their dossier, and exercises with it
        raise NotFound(f"answer key version {exercise.key_version} is gone")
    return FrozenKey.from_dict(row.data)


def _account(key: FrozenKey, slug: str, version: int) -> FrozenAccount:
    found = key.account(slug)
    if found is None:
        raise Refused(f"answer key version {version} has no account {slug!r}")
    return found


def exercise_info(
    session: Session, row: Exercise, dossier: Dossier, count: int | None = None
) -> ExerciseInfo:
    key = _key_of(session, row)
    account = _account(key, row.accounts[0], row.key_version)
    record = tasks.span(row.record_first, row.record_last, len(key.record.sentences))
    where = tasks.span(row.account_first, row.account_last, len(account.sentences))
    labels = tuple(row.labels) if row.labels is not None else None
    if count is None:  # counted, not loaded: submissions carry their answers
        count = (
            session.scalar(
                select(func.count()).select_from(Submission).where(Submission.exercise_id == row.id)
            )
            or 0
        )
    return ExerciseInfo(
        row.id, dossier.slug, dossier.title, row.title, row.kind, row.accounts[0],
        row.key_version, record, where, labels, row.reveal, row.hints,
        _aware(row.deadline), row.state, row.code, row.retention_days, row.created_by,
        _aware(row.created_at) or _now(), _aware(row.closed_at), count,
        tasks.build_task(row.kind, key.record, account, record, where, labels),
        tasks.scoped_key(row.kind, account, record, where),
        account,
        tasks.out_of_scope(account, record, where) if row.kind == "align" else frozenset(),
        tour.stops_of(row.tour, key.record, account) if row.tour else (),
        int(row.tour.get("at", 0)) if row.tour else 0,
        hints.hints_for(row.hint_pairs or []),
        extras.load(session, row.id),
    )  # fmt: skip


def submission_info(row: Submission) -> SubmissionInfo:
    return SubmissionInfo(
        row.id,
        row.pseudonym,
        row.answers,
        row.scores,
        _aware(row.submitted_at) or _now(),
        row.receipt_hint,
    )


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete exercises (and their submissions) past their retention, counted from their
    closing or, if never closed, from their deadline; how many."""
    now = now or _now()
    gone = 0
    ended = (Exercise.state == "closed") | Exercise.deadline.is_not(None)
    for row in session.scalars(select(Exercise).where(ended)):
        closed = _aware(row.closed_at if row.state == "closed" else row.deadline)
        if closed is not None and closed + timedelta(days=row.retention_days) <= now:
            session.delete(row)
            gone += 1
    session.flush()
    return gone


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


def _range(pair: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    return tuple(None if n is None else n - 1 for n in pair)  # type: ignore[return-value]


def _validate(spec: Spec) -> None:
    if spec.kind not in tasks.KINDS:
        raise Refused(f"unknown exercise type {spec.kind!r}")
    if spec.reveal not in REVEALS:
        raise Refused(f"unknown reveal policy {spec.reveal!r}")
    if spec.hints not in HINTS:
        raise Refused(f"unknown hints policy {spec.hints!r}")
    if spec.labels is not None and not set(spec.labels) <= set(LABELS):
        raise Refused("choose the labels that count from the project's labels")
    if not 1 <= spec.retention_days <= 3650:
        raise Refused("keep submissions between 1 and 3650 days after closing")
    if spec.deadline is not None and _aware(spec.deadline) <= _now():  # type: ignore[operator]
        raise Refused("the deadline is already past")


def _title(kind: str, account: str) -> str:
    return f"{tasks.KINDS[kind].capitalize()}: {account}"


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


def create(library: Library, user: User, slug: str, spec: Spec) -> ExerciseInfo:
    """A new open exercise on the dossier's key (the latest version unless one is given)."""
    _validate(spec)
    machine = (
        hints.machine_pairs(library, user, slug, spec.kind, spec.account)
        if spec.hints in ("shown", "cost")
        else None
    )
    with library.database.session() as session:
        purge_expired(session)
        loaded = load(session, slug, user, Need.READ)
        _check(loaded.info, user, "set an exercise")
        version = spec.key_version or _latest_key(session, loaded.row.id)
        probe = Exercise(dossier_id=loaded.row.id, key_version=version)
        key = _key_of(session, probe)
        account = _account(key, spec.account, version)
        record = _range(spec.record_range)
        where = _range(spec.account_range)
        spans = (
            tasks.span(*record, len(key.record.sentences)),
            tasks.span(*where, len(account.sentences)),
        )
        more = extras.prepare(spec.kind, spec.hints, spec.phrases, spec.hint_points, key, [account])
        code = new_code()
        row = Exercise(
            dossier_id=loaded.row.id, key_version=version,
            title=spec.title.strip()[:200] or _title(spec.kind, account.title),
            kind=spec.kind, accounts=[spec.account],
            record_first=record[0], record_last=record[1],
            account_first=where[0], account_last=where[1],
            labels=list(spec.labels) if spec.labels is not None else None,
            hints=spec.hints, reveal=spec.reveal, deadline=spec.deadline, state="open",
            code=code, open_code=code, salt=secrets.token_hex(16),
            retention_days=spec.retention_days, created_by=user.name,
        )  # fmt: skip
        if machine is not None:
            row.hint_pairs = hints.in_range(machine, key, account, *spans)
        if spec.kind == "tour":
            row.tour = {"stops": tour.parse_stops(spec.stops, account), "at": 0}
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
            row.state, row.open_code, row.closed_at = "closed", None, _now()
            session.flush()
        else:
            if row.deadline is not None and _aware(row.deadline) <= _now():  # type: ignore[operator]
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


def csv_rows(info: ExerciseInfo, found: Sequence[SubmissionInfo]) -> list[list[str]]:
    """The CSV export: a header and one row per submission, the pseudonym the only name."""
    names = (*tasks.FIGURES[info.kind], *info.extras.figure_names)
    rows = [["pseudonym", "receipt", "submitted_at", *names]]
    for s in found:
        values = [s.figures.get(n) for n in names]
        shown = [
            "" if v is None else (str(v) if isinstance(v, int) else f"{v:.4f}") for v in values
        ]
        receipt = f"{s.receipt_hint}-…"  # the code's first block; the code itself is not kept
        rows.append([s.pseudonym, receipt, s.submitted_at.isoformat(timespec="seconds"), *shown])
    return rows
