"""Hints that cost points and phrase-order questions on the exercise pages (Flask's test
client): the task page's hint buttons and attempt, a hint without scripts (303 back to the
page) and with them (JSON), the result page's raw score, hints used and score after the
cost, the dashboard's mean and the CSV's columns, the refusals with their statuses, and
that nothing a student reaches before the reveal holds a phrase question's key answer."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from webapp.store.exercise_models import Exercise, Submission
from webapp.store.hint_models import HintReveal

from .test_exercises_pages import LIST, LUKE, _create, _mia, _receipt
from .test_exercises_pages import build_site as build_site  # the module's site, with mia
from .test_manage import ManagedSite, text_of

#: Luke's A1-A6 against Matthew's R1-R4; one hint costs 5 points.
ALIGN = {
    "kind": "align",
    "account": LUKE,
    "record_first": "1",
    "record_last": "4",
    "account_first": "1",
    "account_last": "6",
    "hints": "cost",
    "hint_points": "5",
}
#: Three of the key's six pairs in range: link F1 = 2*3 / (6 + 0 + 3) = 2/3.
HALF = {"acc1-link-1": "1", "acc1-link-2": "1", "acc1-link-3": "2"}
PAIRS = "pinnacle of the temple | exceedingly high mountain\nforty days | the devil left him"
ORDER = {"kind": "order", "account": LUKE, "record_first": "8", "record_last": "9"}
JSON = {"Accept": "application/json"}


def _attempt(page: str) -> str:
    found = re.search(r'name="attempt" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _hinted(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="hint-button"[^>]*data-sentence="(\d+)"', page)]


def test_hints_shown_on_request_cost_points_with_and_without_scripts(site: ManagedSite) -> None:
    path, code = _create(site, **ALIGN)
    teacher = text_of(site.client("mia").get(path))
    assert "shown on request, each costs 5 points of a 100-point link score" in teacher
    student = site.app.test_client()
    task = student.get(f"/x/{code}").get_data(as_text=True)
    hinted = _hinted(task)
    assert len(hinted) >= 2 and "the machine suggests" not in task  # nothing shown yet
    assert "(costs 5 points)" in task and "Hints used so far: 0" in task
    attempt = _attempt(task)
    # Without scripts: the button posts the form; 303 back to the task, the hint on it.
    plain = student.post(f"/x/{code}/hint/1/{hinted[0]}", data={"attempt": attempt})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        f"/x/{code}#acc1-a{hinted[0]}"
    )
    again = student.get(f"/x/{code}").get_data(as_text=True)
    assert _attempt(again) == attempt and "Hints used so far: 1" in again
    box = again[again.index(f'id="acc1-hint-{hinted[0]}"') :]
    assert box.startswith(f'id="acc1-hint-{hinted[0]}">Hint: the machine suggests R')
    # With scripts: JSON, counted on the server; asking twice costs once.
    for _ in range(2):
        answer = student.post(
            f"/x/{code}/hint/1/{hinted[1]}", data={"attempt": attempt}, headers=JSON
        )
        assert answer.status_code == 200
        assert answer.json is not None and answer.json["used"] == 2
    assert answer.json["text"].startswith("Hint: the machine suggests R")
    assert (
        answer.json["status"]
        == "Hints used so far: 2 hints, 10 points off your link score (of 100)."
    )
    done = text_of(
        student.post(f"/x/{code}", data={**HALF, "attempt": attempt}, follow_redirects=True)
    )
    assert "link f1: 0.67" in done and "hints used: 2" in done
    assert "score after hints: 0.57" in done  # 2/3 - 2 x 0.05 = 0.5667
    assert "each costs 5 points of a 100-point link score, so 10 points in all" in done
    replay = student.post(f"/x/{code}", data={**HALF, "attempt": attempt})
    assert replay.status_code == 400 and "submitted already" in text_of(replay)
    fresh = student.get(f"/x/{code}").get_data(as_text=True)
    assert _attempt(fresh) != attempt and "Hints used so far: 0" in fresh
    board = text_of(site.client("mia").get(f"{path}/dashboard"))
    assert re.search(r"hints used</th><td>1</td><td>2\.00</td><td>2\.00</td>", board)
    exported = site.client("mia").get(f"{path}/submissions.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(exported)))
    assert header[:2] == ["pseudonym", "receipt"]
    assert header[-2:] == ["hints_used", "score_after_hints"]
    assert row[-2:] == ["2", "0.5667"]
    assert site.count(Submission) == 1


def test_hint_requests_are_refused_with_their_status_and_reveal_nothing(
    site: ManagedSite,
) -> None:
    _, hidden = _create(site, kind="align", account=LUKE)
    student = site.app.test_client()
    for headers in ({}, JSON):
        refused = student.post(f"/x/{hidden}/hint/1/1", data={"attempt": "x"}, headers=headers)
        assert refused.status_code == 400 and "offers no hints on request" in text_of(refused)
        assert "suggests" not in text_of(refused) and "R1" not in text_of(refused)
    assert 'name="attempt"' not in text_of(student.get(f"/x/{hidden}"))
    path, code = _create(site, **ALIGN)
    task = student.get(f"/x/{code}").get_data(as_text=True)
    first = _hinted(task)[0]
    unknown = student.post(f"/x/{code}/hint/1/{first}", data={"attempt": "made-up"}, headers=JSON)
    assert unknown.status_code == 400 and unknown.json is not None
    assert "reload the task page" in unknown.json["error"]
    nothing = student.post(f"/x/{code}", data=HALF)  # no attempt: nothing is stored
    assert nothing.status_code == 400 and site.count(Submission) == 0
    assert site.client("mia").post(f"{path}/close").status_code == 302
    gone = student.post(f"/x/{code}/hint/1/{first}", data={"attempt": _attempt(task)})
    assert gone.status_code == 410 and "closed" in text_of(gone)
    assert site.count(HintReveal) == 0


def test_the_teacher_sets_a_cost_and_bad_costs_are_refused(site: ManagedSite) -> None:
    form = site.client("mia").get(LIST).get_data(as_text=True)
    assert 'name="hints" value="cost"' in form and 'name="hint_points"' in form
    assert 'name="phrases"' in form
    for bad, reason in (
        ({**ALIGN, "hint_points": "0"}, "from 1 to 100"),
        ({**ALIGN, "hint_points": ""}, "how many points a hint costs"),
        ({**ALIGN, "hints": "shown"}, "needs the policy"),
        (
            {**ORDER, "phrases": "pinnacle of the temple | a very high mountain"},
            "not in the record",
        ),
    ):
        refused = site.client("mia").post(LIST, data={"reveal": "submit", **bad})
        assert refused.status_code == 400 and reason in text_of(refused), bad
    assert site.count(Exercise) == 0


def test_phrase_questions_are_answered_per_text_and_explained(site: ManagedSite) -> None:
    path, code = _create(site, **ORDER, phrases=PAIRS, reveal="close")
    student = site.app.test_client()
    task = text_of(student.get(f"/x/{code}"))
    assert "does “pinnacle of the temple” come before “exceedingly high mountain”?" in task
    # The record gets before / after; the account also "both" and "not told in this account".
    assert task.count('name="phrase-1-record"') == 2
    assert task.count(f'name="phrase-1-{LUKE}"') == 4
    given = {
        "acc1-rank-14": "1",
        "acc1-rank-7": "2",
        "phrase-1-record": "before",
        f"phrase-1-{LUKE}": "after",
        "phrase-2-record": "after",  # wrong: forty days comes first
        f"phrase-2-{LUKE}": "before",
    }
    page = text_of(student.post(f"/x/{code}", data=given, follow_redirects=True))
    # Reveal after close: scores come from the key, so they wait for the close too.
    assert "phrase accuracy" not in page and "Question by question" not in page
    receipt = _receipt(page)
    assert site.client("mia").post(f"{path}/close").status_code == 302
    after = text_of(student.post(f"/x/{code}/receipt", data={"receipt": receipt}))
    assert "phrase accuracy: 0.75" in after
    assert "You answered 3 of 4 order questions as the key does" in after
    rows = re.findall(r'<tr class="(v-right|v-missed)"><td data-col="Question">(\d)', after)
    assert rows[-4:] == [("v-right", "1"), ("v-right", "1"), ("v-missed", "2"), ("v-right", "2")]
    assert 'after (wrong)</td><td data-col="The key">before' in after
    other = {**given, "phrase-2-record": "before", f"phrase-2-{LUKE}": "not_told"}
    assert student.post(f"/x/{code}", data=other).status_code == 410  # closed now
    assert site.client("mia").post(f"{path}/reopen").status_code == 302
    assert site.app.test_client().post(f"/x/{code}", data=other).status_code == 303
    board = text_of(site.client("mia").get(f"{path}/dashboard"))
    # Ann 3 of 4 (0.75), Bo 3 of 4 (q2: the record right, Luke wrong): mean 0.75.
    assert re.search(r"phrase accuracy</th><td>2</td><td>0\.75</td>", board)
    counts = re.findall(r"<td>(before|after)</td><td>(\d) of 2</td>", board)
    assert counts == [("before", "2"), ("after", "2"), ("before", "1"), ("before", "1")]
    # The teacher's page gives the key's answers; the worksheet asks without them.
    teacher = text_of(site.client("mia").get(path))
    assert (
        "The key: Matthew 4:1-11 (World English Bible) (the record): <strong>before</strong>; "
        "Luke 4:1-13 (World English Bible): <strong>after</strong>."
    ) in teacher
    sheet = text_of(site.client("mia").get(f"{path}/worksheet"))
    assert sheet.count("come before “exceedingly high mountain”?") == 2
    assert "<strong>after</strong>" not in sheet and sheet.count("☐") >= 2 * 3 + 2 * 2


def _section(page: str) -> str:
    start = page.index('<section class="phrase-questions"')
    return page[start : page.index("</section>", start)]


def test_before_the_reveal_no_student_page_holds_a_phrase_questions_key_answer(
    site: ManagedSite,
) -> None:
    # As test_exercises_pages' key-leak test: two exercises alike but for their keys (the
    # hand-made one, and the machine's links frozen as version 2) whose phrase questions
    # have other key answers give a student the same questions, and after submitting
    # with "reveal after close" the same page but for the score.
    from webapp.library import exercises as ex
    from webapp.library import keys

    library = site.app.extensions["memcon.library"]
    version = keys.freeze(library, _mia(site), "temptation", note="the machine's links").version
    made = [
        _create(site, **ORDER, phrases=PAIRS, key_version=str(v), reveal="close")
        for v in (1, version)
    ]
    infos = [ex.read(library, _mia(site), int(path.rsplit("/", 1)[1])) for path, _ in made]
    expected = [[q.expected for q in info.extras.phrases] for info in infos]
    assert expected[0] != expected[1]  # the two keys really answer differently
    student = site.app.test_client()
    pages = [student.get(f"/x/{code}").get_data(as_text=True) for _, code in made]
    assert _section(pages[0]) == _section(pages[1])
    answer = {"phrase-1-record": "before", f"phrase-1-{LUKE}": "after"}
    done = [
        student.post(f"/x/{code}", data=answer, follow_redirects=True).get_data(as_text=True)
        for _, code in made
    ]
    for page in done:  # neither the score nor which answer was right, before the close
        assert "phrase accuracy" not in page and "Question by question" not in page
        assert "The key</th>" not in page and "v-right" not in page and "v-missed" not in page


def test_a_hint_needs_the_forms_csrf_token(make_site: Callable[..., ManagedSite]) -> None:
    site = make_site(WTF_CSRF_ENABLED=True)
    mia = site.client("mia")  # one client: the token belongs to its session
    token = re.search(r'name="csrf_token" value="([^"]+)"', mia.get(LIST).get_data(as_text=True))
    assert token is not None
    made = mia.post(LIST, data={"reveal": "submit", **ALIGN, "csrf_token": token.group(1)})
    assert made.status_code == 302
    code = re.search(r'id="ex-code">(\w+)<', text_of(mia.get(made.headers["Location"])))
    assert code is not None
    student = site.app.test_client()
    task = student.get(f"/x/{code.group(1)}").get_data(as_text=True)
    number, attempt = _hinted(task)[0], _attempt(task)
    url = f"/x/{code.group(1)}/hint/1/{number}"
    assert student.post(url, data={"attempt": attempt}, headers=JSON).status_code == 400
    assert site.count(HintReveal) == 0
    student_token = re.search(r'name="csrf_token" value="([^"]+)"', task)
    assert student_token is not None
    sent = {"attempt": attempt, "csrf_token": student_token.group(1)}
    assert student.post(url, data=sent, headers=JSON).status_code == 200
    assert site.count(HintReveal) == 1


def test_the_students_json_asks_the_phrase_questions_and_takes_their_answers(
    site: ManagedSite,
) -> None:
    path, code = _create(site, **ORDER, phrases=PAIRS, reveal="close")
    student = site.app.test_client()
    task = student.get(f"/api/x/{code}")
    assert task.status_code == 200 and task.json is not None
    first = task.json["phrases"][0]
    assert (first["number"], first["a"], first["b"]) == (
        1,
        "pinnacle of the temple",
        "exceedingly high mountain",
    )
    assert [(t["id"], t["choices"]) for t in first["texts"]] == [
        ("record", ["before", "after"]),
        (LUKE, ["before", "after", "both", "not_told"]),
    ]
    assert "expected" not in task.get_data(as_text=True)
    body = {
        "accounts": {LUKE: {"order": [14, 7]}},
        "phrases": {"1": {"record": "before", LUKE: "after"}, "2": {"record": "after"}},
    }
    made = student.post(f"/api/x/{code}", json={"pseudonym": "Jo", "answers": body})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.json is not None and made.json["phrases"] == {
        "1": {"record": "before", LUKE: "after"},
        "2": {"record": "after"},
    }
    assert "phrase_accuracy" not in made.json and "phrase_breakdown" not in made.json
    with site.app.extensions["memcon.db"].session() as session:
        stored = session.query(Submission).one()
        # q1: both right; q2: the record wrong (forty days first), Luke unanswered: 2 of 4.
        assert stored.scores["phrase_accuracy"] == 0.5
        assert stored.answers["phrases"] == {"0": {"record": "before", LUKE: "after"},
                                              "1": {"record": "after"}}  # fmt: skip
    for bad in ({"3": {"record": "before"}}, {"1": {"nowhere": "before"}}, {"1": "before"}):
        refused = student.post(f"/api/x/{code}", json={"answers": {**body, "phrases": bad}})
        assert refused.status_code == 400, bad
    assert site.count(Submission) == 1
    assert site.client("mia").post(f"{path}/close").status_code == 302
    again = student.post(f"/api/x/{code}/receipt", json={"receipt": made.json["receipt"]})
    assert again.status_code == 200 and again.json is not None
    assert again.json["phrase_accuracy"] == 0.5
    assert again.json["phrase_breakdown"][:2] == [
        {"question": 1, "text": "record", "given": "before", "key": "before"},
        {"question": 1, "text": LUKE, "given": "after", "key": "after"},
    ]
