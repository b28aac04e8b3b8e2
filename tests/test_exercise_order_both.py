"""Phrase-order questions answer "both" for a passage told twice: the exercise's key reads
an account as the order box does (:func:`webapp.collate.phrases.account_order`), so a
phrase told once before the other phrase and once after it gets ``both`` in the key; a
student may answer it and is marked right; the dashboard, CSV and JSON carry it; an
exercise set before (its questions stored without ``tellings``) is unchanged."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.test_order_tellings import ACCOUNT
from tests.test_retell import RECORD
from webapp.collate import Document, compare, phrase_order
from webapp.collate.phrase_questions import RECORD as RECORD_ID
from webapp.collate.phrase_questions import Question, question, score
from webapp.errors import Refused
from webapp.library import exercise_phrases as phrases
from webapp.store.hint_models import ExercisePhrase

from .test_exercises_pages import LUKE, ORDER, _create, _mia, _receipt
from .test_exercises_pages import build_site as build_site  # the module's site, with mia
from .test_manage import ManagedSite, text_of

#: Six record sentences; "number two" is R3 (index 2), "number four" R5 (index 4).
LINES = [f"Sentence number {w} of the record." for w in "zero one two three four five".split()]
#: An account telling R5 early (A2) and again in place (A6), R3 once (A4): R5 is told
#: both before and after R3.
TOLD = [LINES[0], LINES[4], LINES[1], LINES[2], LINES[3], LINES[4], LINES[5]]
TOLD_LINKS = [((0,), (0,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (1, 5)), ((5,), (6,))]
PAIR = ("number two", "number four")


def test_a_phrase_told_before_and_after_the_other_gets_both_in_the_key() -> None:
    asked = question(*PAIR, LINES, [("memoir", TOLD_LINKS, TOLD)])
    assert asked.expected == {RECORD_ID: "before", "memoir": "both"}
    # The pairs of tellings (0-based account sentences), as the order box gives them.
    assert asked.tellings == {
        "memoir": [
            {"a": 3, "b": 1, "verdict": "inverted"},  # R5's early telling A2 before A4
            {"a": 3, "b": 5, "verdict": "kept"},  # and in place, A6 after A4
        ]
    }
    turned = question(*reversed(PAIR), LINES, [("memoir", TOLD_LINKS, TOLD)])
    assert turned.expected == {RECORD_ID: "after", "memoir": "both"}


def test_each_phrase_told_once_keeps_its_before_or_after_and_no_tellings() -> None:
    once = [((k,), (k,)) for k in range(6)]
    asked = question(*PAIR, LINES, [("same", once, LINES)])
    assert asked.expected == {RECORD_ID: "before", "same": "before"} and asked.tellings == {}
    # Told twice but both times before the other phrase: after, not both.
    early = [((0,), (0,)), ((4,), (1, 2)), ((2,), (3,))]
    assert question(*PAIR, LINES, [("early", early, TOLD)]).expected["early"] == "after"
    # A link whose account sentences are one run (A2-A3) is one telling.
    run = [((4,), (1, 2)), ((2,), (4,))]
    asked = question(*PAIR, LINES, [("run", run, TOLD)])
    assert asked.expected["run"] == "after" and asked.tellings == {}


@pytest.mark.parametrize("pair", [("warehouses", "arrested"), ("arrested", "magistrate released")])
def test_the_key_agrees_with_the_order_box_on_the_machines_links(pair: tuple[str, str]) -> None:
    """The retold tanner's arrest (tests/test_order_tellings.py): the key built from the
    machine's links answers both exactly where the order box does."""
    record = Document.from_lines("record", "\n".join(RECORD))
    told = Document.from_lines("Chronicle", "\n".join(ACCOUNT))
    comparison = compare(record, [told])
    (box,) = phrase_order(record, comparison, *pair).accounts
    links = [(link.source, link.witness) for link in comparison.witnesses[0].links]
    asked = question(*pair, RECORD, [("chronicle", links, ACCOUNT)])
    answer = {"kept": asked.expected[RECORD_ID], "both": "both"}[box.verdict]
    assert asked.expected["chronicle"] == answer
    assert asked.tellings["chronicle"] == [t.to_dict() for t in box.tellings]
    assert (box.verdict == "both") == (pair[0] == "warehouses")


def test_a_student_answering_both_is_marked_right() -> None:
    asked = [question(*PAIR, LINES, [("memoir", TOLD_LINKS, TOLD)])]
    right = score(asked, {"0": {RECORD_ID: "before", "memoir": "both"}})
    assert (right.right, right.asked) == (2, 2)
    wrong = score(asked, {"0": {RECORD_ID: "before", "memoir": "after"}})
    assert (wrong.right, [r.expected for r in wrong.rows]) == (1, ["before", "both"])


