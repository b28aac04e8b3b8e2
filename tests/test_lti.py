"""LTI 1.3 launches (issue 14, part 8): off by default; on, the OIDC login, the signed
launch with every check failing when broken, the task page and a submission tied to the
launch, and nothing stored about the student but the platform's opaque subject and context."""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select

from webapp.store.exercise_models import Submission
from webapp.store.lti_models import LtiLaunch, LtiNonce

from .lti_support import (
    AUTH_URL,
    CLAIM,
    CLIENT_ID,
    CONTEXT,
    ISSUER,
    PERSONAL,
    SUBJECT,
    claims,
    launch,
    login,
    private_key,
    sign,
)
from .lti_support import platforms_file as platforms_file
from .test_exercises_pages import ORDER, _create
from .test_exercises_pages import build_site as build_site
from .test_manage import ManagedSite, text_of

__all__ = ["build_site"]

ANSWER = {"pseudonym": "Ann", "acc1-rank-14": "1", "acc1-rank-7": "2"}


@pytest.fixture
def lti(make_site: Callable[..., ManagedSite], tmp_path: Path) -> ManagedSite:
    """A copy of the site with the test platform configured."""
    made: ManagedSite = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path)))
    return made


def _stored(site: ManagedSite) -> tuple[int, int]:
    return site.count(LtiLaunch), site.count(LtiNonce)


def _dump(site: ManagedSite) -> str:
    path = site.app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:  # every row of every table
        return "\n".join(connection.iterdump())


def test_off_by_default_there_is_no_lti_route(site: ManagedSite) -> None:
    rules = [rule.rule for rule in site.app.url_map.iter_rules()]
    assert rules and not [r for r in rules if r.startswith("/lti")]
    client = site.app.test_client()
    assert client.get("/lti/login?iss=x").status_code == 404
    assert client.post("/lti/login", data={"iss": "x"}).status_code == 404
    assert client.post("/lti/launch", data={"id_token": "x", "state": "y"}).status_code == 404
    assert client.get("/lti/jwks").status_code == 404
    assert "memcon.lti" not in site.app.extensions


def test_login_sends_the_browser_to_the_platform_with_state_and_nonce(lti: ManagedSite) -> None:
    assert any(r.rule == "/lti/launch" for r in lti.app.url_map.iter_rules())
    _, code = _create(lti, **ORDER)
    for method in ("GET", "POST"):
        started = login(lti.app.test_client(), code, method)
        assert started.response.headers["Location"].startswith(AUTH_URL + "?")
        assert started.query == {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": CLIENT_ID,
            "redirect_uri": "http://localhost/lti/launch",
            "login_hint": "opaque-login-hint-42",
            "lti_message_hint": "message-hint-9",
            "state": started.state,
            "nonce": started.nonce,
        }
        cookie = started.response.headers["Set-Cookie"]
        for flag in ("Secure", "HttpOnly", "SameSite=None", "Path=/lti/", "Max-Age=600"):
            assert flag in cookie
    two = login(lti.app.test_client(), code)
    assert two.state != started.state and two.nonce != started.nonce
    assert _stored(lti) == (0, 0)  # a login stores nothing


@pytest.mark.parametrize(
    ("given", "status", "reason"),
    [
        ({"iss": "https://other.example.org"}, 403, "is not registered"),
        ({"client_id": "someone-else"}, 403, "is not registered"),
        ({"login_hint": ""}, 400, "lacks login_hint"),
        ({"iss": "", "target_link_uri": ""}, 400, "lacks iss, target_link_uri"),
        ({"lti_deployment_id": "deployment-9"}, 403, "deployment-9"),
        ({"target_link_uri": "https://evil.example.com/x/ABC"}, 400, "does not lead to this tool"),
    ],
)
def test_a_login_memcon_cannot_serve_is_refused(
    lti: ManagedSite, given: dict[str, str], status: int, reason: str
) -> None:
    params = {
        "iss": ISSUER,
        "login_hint": "h",
        "target_link_uri": "http://localhost/x/ABC",
        "client_id": CLIENT_ID,
        **given,
    }
    answer = lti.app.test_client().get("/lti/login", query_string=params)
    assert answer.status_code == status and reason in text_of(answer)
    assert "Set-Cookie" not in answer.headers


