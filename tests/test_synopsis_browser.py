"""Real-browser tests of the synopsis and presentation mode: Debian's Chromium at 1280x720
(a projector) and 390 px (a phone), against ``memcon serve`` (see tests.browser_support)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    LiveServer,
    browser_fixture,
    live_server_fixture,
    log_in,
    page_fixture,
    server_fixture,
)

ZAVIDOVO = "/dossiers/zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"
GOLDGEIER = "zavidovo-1993-goldgeier"
USER = "teacher"
PASSWORD = "correct horse battery staple"
#: A record of six sentences and an account that tells two of them elsewhere, reworded.
RECORD = (
    "The minister opened the meeting with a long statement on trade tariffs. "
    "The envoy replied that grain exports would double by spring. "
    "Both sides agreed to a joint commission on fisheries quotas. "
    "The minister then raised the question of pipeline security in the north. "
    "The envoy promised a written answer about border patrols within a week. "
    "The meeting closed with a toast to lasting friendship between the nations.\n"
)
ACCOUNT = (
    "The envoy promised a prompt written answer about the border patrols. "
    "The minister opened the meeting with a long statement on trade tariffs. "
    "The envoy replied that grain exports would double by spring. "
    "The talks closed with a warm toast to lasting friendship between the two nations. "
    "Both sides agreed to a joint commission on fisheries quotas. "
    "The minister then raised the question of pipeline security in the north.\n"
)


@pytest.fixture
def projector(browser: Browser) -> Iterator[Page]:
    """A 1280x720 page that fails the test on a script error or a failed request."""
    yield from _page(browser, 1280, 720)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 390 px wide page (a phone) that fails the test the same way."""
    yield from _page(browser, 390, 844)


def _page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # A request a navigation cuts short (net::ERR_ABORTED) is no error; any other failure is.
    page.on(
        "requestfailed",
        lambda r: None if r.failure == "net::ERR_ABORTED" else errors.append(f"{r.url}"),
    )

    def on_response(response: Response) -> None:
        if response.status >= 400:
            errors.append(f"{response.status}: {response.url}")

    page.on("response", on_response)
    yield page
    context.close()
    assert errors == [], errors


def press(page: Page, key: str) -> None:
    """Press a key once the page's keys are set up (presentation.js marks the body)."""
    page.wait_for_selector("body.keys-ready")
    page.keyboard.press(key)


def christophers_numbers(page: Page) -> list[tuple[int, str, str]]:
    """(record number, Christopher's numbers, cell classes) of each record row he uses."""
    rows = page.locator("table.synopsis tr.record-row")
    found = []
    for k in range(rows.count()):
        cell = rows.nth(k).locator(f'td[data-account="{CHRISTOPHER}"]')
        numbers = cell.get_attribute("data-numbers") or ""
        if numbers:
            found.append((k + 1, numbers, cell.get_attribute("class") or ""))
    return found


def test_synopsis_of_zavidovo_shows_christophers_move_out_of_sequence(
    server: str, projector: Page
) -> None:
    page = projector
    page.goto(f"{server}{ZAVIDOVO}/synopsis")
    headers = page.locator("table.synopsis thead th")
    expect(headers).to_have_count(4)
    expect(headers.first).to_contain_text("Memorandum of conversation")
    expect(headers.nth(1)).to_contain_text("In the Stream of History")
    found = christophers_numbers(page)
    assert [(r, n) for r, n, _ in found] == [(15, "1"), (17, "3"), (19, "2")]
    numbers = [int(n) for _, n, _ in found]
    assert numbers[2] < numbers[1]  # not increasing at R19 ...
    assert "moved" in found[2][2].split()  # ... and marked moved, in words too
    moved = page.locator(f'#row-r19 td[data-account="{CHRISTOPHER}"]')
    expect(moved.locator(".moved-word")).to_have_text("moved")
    expect(page.locator("#row-r19 th.ref .heat")).to_have_text(re.compile(r"^2"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "synopsis-zavidovo-1280.png"))

    # The headers stay in view when the table scrolls down inside its box.
    box = page.locator(".synopsis-scroll")
    box.scroll_into_view_if_needed()
    box.evaluate("el => { el.scrollTop = 900; }")
    top = box.bounding_box()
    head = headers.first.bounding_box()
    assert top and head and abs(head["y"] - top["y"]) <= 2
    page.screenshot(path=str(ARTIFACTS / "synopsis-zavidovo-scrolled.png"))


def test_choosing_another_reference_changes_the_first_column(server: str, projector: Page) -> None:
    page = projector
    page.goto(f"{server}{ZAVIDOVO}/synopsis")
    first = page.locator("table.synopsis thead th.ref")
    expect(first).to_contain_text("Memorandum of conversation")
    page.get_by_label("Reference (first column)").select_option(GOLDGEIER)
    page.get_by_role("button", name="Compare against it").click()
    expect(page).to_have_url(re.compile(rf"reference={GOLDGEIER}"))
    expect(first).to_contain_text("Promises Made, Promises Broken?")
    expect(
        page.locator('table.synopsis thead th[data-account="zavidovo-1993-memcon"]')
    ).to_be_visible()
    expect(page.get_by_label("Reference (first column)")).to_have_value(GOLDGEIER)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".synopsis-scroll").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "synopsis-zavidovo-goldgeier-reference.png"))


def test_on_a_phone_the_synopsis_scrolls_in_its_box_not_the_page(server: str, phone: Page) -> None:
    page = phone
    page.goto(f"{server}{ZAVIDOVO}/synopsis")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".synopsis-scroll")
    width = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert width[0] > width[1]  # wider than the screen: it scrolls inside its box
    first = page.locator("#row-r19 th.ref")
    before = first.bounding_box()
    box.evaluate("el => { el.scrollLeft = 400; }")
    after = first.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) <= 1  # the first column stays
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#row-r15").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "synopsis-zavidovo-390.png"))


