"""Hints that cost points: an align exercise whose machine suggestions are shown on request.

The teacher sets what one hint costs in **points of a 100-point link score**: a cost of 5
takes 0.05 off the student's link F1 for each hint revealed (never below 0). Whole points
on a 100 scale are what a class reads at a glance ("3 hints, 15 points"), and the link F1 is
the score a hint helps with (a hint is a suggested link).

Each task page is issued an **attempt**: a random id (``secrets``; nothing personal) kept
in the student's own session cookie, so a reload or a second tab gets the same attempt
and its hints again. Revealing a hint is stored server-side against the attempt (one row
per account sentence: revealing twice costs once); the submission carries the attempt and
the server counts its hints, and an attempt submits once. So neither a page without
scripts nor a replayed request dodges the cost. A student who empties their cookies and
opens a fresh task page gets a fresh attempt: without accounts nothing can tie two pages
to one person, and the hints they saw on the old page are not carried over.

The students' JSON holds no cookie: it asks for a new attempt (:func:`issue`) and names
the account by its id (:func:`reveal_of`); the rest is the page's rules. An attempt that
revealed nothing and never submitted is deleted after :data:`IDLE_ATTEMPT` by the
exercises' lazy purge (:func:`purge_idle`), so pages loaded without cookies cannot grow
the table without bound; one with a hint stays with its exercise (its cost is due).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Refused
from ..store.hint_models import HintAttempt, HintCost, HintReveal
from .comparisons import Library
from .exercise_tasks import Task

#: The hints policy of this module (the others are ``hidden`` and ``shown``).
POLICY = "cost"
#: The figures a submission stores with hints that cost (after the type's own).
FIGURES = ("hints_used", "score_after_hints")
MAX_POINTS = 100
#: How long an attempt that revealed no hint and never submitted is kept. Such an attempt
#: holds nothing chargeable: it only lets its task page submit. A day covers a lesson or
#: an evening's homework; a page left open longer is told to reload (a fresh attempt,
#: nothing lost), and a bot loading pages without cookies fills at most a day of rows.
IDLE_ATTEMPT = timedelta(hours=24)


class _Costs(Protocol):
    @property
    def hint_points(self) -> int | None: ...


class _Part(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def task(self) -> Task: ...
    @property
    def hints_for(self) -> dict[int, tuple[int, ...]]: ...


class Hinted(Protocol):
    """What these rules read of an exercise (an :class:`~.exercise_info.ExerciseInfo`)."""

    @property
    def id(self) -> int: ...
    @property
    def hints(self) -> str: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def parts(self) -> Sequence[_Part]: ...
    @property
    def extras(self) -> _Costs: ...


#: The hints an attempt revealed: (account, account sentence) -> suggested record sentences.
Shown = dict[tuple[str, int], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Revealed:
    """A hint shown: the account (its position, 0-based) and sentence (0-based), its
    suggested record sentences, how many hints the attempt has used and what each costs."""

    part: int
    sentence: int
    records: tuple[int, ...]
    used: int
    points: int


def points_of(text: str) -> int | None:
    """The cost as the teacher typed it (blank: none); Refused unless 1 to 100 points."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_POINTS:
        raise Refused(f"a hint costs a whole number of points from 1 to {MAX_POINTS}")
    return int(value)


def validate(kind: str, hints: str, points: int | None) -> None:
    """Refused for a cost without the policy, or the policy without a cost."""
    if hints == POLICY and points is None:
        raise Refused("say how many points a hint costs (1 to 100)")
    if hints == POLICY and kind != "align":
        raise Refused("hints are suggested links: only an align and label task has them")
    if hints != POLICY and points is not None:
        raise Refused("a hint cost needs the policy “shown on request, each costs points”")


def store(session: Session, exercise_id: int, points: int | None) -> None:
    """Keep the cost of a hint with a new exercise."""
    if points is not None:
        session.add(HintCost(exercise_id=exercise_id, points=points))
        session.flush()


def load(session: Session, exercise_id: int) -> int | None:
    """What a hint of this exercise costs, None unless its hints cost."""
    row = session.get(HintCost, exercise_id)
    return None if row is None else row.points


def after_hints(link_f1: float | None, used: int, points: int) -> float | None:
    """The link F1 less ``points``/100 per hint used, never below 0."""
    if link_f1 is None:
        return None
    return round(max(0.0, link_f1 - used * points / 100), 10)


def sentences(found: Sequence[HintReveal], parts: Sequence[_Part]) -> Shown:
    """The hints revealed (``found``) with the record sentences each suggests."""
    hints = {p.slug: p.hints_for for p in parts}
    return {(r.account, r.sentence): hints.get(r.account, {}).get(r.sentence, ()) for r in found}


# --- Attempts ------------------------------------------------------------------------------


def _attempt(session: Session, exercise_id: int, attempt: str) -> HintAttempt:
    """The attempt if it is this exercise's and not yet submitted; Refused (400) if not."""
    row = session.get(HintAttempt, attempt, with_for_update=True) if attempt else None
    if row is None or row.exercise_id != exercise_id:
        raise Refused("this attempt is not one of this exercise's: reload the task page")
    if row.submitted_at is not None:
        raise Refused("this attempt was submitted already: reload the task page for a new one")
    return row


def _reveals(session: Session, attempt: str) -> list[HintReveal]:
    return list(
        session.scalars(
            select(HintReveal)
            .where(HintReveal.attempt_id == attempt)
            .order_by(HintReveal.account, HintReveal.sentence)
        )
    )