def test_launch_opens_the_task_and_ties_the_submission_keeping_only_sub_and_context(
    lti: ManagedSite,
) -> None:
    _, code = _create(lti, **ORDER)
    student = lti.app.test_client()
    started = login(student, code)
    padding = {"https://example.edu/claim/extra": "z" * 3000}  # a real token is often 3 KB+
    token = sign(claims(started.nonce, code, **padding))
    assert len(token) > 4000
    arrived = launch(student, token, started.state)
    assert arrived.status_code == 303, text_of(arrived)
    assert arrived.headers["Location"] == f"/x/{code}"
    assert student.get_cookie("memcon-lti-" + started.state, path="/lti/") is None
    task = student.get(arrived.headers["Location"])
    assert task.status_code == 200 and 'name="acc1-rank-14"' in text_of(task)
    with lti.app.extensions["memcon.db"].session() as session:
        row = session.scalars(select(LtiLaunch)).one()
        assert (row.issuer, row.subject, row.context_id) == (ISSUER, SUBJECT, CONTEXT)
        assert row.submission_id is None
    done = student.post(f"/x/{code}", data=ANSWER, follow_redirects=True)
    assert done.status_code == 200 and "order tau: 1.00" in text_of(done)
    other = lti.app.test_client().post(f"/x/{code}", data={**ANSWER, "pseudonym": "Bo"})
    assert other.status_code == 303  # a student who came without the LMS: no launch
    with lti.app.extensions["memcon.db"].session() as session:
        ann = session.scalars(select(Submission).where(Submission.pseudonym == "Ann")).one()
        row = session.scalars(select(LtiLaunch)).one()
        assert row.submission_id == ann.id
    columns = {
        c["name"]
        for c in inspect(lti.app.extensions["memcon.db"].engine).get_columns("lti_launches")
    }
    assert columns == {
        "id",
        "exercise_id",
        "issuer",
        "subject",
        "context_id",
        "launched_at",
        "submission_id",
    }
    dump = _dump(lti)
    assert SUBJECT in dump and CONTEXT in dump  # the check can fail: the dump holds the rows
    for value in (*PERSONAL.values(), "HIST 101", "History 101", "opaque-login-hint-42"):
        for part in value if isinstance(value, list) else [value]:
            assert str(part) not in dump
    for person in ("Ottilie", "Quarrington", "SIS-PERSON-99812", "student.example.edu", token[:40]):
        assert person not in dump


def _tampered(nonce: str, code: str) -> str:
    """A validly signed token whose payload was then changed (another subject)."""
    header, payload, signature = sign(claims(nonce, code)).split(".")
    other = sign(claims(nonce, code, sub="someone-else")).split(".")[1]
    assert other != payload
    return ".".join((header, other, signature))


def _hs256(nonce: str, code: str) -> str:
    """The algorithm-confusion attack: HMAC keyed with the platform's public key."""
    import hashlib
    import hmac
    import json
    from base64 import urlsafe_b64encode

    from cryptography.hazmat.primitives import serialization

    def part(data: bytes) -> str:
        return urlsafe_b64encode(data).rstrip(b"=").decode()

    public = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    head = part(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "platform-key-1"}).encode())
    body = part(json.dumps(claims(nonce, code)).encode())
    mac = hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{part(mac)}"


def _unsigned(nonce: str, code: str) -> str:
    import jwt

    return jwt.encode(
        claims(nonce, code), None, algorithm="none", headers={"kid": "platform-key-1"}
    )


