"""Real-browser tests: Debian's Chromium, driven by Playwright, against ``memcon serve``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHRISTOPHER = "zavidovo-1993-christopher"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``memcon serve`` on a free port, with its own SQLite file, stopped after."""
    port = _free_port()
    database = tmp_path_factory.mktemp("db") / "memcon.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env={
            **os.environ,
            "MEMCON_DATABASE_URL": f"sqlite:///{database}",
            "MEMCON_INSTANCE_PATH": str(database.parent),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/dossiers", timeout=5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"memcon serve did not start: {output}") from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=20)
    if process.stdout:
        process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/test.sh installs it)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    yield page
    context.close()
    assert errors == [], errors  # no script errors, no CSP violations, no missing files


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
    assert page.url.endswith("/dossiers/zavidovo-1993")
    assert page.locator("table.accounts tbody tr").count() == 3
    assert page.locator(f"#{CHRISTOPHER} .mark-moved").count() == 1


def test_script_in_a_document_never_runs(server: str, page: Page, tmp_path: Path) -> None:
    # The page's own script must not be able to run anything from the texts: a CSP
    # violation or an alert would show up here.
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/dossiers/zavidovo-1993/compare?a=%3Cscript%3Ealert(1)%3C/script%3E&b=x")
    page.wait_for_selector("body.connectors-ready")
    assert "<script>alert(1)</script>" in page.locator(".order-box").inner_text()
    assert alerts == []
