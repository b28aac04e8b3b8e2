"""A passage told twice, in real Chromium: the compare page links the record sentences of
the arrest to both tellings (the connectors reach both account sentences), names both in
the link list and the selected link's detail with how each is told (the early telling
moved, its connector dashed; the telling in place not), and fits a projector and a phone.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    create_dossier,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
)
from tests.test_retell import RECORD, RETOLD

USER = "chronicler"
MOVED = re.compile(r"\bmoved\b")
KEPT = re.compile(r"\bkept\b")
PASSWORD = "a passage told twice"


def _upload(page: Page, path: Path, title: str, kind: str) -> None:
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(kind)
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Save the document").click()
    expect(page.locator("ul.flashes")).to_contain_text("Document added.")


def _compare_url(live_server: LiveServer, page: Page, tmp_path: Path) -> str:
    created = live_server.cli(
        "create-user", USER, "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    log_in(page, live_server.base, USER, PASSWORD)
    dossier_url = create_dossier(page, live_server.base, "The tanner's arrest (test)")
    record = tmp_path / "town-record.txt"
    record.write_text("\n".join(RECORD) + "\n", encoding="utf-8")
    account = tmp_path / "chronicle.txt"
    account.write_text("\n".join([*RECORD[:4], *RETOLD, *RECORD[4:]]) + "\n", encoding="utf-8")
    _upload(page, record, "Town record", "memcon")
    _upload(page, account, "Chronicle", "memoir")
    return f"{dossier_url}/compare"


def test_a_passage_told_twice_is_shown_linked_to_both_tellings(
    live_server: LiveServer, page: Page, browser: Browser, tmp_path: Path
) -> None:
    url = _compare_url(live_server, page, tmp_path)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(url)
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator("section.panel")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.locator(".columns").screenshot(path=str(ARTIFACTS / "retell-columns-1280.png"))
    # R12-R15 (record 11-14) each reach A5-A8 (the early telling) and A16-A19 (in place).
    # Each telling is judged on its own: A16-A19 are told word for word in place, A5-A8
    # early, so only the early telling's connector is dashed (moved).
    for k in range(11, 15):
        item = panel.locator(f'ol.links > li.link[data-source="{k}"]')
        expect(item).to_have_attribute("data-witness", f"{k - 7} {k + 4}")
        expect(item.locator(".link-button")).to_contain_text(
            f"R{k + 1} → A{k - 6}, A{k + 5} · told twice: A{k + 5} word for word in place; "
            f"A{k - 6} told earlier"
        )
        expect(item).not_to_have_class(MOVED)
        number = item.get_attribute("data-number")
        lines = panel.locator(f'svg.connectors g.connector[data-link="{number}"]')
        expect(lines).to_have_count(2)
        expect(lines.and_(panel.locator(f'[data-witness="{k - 7}"]'))).to_have_class(MOVED)
        expect(lines.and_(panel.locator(f'[data-witness="{k + 4}"]'))).not_to_have_class(MOVED)
        account = panel.locator("ol.sentences.account > li.sentence")
        expect(account.and_(panel.locator(f'[data-index="{k - 7}"]'))).to_have_class(MOVED)
        expect(account.and_(panel.locator(f'[data-index="{k + 4}"]'))).to_have_class(KEPT)
    # The early tellings are listed as told again out of order (the links are not moves).
    retold = panel.locator("li.retold-item")
    expect(retold).to_have_count(4)
    expect(retold.nth(1)).to_contain_text("R13 → A6: His wife pleaded with the magistrate")
    panel.locator(".lists").screenshot(path=str(ARTIFACTS / "retell-lists-1280.png"))
    # Nothing of the account is left as "added": both tellings are the record's.
    expect(panel.locator("li.added")).to_have_count(0)
    item = panel.locator('ol.links > li.link[data-source="12"] .link-button')
    item.click()
    selected = panel.locator(".selected-link")
    expect(selected).to_contain_text("R13 → A6, A17 · told twice")
    tellings = selected.locator("li.telling")
    expect(tellings).to_have_count(2)
    expect(tellings.nth(0)).to_contain_text("A6: paraphrased · moved")
    expect(tellings.nth(1)).to_contain_text("A17: word for word · in the record's order")
    expect(selected.get_by_role("link", name="A6")).to_be_visible()
    expect(selected.get_by_role("link", name="A17")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "retell-selected-1280x720.png"))
    selected.screenshot(path=str(ARTIFACTS / "retell-selected-detail-1280.png"))
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone.add_cookies(page.context.cookies())  # the dossier is private: same session
        small = phone.new_page()
        small.goto(url)
        small.wait_for_selector("body.connectors-ready")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        small.screenshot(path=str(ARTIFACTS / "retell-compare-390.png"), full_page=True)
    finally:
        phone.close()
