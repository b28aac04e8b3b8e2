"""The exercise pages end to end: a teacher sets an exercise on the bundled Temptation
dossier, students submit through /x without an account, the dashboard, CSV, receipts,
reveal policy, refusals with their statuses, and who may see what."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from webapp.store.exercise_models import Exercise, Submission

from .test_manage import ManagedSite, text_of
from .test_manage import build_site as build_managed

LUKE = "temptation-luke"
LIST = "/dossiers/temptation/exercises"
#: Record R8 closes the temple temptation (Matthew's second), R9 opens the mountain (his
#: third); Luke tells the mountain (A7) long before the temple's end (A14).
ORDER = {"kind": "order", "account": LUKE, "record_first": "8", "record_last": "9"}


def build_site(url: str = "sqlite://", **config: Any) -> ManagedSite:
    """The managed site, with the annotator mia made a member of the Temptation dossier."""
    site = build_managed(url, **config)
    added = site.client("ada").post("/dossiers/temptation/members", data={"name": "mia"})
    assert added.status_code == 302
    return site


def _create(site: ManagedSite, **form: Any) -> tuple[str, str]:
    """Set an exercise as mia; its teacher page's path and its code."""
    made = site.client("mia").post(LIST, data={"reveal": "submit", **form})
    assert made.status_code == 302, text_of(made)
    page = site.client("mia").get(made.headers["Location"])
    code = re.search(r'id="ex-code">(\w+)<', text_of(page))
    assert code is not None
    return made.headers["Location"], code.group(1)


def _receipt(page: str) -> str:
    found = re.search(r'id="receipt-code">([A-Z0-9-]+)<', page)
    assert found is not None
    return found.group(1)


def _student() -> Callable[[ManagedSite], FlaskClient]:
    return lambda site: site.app.test_client()


def test_a_perfect_and_a_swapped_order_on_the_temptation(site: ManagedSite) -> None:
    teacher = site.client("mia")
    path, code = _create(site, **ORDER)
    handout = text_of(teacher.get(path))
    assert f"http://localhost/x/{code}" in handout and 'class="copy"' in handout
    assert "LTI launches" not in handout  # LTI is off
    ann, ben = site.app.test_client(), site.app.test_client()
    task = text_of(ann.get(f"/x/{code}"))
    assert task.index("<strong>A7</strong>") < task.index("<strong>A14</strong>")  # Luke's order
    assert 'name="acc1-rank-7"' in task and 'name="acc1-rank-14"' in task
    perfect = ann.post(
        f"/x/{code}",
        data={"pseudonym": "Ann", "acc1-rank-14": "1", "acc1-rank-7": "2"},
        follow_redirects=True,
    )
    assert perfect.status_code == 200 and perfect.request.path == f"/x/{code}/done"
    page = text_of(perfect)
    assert "order tau: 1.00" in page and "You put no pair of sentences the other way round" in page
    swapped = text_of(
        ben.post(
            f"/x/{code}",
            data={"pseudonym": "Ben", "acc1-rank-14": "2", "acc1-rank-7": "1"},
            follow_redirects=True,
        )
    )
    assert "inversions: 1" in swapped and "You swapped 1 pair" in swapped
    assert "Ann" not in swapped  # never a classmate's work
    board = text_of(teacher.get(f"{path}/dashboard"))
    assert "2 submissions" in board and ">Ann<" in board and ">Ben<" in board
    assert "<td>0.00</td>" in board  # the mean tau of 1 and -1
    assert board.count("<td>1 of 2</td>") == 2 and "<td>1.5</td>" in board  # A14 and A7
    exported = teacher.get(f"{path}/submissions.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == [
        "pseudonym",
        "receipt",
        "link_f1",
        "omission_f1",
        "label_kappa",
        "label_accuracy",
        "order_tau",
        "inversions",
        "submitted_at",
    ]
    assert all(r[2:6] == ["", "", "", ""] for r in rows[1:])  # an order task has no links
    assert sorted((r[0], r[6], r[7]) for r in rows[1:]) == [
        ("Ann", "1.0000", "0"),
        ("Ben", "-1.0000", "1"),
    ]
    # The CSV names a submission by its receipt's first block: the teacher matches a code.
    ben_row = next(r for r in rows[1:] if r[0] == "Ben")
    assert ben_row[1] == _receipt(swapped)[:4] + "-…"
    back = ben.post(f"/x/{code}/receipt", data={"receipt": _receipt(swapped)})
    assert (
        back.status_code == 200 and "Ben" in text_of(back) and "You swapped 1 pair" in text_of(back)
    )
    assert "receipt-code" not in text_of(back)  # the code is shown once, at submitting
    again = ben.get(f"/x/{code}/done")  # a reload: no second submission, no receipt again
    assert again.status_code == 302 and again.headers["Location"].endswith("/receipt")
    assert site.count(Submission) == 2