#: Each broken launch: how its token is made from (nonce, code), its status and reason.
BROKEN: dict[str, tuple[Callable[[str, str], str], int, str]] = {
    "another key": (lambda n, c: sign(claims(n, c), private_key("intruder")), 401, "signature"),
    "tampered": (_tampered, 401, "signature does not verify"),
    "expired": (
        lambda n, c: sign(claims(n, c, exp=int(time.time()) - 120, iat=int(time.time()) - 900)),
        401,
        "expired",
    ),
    "issued in the future": (
        lambda n, c: sign(claims(n, c, iat=int(time.time()) + 600, exp=int(time.time()) + 900)),
        401,
        "not valid yet",
    ),
    "not before": (
        lambda n, c: sign(claims(n, c, nbf=int(time.time()) + 600)),
        401,
        "not valid yet",
    ),
    "wrong aud": (lambda n, c: sign(claims(n, c, aud="another-tool")), 401, "another tool"),
    "aud list, no azp": (
        lambda n, c: sign(claims(n, c, aud=[CLIENT_ID, "another-tool"])),
        401,
        "no azp",
    ),
    "wrong azp": (
        lambda n, c: sign(claims(n, c, aud=[CLIENT_ID, "x"], azp="x")),
        401,
        "azp is not",
    ),
    "wrong iss": (lambda n, c: sign(claims(n, c, iss="https://evil.example")), 401, "(iss)"),
    "wrong deployment": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "deployment_id": "deployment-9"})),
        403,
        "deployment-9",
    ),
    "no deployment": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "deployment_id": None})),
        403,
        "deployment None",
    ),
    "wrong nonce": (lambda n, c: sign(claims("another-nonce", c)), 401, "nonce"),
    "no nonce": (lambda n, c: sign(claims(n, c, nonce=None)), 401, "nonce"),
    "deep linking": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "message_type": "LtiDeepLinkingRequest"})),
        400,
        "resource link launches only",
    ),
    "version 1.1": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "version": "1.1"})),
        400,
        "is not 1.3.0",
    ),
    "no resource link": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "resource_link": None})),
        400,
        "resource link id",
    ),
    "anonymous": (lambda n, c: sign(claims(n, c, sub=None)), 401, "sub"),
    "subject too long": (lambda n, c: sign(claims(n, c, sub="s" * 256)), 400, "1 to 255"),
    "context id too long": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "context": {"id": "c" * 256}})),
        400,
        "context id must be text",
    ),
    "unknown kid": (lambda n, c: sign(claims(n, c), kid="rotated-away"), 401, "no key"),
    "HS256 with the public key": (_hs256, 401, "not RS256"),
    "unsigned": (_unsigned, 401, "not RS256"),
    "not a JWT": (lambda n, c: "not.a-jwt", 401, "not a signed JWT"),
    "unknown exercise": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "target_link_uri": "http://localhost/x/ZZZZZZ"})),
        404,
        "ZZZZZZ",
    ),
    "no exercise named": (
        lambda n, c: sign(claims(n, c, **{CLAIM + "target_link_uri": "http://localhost/"})),
        400,
        "names no exercise",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_launch_is_refused_with_its_reason_and_nothing_stored(
    lti: ManagedSite, case: str
) -> None:
    make, status, reason = BROKEN[case]
    _, code = _create(lti, **ORDER)
    student = lti.app.test_client()
    started = login(student, code)
    answer = launch(student, make(started.nonce, code), started.state)
    assert answer.status_code == status, text_of(answer)
    page = text_of(answer)
    assert reason in page and "the launch was refused" in page and "Nothing was stored" in page
    assert _stored(lti) == (0, 0)


def test_the_custom_parameter_or_a_query_names_the_exercise(lti: ManagedSite) -> None:
    _, code = _create(lti, **ORDER)
    for changed in (
        {
            CLAIM + "custom": {"exercise": code.lower()},
            CLAIM + "target_link_uri": "http://localhost/",
        },
        {CLAIM + "target_link_uri": f"http://localhost/lti/launch?exercise={code}"},
    ):
        student = lti.app.test_client()
        started = login(student, code)
        arrived = launch(student, sign(claims(started.nonce, code, **changed)), started.state)
        assert arrived.status_code == 303, text_of(arrived)
        assert student.get(arrived.headers["Location"], follow_redirects=True).status_code == 200
    assert lti.count(LtiLaunch) == 2


def test_a_replayed_launch_is_refused(lti: ManagedSite) -> None:
    _, code = _create(lti, **ORDER)
    student = lti.app.test_client()
    started = login(student, code)
    token = sign(claims(started.nonce, code))
    assert launch(student, token, started.state).status_code == 303
    again = launch(student, token, started.state)  # the login's cookie is gone
    assert again.status_code == 401 and "started no login" in text_of(again)
    # An attacker who also copied the login cookie: the used nonce refuses it.
    student.set_cookie("memcon-lti-" + started.state, started.cookie, path="/lti/")
    copied = launch(student, token, started.state)
    assert copied.status_code == 401 and "already used" in text_of(copied)
    assert _stored(lti) == (1, 1)


def test_a_wrong_or_forged_state_is_refused(lti: ManagedSite) -> None:
    _, code = _create(lti, **ORDER)
    student = lti.app.test_client()
    first, second = login(student, code), login(student, code)
    token = sign(claims(first.nonce, code))
    for state, reason in (
        ("", "lacks state"),
        ("no such state!", "not one this tool made"),
        ("A" * 32, "started no login"),
        (second.state, "nonce"),  # another login of this browser: its nonce differs
    ):
        answer = launch(student, token, state)
        assert answer.status_code in (400, 401) and reason in text_of(answer), state
    renamed = login(student, code)  # its signed cookie put under the first login's name
    student.set_cookie("memcon-lti-" + first.state, renamed.cookie, path="/lti/")
    moved = launch(student, sign(claims(renamed.nonce, code)), first.state)
    assert moved.status_code == 401 and "does not match the login" in text_of(moved)
    student.set_cookie("memcon-lti-" + first.state, first.cookie[:-3] + "xyz", path="/lti/")
    forged = launch(student, token, first.state)
    assert forged.status_code == 401 and "tampered" in text_of(forged)
    other = lti.app.test_client()  # a token meant for one browser, posted by another
    assert launch(other, token, first.state).status_code == 401
    assert _stored(lti) == (0, 0)


def test_deleting_the_exercise_deletes_its_launches(lti: ManagedSite) -> None:
    path, code = _create(lti, **ORDER)
    student = lti.app.test_client()
    started = login(student, code)
    assert launch(student, sign(claims(started.nonce, code)), started.state).status_code == 303
    assert student.post(f"/x/{code}", data=ANSWER).status_code == 303
    assert lti.count(LtiLaunch) == 1
    removed = lti.client("mia").post(f"{path}/delete")
    assert removed.status_code in (302, 303), text_of(removed)
    assert lti.count(LtiLaunch) == 0 and lti.count(Submission) == 0


def _config_error(tmp_path: Path, make_site: Callable[..., Any], **config: Any) -> str:
    from webapp.library.lti_platforms import PlatformsError

    with pytest.raises(PlatformsError) as refused:
        make_site(**config)
    return str(refused.value)


def test_a_missing_or_malformed_platforms_file_stops_the_start_naming_the_field(
    tmp_path: Path, make_site: Callable[..., Any]
) -> None:
    missing = _config_error(tmp_path, make_site, LTI_PLATFORMS=str(tmp_path / "none.json"))
    assert "none.json" in missing and "cannot read" in missing
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert "broken.json" in _config_error(tmp_path, make_site, LTI_PLATFORMS=str(broken))
    for entry, named in (
        ({"client_id": None}, "platforms.0.client_id"),
        ({"deployment_ids": []}, "platforms.0.deployment_ids"),
        ({"auth_login_url": "ftp://lms"}, "platforms.0.auth_login_url"),
        ({"jwks_url": "https://lms.example.edu/jwks"}, "exactly one of jwks"),
        ({"jwks": {"keys": [{"kty": "RSA"}]}}, "platforms.0.jwks"),
        ({"jwks": None, "jwks_file": "keys.json"}, "platforms.0.jwks_file"),
        ({"issuer": ISSUER, "isuer": "typo"}, "platforms.0.isuer"),
    ):
        path = platforms_file(tmp_path, **entry)
        message = _config_error(tmp_path, make_site, LTI_PLATFORMS=str(path))
        assert named in message and str(path) in message, (entry, message)


def test_a_key_set_file_beside_the_platforms_file_is_used(
    make_site: Callable[..., ManagedSite], tmp_path: Path
) -> None:
    import json

    from .lti_support import jwks

    (tmp_path / "keys.json").write_text(json.dumps(jwks(private_key())), encoding="utf-8")
    site = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path, jwks=None, jwks_file="keys.json")))
    _, code = _create(site, **ORDER)
    student = site.app.test_client()
    started = login(student, code)
    assert launch(student, sign(claims(started.nonce, code)), started.state).status_code == 303
    intruder = login(student, code)
    token = sign(claims(intruder.nonce, code), private_key("intruder"))
    assert launch(student, token, intruder.state).status_code == 401