def attempt_for(library: Library, info: Hinted, held: str | None) -> tuple[str, Shown]:
    """The attempt a task page carries: the one the student's cookie holds if it is still
    open, else a new one; with the hints it revealed so far."""
    with library.database.session() as session:
        row = session.get(HintAttempt, held) if held else None
        if row is None or row.exercise_id != info.id or row.submitted_at is not None:
            row = HintAttempt(id=secrets.token_urlsafe(18), exercise_id=info.id)
            session.add(row)
            session.flush()
        return row.id, sentences(_reveals(session, row.id), info.parts)


def issue(library: Library, info: Hinted) -> str:
    """A new attempt for a client that holds none (the students' JSON): never one handed
    out before; refused for an exercise whose hints do not cost (400) or a closed one (410)."""
    if info.hints != POLICY or info.extras.hint_points is None:
        raise Refused("this exercise's hints cost nothing: it needs no attempt")
    if not info.is_open:
        raise Refused("this exercise is closed: no more attempts are given", status=410)
    return attempt_for(library, info, None)[0]


def reveal_of(library: Library, info: Hinted, attempt: str, account: str, number: int) -> Revealed:
    """As :func:`reveal`, the account named by its id (as the task names it) and the
    sentence by its 1-based number: the students' JSON."""
    numbers = {part.slug: str(k + 1) for k, part in enumerate(info.parts)}
    if info.hints == POLICY and info.is_open and account not in numbers:
        raise Refused(f"this exercise has no account {account!r}")
    return reveal(library, info, attempt, numbers.get(account, "1"), str(number))


def purge_idle(session: Session, moment: datetime) -> int:
    """Delete the attempts older than :data:`IDLE_ATTEMPT` that revealed no hint and never
    submitted (an attempt with hints stays with its exercise: its cost is still due)."""
    revealed = select(HintReveal.attempt_id).where(HintReveal.attempt_id == HintAttempt.id)
    idle = delete(HintAttempt).where(
        HintAttempt.submitted_at.is_(None),
        HintAttempt.created_at <= moment - IDLE_ATTEMPT,
        ~revealed.exists(),
    )
    found = session.execute(idle.execution_options(synchronize_session=False))
    return int(getattr(found, "rowcount", 0) or 0)


def _hinted(info: Hinted, part: str, number: str) -> tuple[int, _Part, int]:
    """The account (1-based ``part``) and sentence (1-based ``number``) of a hint asked
    for; Refused (400) unless the exercise suggests something there."""
    k = int(part) - 1 if part.isdigit() else -1
    sentence = int(number) - 1 if number.isdigit() else -1
    if not 0 <= k < len(info.parts):
        raise Refused(f"this exercise has no account {part!r}")
    found = info.parts[k]
    if sentence not in found.hints_for or sentence not in {s.index for s in found.task.account}:
        raise Refused(f"sentence {number!r} of {found.task.account_title} has no hint")
    return k, found, sentence


def reveal(library: Library, info: Hinted, attempt: str, part: str, number: str) -> Revealed:
    """Reveal the hint of sentence ``number`` of account ``part`` (both 1-based) for the
    attempt and count it; refused for an exercise without costly hints (nothing is
    revealed), a closed one (410), an unknown or submitted attempt, or a sentence without
    a suggestion (400)."""
    points = info.extras.hint_points
    if info.hints != POLICY or points is None:
        raise Refused("this exercise offers no hints on request")
    if not info.is_open:
        raise Refused("this exercise is closed: no more hints are given", status=410)
    k, found, sentence = _hinted(info, part, number)
    with library.database.session() as session:
        row = _attempt(session, info.id, attempt)
        if session.get(HintReveal, (row.id, found.slug, sentence)) is None:
            try:  # two requests at once: the second finds the first's row
                with session.begin_nested():
                    session.add(
                        HintReveal(attempt_id=row.id, account=found.slug, sentence=sentence)
                    )
            except IntegrityError:
                pass
        used = len(_reveals(session, row.id))
    return Revealed(k, sentence, found.hints_for[sentence], used, points)


def submit_figures(
    session: Session, info: Hinted, attempt: str, link_f1: Any
) -> dict[str, float | int | None]:
    """At submission: close its attempt and give its hints used and the score after their
    cost; Refused (nothing is stored) for a missing, unknown or used attempt."""
    points = info.extras.hint_points
    if info.hints != POLICY or points is None:
        return {}
    row = _attempt(session, info.id, attempt)
    row.submitted_at = datetime.now(UTC)
    used = int(
        session.scalar(
            select(func.count()).select_from(HintReveal).where(HintReveal.attempt_id == row.id)
        )
        or 0
    )
    session.flush()
    f1 = float(link_f1) if isinstance(link_f1, int | float) else None
    return {"hints_used": used, "score_after_hints": after_hints(f1, used, points)}


def result_json(points: int | None, figures: Mapping[str, Any], revealed: bool) -> dict[str, Any]:
    """A submission's hints as the students' JSON gives them: the hints used and their
    cost (the student knows both); the score after the cost only once the reveal policy
    allows (it is drawn from the key, as the link F1 is)."""
    if points is None or "hints_used" not in figures:
        return {}
    used = int(figures["hints_used"])
    out: dict[str, Any] = {"used": used, "points": points, "cost": used * points}
    if revealed:
        out["score_after_hints"] = figures.get("score_after_hints")
    return {"hints": out}
