"""Exercises and submissions as pages show them, read from their stored rows.

An exercise's info carries, for each of its accounts, a part: the task and the frozen key
cut to the task's ranges; a
submission's carries what the student gave and how it scored, never who they are. The
retention purge lives here too: every reader of exercises calls it before listing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..collate.scoring import Key
from ..errors import NotFound, Refused
from ..store import Dossier
from ..store.exercise_models import Exercise, Submission
from ..store.models import AnswerKey
from . import exercise_extras as extras
from . import exercise_hints as hints
from . import exercise_tasks as tasks
from . import exercise_tour as tour
from .exercise_codes import aware, now
from .exercise_scores import ExerciseScores, combine


@dataclass(frozen=True, slots=True)
class Part:
    """One account of an exercise: its task, its key cut to the task, and what goes with
    them (``skip``: record sentences not scored as omitted; the machine's hints)."""

    position: int
    span: tasks.Span
    task: tasks.Task = field(repr=False)
    key: Key = field(repr=False)
    frozen: FrozenAccount = field(repr=False)
    skip: frozenset[int] = frozenset()
    #: With hints shown: each account sentence's machine-suggested record sentences.
    hints_for: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The account's id in the key."""
        return self.frozen.slug

    @property
    def prefix(self) -> str:
        """The prefix of this account's form fields."""
        return tasks.field_prefix(self.position)


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    """An exercise as pages show it, with a part (task and key) per account.

    ``task``, ``key``, ``frozen``, ``account`` and ``account_span`` are the first account's
    (the whole of a one-account exercise).
    """

    id: int
    dossier: str
    dossier_title: str
    title: str
    kind: str
    key_version: int
    record_span: tasks.Span
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
    parts: tuple[Part, ...] = field(repr=False)
    stops: tuple[tour.Stop, ...] = ()
    tour_at: int = 0
    #: Phrase-order questions and a hint's cost (exercise_extras.py).
    extras: extras.Extras = field(default_factory=extras.Extras)

    @property
    def accounts(self) -> tuple[str, ...]:
        """The accounts' ids, in the exercise's order."""
        return tuple(p.slug for p in self.parts)

    @property
    def account(self) -> str:
        return self.parts[0].slug

    @property
    def account_span(self) -> tasks.Span:
        return self.parts[0].span

    @property
    def task(self) -> tasks.Task:
        return self.parts[0].task

    @property
    def key(self) -> Key:
        return self.parts[0].key

    @property
    def frozen(self) -> FrozenAccount:
        return self.parts[0].frozen

    @property
    def is_open(self) -> bool:
        """Open, and its deadline (if any) not yet passed."""
        return self.state == "open" and (self.deadline is None or self.deadline > now())

    @property
    def closed_on(self) -> datetime | None:
        """When it closed: by the teacher, or at its deadline."""
        if self.state != "open":
            return self.closed_at
        return self.deadline if self.deadline and self.deadline <= now() else None

    @property
    def expires_at(self) -> datetime | None:
        """When it and its submissions are deleted (``retention_days`` after closing)."""
        closed = self.closed_on
        return closed + timedelta(days=self.retention_days) if closed else None

    def revealed(self) -> bool:
        """Whether a student who submitted may see the key's verdicts and notes."""
        return self.reveal == "submit" or not self.is_open

    def scores(self, answers: dict[str, Any]) -> ExerciseScores:
        """Stored answers scored against this exercise's key, per account and overall."""
        given = answers.get("accounts", {})
        return combine(
            self.kind,
            [
                (
                    p.slug,
                    p.task.account_title,
                    tasks.score_answers(p.key, p.task, given.get(p.slug, {}), p.skip, self.labels),
                )
                for p in self.parts
            ],
            self.labels,
        )


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


def key_of(session: Session, exercise: Exercise) -> FrozenKey:
    """The frozen key version the exercise is scored on."""
    row = session.scalar(
        select(AnswerKey).where(
            AnswerKey.dossier_id == exercise.dossier_id,
            AnswerKey.version == exercise.key_version,
        )
    )
    if row is None:  # keys are never deleted but with their dossier, and exercises with it
        raise NotFound(f"answer key version {exercise.key_version} is gone")
    return FrozenKey.from_dict(row.data)


def account_of(key: FrozenKey, slug: str, version: int) -> FrozenAccount:
    """The key's frozen account ``slug``, or a refusal naming the version."""
    found = key.account(slug)
    if found is None:
        raise Refused(f"answer key version {version} has no account {slug!r}")
    return found


def _count(session: Session, exercise_id: int) -> int:
    """How many submissions the exercise has (counted, not loaded: they carry answers)."""
    query = select(func.count()).select_from(Submission)
    return session.scalar(query.where(Submission.exercise_id == exercise_id)) or 0


def _part(row: Exercise, key: FrozenKey, position: int, slug: str, record: tasks.Span) -> Part:
    """The exercise's part on account ``slug``: the account range applies to each account,
    its end cut to an account's last sentence."""
    account = account_of(key, slug, row.key_version)
    last = row.account_last
    if last is not None:
        last = min(last, len(account.sentences) - 1)
    where = tasks.span(row.account_first, last, len(account.sentences))
    hinted: dict[str, Any] = row.hint_pairs or {}
    return Part(
        position,
        where,
        tasks.build_task(row.kind, key.record, account, record, where),
        tasks.scoped_key(row.kind, account, record, where),
        account,
        tasks.out_of_scope(account, record, where) if row.kind == "align" else frozenset(),
        hints.hints_for(hinted.get(slug, [])),
    )


def exercise_info(
    session: Session, row: Exercise, dossier: Dossier, count: int | None = None
) -> ExerciseInfo:
    """The stored exercise with its task and scoped key."""
    key = key_of(session, row)
    record = tasks.span(row.record_first, row.record_last, len(key.record.sentences))
    parts = tuple(_part(row, key, k, slug, record) for k, slug in enumerate(row.accounts))
    labels = tuple(row.labels) if row.labels is not None else None
    count = _count(session, row.id) if count is None else count
    frozen = [p.frozen for p in parts]
    return ExerciseInfo(
        row.id, dossier.slug, dossier.title, row.title, row.kind,
        row.key_version, record, labels, row.reveal, row.hints,
        aware(row.deadline), row.state, row.code, row.retention_days, row.created_by,
        aware(row.created_at) or now(), aware(row.closed_at), count, parts,
        tour.stops_of(row.tour, key.record, frozen) if row.tour else (),
        int(row.tour.get("at", 0)) if row.tour else 0,
        extras.load(session, row.id),
    )  # fmt: skip


def submission_info(row: Submission) -> SubmissionInfo:
    """The stored submission, its time in UTC."""
    return SubmissionInfo(
        row.id,
        row.pseudonym,
        row.answers,
        row.scores,
        aware(row.submitted_at) or now(),
        row.receipt_hint,
    )


def purge_expired(session: Session, moment: datetime | None = None) -> int:
    """Delete exercises (and their submissions) past their retention, counted from their
    closing or, if never closed, from their deadline; how many. Idle hint attempts go too."""
    moment = moment or now()
    gone = 0
    ended = (Exercise.state == "closed") | Exercise.deadline.is_not(None)
    for row in session.scalars(select(Exercise).where(ended)):
        closed = aware(row.closed_at if row.state == "closed" else row.deadline)
        if closed is not None and closed + timedelta(days=row.retention_days) <= moment:
            session.delete(row)
            gone += 1
    session.flush()
    extras.purge_idle(session, moment)
    return gone
