"""Real-browser test of the teacher's answer-key pages on the bundled Temptation dossier:
open the shipped key, flag a link not scored, freeze a new key with a note holding a
script tag (shown as text), and check a reader is refused; screenshots at 1280x720 and
390 px, nothing scrolling sideways.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    record_dialogs,
    server_fixture,
    take_errors,
)
from webapp.collate.scoring import answer_of, score
from webapp.ingest.corpus import find_dossier
from webapp.ingest.keyfile import read_key

TEACHER, READER = "teacher", "student"
PASSWORD = "tr0ub4dor & three"
SCRIPT = "<script>window.__pwned = 1</script>"


def _users(live_server: LiveServer) -> None:
    for name, role in ((TEACHER, "admin"), (READER, "reader")):
        made = live_server.cli(
            "create-user", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n"
        )
        assert made.returncode == 0, made.stderr


def _machine_link_f1() -> str:
    """The machine's link F1 on Luke against the shipped key, worked out here from the
    engine's own comparison, as the key page must show it (it changes when the engine does)."""
    from tests.conftest import _run

    dossier = find_dossier("temptation")
    key = read_key(dossier.folder)
    assert key is not None
    (account,) = key.accounts
    text = next(dossier.document(m) for m in dossier.documents if m.file == account.file)
    result = _run("temptation").witness("luke")
    return f"link f1: {score(account.key(text), answer_of(result)).links.f1:.2f}"


def _no_sideways_scroll(page: Page) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width


def test_a_teacher_flags_a_link_and_freezes_a_key_and_a_student_is_refused(
    live_server: LiveServer, page: Page
) -> None:
    base = live_server.base
    _users(live_server)
    dialogs = record_dialogs(page)
    log_in(page, base, TEACHER, PASSWORD)

    page.goto(f"{base}/dossiers/temptation")
    page.get_by_role("link", name="Answer keys").click()
    expect(page.locator("#key-1")).to_contain_text("shipped with memcon")
    page.locator("#key-1").get_by_role("link", name="Version 1").click()
    expect(page.locator("h1")).to_have_text("Answer key, version 1")
    rows = page.locator("table.key-links tbody tr")
    expect(rows).to_have_count(11)
    expect(page.locator("dl.scores")).to_contain_text(_machine_link_f1())
    page.set_viewport_size({"width": 1280, "height": 720})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-key-1280.png"))
    _no_sideways_scroll(page)

    # Flag the first link "not scored": a new version, the old one as it was.
    rows.first.get_by_role("button", name="Do not score").click()
    expect(page.locator("ul.flashes")).to_contain_text(
        "Link 1 is not scored in the new key version 2."
    )
    expect(page.locator("h1")).to_have_text("Answer key, version 2")
    expect(page.locator("table.key-links tbody tr.not-scored")).to_have_count(1)
    expect(rows.first.get_by_role("button", name="Score it")).to_be_visible()

    # Freeze the current curation with a note: the script tag is text, never run.
    page.get_by_role("link", name="answer keys").click()
    page.get_by_label("Teacher's note (optional, Markdown)").fill(
        f"Week 3 {SCRIPT} **bring Bibles**"
    )
    page.get_by_role("button", name="Freeze as version 3").click()
    expect(page.locator("ul.flashes")).to_contain_text("Answer key version 3 is frozen")
    note = page.locator("section.notes")
    expect(note.locator("strong")).to_have_text("bring Bibles")
    expect(note).to_contain_text(SCRIPT)
    assert page.locator("main script").count() == 0
    assert page.evaluate("window.__pwned") is None and dialogs == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "browser-key-390.png"), full_page=True)
    _no_sideways_scroll(page)
    page.goto(f"{base}/dossiers/temptation/keys")
    expect(page.locator("table.keys tbody tr")).to_have_count(3)
    _no_sideways_scroll(page)

    # A student who may read the dossier never reaches its keys.
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, READER, PASSWORD)
    page.goto(f"{base}/dossiers/temptation")
    expect(page.get_by_role("link", name="Answer keys")).to_have_count(0)
    refused = page.goto(f"{base}/dossiers/temptation/keys/1")
    assert refused is not None and refused.status == 403
    assert all("403" in error for error in take_errors(page))  # the one expected refusal
    expect(page.locator("main")).to_contain_text("only the owner or an annotator")
    expect(page.locator("main")).not_to_contain_text("reordering")