def test_only_the_platforms_posts_go_without_a_csrf_token(
    make_site: Callable[..., ManagedSite], tmp_path: Path
) -> None:
    """(The whole flow with CSRF on runs in Chromium: tests/test_lti_browser.py.)"""
    site = make_site(LTI_PLATFORMS=str(platforms_file(tmp_path)), WTF_CSRF_ENABLED=True)
    student = site.app.test_client()
    assert student.post("/lti/login", data={"iss": ISSUER}).status_code == 400  # not a CSRF 400
    assert "lacks login_hint" in text_of(student.post("/lti/login", data={"iss": ISSUER}))
    refused = student.post("/lti/launch", data={"id_token": "x", "state": "A" * 32})
    assert refused.status_code == 401 and "started no login" in text_of(refused)
    other = student.post("/x/ABCDEF", data=ANSWER)  # the students' own form still needs one
    assert other.status_code == 400 and "CSRF" in text_of(other)


def test_the_teacher_downloads_the_launches_with_what_each_submitted(lti: ManagedSite) -> None:
    path, code = _create(lti, **ORDER)
    exercise = path.rsplit("/", 1)[1]
    for subject, answer in (("=HYPERLINK(1)", ANSWER), ("sub-2", None)):
        student = lti.app.test_client()
        started = login(student, code)
        token = sign(claims(started.nonce, code, sub=subject))
        assert launch(student, token, started.state).status_code == 303
        if answer:
            assert student.post(f"/x/{code}", data=answer).status_code == 303
    url = f"/lti/exercises/{exercise}/launches.csv"
    assert f'href="{url}">LTI launches (CSV)' in text_of(lti.client("mia").get(path))
    got = lti.client("mia").get(url)
    assert got.status_code == 200 and got.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    assert rows[0] == ["issuer", "subject", "context_id", "launched_at", "pseudonym", "receipt"]
    assert [r[:3] for r in rows[1:]] == [
        [ISSUER, "'=HYPERLINK(1)", CONTEXT],
        [ISSUER, "sub-2", CONTEXT],
    ]
    assert rows[1][4] == "Ann" and rows[1][5].endswith("-…") and rows[2][4:] == ["", ""]
    assert lti.client("rob").get(url).status_code == 403  # a reader, not its teacher
    assert lti.app.test_client().get(url).status_code == 403  # a student
    assert lti.client("mia").get("/lti/exercises/999/launches.csv").status_code == 404
    in_url = lti.app.test_client().post("/lti/launch?id_token=x&state=" + "A" * 32)
    assert in_url.status_code == 400 and "lacks id_token, state" in text_of(in_url)  # a form
