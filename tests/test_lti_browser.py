"""Real-browser test of an LTI 1.3 launch: a fake learning platform on another site
(``localhost`` against memcon's ``127.0.0.1``, so the login's state cookie must be
``SameSite=None; Secure`` to come back) starts the OIDC login, signs the id_token with
its key and auto-posts it to memcon, which opens the exercise's task page; the student
submits and the submission is noted beside the launch. A forged launch shows its reason.

Runs against its own ``memcon serve`` with ``MEMCON_LTI_PLATFORMS`` set.
"""

from __future__ import annotations

import html
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import jwt
import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    log_in,
    page_fixture,
    serving,
    take_errors,
)

from .lti_support import (
    CLIENT_ID,
    CONTEXT,
    DEPLOYMENT,
    ISSUER,
    SUBJECT,
    claims,
    pem,
    platforms_file,
    private_key,
)

USER = "teacher"
PASSWORD = "correct horse battery staple"


@dataclass
class FakePlatform:
    """The platform's OIDC auth endpoint: it answers with a form that posts the token."""

    code: str = ""
    key_name: str = "platform"
    seen: list[dict[str, str]] = field(default_factory=list)

    @Request.application  # type: ignore[arg-type]
    def app(self, request: Request) -> Response:
        asked = dict(request.args)
        self.seen.append(asked)
        body = claims(asked["nonce"], self.code, **{"aud": asked["client_id"]})
        token = jwt.encode(
            body, pem(private_key(self.key_name)), "RS256", headers={"kid": "platform-key-1"}
        )
        page = (
            "<!doctype html><title>LMS</title><form method=post action="
            f'"{html.escape(asked["redirect_uri"])}">'
            f'<input type=hidden name=id_token value="{token}">'
            f'<input type=hidden name=state value="{html.escape(asked["state"])}">'
            "<button>Continue</button></form><script>document.forms[0].submit()</script>"
        )
        return Response(page, mimetype="text/html")


@pytest.fixture(scope="module")
def platform() -> Iterator[tuple[FakePlatform, str]]:
    fake = FakePlatform()
    server = make_server("127.0.0.1", 0, fake.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://localhost:{server.server_port}/auth"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture(scope="module", name="live_server")
def lti_server(
    platform: tuple[FakePlatform, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("lti")
    database = folder / "memcon.db"
    env = {
        "MEMCON_DATABASE_URL": f"sqlite:///{database}",
        "MEMCON_INSTANCE_PATH": str(folder),
        "MEMCON_LTI_PLATFORMS": str(platforms_file(folder, auth_login_url=platform[1])),
    }
    with serving(env) as base:
        server = LiveServer(base=base, env=env)
        made = server.cli(
            "create-user", USER, "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
        )
        assert made.returncode == 0, made.stderr
        yield server


def _launches(server: LiveServer) -> list[tuple[str, str, str | None, str | None]]:
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT issuer, subject, context_id, submission_id FROM lti_launches"
        )
        return list(rows)


def _set_exercise(page: Page, base: str) -> str:
    page.goto(f"{base}/dossiers/temptation/exercises")
    page.get_by_label("predict the order").check()
    page.get_by_label("Record from R").fill("8")
    page.get_by_label("to R").fill("9")
    page.get_by_role("button", name="Open the exercise").click()
    expect(page.locator("ul.flashes")).to_contain_text("The exercise is open")
    return page.locator("#ex-code").inner_text()


def _login_url(base: str, code: str) -> str:
    query = {
        "iss": ISSUER,
        "login_hint": "hint-7",
        "target_link_uri": f"{base}/x/{code}",
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT,
    }
    return f"{base}/lti/login?{urlencode(query)}"


def test_a_platform_launches_a_student_into_the_exercise(
    live_server: LiveServer,
    platform: tuple[FakePlatform, str],
    page: Page,
    browser: Browser,
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server.base, USER, PASSWORD)
    fake = platform[0]
    fake.code = _set_exercise(page, live_server.base)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    student = context.new_page()
    errors: list[str] = []
    student.on("pageerror", lambda exc: errors.append(str(exc)))
    student.goto(_login_url(live_server.base, fake.code))  # as the course's link does
    expect(student).to_have_url(f"{live_server.base}/x/{fake.code}", timeout=20_000)
    assert fake.seen and fake.seen[-1]["redirect_uri"] == f"{live_server.base}/lti/launch"
    expect(student.locator('input[name="acc1-rank-7"]')).to_be_visible()
    student.screenshot(path=str(ARTIFACTS / "lti-task-1280.png"))
    assert _launches(live_server) == [(ISSUER, SUBJECT, CONTEXT, None)]
    student.get_by_label("Pseudonym").fill("From the LMS")
    student.set_viewport_size({"width": 390, "height": 844})
    student.screenshot(path=str(ARTIFACTS / "lti-task-390.png"), full_page=True)
    student.get_by_role("button", name="Submit my answer").click()
    expect(student.locator("dl.scores")).to_contain_text("order tau")
    context.close()
    [(_, _, _, tied)] = _launches(live_server)
    assert tied is not None and len(tied) > 16
    assert errors == []
    path = Path(live_server.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    assert SUBJECT in dump and "From the LMS" in dump  # the check can fail
    for personal in ("Ottilie", "Quarrington", "student.example.edu", "SIS-PERSON", "hint-7"):
        assert personal not in dump


def test_a_launch_signed_by_another_key_shows_why_it_was_refused(
    live_server: LiveServer, platform: tuple[FakePlatform, str], page: Page
) -> None:
    fake = platform[0]
    log_in(page, live_server.base, USER, PASSWORD)
    fake.code, fake.key_name = _set_exercise(page, live_server.base), "intruder"
    before = len(_launches(live_server))
    try:
        page.goto(_login_url(live_server.base, fake.code))
        expect(page.locator("#lti-reason")).to_contain_text("signature does not verify")
    finally:
        fake.key_name = "platform"
    expect(page.locator("h1")).to_have_text("401: the launch was refused")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(ARTIFACTS / "lti-refused-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "lti-refused-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert len(_launches(live_server)) == before
    expected = take_errors(page)  # the browser reports the 401 answer itself, nothing else
    assert len(expected) == 1 and "status of 401" in expected[0]