def test_an_align_answer_copied_from_the_key_scores_one(site: ManagedSite) -> None:
    path, code = _create(site, kind="align", account=LUKE)
    with site.app.extensions["memcon.db"].session() as session:
        exercise_id = session.query(Exercise.id).one()[0]
    from webapp.library import exercises as ex

    info = ex.read(site.app.extensions["memcon.library"], _mia(site), exercise_id)
    form: dict[str, list[str]] = {}
    for link in info.key.links:
        for j in link.witness:
            form.setdefault(f"acc1-link-{j + 1}", []).extend(str(i + 1) for i in link.source)
            form[f"acc1-label-{j + 1}"] = [link.label or ""]
    student = site.app.test_client()
    task = text_of(student.get(f"/x/{code}"))
    for link in info.key.links:  # the key's notes stay hidden before submitting
        assert link.note not in task
    page = text_of(student.post(f"/x/{code}", data=form, follow_redirects=True))
    assert "link f1: 1.00" in page and "label kappa: 1.00" in page and "omission f1: 1.00" in page
    assert info.key.links[0].note in page  # the key's note, revealed
    wrong = {**form, "acc1-link-15": ["1"], "acc1-why-1": ["<b>the Spirit</b> in both"]}
    answered = site.app.test_client().post(f"/x/{code}", data=wrong, follow_redirects=True)
    text = text_of(answered)
    assert "extra" in text and "link f1: 0." in text
    raw = answered.get_data(as_text=True)
    assert "Your why (A1): &lt;b&gt;the Spirit&lt;/b&gt; in both" in raw  # escaped
    board = text_of(site.client("mia").get(f"{path}/dashboard"))
    assert 'data-pair="1-15"' in board and "R1 → A15" in board  # the common wrong link
    assert 'class="h10 key" data-pair="1-1"' in board  # every student linked R1-A1


def _mia(site: ManagedSite) -> Any:
    from sqlalchemy import select

    from webapp.store import User

    with site.app.extensions["memcon.db"].session() as session:
        user = session.scalar(select(User).where(User.name == "mia"))
        session.expunge(user)
        return user


def test_reveal_after_close_hides_the_verdicts_until_the_teacher_closes(site: ManagedSite) -> None:
    path, code = _create(site, kind="quotes", account=LUKE, reveal="close")
    student = site.app.test_client()
    task = text_of(student.get(f"/x/{code}"))
    assert task.count('class="quote"') == 6
    assert "Your scores and the key are shown once your teacher closes the exercise" in task
    first = re.search(r'name="(acc1-quote-[0-9-]+)"', task)
    assert first is not None
    page = text_of(
        student.post(f"/x/{code}", data={first.group(1): "altered"}, follow_redirects=True)
    )
    # The scores come from the key: resubmitting and reading them would probe it, so they
    # wait for the close as the verdicts do.
    assert "You judged 1 of the 6 quotations as the key does" not in page
    assert "quote accuracy" not in page and "shown when your teacher closes the exercise" in page
    assert "Matthew has the same words without" not in page and "v-right" not in page
    receipt = _receipt(page)
    board = site.client("mia").get(f"{path}/dashboard").get_data(as_text=True)
    assert board.count('<td class="agree">1</td>') == 1  # the one quotation judged as the key
    assert site.client("mia").post(f"{path}/close").status_code == 302
    after = text_of(student.post(f"/x/{code}/receipt", data={"receipt": receipt}))
    assert "Matthew has the same words without" in after  # the key's note, now revealed
    assert "You judged 1 of the 6 quotations as the key does" in after
    closed = student.post(f"/x/{code}", data={first.group(1): "altered"})
    assert closed.status_code == 410 and "this exercise closed on 20" in text_of(closed)
    assert site.count(Submission) == 1


