"""Exercises on several accounts, on SQLite and PostgreSQL: per-account and overall scores
worked out by hand, the dashboard of a two-account class, the labels that count, and
migration 0011 carrying an existing one-account exercise and its submission up and down."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, update

from webapp.collate.vocabulary import LABELS
from webapp.errors import Refused
from webapp.library import Library
from webapp.library import exercise_answers as answers
from webapp.library import exercises as ex
from webapp.library.exercise_info import Part
from webapp.library.exercise_stats import dashboard
from webapp.store import Database, User
from webapp.store.exercise_models import Exercise, Submission

from .dbtest import BACKENDS
from .exercisedb import bundled_database, user_named
from .test_store import MIGRATIONS

PAUL = "paul-conversion"
TWO = ("paul-acts-22", "paul-acts-26")
LUKE = "temptation-luke"


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(request.param, tmp_path) as database:
        yield database


def _tess(db: Database) -> User:
    return user_named(db, "tess")


def _links(part: Part, label: str | None = None) -> list[dict[str, Any]]:
    """The part's scored key links as a student gives them (1-based), with the key's label
    or ``label``."""
    given = []
    for link in part.key.links:
        if link.scored:
            for j in link.witness:
                record = [i + 1 for i in link.source]
                given.append({"record": record, "account": j + 1, "label": label or link.label})
    return given


def _pairs(part: Part) -> int:
    return sum(len(k.source) * len(k.witness) for k in part.key.links if k.scored)


def test_two_accounts_are_scored_each_and_pooled_overall(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), PAUL, ex.Spec("align", accounts=TWO))
    assert made.accounts == TWO and [p.task.account_title for p in made.parts][0].startswith(
        "Acts 22"
    )
    first, second = made.parts
    # Acts 22 exactly as the key; Acts 26 the key's pairs, every label "other", and one
    # extra pair (R27 -> A1, which its key does not have).
    extra = {"record": [27], "account": 1, "label": "other"}
    given = {
        "accounts": {
            first.slug: {"links": _links(first)},
            second.slug: {"links": [*_links(second, "other"), extra]},
        }
    }
    done = answers.submit_given(library, made.code, "Ann", given)
    figures = done.submission.figures
    p22, p26 = _pairs(first), _pairs(second)
    assert figures["accounts"][first.slug]["link_f1"] == 1.0
    assert figures["accounts"][second.slug]["link_f1"] == pytest.approx(2 * p26 / (2 * p26 + 1))
    tp = p22 + p26  # pooled: every key pair of both found, one extra pair
    assert figures["link_precision"] == pytest.approx(tp / (tp + 1))
    assert figures["link_recall"] == 1.0
    assert figures["link_f1"] == pytest.approx(2 * tp / (2 * tp + 1))
    # Labels over the shared key links of both: Acts 22 all right, Acts 26 all "other".
    keyed = [k.label for p in made.parts for k in p.key.links if k.scored and k.label]
    n22 = sum(1 for k in first.key.links if k.scored and k.label)
    said = keyed[:n22] + ["other"] * (len(keyed) - n22)
    assert "other" not in keyed  # so every Acts 26 label disagrees
    assert figures["label_accuracy"] == pytest.approx(n22 / len(keyed))
    assert figures["accounts"][second.slug]["label_accuracy"] == 0.0
    observed = n22 / len(keyed)
    ours, theirs = Counter(keyed), Counter(said)
    chance = sum(ours[x] * theirs[x] for x in ours) / len(keyed) ** 2
    assert figures["label_kappa"] == pytest.approx((observed - chance) / (1 - chance), abs=1e-9)
    # The stored answers are per account and read back the same.
    info, found = answers.by_receipt(library, made.code, done.receipt)
    assert set(found.answers["accounts"]) == set(TWO)
    scores = info.scores(found.answers)
    assert [a.slug for a in scores.accounts] == list(TWO)
    assert "All accounts' sentence pairs together." in scores.overall[2].text


def test_two_order_tasks_give_the_mean_tau_and_the_total_inversions(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), PAUL, ex.Spec("order", accounts=TWO))
    first, second = made.parts

    def record_order(part: Part) -> list[int]:
        return sorted(part.key.order, key=lambda j: (part.key.order[j], j))

    swapped = record_order(second)
    assert second.key.order[swapped[0]] < second.key.order[swapped[1]]  # not tied
    swapped[0], swapped[1] = swapped[1], swapped[0]
    given = {
        "accounts": {
            first.slug: {"order": [j + 1 for j in record_order(first)]},
            second.slug: {"order": [j + 1 for j in swapped]},
        }
    }
    figures = answers.submit_given(library, made.code, "", given).submission.figures
    n = len(second.task.items)
    tau26 = 1 - 2 * 1 / (n * (n - 1) / 2)
    assert figures["accounts"][first.slug] == {"order_tau": 1.0, "inversions": 0}
    assert figures["accounts"][second.slug]["inversions"] == 1
    assert figures["accounts"][second.slug]["order_tau"] == pytest.approx(tau26)
    assert figures["order_tau"] == pytest.approx((1.0 + tau26) / 2)
    assert figures["inversions"] == 1


def test_the_dashboard_of_a_two_account_class_counts_each_account(db: Database) -> None:
    library = Library(db)
    tess = _tess(db)
    made = ex.create(library, tess, PAUL, ex.Spec("align", accounts=TWO, record_range=(1, 8)))
    fixture: list[dict[str, list[tuple[int, int]]]] = [
        {TWO[0]: [(2, 3), (3, 4), (5, 6)], TWO[1]: [(2, 6), (3, 7)]},
        {TWO[0]: [(2, 3), (1, 2)], TWO[1]: [(2, 6), (1, 1)]},
        {TWO[0]: [(2, 3)], TWO[1]: []},
    ]
    for drawn in fixture:
        given = {
            slug: {"links": [{"record": [r], "account": a} for r, a in pairs]}
            for slug, pairs in drawn.items()
        }
        answers.submit_given(library, made.code, "", {"accounts": given})
    info = ex.read(library, tess, made.id)
    board = dashboard(info, ex.submissions(library, tess, made.id), top=100)
    assert board.submissions == 3 and [b.part.slug for b in board.accounts] == list(TWO)
    for part_board in board.accounts:
        slug = part_board.part.slug
        heat = Counter((r - 1, a - 1) for drawn in fixture for r, a in drawn[slug])
        assert part_board.heat == dict(heat)
        # pairs of any key link, scored or not, are never "wrong"
        keyed = {(i, j) for k in part_board.part.key.links for i in k.source for j in k.witness}
        missed = {}
        for k in part_board.part.key.links:
            pairs = {(i, j) for i in k.source for j in k.witness}
            got = [{(r - 1, a - 1) for r, a in drawn[slug]} for drawn in fixture]
            if k.scored and (n := sum(not pairs <= g for g in got)):
                missed[(k.source, k.witness)] = n
        assert {(m.source, m.witness): m.missed for m in part_board.missed} == missed
        assert dict(part_board.wrong) == {p: n for p, n in heat.items() if p not in keyed}
    assert board.accounts[1].missed and board.accounts[0].missed  # the fixture misses links
    overall = {f.name: f for f in board.figures}
    assert overall["link_f1"].count == 3


def test_students_choose_any_label_and_only_the_labels_that_count_are_scored(
    db: Database,
) -> None:
    library = Library(db)
    counted = ("embellishment",)
    made = ex.create(library, _tess(db), "temptation", ex.Spec("align", LUKE, labels=counted))
    part = made.parts[0]
    assert part.task.labels == LABELS  # every label of the project is offered
    links = _links(part)
    for row in links:  # a label that does not count is taken, and scored on nothing
        if row["label"] != "embellishment":
            row["label"] = "paraphrase"
    done = answers.submit_given(library, made.code, "", {"accounts": {LUKE: {"links": links}}})
    figures = done.submission.figures
    keyed = [k for k in part.key.links if k.scored and k.label == "embellishment"]
    assert keyed and figures["label_accuracy"] == 1.0  # only the embellishments compared
    info, found = answers.by_receipt(library, made.code, done.receipt)
    compared = info.scores(found.answers).accounts[0].scores.labels.compared
    assert compared == len(keyed)
    texts = {e.name: e.text for e in info.scores(found.answers).overall}
    assert "Only key links labelled embellishment count here" in texts["label_kappa"]
    with pytest.raises(Refused, match="unknown label 'made up'"):
        links[0]["label"] = "made up"
        answers.submit_given(library, made.code, "", {"accounts": {LUKE: {"links": links}}})


def test_answers_the_task_did_not_ask_are_refused_with_the_reason(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), PAUL, ex.Spec("order", accounts=TWO, record_range=(1, 5)))
    for given, words in (
        ({"accounts": {"nobody": {}}}, "asks about no account 'nobody'"),
        ({"accounts": {TWO[0]: {"order": [1]}}}, "account sentence 1 is not one of this task's"),
        ({"accounts": {TWO[0]: {"order": ["3"]}}}, "'3' is not a sentence number"),
        ({"accounts": {TWO[0]: {"order": [True]}}}, "True is not a sentence number"),
        ({"accounts": {TWO[0]: {"order": [3, 3]}}}, "one comes twice"),
        ({"accounts": {TWO[0]: {"links": []}}}, "takes only 'order', not links"),
        ({"accounts": []}, '{"accounts": {"<account id>"'),
    ):
        with pytest.raises(Refused, match=words.replace("(", r"\(").replace("[", r"\[")):
            answers.submit_given(library, made.code, "", given)
    with db.session() as session:
        assert session.scalar(select(Submission.id)) is None
    with pytest.raises(Refused, match="choose one or more accounts"):
        ex.create(library, _tess(db), PAUL, ex.Spec("order"))
    with pytest.raises(Refused, match="each account may be chosen once"):
        ex.create(library, _tess(db), PAUL, ex.Spec("order", accounts=(TWO[0], TWO[0])))


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def test_migration_0011_carries_a_one_account_exercise_and_its_answers(db: Database) -> None:
    library = Library(db)
    tess = _tess(db)
    order = ex.create(library, tess, "temptation", ex.Spec("order", LUKE, record_range=(8, 9)))
    done = answers.submit(library, order.code, "Ann", {"acc1-rank-14": ["1"], "acc1-rank-7": ["2"]})
    stops = "5 | Why Jerusalem?\n9 | Which climax?\n11 | What changed?"
    tour = ex.create(library, tess, "temptation", ex.Spec("tour", LUKE, stops=stops))
    align = ex.create(library, tess, "temptation", ex.Spec("align", LUKE))
    with db.engine.begin() as connection:
        command.downgrade(_config(connection), "0009")
    # Rows as session 6 stored them: one account's answers, flat scores, a bare hint list,
    # tour stops with no account.
    with db.session() as session:
        session.execute(
            update(Submission).values(
                answers={"order": [13, 6]}, scores={"order_tau": 1.0, "inversions": 0}
            )
        )
        session.execute(
            update(Exercise).where(Exercise.id == align.id).values(hint_pairs=[[0, 0], [1, 0]])
        )
        plain = [{"link": n, "question": q} for n, q in ((5, "a"), (9, "b"), (11, "c"))]
        session.execute(
            update(Exercise).where(Exercise.id == tour.id).values(tour={"stops": plain, "at": 1})
        )
    with db.engine.begin() as connection:
        command.upgrade(_config(connection), "0011")
    info, found = answers.by_receipt(library, order.code, done.receipt)
    assert found.answers == {"accounts": {LUKE: {"order": [13, 6]}}}
    assert found.figures == {
        "order_tau": 1.0,
        "inversions": 0,
        "accounts": {LUKE: {"order_tau": 1.0, "inversions": 0}},
    }
    assert info.scores(found.answers).overall[0].value == 1.0  # still scored the same
    assert ex.read(library, tess, align.id).parts[0].hints_for == {0: (0, 1)}
    toured = ex.read(library, tess, tour.id)
    assert [s.link for s in toured.stops] == [5, 9, 11] and toured.tour_at == 1
    with db.session() as session:
        up = {s.id: (s.answers, s.scores) for s in session.scalars(select(Submission))}
    with db.engine.begin() as connection:  # down again: the old code's shape is back
        command.downgrade(_config(connection), "0009")
    with db.session() as session:
        row = session.scalars(select(Submission)).one()
        assert row.answers["order"] == [13, 6] and row.answers["accounts"] == {
            LUKE: {"order": [13, 6]}
        }
        assert session.get_one(Exercise, align.id).hint_pairs == [[0, 0], [1, 0]]
    with db.engine.begin() as connection:
        command.upgrade(_config(connection), "0011")
    with db.session() as session:
        assert {s.id: (s.answers, s.scores) for s in session.scalars(select(Submission))} == up
