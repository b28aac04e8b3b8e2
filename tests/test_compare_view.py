"""The compare view in real Chromium: the finding on the first 1280x720 screen, filters
and next / previous change by keyboard, link details fetched on selection, and no page
wider than a 390 px phone."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
)

CHRISTOPHER = "zavidovo-1993-christopher"
COMPARE = f"/dossiers/zavidovo-1993/compare?account={CHRISTOPHER}"


def _within(page: Page, selector: str, height: int = 720) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_finding_is_on_the_first_projector_screen(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(server + COMPARE)
    page.wait_for_selector("body.connectors-ready")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare-first-screen-1280x720.png"))
    panel = f"#{CHRISTOPHER}"
    heads = page.locator(f"{panel} .column-heads .col-head").all_inner_texts()
    assert heads[0].startswith("Record: ") and "Memorandum" in heads[0]
    assert heads[1] == "In the Stream of History (as reported by Goldgeier)"
    summary = page.locator(f"{panel} .summary-sentence").inner_text()
    assert "tells R19 (" in summary and ") before R17 (" in summary
    assert "the record has it after" in summary
    counts = page.locator(f"{panel} .summary-counts").inner_text()
    assert "keeps 3 of the record's 23 sentences (1 told in another order)" in counts
    assert "leaves out 20" in counts and "2 quotations are not word for word" in counts
    for selector in (
        f"{panel} .column-heads",
        f"{panel} .summary-sentence",
        f"{panel} .summary-counts",
        f"{panel} .sequence svg",
        f"{panel} svg.connectors g.connector.moved path.line",
        f"#{CHRISTOPHER}-a2",
    ):
        assert _within(page, selector), selector
    r19 = page.locator(f"#{CHRISTOPHER}-r19").bounding_box()
    assert r19 is not None and r19["y"] < 720 - 20  # the moved sentence starts on screen
    # The dashed connector really is dashed, and the jargon is out of sight.
    dash = page.locator(f"{panel} g.connector.moved path.line").evaluate(
        "p => getComputedStyle(p).strokeDasharray"
    )
    assert dash not in ("none", "")
    visible = page.locator("main").inner_text()
    assert "Kendall" not in visible and "order-preserving" not in visible
    # The chart numbers its axes.
    numbers = page.locator(f"{panel} .sequence text.axis-number").all_text_contents()
    assert "R1" in numbers and "R23" in numbers and "A1" in numbers and "A3" in numbers
    context.close()


def test_selecting_a_link_fetches_its_detail(server: str, page: Page) -> None:
    page.goto(server + COMPARE)
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator(f"#{CHRISTOPHER}")
    # Not rendered inline any more: fetched when selected.
    assert panel.locator("ol.links .link-detail").count() == 0
    events: list[str] = []
    page.expose_function("noteSelect", lambda n: events.append(n))
    page.evaluate(
        "document.querySelector('section.panel').addEventListener('memcon:select',"
        " e => window.noteSelect(e.detail.item.dataset.number))"
    )
    with page.expect_request(lambda r: f"fragment={CHRISTOPHER}" in r.url and "link=3" in r.url):
        panel.locator("svg.connectors g.connector.moved path.hit").click(force=True)
    selected = panel.locator(".selected-link")
    expect(selected.locator("ins")).to_contain_text(["long-term and evolutionary"])
    expect(selected).to_contain_text("not found in the record")
    expect(selected).to_contain_text("told in another order")
    assert events == ["3"]
    item = panel.locator("ol.links > li.link.moved")
    assert item.get_attribute("data-status") == "machine"
    assert panel.locator(f"#{CHRISTOPHER}-a2").get_attribute("data-status") == "machine"
    assert page.evaluate("typeof window.memconCompare.redraw") == "function"


def test_without_script_the_link_button_asks_the_server(server: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + COMPARE)
    page.locator(f"#{CHRISTOPHER}-link-3 .link-button").click()
    page.wait_for_url(f"**panel={CHRISTOPHER}**")
    selected = page.locator(f"#{CHRISTOPHER}-selected")
    expect(selected).to_be_visible()
    expect(selected.locator("ins")).to_contain_text(["long-term and evolutionary"])
    context.close()


def test_filters_and_next_previous_by_keyboard(server: str, page: Page) -> None:
    page.goto(server + COMPARE)
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator(f"#{CHRISTOPHER}")
    status = panel.locator(".change-status")
    assert status.get_attribute("aria-live") == "polite"
    # Walk the changes from the start with n: in reading order, the first is the fold of
    # R1-R14, then R16 left out, ... and the move of R19 selects its link.
    panel.locator(".next-change").focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Change 1 of")
    expect(status).to_contain_text("R1–R14")
    page.keyboard.press("n")
    expect(status).to_contain_text("Change 2 of")
    texts = []
    for _ in range(6):
        page.keyboard.press("n")
        texts.append(status.inner_text())
    moved = [t for t in texts if "R19 → A2" in t]
    assert moved, texts
    page.keyboard.press("p")
    expect(status).not_to_contain_text("(the first one)")
    # From a link chosen by hand (R17 -> A3), n goes on to the next change below it: R18.
    panel.locator(f"#{CHRISTOPHER}-link-2 .link-button").click()
    page.keyboard.press("n")
    expect(status).to_contain_text("R18 left out by the account")
    expect(panel.locator(f"#{CHRISTOPHER}-r18")).to_be_focused()
    # "moved only" by keyboard: the move alone is walked, and selected.
    radio = panel.get_by_label("moved only")
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()
    expect(panel.locator("ol.links > li.link:visible")).to_have_count(1)
    expect(panel.locator("ol.sentences li.sentence:visible")).to_have_count(2)
    expect(panel.locator("svg.connectors g.connector")).to_have_count(1)
    page.keyboard.press("n")
    expect(status).to_contain_text("Change 1 of 1")
    expect(panel.locator("ol.links > li.link.selected")).to_have_attribute("data-source", "18")
    expect(panel.locator(".selected-link ins")).to_contain_text(["long-term and evolutionary"])
    # "left out only": the 20 omitted sentences, unfolded; no links.
    panel.get_by_label("left out only").check()
    expect(panel.locator("ol.sentences li.sentence.omitted:visible")).to_have_count(20)
    expect(panel.locator("ol.links > li.link:visible")).to_have_count(0)
    panel.get_by_label("added only").check()
    page.keyboard.press("n")
    expect(status).to_contain_text("No change of this kind")
    panel.get_by_label("all").check()
    expect(panel.locator("ol.links > li.link:visible")).to_have_count(3)


def _no_sideways_scroll(browser: Browser, url: str, name: str) -> int:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    width = int(page.evaluate("document.scrollingElement.scrollWidth"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-390-{name}.png"))
    context.close()
    return width


def _curate_once(live_server: LiveServer, browser: Browser) -> None:
    """Confirm a link with a label and a long note, through the compare page (so the
    history page has a change with long words to lay out)."""
    made = live_server.cli(
        "create-user", "ada", "--role", "admin", "--password-stdin", stdin="a long password 1\n"
    )
    assert made.returncode == 0, made.stderr
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server.base, "ada", "a long password 1")
    # The no-JS path: the forms of A2's own page (link 3 is R19 -> A2).
    page.goto(f"{live_server.base}/dossiers/zavidovo-1993/compare/{CHRISTOPHER}/account/2")
    form = page.locator("form:has(button[value=confirm])").first
    form.locator("textarea[name=note]").fill("A long word: " + "membership" * 12)
    form.get_by_role("button", name="Confirm").click()
    expect(page.locator("ul.flashes")).to_be_visible()
    # A person's decision looks different in the list and carries its status.
    page.goto(f"{live_server.base}{COMPARE}")
    page.wait_for_selector("body.connectors-ready")
    item = page.locator(f"#{CHRISTOPHER}-link-3")
    expect(item).to_have_attribute("data-status", "confirmed")
    expect(item).to_have_class(re.compile(r"\bhuman\b"))
    expect(item.locator(".link-button")).to_contain_text("confirmed by ada")
    expect(page.locator(f"#{CHRISTOPHER}-a2")).to_have_attribute("data-status", "confirmed")
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(live_server: LiveServer, browser: Browser) -> None:
    _curate_once(live_server, browser)
    server = live_server.base
    pages = {
        "library": server + "/",
        "dossier": server + "/dossiers/zavidovo-1993",
        "compare": server + "/dossiers/zavidovo-1993/compare",
        "history": server + "/dossiers/zavidovo-1993/history",
    }
    widths = {name: _no_sideways_scroll(browser, url, name) for name, url in pages.items()}
    assert all(w <= 391 for w in widths.values()), widths


def test_on_a_phone_each_record_sentence_comes_before_its_counterpart(
    server: str, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server + COMPARE)
    page.wait_for_selector("body.connectors-ready")

    def top(number: str) -> float:
        box = page.locator(f"#{CHRISTOPHER}-{number}").bounding_box()
        assert box is not None
        return box["y"]

    assert page.locator(f"#{CHRISTOPHER} svg.connectors").is_hidden()
    # R15 then A1, R17 then A3, R19 then A2: each counterpart right below its sentence.
    assert top("r15") < top("a1") < top("r17") < top("a3") < top("r19") < top("a2")
    summary = page.locator(f"#{CHRISTOPHER} .summary-sentence").bounding_box()
    column = page.locator(f"#{CHRISTOPHER} .columns").bounding_box()
    assert summary is not None and column is not None and summary["y"] < column["y"]
    context.close()