def test_bad_input_gets_a_clear_page_and_stores_nothing(site: ManagedSite) -> None:
    _, code = _create(site, **ORDER)
    student = site.app.test_client()
    unknown = student.get("/x/ZZZZZZ")
    assert unknown.status_code == 404 and "there is no exercise with the code ZZZZZZ" in text_of(
        unknown
    )
    long = student.post(f"/x/{code}", data={"pseudonym": "x" * 41, "acc1-rank-7": "1"})
    assert long.status_code == 400 and "at most 40 characters" in text_of(long)
    for tampered, words in (
        ({"acc1-rank-7": "9"}, "a place from 1 to 2: '9'"),
        ({"acc1-rank-99": "1", "acc1-rank-7": "x"}, "a place from 1 to 2: 'x'"),
        ({"acc1-rank-7": ["1", "2"]}, "tampered with: acc1-rank-7 was sent 2 times"),
        ({"acc1-rank-7": "1", "acc1-rank-14": "1"}, "two sentences have the same place"),
    ):
        refused = student.post(f"/x/{code}", data=tampered)
        assert refused.status_code == 400 and words in text_of(refused), words
    assert site.count(Submission) == 0
    assert student.get(f"/x?code={code.lower()}").headers["Location"].endswith(f"/x/{code}")
    wrong = student.post(f"/x/{code}/receipt", data={"receipt": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 404


def test_strangers_see_no_dashboard_and_deleting_deletes_the_submissions(
    site: ManagedSite,
) -> None:
    path, code = _create(site, **ORDER)
    for name in ("A", "B"):
        site.app.test_client().post(f"/x/{code}", data={"pseudonym": name, "acc1-rank-7": "1"})
    for who, status in (("nick", 403), ("rob", 403)):  # both may read the public dossier
        for url in (path, f"{path}/dashboard", f"{path}/submissions.csv"):
            refused = site.client(who).get(url)
            assert refused.status_code == status, (who, url)
            assert "only the owner or an annotator" in text_of(refused)
    student = site.client()  # a pupil who only has the code
    refused = student.get(f"{path}/dashboard")
    assert refused.status_code == 403 and "Log in</a> if you are one of them" in text_of(refused)
    assert student.post(f"{path}/delete", data={"sure": "yes"}).status_code == 401
    assert site.client("nick").post(f"{path}/delete").status_code == 403
    assert site.count(Submission) == 2
    gone = site.client("mia").post(f"{path}/delete", data={"sure": "yes"})
    assert gone.status_code == 302 and gone.headers["Location"].endswith(LIST)
    assert site.count(Submission) == 0 and site.count(Exercise) == 0
    assert site.app.test_client().get(f"/x/{code}").status_code == 404


def test_every_exercise_form_needs_its_csrf_token(make_site: Callable[..., ManagedSite]) -> None:
    site = make_site(WTF_CSRF_ENABLED=True)
    page = text_of(site.client("mia").get(LIST))
    assert 'name="csrf_token"' in page
    assert site.client("mia").post(LIST, data=ORDER).status_code == 400
    assert site.count(Exercise) == 0
    # The students' JSON takes no token: only application/json, which no other site's
    # form can send (and a form post to it is refused as not JSON).
    teacher = site.client("mia")
    token = re.search(r'name="csrf_token" value="([^"]+)"', text_of(teacher.get(LIST)))
    assert token is not None
    made = teacher.post(LIST, data={**ORDER, "csrf_token": token.group(1)})
    assert made.status_code == 302
    code = re.search(
        r'id="ex-code">(\w+)<', text_of(site.client("mia").get(made.headers["Location"]))
    )
    assert code is not None
    given = {"answers": {"accounts": {LUKE: {"order": [14, 7]}}}}
    sent = site.app.test_client().post(f"/api/x/{code.group(1)}", json=given)
    assert sent.status_code == 201, sent.get_json()
    form = site.app.test_client().post(f"/api/x/{code.group(1)}", data={"answers": "x"})
    assert form.status_code == 415
    assert site.app.test_client().post(f"/x/{code.group(1)}", data={}).status_code == 400


def test_the_worksheet_and_the_dossier_link_are_the_teachers(site: ManagedSite) -> None:
    path, _ = _create(site, kind="align", account=LUKE)
    sheet = text_of(site.client("mia").get(f"{path}/worksheet"))
    assert sheet.count('<tr><th scope="row">A') == 15 and "R12</strong>" in sheet
    assert "altered quotation" in sheet and "sentence starters" in sheet
    assert "Luke adds that Jesus was full of the Holy Spirit" not in sheet  # no key note
    assert site.client("rob").get(f"{path}/worksheet").status_code == 403
    assert "/dossiers/temptation/exercises" in text_of(
        site.client("mia").get("/dossiers/temptation")
    )
    assert "/exercises" not in text_of(site.client("rob").get("/dossiers/temptation"))


def test_an_exercise_past_its_deadline_takes_no_answer(site: ManagedSite) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    _, code = _create(site, **ORDER, deadline="2099-01-01T12:00")
    assert "until 2099-01-01 12:00 UTC" in text_of(site.client("mia").get("/exercises/1"))
    past = datetime.now(UTC) - timedelta(hours=1)
    with site.app.extensions["memcon.db"].session() as session:
        session.execute(update(Exercise).values(deadline=past))
    late = site.app.test_client().post(f"/x/{code}", data={"acc1-rank-7": "1"})
    assert late.status_code == 410 and f"closed on {past:%Y-%m-%d}" in text_of(late)
    assert "This exercise closed" in text_of(site.app.test_client().get(f"/x/{code}"))
    assert site.count(Submission) == 0
    bad = site.client("mia").post(LIST, data={**ORDER, "deadline": "2001-01-01T00:00"})
    assert bad.status_code == 400 and "already past" in text_of(bad)


TOUR = "5 | Why might Luke end in Jerusalem?\n9 | Which order is the climax?\n#11 | What changed?\n"


def test_a_guided_tour_reveals_each_answer_when_the_teacher_steps_on(site: ManagedSite) -> None:
    path, code = _create(site, kind="tour", account=LUKE, stops=TOUR)
    teacher, student = site.client("mia"), site.app.test_client()
    projector = text_of(teacher.get(f"{path}/tour"))
    assert "Stop 1 of 3" in projector and "Why might Luke end in Jerusalem?" in projector
    assert "<strong>A11</strong> He led him to Jerusalem" in projector  # key link 5: R5,R6 -> A11
    note = "The temple temptation, Matthew's second, is Luke's third"
    assert note not in projector and note not in text_of(student.get(f"/x/{code}"))
    assert teacher.post(f"{path}/tour/next").status_code == 302  # reveal stop 1's answer
    assert note in text_of(teacher.get(f"{path}/tour"))
    follow = text_of(student.get(f"/x/{code}"))
    assert note in follow and "Stop 2 of 3" not in follow
    teacher.post(f"{path}/tour/next")
    follow = text_of(student.get(f"/x/{code}"))
    assert "Stop 2 of 3" in follow and "Which order is the climax?" in follow
    assert "Luke adds 'in a moment of time'" not in follow  # stop 2's answer not yet shown
    teacher.post(f"{path}/tour/back")
    assert "Stop 2 of 3" not in text_of(student.get(f"/x/{code}"))
    assert site.client("rob").post(f"{path}/tour/next").status_code == 403
    refused = student.post(f"/x/{code}", data={})
    assert refused.status_code == 400 and "takes no answers" in text_of(refused)
    for stops, words in (("5 | a\n6 | b", "3 to 10 stops"), ("5|a\n6|b\n99|c", "not a link")):
        bad = teacher.post(LIST, data={"kind": "tour", "account": LUKE, "stops": stops})
        assert bad.status_code == 400 and words in text_of(bad)
    assert site.count(Exercise) == 1 and site.count(Submission) == 0


def test_hints_shown_are_the_machines_links_and_hidden_ones_are_not_there(
    site: ManagedSite,
) -> None:
    _, hidden = _create(site, kind="align", account=LUKE)
    assert "Machine's suggestion" not in text_of(site.app.test_client().get(f"/x/{hidden}"))
    _, code = _create(site, kind="align", account=LUKE, hints="shown")
    page = text_of(site.app.test_client().get(f"/x/{code}"))
    comparison = site.app.extensions["memcon.library"].comparison("temptation", _mia(site))
    luke = [k for k, a in enumerate(comparison.accounts) if a.slug == LUKE][0]
    links = comparison.comparison.witnesses[luke].links
    for j in range(15):
        records = sorted(i for link in links if j in link.witness for i in link.source)
        words = ", ".join(f"R{i + 1}" for i in records) or "none"
        box = page[page.index(f'id="acc1-a{j + 1}"') :]
        box = box[: box.index("</fieldset>")]
        assert f"Machine's suggestion: {words} (the machine can be wrong)" in box
    refused = site.client("mia").post(LIST, data={**ORDER, "hints": "shown"})
    assert refused.status_code == 400 and "only an align and label task" in text_of(refused)


def _normalised(page: str, code: str) -> str:
    """A student's page with what differs between two exercises by design taken out."""
    page = page.replace(code, "CODE")
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)


def test_before_the_reveal_nothing_a_student_reaches_depends_on_the_key(
    site: ManagedSite,
) -> None:
    # Two align exercises alike but for their keys: the bundled hand-made key (version 1)
    # and the machine's alignment frozen as version 2 (other pairs, no labels, no notes).
    # What a student can reach before the reveal must be the same page for both, so it
    # cannot carry a key pair, label or note in any form (markup, data attributes, JSON).
    from webapp.library import keys

    library = site.app.extensions["memcon.library"]
    frozen = keys.freeze(library, _mia(site), "temptation", note="the machine's links")
    assert frozen.version == 2
    exercise = {"kind": "align", "account": LUKE, "reveal": "close"}
    first_path, first = _create(site, key_version="1", **exercise)
    second_path, second = _create(site, key_version="2", **exercise)
    student = site.app.test_client()
    for url in ("/x/{code}", "/x/{code}/receipt", "/api/x/{code}"):
        a = text_of(student.get(url.format(code=first)))
        b = text_of(student.get(url.format(code=second)))
        assert _normalised(a, first) == _normalised(b, second), url
    # The JSON face too: the task, and a submission's answer before the reveal (its
    # receipt and time aside), are the same for both keys.
    given = {
        "pseudonym": "Ann",
        "answers": {"accounts": {LUKE: {"links": [{"record": [1], "account": 1}]}}},
    }
    replies = []
    for code in (first, second):
        made = student.post(f"/api/x/{code}", json=given)
        assert made.status_code == 201
        body = made.get_json()
        back = student.post(f"/api/x/{code}/receipt", json={"receipt": body.pop("receipt")})
        for reply in (body, back.get_json()):
            assert reply["revealed"] is False and "breakdown" not in reply["accounts"][0]
            reply.pop("submitted_at"), reply.pop("exercise")
            replies.append(json.dumps(reply, sort_keys=True))
    assert replies[0] == replies[2] and replies[1] == replies[3]
    # After submitting, with "reveal after close": the page says the answer is in, and the
    # key's notes and verdicts stay hidden until the teacher closes it.
    account = keys.read_key(library, _mia(site), "temptation", 1).key.account(LUKE)
    assert account is not None
    other = keys.read_key(library, _mia(site), "temptation", 2).key.account(LUKE)
    assert other is not None
    pairs = {(k.source, k.witness) for k in account.links}
    assert pairs != {(k.source, k.witness) for k in other.links}  # the keys really differ
    notes = [link.note for link in account.links if link.note]
    assert notes
    done = text_of(student.post(f"/x/{first}", data={}, follow_redirects=True))
    assert not any(note in done for note in notes)
    for path in (first_path, second_path):  # the teacher's pages stay the teacher's
        assert student.get(path).status_code == 403
        assert student.get(f"{path}/dashboard").status_code == 403
