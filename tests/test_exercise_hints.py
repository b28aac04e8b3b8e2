"""Hints that cost points (webapp/library/exercise_hint_costs.py), on SQLite and PostgreSQL:
the cost's arithmetic, attempts issued with a task page, hints recorded on the server and
counted once, the submission charged for them, and the refusals (no attempt, a replayed
or foreign attempt, a closed exercise, a policy that gives no hints on request)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp.errors import Refused
from webapp.library import Library
from webapp.library import exercise_answers as answers
from webapp.library import exercise_hint_costs as costs
from webapp.library import exercises as ex
from webapp.store import Database, User
from webapp.store.exercise_models import Submission
from webapp.store.hint_models import HintAttempt, HintCost, HintReveal

from .dbtest import BACKENDS
from .exercisedb import bundled_database, count_rows, user_named

LUKE = "temptation-luke"
#: R1-R4 against A1-A6: the key's pairs there are R1-A1, R1-A2, R2-A3, R2-A4, R3-A5, R4-A6.
ALIGN = ex.Spec(
    "align", LUKE, record_range=(1, 4), account_range=(1, 6), hints="cost", hint_points=5
)
#: Three of the key's six pairs, nothing else: F1 = 2*3 / (2*3 + 0 + 3) = 2/3.
HALF = {"acc1-link-1": ["1"], "acc1-link-2": ["1"], "acc1-link-3": ["2"]}


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(request.param, tmp_path) as database:
        yield database


def _tess(db: Database) -> User:
    return user_named(db, "tess")


def _count(db: Database, model: type) -> int:
    return count_rows(db, model)


def test_the_cost_is_whole_points_of_a_100_point_link_score() -> None:
    assert costs.points_of(" 5 ") == 5 and costs.points_of("") is None
    for bad in ("0", "101", "2.5", "five"):
        with pytest.raises(Refused, match="from 1 to 100"):
            costs.points_of(bad)
    assert costs.after_hints(0.8, 2, 5) == pytest.approx(0.7)  # 80 - 2 x 5 = 70 points
    assert costs.after_hints(0.1, 3, 5) == 0.0  # 10 - 15: never below 0
    assert costs.after_hints(1.0, 0, 5) == 1.0 and costs.after_hints(None, 1, 5) is None
    with pytest.raises(Refused, match="how many points"):
        costs.validate("align", "cost", None)
    with pytest.raises(Refused, match="only an align and label task"):
        costs.validate("order", "cost", 5)
    with pytest.raises(Refused, match="needs the policy"):
        costs.validate("align", "shown", 5)


def _made(db: Database, spec: ex.Spec = ALIGN) -> tuple[Library, ex.ExerciseInfo]:
    return _made_on(db, "temptation", spec)


def _made_on(db: Database, slug: str, spec: ex.Spec) -> tuple[Library, ex.ExerciseInfo]:
    library = Library(db)
    return library, ex.create(library, _tess(db), slug, spec)


def test_hints_are_recorded_against_the_attempt_and_counted_once(db: Database) -> None:
    library, made = _made(db)
    assert made.extras.hint_points == 5 and _count(db, HintCost) == 1
    hinted = sorted(made.parts[0].hints_for)
    assert len(hinted) >= 2, made.parts[0].hints_for  # the machine links A1..A6 somewhere
    attempt, revealed = costs.attempt_for(library, made, None)
    assert revealed == {} and len(attempt) >= 24
    first = costs.reveal(library, made, attempt, "1", str(hinted[0] + 1))
    assert (first.used, first.records) == (1, made.parts[0].hints_for[hinted[0]])
    assert costs.reveal(library, made, attempt, "1", str(hinted[0] + 1)).used == 1  # again: free
    assert costs.reveal(library, made, attempt, "1", str(hinted[1] + 1)).used == 2
    # The same cookie gets the same attempt back, with its hints shown again.
    again, shown = costs.attempt_for(library, made, attempt)
    assert again == attempt and set(shown) == {(LUKE, j) for j in hinted[:2]}
    assert _count(db, HintReveal) == 2 and _count(db, HintAttempt) == 1
    done = answers.submit(library, made.code, "Ann", {**HALF, "attempt": [attempt]})
    figures = done.submission.figures
    assert figures["link_f1"] == pytest.approx(2 / 3)
    assert figures["hints_used"] == 2
    assert figures["score_after_hints"] == pytest.approx(2 / 3 - 2 * 0.05)  # 66.7 - 10 points
    # The attempt is spent: replaying the submission or asking for hints on it is refused.
    with pytest.raises(Refused, match="submitted already"):
        answers.submit(library, made.code, "Ann", {**HALF, "attempt": [attempt]})
    with pytest.raises(Refused, match="submitted already"):
        costs.reveal(library, made, attempt, "1", str(hinted[0] + 1))
    fresh, shown = costs.attempt_for(library, made, attempt)
    assert fresh != attempt and shown == {}
    assert _count(db, Submission) == 1


def test_a_submission_without_its_own_attempt_is_refused_and_nothing_stored(
    db: Database,
) -> None:
    library, made = _made(db)
    _, other = _made(db)
    foreign, _ = costs.attempt_for(library, other, None)
    for form in (HALF, {**HALF, "attempt": ["made-up"]}, {**HALF, "attempt": [foreign]}):
        with pytest.raises(Refused, match="not one of this exercise's") as refused:
            answers.submit(library, made.code, "Ann", form)
        assert refused.value.status == 400
    assert _count(db, Submission) == 0


def test_the_hint_requests_that_must_reveal_nothing(db: Database) -> None:
    library, made = _made(db)
    attempt, _ = costs.attempt_for(library, made, None)
    for number in ("7", "99", "0", "x"):  # A7 is outside the exercise's A1-A6
        with pytest.raises(Refused, match="has no hint"):
            costs.reveal(library, made, attempt, "1", number)
    for wrong in ("made-up", attempt + "x" * 40, ""):
        with pytest.raises(Refused, match="not one of this exercise's"):
            costs.reveal(library, made, wrong, "1", str(min(made.parts[0].hints_for) + 1))
    for policy in ("hidden", "shown"):
        _, other = _made(db, ex.Spec("align", LUKE, hints=policy))
        with pytest.raises(Refused, match="offers no hints on request") as refused:
            costs.reveal(library, other, attempt, "1", "1")
        assert refused.value.status == 400
    ex.set_state(library, _tess(db), made.id, "closed")
    closed = answers.by_code(library, made.code)
    with pytest.raises(Refused, match="closed") as gone:
        costs.reveal(library, closed, attempt, "1", str(min(made.parts[0].hints_for) + 1))
    assert gone.value.status == 410 and _count(db, HintReveal) == 0


def test_attempts_and_their_hints_go_with_the_exercise(db: Database) -> None:
    library, made = _made(db)
    attempt, _ = costs.attempt_for(library, made, None)
    costs.reveal(library, made, attempt, "1", str(min(made.parts[0].hints_for) + 1))
    ex.remove(library, _tess(db), made.id)
    for model in (HintCost, HintAttempt, HintReveal):
        assert _count(db, model) == 0


def test_with_two_accounts_each_accounts_hints_count_on_their_own(db: Database) -> None:
    spec = ex.Spec("align", accounts=("paul-acts-22", "paul-acts-26"), hints="cost", hint_points=10)
    library, made = _made_on(db, "paul-conversion", spec)
    first, second = (sorted(p.hints_for) for p in made.parts)
    assert first and second, "the machine suggests links in both accounts"
    attempt, _ = costs.attempt_for(library, made, None)
    assert costs.reveal(library, made, attempt, "1", str(first[0] + 1)).used == 1
    shown = costs.reveal(library, made, attempt, "2", str(second[0] + 1))
    assert (shown.part, shown.used, shown.records) == (1, 2, made.parts[1].hints_for[second[0]])
    with pytest.raises(Refused, match="has no account '3'"):
        costs.reveal(library, made, attempt, "3", "1")
    _, revealed = costs.attempt_for(library, made, attempt)
    assert set(revealed) == {("paul-acts-22", first[0]), ("paul-acts-26", second[0])}
    done = answers.submit(library, made.code, "Ann", {"attempt": [attempt]})
    # Nothing linked: the overall link F1 is 0, and 0 less 2 x 0.10 stays 0.
    assert done.submission.figures["hints_used"] == 2
    assert done.submission.figures["score_after_hints"] == 0.0
