"""Real-browser test of sessions and tokens: a copied session cookie stops working at log-out,
and the tokens page revokes a token (a form with a CSRF token) so that the API refuses it.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import Browser, Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
)

USER = "keeper"
PASSWORD = "correct horse battery staple"


def api_me(base: str, token: str) -> tuple[int, dict[str, object]]:
    """``GET /api/me`` with a bearer token: the status and the JSON body."""
    request = urllib.request.Request(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), json.loads(exc.read())


def test_a_copied_session_ends_at_log_out_and_a_revoked_token_is_refused(
    live_server: LiveServer, browser: Browser, page: Page
) -> None:
    base = live_server.base
    created = live_server.cli(
        "create-user", USER, "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    made = live_server.cli("token", USER, "--expires-days", "30")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert api_me(base, token)[0] == 200

    log_in(page, base, USER, PASSWORD)
    # Another browser holding a copy of the session cookie is logged in too...
    thief = browser.new_context()
    thief.add_cookies(page.context.cookies())
    stolen = thief.new_page()
    stolen.goto(f"{base}/")
    expect(stolen.locator("header.site .account")).to_contain_text(f"{USER} (annotator)")

    # The tokens page lists the token by its first characters, never the whole of it.
    page.get_by_role("link", name="API tokens").click()
    row = page.locator("table.tokens tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(token[:8])
    expect(row).to_contain_text("active")
    assert token not in page.content()
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("ul.flashes")).to_contain_text("revoked")
    expect(page.locator("table.tokens tbody tr")).to_contain_text("revoked")
    status, body = api_me(base, token)
    assert status == 401 and "was revoked on" in str(body["error"])

    # ...until the owner logs out: then the copy is refused as well.
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("ul.flashes")).to_contain_text("You are logged out.")
    stolen.goto(f"{base}/")
    expect(stolen.locator("header.site .account")).to_contain_text("Log in")
    assert stolen.goto(f"{base}/api/me").status == 401  # type: ignore[union-attr]
    thief.close()
