"""Phrase-order questions in the store and the library, on SQLite and PostgreSQL: set with
an order exercise on the Temptation, the key's answers frozen from the key's links, a
phrase not in the record refused with nothing stored, scored on submit, migration 0010."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import delete, inspect

from webapp.errors import Refused
from webapp.library import Library, keys
from webapp.library import exercise_answers as answers
from webapp.library import exercises as ex
from webapp.store import Database, Dossier, User
from webapp.store.exercise_models import Exercise, Submission
from webapp.store.hint_models import ExercisePhrase, HintAttempt, HintCost, HintReveal

from .dbtest import BACKENDS
from .exercisedb import bundled_database, count_rows, user_named
from .test_store import MIGRATIONS

LUKE = "temptation-luke"
#: Matthew's R6 (the pinnacle of the temple) comes before R9 (the high mountain); the key
#: links R6 (with R5) to Luke's A11 and R9 to A7: Luke tells the mountain first.
#: Matthew's R2 (forty days) comes before R12 (the devil left him); the key links R2 to
#: A3-A4 and R12 to A15: Luke keeps that order.
PAIRS = "pinnacle of the temple | exceedingly high mountain\nforty days | the devil left him"
ORDER = ex.Spec("order", LUKE, record_range=(8, 9), phrases=PAIRS)
PERFECT = {"acc1-rank-14": ["1"], "acc1-rank-7": ["2"]}
TABLES = {"exercise_phrases", "exercise_hint_costs", "hint_attempts", "hint_reveals"}


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(request.param, tmp_path) as database:
        yield database


def _tess(db: Database) -> User:
    return user_named(db, "tess")


def _count(db: Database, model: type) -> int:
    return count_rows(db, model)


def test_migration_0010_goes_up_and_down(db: Database) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    before = ScriptDirectory.from_config(config).get_revision("0010").down_revision
    assert isinstance(before, str)  # what 0010 revises (the lead may chain it anew)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, before)
        names = set(inspect(connection).get_table_names())
        assert not TABLES & names and "exercises" in names
        command.upgrade(config, "0010")
        assert set(inspect(connection).get_table_names()) >= TABLES
        keys_of = inspect(connection).get_foreign_keys("exercise_phrases")
        assert [(k["referred_table"], k["options"].get("ondelete")) for k in keys_of] == [
            ("exercises", "CASCADE")
        ]


def test_the_keys_answers_are_computed_at_creation_and_frozen(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), "temptation", ORDER)
    asked = made.extras.phrases
    assert [(q.a_sentence, q.b_sentence) for q in asked] == [(5, 8), (1, 11)]
    assert [q.expected for q in asked] == [
        {"record": "before", LUKE: "after"},
        {"record": "before", LUKE: "before"},
    ]
    # A later key (the machine's links frozen as version 2) does not change them.
    keys.freeze(library, _tess(db), "temptation", note="later")
    again = answers.by_code(library, made.code)
    assert again.extras.phrases == asked and again.key_version == 1


def test_a_phrase_not_in_the_record_refuses_the_exercise_and_stores_nothing(
    db: Database,
) -> None:
    library = Library(db)
    for text, reason in (
        ("pinnacle of the temple | a very high mountain", "'a very high mountain' is not in"),
        ("pinnacle of the temple", "line 1 is not"),
    ):
        with pytest.raises(Refused, match=reason):
            ex.create(library, _tess(db), "temptation", ex.Spec("order", LUKE, phrases=text))
    with pytest.raises(Refused, match="belong to a predict-the-order exercise"):
        ex.create(library, _tess(db), "temptation", ex.Spec("align", LUKE, phrases=PAIRS))
    assert _count(db, Exercise) == 0 and _count(db, ExercisePhrase) == 0


def test_phrase_answers_are_scored_on_submit_beside_the_order(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), "temptation", ORDER)
    given = {
        **PERFECT,
        "phrase-1-record": ["before"],  # right
        f"phrase-1-{LUKE}": ["before"],  # wrong: Luke tells the mountain first
        "phrase-2-record": ["before"],  # right
        f"phrase-2-{LUKE}": ["not_told"],  # wrong: Luke tells both, in that order
    }
    done = answers.submit(library, made.code, "Ann", given)
    figures = done.submission.figures
    assert (figures["order_tau"], figures["inversions"], figures["phrase_accuracy"]) == (
        1.0,
        0,
        0.5,
    )
    assert done.submission.answers["phrases"] == {
        "0": {"record": "before", LUKE: "before"},
        "1": {"record": "before", LUKE: "not_told"},
    }
    blank = answers.submit(library, made.code, "Bo", PERFECT)  # unanswered counts as wrong
    assert blank.submission.figures["phrase_accuracy"] == 0.0
    for bad in ({"phrase-1-record": ["not_told"]}, {"phrase-1-record": ["before", "after"]}):
        with pytest.raises(Refused, match="tampered"):  # the record has no "not told"
            answers.submit(library, made.code, "Cy", {**PERFECT, **bad})
    assert _count(db, Submission) == 2


def test_the_questions_go_with_their_exercise_and_dossier(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), "temptation", ORDER)
    ex.create(library, _tess(db), "temptation", ORDER)
    assert _count(db, ExercisePhrase) == 4
    ex.remove(library, _tess(db), made.id)
    assert _count(db, ExercisePhrase) == 2
    with db.session() as session:
        session.execute(delete(Dossier).where(Dossier.slug == "temptation"))
    for model in (ExercisePhrase, HintCost, HintAttempt, HintReveal):
        assert _count(db, model) == 0


def test_the_issues_question_on_zavidovo_agrees_with_the_reading_rooms_answer(
    db: Database,
) -> None:
    # "In the memcon, does 'longer term eventuality' come before 'great idea'? And in
    # Christopher's memoir?" A key frozen from the machine's alignment (nobody curated)
    # holds the machine's links, so the exercise's frozen answers must be the reading
    # room's phrase-order verdicts (webapp/collate/phrases.py, read from the comparison,
    # not from the key): kept = the record's answer, inverted = the other, missing = not
    # told.
    library = Library(db)
    tess = _tess(db)
    keys.freeze(library, tess, "zavidovo-1993", note="the machine's links")
    comparison = library.comparison("zavidovo-1993", tess)
    reading = comparison.order("longer term eventuality", "great idea")
    # The memcon says "longer term eventuality" (R19) after "a great idea" (R17).
    assert (reading.a.sentence, reading.b.sentence) == (18, 16)
    turned = {"kept": "after", "inverted": "before", "missing": "not_told"}
    for account, verdict in zip(comparison.accounts, reading.accounts, strict=True):
        spec = ex.Spec("order", account.slug, phrases="longer term eventuality | great idea")
        made = ex.create(library, tess, "zavidovo-1993", spec)
        (asked,) = made.extras.phrases
        assert asked.expected == {"record": "after", account.slug: turned[verdict.verdict]}
    assert {v.verdict for v in reading.accounts} >= {"kept"}


def test_with_two_accounts_each_account_gets_its_own_answer(db: Database) -> None:
    # Acts 9's R20 ("my chosen vessel") comes before R23 ("Brother Saul"). The key links
    # R20 to Acts 22's A15-A16 and R22-R23 to its A13: Acts 22 tells Ananias's visit
    # first (after). Acts 26 links R20 to A12-A14 and nothing to R23: not told.
    library = Library(db)
    spec = ex.Spec(
        "order", accounts=("paul-acts-22", "paul-acts-26"), phrases="chosen vessel | Brother Saul"
    )
    made = ex.create(library, _tess(db), "paul-conversion", spec)
    (asked,) = made.extras.phrases
    assert (asked.a_sentence, asked.b_sentence) == (19, 22)
    assert asked.expected == {
        "record": "before",
        "paul-acts-22": "after",
        "paul-acts-26": "not_told",
    }
    given = {"phrase-1-record": ["before"], "phrase-1-paul-acts-26": ["not_told"]}
    done = answers.submit(library, made.code, "Ann", given)
    assert done.submission.figures["phrase_accuracy"] == pytest.approx(2 / 3)
