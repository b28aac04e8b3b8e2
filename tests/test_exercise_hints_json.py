"""Hints that cost points through the students' JSON (webapp/views/api/hints.py): an
attempt per call, a hint and its cost, a submission charged like the form's (2 hints at 5
points: link F1 less 0.10), the refusals with their statuses, the OpenAPI entries, and
that no JSON answer before the reveal holds anything of the key but the hint paid for."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from webapp.store.exercise_models import Submission
from webapp.store.hint_models import HintAttempt, HintReveal

from .test_exercise_hints_pages import ALIGN
from .test_exercises_log import AGENT, FORWARDED, _get
from .test_exercises_log import served as served  # the live werkzeug server's fixture
from .test_exercises_pages import LUKE, _create, _mia
from .test_exercises_pages import build_site as build_site
from .test_manage import ManagedSite

#: Three of the key's six pairs in range (R1-A1, R1-A2, R2-A3): link F1 = 6 / 9 = 2/3.
HALF = {
    "accounts": {
        LUKE: {"links": [{"record": [1], "account": 1}, {"record": [1], "account": 2},
                         {"record": [2], "account": 3}]}
    }
}  # fmt: skip


def _post(client: FlaskClient, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _hinted(client: FlaskClient, code: str) -> list[int]:
    """The account sentences with a hint button on the task page (1-based)."""
    page = client.get(f"/x/{code}").get_data(as_text=True)
    return [int(n) for n in re.findall(r'class="hint-button"[^>]*data-sentence="(\d+)"', page)]


def _figures(body: dict[str, Any]) -> dict[str, Any]:
    return {f["name"]: f["value"] for f in body["scores"]}


def test_a_json_submission_with_two_hints_at_5_points_loses_a_tenth(site: ManagedSite) -> None:
    _, code = _create(site, **ALIGN)
    student = site.app.test_client()
    hinted = _hinted(student, code)
    issued = _post(student, f"/api/x/{code}/attempts", {})
    assert issued.status_code == 201
    attempt = issued.get_json()["attempt"]
    assert issued.get_json() == {"attempt": attempt, "used": 0, "points": 5, "cost": 0}
    # Each call is a new attempt, never one handed out before (nor the cookie's).
    assert _post(student, f"/api/x/{code}/attempts", {}).get_json()["attempt"] != attempt
    assert site.count(HintAttempt) == 3  # two by JSON, one for the task page read above
    for number, used in ((hinted[0], 1), (hinted[0], 1), (hinted[1], 2)):  # again: free
        shown = _post(
            student,
            f"/api/x/{code}/hints",
            {"attempt": attempt, "account": LUKE, "sentence": number},
        )
        assert shown.status_code == 200, shown.get_json()
        body = shown.get_json()
        assert body["account"] == LUKE and body["sentence"] == number and body["records"]
        assert (body["used"], body["points"], body["cost"]) == (used, 5, 5 * used)
    assert body["text"] == "Hints used so far: 2 hints, 10 points off your link score (of 100)."
    made = _post(
        student, f"/api/x/{code}", {"pseudonym": "Jo", "answers": HALF, "attempt": attempt}
    )
    assert made.status_code == 201, made.get_json()
    figures, hints = _figures(made.get_json()), made.get_json()["hints"]
    assert abs(figures["link_f1"] - 2 / 3) < 1e-9
    assert (hints["used"], hints["points"], hints["cost"]) == (2, 5, 10)
    assert abs(hints["score_after_hints"] - (2 / 3 - 0.10)) < 1e-9  # 0.5667, as the form's
    with site.app.extensions["memcon.db"].session() as session:
        (stored,) = session.query(Submission).all()
        assert stored.scores["hints_used"] == 2 and stored.pseudonym == "Jo"
    # The attempt is spent: replayed, or used for a hint, it is refused; nothing stored.
    again = _post(student, f"/api/x/{code}", {"answers": HALF, "attempt": attempt})
    assert again.status_code == 400 and "submitted already" in again.get_json()["error"]
    late = {"attempt": attempt, "account": LUKE, "sentence": hinted[2]}
    assert _post(student, f"/api/x/{code}/hints", late).status_code == 400
    assert site.count(Submission) == 1 and site.count(HintReveal) == 2


def test_json_hint_refusals_have_their_status_and_reveal_nothing(site: ManagedSite) -> None:
    student = site.app.test_client()
    _, hidden = _create(site, kind="align", account=LUKE)  # hints hidden: not "cost"
    for url in (f"/api/x/{hidden}/attempts", f"/api/x/{hidden}/hints"):
        body = {"attempt": "x", "account": LUKE, "sentence": 1}
        refused = _post(student, url, body if url.endswith("hints") else {})
        assert refused.status_code == 400, url
        assert (
            "cost nothing" in refused.get_json()["error"]
            or "offers no hints" in (refused.get_json()["error"])
        )
    path, code = _create(site, **ALIGN)
    first = _hinted(student, code)[0]
    attempt = _post(student, f"/api/x/{code}/attempts", {}).get_json()["attempt"]
    asks: list[tuple[dict[str, Any], str]] = [
        ({"attempt": "made-up", "account": LUKE, "sentence": first}, "reload the task page"),
        ({"attempt": attempt, "account": "matthew", "sentence": first}, "no account 'matthew'"),
        ({"attempt": attempt, "account": LUKE, "sentence": 999}, "has no hint"),
        ({"attempt": attempt, "account": LUKE, "sentence": "2"}, "sentence"),
        ({"attempt": attempt, "account": LUKE}, "sentence"),
    ]
    for body, reason in asks:
        refused = _post(student, f"/api/x/{code}/hints", body)
        assert refused.status_code == 400 and reason in refused.get_json()["error"], body
        assert "records" not in refused.get_json()
    form = student.post(f"/api/x/{code}/hints", data={"attempt": attempt})
    assert form.status_code == 415  # a cross-site form cannot post JSON
    nothing = _post(student, f"/api/x/{code}", {"answers": HALF})  # no attempt
    assert nothing.status_code == 400 and "reload the task page" in nothing.get_json()["error"]
    assert site.client("mia").post(f"{path}/close").status_code == 302
    for url in (f"/api/x/{code}/attempts", f"/api/x/{code}/hints"):
        body = {"attempt": attempt, "account": LUKE, "sentence": first}
        gone = _post(student, url, body)
        assert gone.status_code == 410 and "closed" in gone.get_json()["error"]
    assert site.count(HintReveal) == 0 and site.count(Submission) == 0


def _normalised(reply: dict[str, Any], code: str, attempt: str) -> str:
    text = json.dumps(reply, sort_keys=True).replace(code, "CODE").replace(attempt, "ATTEMPT")
    return re.sub(r'"(receipt|submitted_at)": "[^"]+"', r'"\1": ""', text)


def test_before_the_reveal_no_json_answer_depends_on_the_key(site: ManagedSite) -> None:
    # As test_exercises_pages' key-leak test: two exercises alike but for their keys (the
    # hand-made one and the machine's links frozen as version 2) must give a student the
    # same attempt, hint and submission answers, so none holds a key pair or label: the
    # hint is the machine's suggestion, which is what the student paid for.
    from webapp.library import keys

    library = site.app.extensions["memcon.library"]
    keys.freeze(library, _mia(site), "temptation", note="the machine's links")
    student = site.app.test_client()
    made = [_create(site, **ALIGN, key_version=str(v), reveal="close")[1] for v in (1, 2)]
    replies = []
    for code in made:
        number = _hinted(student, code)[0]
        issued = _post(student, f"/api/x/{code}/attempts", {}).get_json()
        attempt = issued["attempt"]
        ask = {"attempt": attempt, "account": LUKE, "sentence": number}
        hint = _post(student, f"/api/x/{code}/hints", ask).get_json()
        given = {"pseudonym": "Ann", "answers": HALF, "attempt": attempt}
        done = _post(student, f"/api/x/{code}", given)
        assert done.status_code == 201 and done.get_json()["revealed"] is False
        assert "scores" not in done.get_json()  # nor the score after the hints' cost:
        assert done.get_json()["hints"] == {"used": 1, "points": 5, "cost": 5}
        task = student.get(f"/api/x/{code}").get_json()
        replies.append([_normalised(r, code, attempt) for r in (issued, hint, done.json, task)])
    assert replies[0] == replies[1]
    labels = {"verbatim", "paraphrase", "expanded", "condensed"}  # the key's own labels
    assert not any(f'"{label}"' in replies[0][2] for label in labels)


def test_the_json_hint_routes_are_in_the_openapi_document(site: ManagedSite) -> None:
    document = site.app.test_client().get("/api/openapi.json").get_json()
    attempts = document["paths"]["/api/x/{code}/attempts"]["post"]
    assert attempts["security"] == [{}] and {"201", "400", "410"} <= set(attempts["responses"])
    hints = document["paths"]["/api/x/{code}/hints"]["post"]
    body = hints["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"attempt", "account", "sentence"}
    assert {"200", "400", "410", "415"} <= set(hints["responses"])
    submit = document["paths"]["/api/x/{code}"]["post"]["requestBody"]["content"]
    assert "attempt" in submit["application/json"]["schema"]["properties"]


def test_the_json_hint_routes_are_logged_without_the_address(
    site: ManagedSite, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, code = _create(site, **ALIGN)
    number = _hinted(site.app.test_client(), code)[0]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        for _ in range(3):
            assert _get(f"{served}/api/x/{code}/attempts", b"{}", json=True) == 201
        ask = {"attempt": "made-up", "account": LUKE, "sentence": number}
        assert _get(f"{served}/api/x/{code}/hints", json.dumps(ask).encode(), json=True) == 400
        assert _get(f"{served}/api/dossiers") == 200  # not an exercise route
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    exercise = [line for line in lines if "/api/x/" in line]
    other = [line for line in lines if "/api/dossiers" in line]
    assert len(exercise) == 4 and other and "127.0.0.1" in other[0]  # the check can fail
    for line in exercise:
        assert "127.0.0.1" not in line and FORWARDED not in line and AGENT not in line
    with site.app.extensions["memcon.db"].session() as session:
        assert session.query(HintAttempt).count() == 4  # three by JSON, one for the page
