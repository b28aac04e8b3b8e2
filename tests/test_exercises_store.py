"""Exercises and submissions in the store and the library, on SQLite and PostgreSQL:
migration 0009 up and down, scoring on submit, receipts, codes, who may, cascades."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import delete, inspect, select

from webapp.errors import Forbidden, NotFound, Refused
from webapp.library import Library
from webapp.library import exercise_answers as answers
from webapp.library import exercises as ex
from webapp.store import Database, Dossier, User
from webapp.store.exercise_models import Exercise, Submission

from .dbtest import BACKENDS
from .exercisedb import bundled_database, count_rows, user_named
from .test_store import MIGRATIONS

LUKE = "temptation-luke"
#: R8 closes the temple temptation (Matthew's second), R9 opens the mountain (his third).
ORDER = ex.Spec("order", LUKE, record_range=(8, 9))
#: Luke tells the mountain (A7) before the end of the temple scene (A14): the record's
#: order is A14, A7.
PERFECT = {"acc1-rank-14": ["1"], "acc1-rank-7": ["2"]}
SWAPPED = {"acc1-rank-14": ["2"], "acc1-rank-7": ["1"]}


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(
        request.param, tmp_path, (("tess", "admin"), ("rob", "reader"))
    ) as database:
        yield database


def _user(db: Database, name: str) -> User:
    return user_named(db, name)


def _count(db: Database, model: type) -> int:
    return count_rows(db, model)


def test_migration_0009_goes_up_and_down(db: Database) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
        assert not {"exercises", "submissions"} & set(inspect(connection).get_table_names())
        command.upgrade(config, "0009")
        assert {"exercises", "submissions"} <= set(inspect(connection).get_table_names())


def test_submissions_store_nothing_about_the_student_but_a_pseudonym(db: Database) -> None:
    columns = {c["name"] for c in inspect(db.engine).get_columns("submissions")}
    assert columns == {
        "id",
        "exercise_id",
        "pseudonym",
        "answers",
        "scores",
        "submitted_at",
        "receipt_hash",
        "receipt_hint",
    }


def test_a_perfect_and_a_swapped_order_are_scored_and_receipts_find_each(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _user(db, "tess"), "temptation", ORDER)
    assert len(made.code) == 6 and set(made.code) <= set(ex.ALPHABET)
    assert not set(made.code) & set("0O1IL")
    assert [s.index for s in made.task.items] == [6, 13]  # shown in Luke's order
    perfect = answers.submit(library, made.code.lower(), "Ann", PERFECT)
    swapped = answers.submit(library, made.code, "", SWAPPED)
    assert perfect.submission.figures == {
        "order_tau": 1.0,
        "inversions": 0,
        "accounts": {LUKE: {"order_tau": 1.0, "inversions": 0}},
    }
    assert swapped.submission.figures["order_tau"] == -1.0
    assert swapped.submission.figures["inversions"] == 1
    assert swapped.submission.pseudonym.startswith("Student ")
    info, found = answers.by_receipt(library, made.code, swapped.receipt)
    assert found.id == swapped.submission.id and found.answers == {
        "accounts": {LUKE: {"order": [6, 13]}}
    }
    assert answers.by_receipt(library, made.code, perfect.receipt.lower())[1].pseudonym == "Ann"
    with pytest.raises(NotFound):
        answers.by_receipt(library, made.code, "AAAA-BBBB-CCCC-DDDD")
    with db.session() as session:
        hashes = session.scalars(select(Submission.receipt_hash)).all()
    assert perfect.receipt not in hashes and len(hashes) == 2


def test_bad_answers_and_closed_exercises_store_nothing(db: Database) -> None:
    library = Library(db)
    tess = _user(db, "tess")
    made = ex.create(library, tess, "temptation", ORDER)
    for name, form in (
        ("x" * 41, PERFECT),
        ("Ann", {"acc1-rank-14": ["3"], "acc1-rank-7": ["1"]}),  # no third place
        ("Ann", {"acc1-rank-14": ["1"], "acc1-rank-7": ["1"]}),
        ("Ann", {"acc1-rank-14": ["1", "2"]}),
    ):
        with pytest.raises(Refused):
            answers.submit(library, made.code, name, form)
    ex.set_state(library, tess, made.id, "closed")
    with pytest.raises(Refused, match="closed on") as gone:
        answers.submit(library, made.code, "Ann", PERFECT)
    assert gone.value.status == 410
    with pytest.raises(NotFound):
        answers.submit(library, "ZZZZZZ", "Ann", PERFECT)
    assert _count(db, Submission) == 0
    reopened = ex.set_state(library, tess, made.id, "open")
    assert reopened.is_open and answers.submit(library, made.code, "Ann", PERFECT)


def test_codes_are_unique_among_open_exercises(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(db)
    tess = _user(db, "tess")
    drawn = iter(["AAAAAA", "AAAAAA", "BBBBBB", "AAAAAA", "CCCCCC"])
    monkeypatch.setattr(ex, "new_code", lambda length=6: next(drawn))
    first = ex.create(library, tess, "temptation", ORDER)
    second = ex.create(library, tess, "temptation", ORDER)  # AAAAAA is taken: drawn again
    assert (first.code, second.code) == ("AAAAAA", "BBBBBB")
    ex.set_state(library, tess, first.id, "closed")
    assert answers.by_code(library, "AAAAAA").id == first.id  # closed: still found for receipts
    third = ex.create(library, tess, "temptation", ORDER)  # a closed code may come back
    assert third.code == "AAAAAA" and answers.by_code(library, "AAAAAA").id == third.id
    reopened = ex.set_state(library, tess, first.id, "open")  # its code is taken: a new one
    assert reopened.code == "CCCCCC" and reopened.is_open


def test_only_teachers_manage_and_deleting_an_exercise_deletes_its_submissions(
    db: Database,
) -> None:
    library = Library(db)
    tess, rob = _user(db, "tess"), _user(db, "rob")
    with pytest.raises(Forbidden):
        ex.create(library, rob, "temptation", ORDER)
    made = ex.create(library, tess, "temptation", ORDER)
    for who in ("A", "B"):
        answers.submit(library, made.code, who, PERFECT)
    with pytest.raises(Forbidden):  # a public dossier, but its students' work is not
        ex.read(library, rob, made.id)
    with pytest.raises(Forbidden):
        ex.remove(library, rob, made.id)
    with pytest.raises(Forbidden):
        ex.submissions(library, None, made.id)
    with pytest.raises(NotFound):
        ex.read(library, None, 999)
    assert _count(db, Submission) == 2
    assert ex.remove(library, tess, made.id) == "temptation"
    assert _count(db, Submission) == 0 and _count(db, Exercise) == 0


def test_exercises_go_with_their_dossier_and_expire_after_their_retention(db: Database) -> None:
    from datetime import UTC, datetime, timedelta

    library = Library(db)
    tess = _user(db, "tess")
    made = ex.create(library, tess, "temptation", ORDER)
    answers.submit(library, made.code, "A", PERFECT)
    ex.set_state(library, tess, made.id, "closed")
    with db.session() as session:
        assert ex.purge_expired(session, datetime.now(UTC) + timedelta(days=29)) == 0
        assert ex.purge_expired(session, datetime.now(UTC) + timedelta(days=31)) == 1
    assert _count(db, Submission) == 0
    due = datetime.now(UTC) + timedelta(days=2)
    timed = ex.create(library, tess, "temptation", ex.Spec("order", LUKE, deadline=due))
    with db.session() as session:  # never closed by hand: 30 days after its deadline
        assert ex.purge_expired(session, due + timedelta(days=29)) == 0
        assert ex.purge_expired(session, due + timedelta(days=30)) == 1
        assert session.get(Exercise, timed.id) is None
    again = ex.create(library, tess, "temptation", ORDER)
    answers.submit(library, again.code, "A", PERFECT)
    with db.session() as session:
        session.execute(delete(Dossier).where(Dossier.slug == "temptation"))
    assert _count(db, Exercise) == 0 and _count(db, Submission) == 0


def test_align_and_quote_answers_a_page_could_not_send_are_refused(db: Database) -> None:
    library = Library(db)
    tess = _user(db, "tess")
    align = ex.create(library, tess, "temptation", ex.Spec("align", LUKE, record_range=(1, 4)))
    for form in (
        {"acc1-link-1": ["5"]},  # R5 is outside the range
        {"acc1-link-1": ["1"], "acc1-label-1": ["made up"]},
        {"acc1-link-99": ["1"], "acc1-link-1": ["x"]},
        {"acc1-link-1": ["1"], "acc1-why-1": ["w" * 201]},
    ):
        with pytest.raises(Refused):
            answers.submit(library, align.code, "", form)
    quotes = ex.create(library, tess, "temptation", ex.Spec("quotes", LUKE))
    first = quotes.task.quotes[0].id
    with pytest.raises(Refused, match="unknown verdict"):
        answers.submit(library, quotes.code, "", {f"acc1-quote-{first}": ["maybe"]})
    done = answers.submit(library, quotes.code, "", {f"acc1-quote-{first}": ["altered"]})
    assert done.submission.figures["quote_accuracy"] == 1 / 6
    assert _count(db, Submission) == 1


def test_the_dashboards_counts_are_those_of_the_submissions(db: Database) -> None:
    from webapp.library.exercise_stats import dashboard

    library = Library(db)
    tess = _user(db, "tess")
    made = ex.create(library, tess, "temptation", ex.Spec("align", LUKE, record_range=(1, 4)))
    forms: list[dict[str, list[str]]] = [
        {
            "acc1-link-1": ["1"],
            "acc1-link-2": ["1"],
            "acc1-link-3": ["2"],
            "acc1-link-5": ["3"],
            "acc1-link-6": ["4"],
        },
        {"acc1-link-1": ["1"], "acc1-link-3": ["2"], "acc1-link-4": ["2"], "acc1-link-5": ["3"]},
        {"acc1-link-1": ["1", "2"], "acc1-link-5": ["4"]},
        {"acc1-link-2": ["1"], "acc1-link-6": ["4"], "acc1-link-7": ["3"]},
        {},
    ]
    for form in forms:
        answers.submit(library, made.code, "", form)
    info = ex.read(library, tess, made.id)
    whole = dashboard(info, ex.submissions(library, tess, made.id), top=100)
    board = whole.accounts[0]
    drawn = [
        {(int(r) - 1, int(name[10:]) - 1) for name, rs in form.items() for r in rs}
        for form in forms
    ]
    heat: dict[tuple[int, int], int] = {}
    for pairs in drawn:
        for pair in pairs:
            heat[pair] = heat.get(pair, 0) + 1
    assert whole.submissions == 5 and board.heat == heat
    keyed = {(i, j) for k in info.key.links if k.scored for i in k.source for j in k.witness}
    missed = {}
    for k in info.key.links:
        pairs = {(i, j) for i in k.source for j in k.witness}
        if k.scored and (n := sum(not pairs <= d for d in drawn)):
            missed[(k.source, k.witness)] = n
    assert {(m.source, m.witness): m.missed for m in board.missed} == missed
    assert len(missed) >= 3  # the fixture misses links, so the check says something
    assert dict(board.wrong) == {p: n for p, n in heat.items() if p not in keyed}
    assert dict(board.wrong)  # and draws wrong pairs
