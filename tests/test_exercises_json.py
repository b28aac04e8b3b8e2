"""The students' JSON under /api/x: the task as data, a submission, a receipt; refusals
with their statuses and reasons; no token, no CSRF, JSON only; in the OpenAPI document."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from webapp.store.exercise_models import Submission

from .test_exercises_pages import LUKE, ORDER, _create
from .test_exercises_pages import build_site as build_site
from .test_manage import ManagedSite, text_of

PAUL_TWO = ("paul-acts-22", "paul-acts-26")


def _post(client: FlaskClient, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_an_order_task_as_json_submitted_and_read_back_by_its_receipt(site: ManagedSite) -> None:
    _, code = _create(site, **ORDER)
    student = site.app.test_client()
    task = student.get(f"/api/x/{code.lower()}").get_json()
    assert task["code"] == code and task["kind"] == "order" and task["open"] is True
    (luke,) = task["accounts"]
    assert luke["id"] == LUKE and [s["number"] for s in luke["items"]] == [7, 14]
    made = _post(
        student,
        f"/api/x/{code}",
        {"pseudonym": "Ann", "answers": {"accounts": {LUKE: {"order": [14, 7]}}}},
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["pseudonym"] == "Ann" and len(body["receipt"]) == 19
    overall = {f["name"]: f for f in body["scores"]}
    assert overall["order_tau"]["value"] == 1.0 and overall["inversions"]["value"] == 0
    assert "You put no pair of sentences the other way round" in overall["inversions"]["text"]
    (account,) = body["accounts"]
    assert account["answers"] == {"order": [14, 7]} and body["revealed"] is True
    assert [row["sentence"] for row in account["breakdown"]] == [14, 7]
    back = _post(student, f"/api/x/{code}/receipt", {"receipt": body["receipt"].lower()})
    assert back.status_code == 200 and back.get_json()["accounts"] == body["accounts"]
    assert "receipt" not in back.get_json()  # the code is given once, at submitting
    assert _post(student, f"/api/x/{code}/receipt", {"receipt": "AAAA"}).status_code == 404
    assert site.count(Submission) == 1


def test_two_accounts_by_json_and_the_page_store_the_same_answer(site: ManagedSite) -> None:
    made = site.client("ada").post(
        "/dossiers/paul-conversion/exercises",
        data={"kind": "order", "accounts": list(PAUL_TWO), "record_first": "1", "record_last": "6"},
    )
    assert made.status_code == 302, text_of(made)
    page = text_of(site.client("ada").get(made.headers["Location"]))
    code = page.split('id="ex-code">')[1].split("<")[0]
    task = site.app.test_client().get(f"/api/x/{code}").get_json()
    assert [a["id"] for a in task["accounts"]] == list(PAUL_TWO)
    orders = {a["id"]: [s["number"] for s in a["items"]][::-1] for a in task["accounts"]}
    by_json = _post(
        site.app.test_client(),
        f"/api/x/{code}",
        {"answers": {"accounts": {slug: {"order": o} for slug, o in orders.items()}}},
    ).get_json()
    form = {
        f"acc{k + 1}-rank-{n}": str(place + 1)
        for k, slug in enumerate(PAUL_TWO)
        for place, n in enumerate(orders[slug])
    }
    by_page = site.app.test_client().post(f"/x/{code}", data=form, follow_redirects=True)
    assert by_page.status_code == 200
    with site.app.extensions["memcon.db"].session() as session:
        stored = [s.answers for s in session.query(Submission).order_by(Submission.submitted_at)]
    assert len(stored) == 2 and stored[0] == stored[1]  # one reader for both
    assert [a["answers"] for a in by_json["accounts"]] == [{"order": orders[s]} for s in PAUL_TWO]
    names = [f["name"] for f in by_json["scores"]]
    assert names == ["order_tau", "inversions"]
    assert "The mean of the accounts' order taus." in by_json["scores"][0]["text"]
    shown = text_of(by_page)
    assert "Acts 22:3-16" in shown and "Acts 26:9-18" in shown and "overall" in shown


def test_refusals_are_json_with_a_status_and_a_reason(site: ManagedSite) -> None:
    path, code = _create(site, **ORDER)
    student = site.app.test_client()
    url = f"/api/x/{code}"
    form = student.post(url, data={"answers": "x"})  # a form: not JSON, so not taken
    assert form.status_code == 415 and "application/json" in form.get_json()["error"]
    bad = student.post(url, data="{not json", content_type="application/json")
    assert bad.status_code == 400 and "error" in bad.get_json()
    for body, words in (
        ({"answers": {"accounts": {LUKE: {"order": [99]}}}}, "account sentence 99 is not one"),
        ({"answers": {"accounts": {LUKE: {"order": [7, 7]}}}}, "one comes twice"),
        ({"answers": {}}, '{"accounts"'),
        ({"pseudonym": "x" * 41, "answers": {"accounts": {}}}, "at most 40 characters"),
        ({"answers": {"accounts": {}}, "name": "Ann"}, "name"),
        ({"pseudonym": 5, "answers": {"accounts": {}}}, "pseudonym"),
    ):
        refused = _post(student, url, body)
        assert refused.status_code == 400, body
        assert words in refused.get_json()["error"], (words, refused.get_json())
    assert student.get("/api/x/ZZZZZZ").status_code == 404
    assert site.count(Submission) == 0
    assert site.client("mia").post(f"{path}/close").status_code == 302
    assert student.get(url).get_json()["open"] is False  # the task is still shown
    gone = _post(student, url, {"answers": {"accounts": {LUKE: {"order": [14, 7]}}}})
    assert gone.status_code == 410 and "this exercise closed on" in gone.get_json()["error"]
    assert site.count(Submission) == 0


def test_reveal_after_close_keeps_the_breakdown_out_of_the_json(site: ManagedSite) -> None:
    path, code = _create(site, kind="quotes", account=LUKE, reveal="close")
    student = site.app.test_client()
    task = student.get(f"/api/x/{code}").get_json()
    first = task["accounts"][0]["quotes"][0]["id"]
    made = _post(
        student, f"/api/x/{code}", {"answers": {"accounts": {LUKE: {"quotes": {first: "altered"}}}}}
    ).get_json()
    assert made["revealed"] is False and "breakdown" not in made["accounts"][0]
    assert "scores" not in made and "scores" not in made["accounts"][0]  # nothing to probe
    assert made["accounts"][0]["answers"] == {"quotes": {first: "altered"}}
    assert "Matthew has the same words without" not in json.dumps(made)
    site.client("mia").post(f"{path}/close")
    after = _post(student, f"/api/x/{code}/receipt", {"receipt": made["receipt"]}).get_json()
    assert after["revealed"] is True and after["scores"][0]["name"] == "quote_accuracy"
    assert "Matthew has the same words without" in json.dumps(after["accounts"][0]["breakdown"])


def test_the_json_routes_are_in_the_openapi_document_as_public(site: ManagedSite) -> None:
    document = site.app.test_client().get("/api/openapi.json").get_json()
    submit = document["paths"]["/api/x/{code}"]["post"]
    assert submit["security"] == [{}] and "401" not in submit["responses"]
    assert "410" in submit["responses"] and "201" in submit["responses"]
    body = submit["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"pseudonym", "answers", "attempt"}
    receipt = document["paths"]["/api/x/{code}/receipt"]["post"]
    assert (
        "receipt" in receipt["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )


def _two(site: ManagedSite, **form: Any) -> tuple[str, str]:
    made = site.client("ada").post(
        "/dossiers/paul-conversion/exercises", data={"accounts": list(PAUL_TWO), **form}
    )
    assert made.status_code == 302, text_of(made)
    path = made.headers["Location"]
    page = text_of(site.client("ada").get(path))
    return path, page.split('id="ex-code">')[1].split("<")[0]


def test_a_two_account_csv_worksheet_and_tour(site: ManagedSite) -> None:
    path, code = _two(site, kind="align", record_first="1", record_last="6")
    given = {"accounts": {PAUL_TWO[0]: {"links": [{"record": [2], "account": 3}]}}}
    made = _post(site.app.test_client(), f"/api/x/{code}", {"pseudonym": "Ann", "answers": given})
    assert made.status_code == 201
    overall = {f["name"]: f["value"] for f in made.get_json()["scores"]}
    exported = site.client("ada").get(f"{path}/submissions.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(exported)))
    assert header[:8] == [
        "pseudonym", "receipt", "link_f1", "omission_f1",
        "label_kappa", "label_accuracy", "order_tau", "inversions",
    ]  # fmt: skip
    assert "paul-acts-22 link_f1" in header and "paul-acts-26 link_f1" in header
    assert row[0] == "Ann" and float(row[2]) == pytest.approx(overall["link_f1"], abs=1e-4)
    per = {h: v for h, v in zip(header, row, strict=True)}
    assert float(per["paul-acts-26 link_f1"]) == 0.0  # Acts 26 left unanswered
    assert not {"email", "ip", "user_agent", "name"} & {h.lower() for h in header}
    sheet = text_of(site.client("ada").get(f"{path}/worksheet"))
    assert "Account 1 of 2: Acts 22:3-16" in sheet and "Account 2 of 2: Acts 26:9-18" in sheet
    assert sheet.count('class="grid"') == 2 and sheet.count("<h2>Labels</h2>") == 1
    stops = "1:3 | Who hears?\n2:3 | And here?\n2 | What of the light?"
    tour_path, tour_code = _two(site, kind="tour", stops=stops)
    site.client("ada").post(f"{tour_path}/tour/next")
    site.client("ada").post(f"{tour_path}/tour/next")
    site.client("ada").post(f"{tour_path}/tour/next")  # stop 2 of 3 shown, with its answer
    follow = text_of(site.app.test_client().get(f"/x/{tour_code}"))
    assert "Stop 2 of 3" in follow and "Acts 26:9-18" in follow and "Acts 22:3-16" in follow
    bad = site.client("ada").post(
        "/dossiers/paul-conversion/exercises",
        data={"kind": "tour", "accounts": list(PAUL_TWO), "stops": "3:1 | a\n1 | b\n2 | c"},
    )
    assert bad.status_code == 400 and "'3' is not an account of the exercise" in text_of(bad)


def test_hints_of_two_accounts_are_each_accounts_machine_links(site: ManagedSite) -> None:
    _, code = _two(site, kind="align", hints="shown")
    task = site.app.test_client().get(f"/api/x/{code}").get_json()
    from sqlalchemy import select

    from webapp.store import User

    with site.app.extensions["memcon.db"].session() as session:
        ada = session.scalar(select(User).where(User.name == "ada"))
        session.expunge(ada)
    comparison = site.app.extensions["memcon.library"].comparison("paul-conversion", ada)
    for account in task["accounts"]:
        k = [n for n, a in enumerate(comparison.accounts) if a.slug == account["id"]][0]
        expected: dict[str, list[int]] = {}
        for link in comparison.comparison.witnesses[k].links:
            for j in link.witness:
                expected.setdefault(str(j + 1), []).extend(i + 1 for i in link.source)
        assert account["hints"] == {j: sorted(rs) for j, rs in expected.items()}
        assert account["hints"]  # the machine links something in each account
    page = text_of(site.app.test_client().get(f"/x/{code}"))
    assert page.count("Machine's suggestion") == sum(len(a["account"]) for a in task["accounts"])
