"""Idle hint attempts are pruned in the exercises' lazy purge, on SQLite and PostgreSQL:
one that revealed no hint and never submitted goes after a day; one with a hint stays
(its cost is still due) and is charged when it submits; a submitted one stays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.errors import Refused
from webapp.library import Library
from webapp.library import exercise_answers as answers
from webapp.library import exercise_hint_costs as costs
from webapp.library import exercises as ex
from webapp.library.exercise_info import purge_expired
from webapp.store import Database
from webapp.store.hint_models import HintAttempt

from .dbtest import BACKENDS
from .exercisedb import bundled_database, user_named
from .test_exercise_hints import ALIGN, HALF


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(request.param, tmp_path) as database:
        yield database


def _aged(db: Database, attempts: dict[str, timedelta]) -> None:
    """Move each attempt's creation back by its age."""
    with db.session() as session:
        for attempt, age in attempts.items():
            session.get_one(HintAttempt, attempt).created_at = datetime.now(UTC) - age


def _left(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(HintAttempt.id)))


def test_idle_attempts_go_after_a_day_and_attempts_with_hints_stay(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, user_named(db, "tess"), "temptation", ALIGN)
    idle, young, hinted, spent = (costs.issue(library, made) for _ in range(4))
    costs.reveal(library, made, hinted, "1", str(min(made.parts[0].hints_for) + 1))
    answers.submit(library, made.code, "Ann", {**HALF, "attempt": [spent]})
    day, hour = costs.IDLE_ATTEMPT, timedelta(hours=1)
    assert day == timedelta(hours=24)
    _aged(db, {idle: day + hour, young: day - hour, hinted: 30 * day, spent: 30 * day})
    answers.by_code(library, made.code)  # a student opens the task: the lazy purge runs
    assert _left(db) == {young, hinted, spent}
    # The old attempt with a hint submits and is charged for it, as any other.
    done = answers.submit(library, made.code, "Bo", {**HALF, "attempt": [hinted]})
    assert done.submission.figures["hints_used"] == 1
    assert done.submission.figures["score_after_hints"] == pytest.approx(2 / 3 - 0.05)
    # The pruned one is refused (the page is told to reload); nothing else goes.
    with pytest.raises(Refused, match="reload the task page"):
        answers.submit(library, made.code, "Cy", {**HALF, "attempt": [idle]})
    with db.session() as session:  # a day on, the young one has become idle too
        purge_expired(session, datetime.now(UTC) + 2 * hour)
    assert _left(db) == {hinted, spent}