def test_an_old_question_without_tellings_is_unchanged() -> None:
    expected = {"record": "before", "memoir": "after"}
    old = {"a": "x", "b": "y", "a_sentence": 0, "b_sentence": 2, "expected": expected}
    asked = Question.from_dict(old)
    assert asked.tellings is None and asked.to_dict() == old  # stored form kept as it was
    assert list(asked.choices("memoir")) == ["before", "after", "not_told"]
    new = question(*PAIR, LINES, [("memoir", TOLD_LINKS, TOLD)])
    assert Question.from_dict(new.to_dict()) == new
    assert list(new.choices("memoir")) == ["before", "after", "both", "not_told"]
    assert list(new.choices(RECORD_ID)) == list(asked.choices(RECORD_ID)) == ["before", "after"]
    # The form may send "both" for an account of a new question only.
    assert phrases.read_form([new], {"phrase-1-memoir": ["both"]}) == {
        "phrases": {"0": {"memoir": "both"}}
    }
    for bad in ([new], {"phrase-1-record": ["both"]}), ([asked], {"phrase-1-memoir": ["both"]}):
        with pytest.raises(Refused, match="tampered"):
            phrases.read_form(*bad)


# --- On the site: a key whose Luke tells R6 twice ----------------------------------------

#: "pinnacle of the temple" is Matthew's R6, "exceedingly high mountain" R9 (Luke's A7).
QUESTION = "pinnacle of the temple | exceedingly high mountain"


def _both_exercise(site: ManagedSite, **form: Any) -> tuple[str, str]:
    """Curate R6 to Luke's A3 and A11 (told before A7 and after it), freeze that key and set
    an order exercise on it asking about R6 and R9."""
    from webapp.library import keys

    data = {"account": LUKE, "action": "add", "source": ["6"], "witness": ["3", "11"]}
    assert site.client("mia").post("/dossiers/temptation/links", data=data).status_code == 302
    library = site.app.extensions["memcon.library"]
    version = keys.freeze(library, _mia(site), "temptation", note="R6 told twice").version
    return _create(site, key_version=str(version), phrases=QUESTION, reveal="submit", **form)


def test_both_on_the_form_marked_right_on_the_dashboard_and_in_the_exports(
    site: ManagedSite,
) -> None:
    path, code = _both_exercise(site, **ORDER)
    teacher = text_of(site.client("mia").get(path))
    assert "<strong>both (told twice, in both orders)</strong> (A3 and A7 in the " in teacher
    assert "A11 and A7 inverted)" in teacher
    student = site.app.test_client()
    task = text_of(student.get(f"/x/{code}"))
    assert task.count('name="phrase-1-record"') == 2  # before / after
    assert f'name="phrase-1-{LUKE}" value="both"' in task
    assert task.count(f'name="phrase-1-{LUKE}"') == 4
    assert "A3 and A7" not in task and "inverted" not in task  # no key on the task page
    given = {"pseudonym": "Ann", "phrase-1-record": "before", f"phrase-1-{LUKE}": "both"}
    page = text_of(student.post(f"/x/{code}", data=given, follow_redirects=True))
    assert "phrase accuracy: 1.00" in page
    assert "both (told twice, in both orders) (right)" in page
    wrong = {"pseudonym": "Bo", "phrase-1-record": "before", f"phrase-1-{LUKE}": "after"}
    student.post(f"/x/{code}", data=wrong)
    board = text_of(site.client("mia").get(f"{path}/dashboard"))
    assert re.search(r"<td>both \(told twice, in both orders\)</td><td>1 of 2</td>", board)
    exported = site.client("mia").get(f"{path}/submissions.csv").get_data(as_text=True)
    header, *rows = list(csv.reader(io.StringIO(exported)))
    column = header.index("phrase_accuracy")
    assert sorted(float(r[column]) for r in rows) == [0.5, 1.0]
    body = {
        "accounts": {LUKE: {"order": [14, 7]}},
        "phrases": {"1": {"record": "after", LUKE: "both"}},
    }
    made = site.app.test_client().post(f"/api/x/{code}", json={"pseudonym": "Cy", "answers": body})
    assert made.status_code == 201 and made.json is not None
    assert made.json["phrase_breakdown"] == [
        {"question": 1, "text": "record", "given": "after", "key": "before"},
        {"question": 1, "text": LUKE, "given": "both", "key": "both"},
    ]
    asked = site.app.test_client().get(f"/api/x/{code}").get_json()["phrases"][0]["texts"]
    assert [t["choices"] for t in asked] == [
        ["before", "after"],
        ["before", "after", "both", "not_told"],
    ]
    receipt = _receipt(page)
    again = text_of(student.post(f"/x/{code}/receipt", data={"receipt": receipt}))
    assert "both (told twice, in both orders) (right)" in again


def test_an_exercise_set_before_both_keeps_its_form_and_refuses_both(site: ManagedSite) -> None:
    path, code = _create(site, **ORDER, phrases=QUESTION, reveal="submit")
    with site.app.extensions["memcon.db"].session() as session:
        (row,) = session.scalars(select(ExercisePhrase)).all()
        stored = {k: v for k, v in row.question.items() if k != "tellings"}  # the old form
        row.question = stored
        session.commit()
    task = text_of(site.app.test_client().get(f"/x/{code}"))
    assert task.count(f'name="phrase-1-{LUKE}"') == 3 and 'value="both"' not in task
    refused = site.app.test_client().post(f"/x/{code}", data={f"phrase-1-{LUKE}": "both"})
    assert refused.status_code == 400
    kept = site.app.test_client().post(f"/x/{code}", data={f"phrase-1-{LUKE}": "after"})
    assert kept.status_code == 303
    with site.app.extensions["memcon.db"].session() as session:
        assert session.scalars(select(ExercisePhrase)).one().question == stored
    assert "both" not in text_of(site.client("mia").get(path)).split("Phrase-order")[1][:400]