def test_on_a_phone_the_presentation_stacks_the_pair(server: str, phone: Page) -> None:
    page = phone
    page.goto(f"{server}{ZAVIDOVO}/present")
    expect(page.locator("#counter")).to_have_text("move 1 of 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    record = page.locator(".record-side").bounding_box()
    account = page.locator(".account-side").bounding_box()
    assert record and account and account["y"] >= record["y"] + record["height"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation-christopher-390.png"), full_page=True)


def test_presentation_steps_through_christophers_links_with_the_keyboard(
    server: str, projector: Page
) -> None:
    page = projector
    page.goto(f"{server}{ZAVIDOVO}/present?account={CHRISTOPHER}&all=1")
    counter = page.locator("#counter")
    expect(counter).to_have_text("link 1 of 3")
    expect(page.locator("#record-at")).to_have_text("R15 of 23")
    before = page.locator("#account-text").inner_text()
    press(page, "ArrowRight")
    expect(counter).to_have_text("link 2 of 3")
    expect(page.locator("#record-at")).to_have_text("R17 of 23")
    assert page.locator("#account-text").inner_text() != before
    press(page, "End")
    expect(counter).to_have_text("link 3 of 3")
    expect(page.locator("#record-at")).to_have_text("R19 of 23")
    expect(page.locator(".account-side .moved-word")).to_have_text("moved")
    expect(page.locator(".diff-line ins").last).to_contain_text("long-term and evolutionary")
    expect(page.locator(".diff-line del").last).to_contain_text("longer term eventuality")
    expect(page.locator("#why")).to_have_text(
        "In the record R19 comes after R17, but the account tells it before: A2, before A3."
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation-christopher-1280.png"))
    fits = page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert fits, "the presentation of a move fits on the projector's screen"
    press(page, "ArrowLeft")
    expect(counter).to_have_text("link 2 of 3")
    press(page, "Home")
    expect(counter).to_have_text("link 1 of 3")
    press(page, "Escape")  # back to the compare view, at that link
    expect(page).to_have_url(re.compile(rf"/compare\?account={CHRISTOPHER}#{CHRISTOPHER}-link-1$"))
    expect(page.locator(f"#{CHRISTOPHER}-selected")).to_contain_text("R15 → A1")


def test_the_compare_page_presents_the_selected_link(server: str, projector: Page) -> None:
    page = projector
    page.goto(f"{server}{ZAVIDOVO}/compare?account={CHRISTOPHER}")
    page.wait_for_selector("body.connectors-ready")
    present = page.locator("a[data-present-link]")
    page.locator(f"#{CHRISTOPHER}-link-3 .link-button").click()
    expect(present).to_have_text("Present this link (R19 → A2)")
    present.click()
    expect(page.locator("#counter")).to_have_text("move 1 of 1")
    expect(page.locator("#record-at")).to_have_text("R19 of 23")


def _api(
    base: str, token: str, path: str, data: dict[str, str], as_json: bool = False
) -> dict[str, object]:
    """POST to the API with a bearer token (a form, or JSON): the JSON answer."""
    headers = {"Authorization": f"Bearer {token}"}
    if as_json:
        headers["Content-Type"] = "application/json"
    body = json.dumps(data) if as_json else urllib.parse.urlencode(data)
    request = urllib.request.Request(
        f"{base}{path}", data=body.encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer: dict[str, object] = json.loads(response.read())
        return answer


def test_two_moves_step_by_keys_in_an_own_private_dossier(
    live_server: LiveServer, projector: Page, browser: Browser
) -> None:
    base = live_server.base
    made = live_server.cli(
        "create-user", USER, "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    issued = live_server.cli("token", USER, "--expires-days", "1")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    dossier = str(_api(base, token, "/api/dossiers", {"title": "Trade talks (test)"}, True)["id"])
    for title, kind, text in (("Minutes", "memcon", RECORD), ("Memoir", "memoir", ACCOUNT)):
        _api(
            base,
            token,
            f"/api/dossiers/{dossier}/documents",
            {"title": title, "kind": kind, "text": text},
        )

    stranger = browser.new_page()
    assert stranger.goto(f"{base}/dossiers/{dossier}/present").status == 404  # type: ignore[union-attr]
    stranger.close()

    page = projector
    log_in(page, base, USER, PASSWORD)
    page.goto(f"{base}/dossiers/{dossier}")
    page.get_by_role("link", name="Present the moves to a class").click()
    counter = page.locator("#counter")
    expect(counter).to_have_text("move 1 of 2")
    expect(page.locator("#record-at")).to_have_text("R5 of 6")
    expect(page.locator("#account-at")).to_have_text("A1 of 6")
    expect(page.locator("#account-text")).to_contain_text("prompt written answer")
    expect(page.locator(".diff-line ins").first).to_have_text(re.compile("prompt"))
    expect(page.locator("#why")).to_contain_text("but the account tells it before: A1, before")
    press(page, "ArrowRight")
    expect(counter).to_have_text("move 2 of 2")
    expect(page.locator("#record-at")).to_have_text("R6 of 6")
    expect(page.locator("#account-text")).to_contain_text("warm toast")
    expect(page.locator(".diff-line ins").first).to_have_text(re.compile("talks|warm"))
    press(page, "Space")  # the last: nothing further
    expect(counter).to_have_text("move 2 of 2")
    press(page, "Shift+Space")
    expect(counter).to_have_text("move 1 of 2")
    page.screenshot(path=str(ARTIFACTS / "presentation-own-dossier-1280.png"))
