"""Real-browser tests: Debian's Chromium, driven by Playwright, against ``memcon serve``."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    browser_fixture,
    live_server_fixture,
    page_fixture,
    server_fixture,
)

CHRISTOPHER = "zavidovo-1993-christopher"


def test_compare_page_draws_connectors_and_marks_the_move(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?account={CHRISTOPHER}")
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator(f"#{CHRISTOPHER}")
    connectors = panel.locator("svg.connectors g.connector")
    assert connectors.count() == 3
    moved = panel.locator("svg.connectors g.connector.moved")
    assert moved.count() == 1
    caveat = panel.locator("ol.links > li.link.moved")
    assert caveat.get_attribute("data-source") == "18"
    assert caveat.get_attribute("data-witness") == "1"

    selected = panel.locator(".selected-link")
    assert selected.is_hidden()
    moved.click()
    assert selected.is_visible()
    selected.locator(".link-detail").wait_for()  # fetched from ?fragment=<slug>&link=<n>
    assert "moved" in selected.inner_text().lower()
    inserted = selected.locator("ins").all_inner_texts()
    deleted = selected.locator("del").all_inner_texts()
    assert any("long-term and evolutionary" in t for t in inserted)
    assert any("longer term eventuality" in t for t in deleted)
    assert "selected" in (page.locator(f"#{CHRISTOPHER}-a2").get_attribute("class") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "compare-zavidovo.png"))


def test_keyboard_moves_between_links(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?account={CHRISTOPHER}")
    page.wait_for_selector("body.connectors-ready")
    buttons = page.locator(f"#{CHRISTOPHER} ol.links .link-button")
    buttons.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('li').id")
    assert focused == f"{CHRISTOPHER}-link-3"
    text = page.locator(f"#{CHRISTOPHER} .selected-link").inner_text()
    assert "R19 → A2" in text
    page.keyboard.press("Home")
    assert "R15 → A1" in page.locator(f"#{CHRISTOPHER} .selected-link").inner_text()


def test_phrase_order_box_answers_inverted_for_christopher(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/zavidovo-1993/compare")
    page.locator("summary", has_text="Does one phrase come before another?").click()  # folded
    page.fill("input[name=a]", "longer term eventuality")
    page.fill("input[name=b]", "great idea")
    page.click("text=Compare the order")
    page.wait_for_selector(".verdicts")
    christopher = page.locator(".verdict", has_text="In the Stream of History").first
    assert christopher.locator(".verdict-word").inner_text().lower() == "inverted"
    talbott = page.locator(".verdict", has_text="The Russia Hand").first
    assert talbott.locator(".verdict-word").inner_text().lower() == "missing"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "order-box.png"))


def test_library_and_dossier_pages_render(server: str, page: Page) -> None:
    page.goto(server)
    page.click("text=Christopher and Yeltsin at Zavidovo, 22 October 1993")
    # The click starts a navigation; wait for the dossier page to load before
    # counting: a bare count() ran before the rows were parsed and failed CI at d85fec4.
    page.wait_for_url("**/dossiers/zavidovo-1993")
    page.wait_for_load_state("load")
    expect(page.locator("table.accounts tbody tr")).to_have_count(3)
    expect(page.locator(f"#{CHRISTOPHER} .mark-moved")).to_have_count(1)


def test_script_in_a_document_never_runs(server: str, page: Page, tmp_path: Path) -> None:
    # The page's own script must not be able to run anything from the texts: a CSP
    # violation or an alert would show up here.
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?a=%3Cscript%3Ealert(1)%3C/script%3E&b=x")
    page.wait_for_selector("body.connectors-ready")
    assert "<script>alert(1)</script>" in page.locator(".order-box").inner_text()
    assert alerts == []
