"""Real-browser test of the history page: a dossier with changes of different kinds fits a
1280 px projector and a 390 px phone, tells each change in words and explains a revert
that a later decision shadows; the library and dossier pages are looked at too.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`);
screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
    take_errors,
)

Z = "zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"
MEMOIR = "In the Stream of History (as reported by Goldgeier)"
PASSWORD = "correct horse battery staple"
#: The widest the page may be, and whether anything is wider than the window.
WIDTH = "() => document.documentElement.scrollWidth"


def _call(base: str, token: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our server)
        return json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def changes(live_server: LiveServer) -> dict[str, Any]:
    """ada, bob and rita; seven changes to Zavidovo through the API, the last of which (by
    bob) decides again the link ada confirmed first."""
    tokens = {}
    for name, role in (("ada", "admin"), ("bob", "annotator"), ("rita", "reader")):
        made = live_server.cli(
            "create-user", name, "--role", role, "--password-stdin", stdin=PASSWORD
        )
        assert made.returncode == 0, made.stderr
        tokens[name] = live_server.cli("token", name).stdout.strip()
    base = live_server.base
    _call(base, tokens["ada"], "POST", f"/api/dossiers/{Z}/members", {"name": "bob"})
    links = _call(base, tokens["ada"], "GET", f"/api/dossiers/{Z}/links")
    account = next(a for a in links["accounts"] if a["id"] == CHRISTOPHER)
    first, second = [link for link in account["links"] if len(link["source"]) == 1][:2]

    def decide(who: str, action: str, link: dict[str, Any], **extra: Any) -> Any:
        body = {
            "account": CHRISTOPHER,
            "action": action,
            "source": link["source"],  # the API's numbers are the pages' (1-based)
            "witness": link["witness"],
            **extra,
        }
        return _call(base, tokens[who], "POST", f"/api/dossiers/{Z}/links", body)

    confirmed = decide("ada", "confirm", first)
    decide("ada", "remove", second)
    url = f"/api/dossiers/{Z}/links/{confirmed['id']}"
    _call(base, tokens["ada"], "PATCH", url, {"version": 1, "label": "reordering"})
    note = "He tells the membership question after the praise, where the record has it before."
    _call(base, tokens["bob"], "PATCH", url, {"version": 2, "note": note})
    version = _call(base, tokens["ada"], "GET", f"/api/dossiers/{Z}")["version"]
    notes = "Check the **memoir** against the tape."
    _call(
        base, tokens["bob"], "PUT", f"/api/dossiers/{Z}/notes", {"notes": notes, "version": version}
    )
    omitted = account["omitted"][0]
    mark = {"account": CHRISTOPHER, "side": "record", "index": omitted, "significant": "yes"}
    _call(base, tokens["ada"], "POST", f"/api/dossiers/{Z}/marks", mark)
    decide("bob", "add", first, label="paraphrase")
    history = _call(base, tokens["ada"], "GET", f"/api/dossiers/{Z}/history")
    ids = sorted(h["id"] for h in history)
    cite = f"R{first['source'][0]} → A{first['witness'][0]} in {MEMOIR}"
    other = f"R{second['source'][0]} → A{second['witness'][0]} in {MEMOIR}"
    return {
        "ids": ids,
        "lines": [
            f"#{ids[0]} ada confirmed {cite}.",
            f"#{ids[1]} ada removed the link {other}.",
            f"#{ids[2]} ada labelled {cite} as ‘reordering’.",
            f"#{ids[3]} bob noted {cite}: ‘He tells the membership question after the praise, "
            "where the record has…’.",
            f"#{ids[4]} bob changed the dossier's notes: ‘{notes}’",
            f"#{ids[5]} ada marked the omission of R{omitted} from {MEMOIR} as significant.",
            f"#{ids[6]} bob added the link {cite}, labelled it ‘paraphrase’.",
        ],
    }


def _open_everything(page: Page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_the_history_fits_the_projector_and_tells_each_change(
    server: str, page: Page, changes: dict[str, Any]
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    log_in(page, server, "ada", PASSWORD)
    page.goto(f"{server}/dossiers/{Z}/history")
    lines = page.locator("p.change-line").all_inner_texts()
    assert lines == list(reversed(changes["lines"]))
    first, shadowing = changes["ids"][0], changes["ids"][-1]
    advice = page.locator(f"#change-{first} .advice")
    expect(advice).to_have_text(
        f"A later change by bob (#{shadowing}) decided this link again: reverting this one "
        f"would change nothing; revert #{shadowing} first."
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "history-1280.png"))
    _open_everything(page)  # the before / after views and the raw data, all open
    assert page.evaluate(WIDTH) <= 1280
    for button in page.get_by_role("button", name="Revert").all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280
    expect(page.locator(f"#change-{changes['ids'][2]} table.fields")).to_contain_text(
        "Label—reordering"
    )
    page.screenshot(path=str(ARTIFACTS / "history-1280-open.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(WIDTH) <= 390
    page.screenshot(path=str(ARTIFACTS / "history-390-open.png"), full_page=True)
    page.reload()  # closed again, as a phone shows it first
    assert page.evaluate(WIDTH) <= 390
    page.screenshot(path=str(ARTIFACTS / "history-390.png"))
    # Revert the shadowed change: the message says why nothing visible changed.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.locator(f"#change-{first}").get_by_role("button", name="Revert").click()
    expect(page.locator("ul.flashes")).to_contain_text(
        f"Change #{first} reverted. Nothing visible changed. A later change by bob"
    )
    assert take_errors(page) == []


def test_the_library_and_dossier_pages_at_1280_and_390(
    server: str, page: Page, changes: dict[str, Any]
) -> None:
    log_in(page, server, "ada", PASSWORD)
    for name, path in (("library", "/"), ("dossier", f"/dossiers/{Z}")):
        for width, height in ((1280, 720), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{server}{path}")
            assert page.evaluate(WIDTH) <= width, (name, width)  # nothing scrolls sideways
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=width == 390)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server)
    expect(page.get_by_role("link", name="New dossier")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    log_in(page, server, "rita", PASSWORD)
    expect(page.get_by_role("link", name="New dossier")).to_have_count(0)
    assert take_errors(page) == []
