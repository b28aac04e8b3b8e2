"""Tables of text read on a phone, in real Chromium: each row stacked inside the screen
rather than a table scrolled sideways. The command line's HTML report (``memcon align --format
html``, ``memcon show --format html``): on a phone each link is stacked (its sentence numbers,
kind and score on one line, the changes below, all inside the screen), on a projector it
stays a table. The web app's printable curated report (``/dossiers/<id>/export?format=html``,
against its own ``memcon serve``): on a phone each discrepancy is stacked, what it is first.
The library's coverage table: each account on its line, its share and strip below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    browser_fixture,
    live_server_fixture,
    page_fixture,
    server_fixture,
)
from tests.conftest import CliResult


def _report(memcon: Callable[..., CliResult], tmp_path: Path) -> Path:
    shown = memcon("show", "zavidovo-1993", "--format", "html")
    assert shown.code == 0, shown.err
    path = tmp_path / "report.html"
    path.write_text(shown.out, encoding="utf-8")
    return path


def _open(browser: Browser, path: Path, width: int, height: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(path.as_uri())
    return page


def _moved_row_boxes(page: Page) -> tuple[dict[str, float], dict[str, float]]:
    """The bounding boxes of the first moved link's numbers cell and changes cell."""
    row = page.locator("table.report-links tr.moved").first
    numbers = row.locator("td").first.bounding_box()
    changes = row.locator("td").last.bounding_box()
    assert numbers is not None and changes is not None
    return dict(numbers), dict(changes)


def test_on_a_phone_each_link_is_stacked_inside_the_screen(
    browser: Browser, memcon: Callable[..., CliResult], tmp_path: Path
) -> None:
    page = _open(browser, _report(memcon, tmp_path), 390, 844)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report is {width} px wide on a 390 px phone"
    outside = page.evaluate(
        "[...document.querySelectorAll('table.report-links td')]"
        ".filter(td => td.getBoundingClientRect().right > 391).length"
    )
    assert outside == 0
    numbers, changes = _moved_row_boxes(page)
    assert changes["y"] >= numbers["y"] + numbers["height"] - 1  # the changes below
    assert changes["width"] > 300  # the whole width, not a column
    page.locator("table.report-links tr.moved").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))


def test_on_a_projector_the_links_stay_a_table(
    browser: Browser, memcon: Callable[..., CliResult], tmp_path: Path
) -> None:
    page = _open(browser, _report(memcon, tmp_path), 1280, 720)
    numbers, changes = _moved_row_boxes(page)
    assert abs(changes["y"] - numbers["y"]) < 12  # one line: the changes beside
    assert changes["x"] > numbers["x"] + numbers["width"]
    assert page.locator("table.report-links thead th").first.is_visible()


def test_on_a_phone_the_curated_reports_discrepancies_are_stacked_inside_the_screen(
    browser: Browser, server: str
) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{server}/dossiers/zavidovo-1993/export?format=html")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report is {width} px wide on a 390 px phone"
    row = page.locator("table.discrepancies tr.moved").first
    cells = [row.locator("td").nth(k).bounding_box() for k in range(3)]
    assert all(c is not None for c in cells)
    what, record, account = (dict(c) for c in cells if c is not None)
    assert what["y"] < record["y"] < account["y"]  # one under the other
    assert account["x"] + account["width"] <= 391
    assert row.locator("td").first.inner_text() == "moved link"
    label = row.locator("td").nth(3).evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Label, decided by: "'  # the column's name, before the cell's text
    row.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curated-report-phone.png"))


def test_on_a_phone_the_library_coverage_rows_fit_the_screen(browser: Browser, server: str) -> None:
    # Each account's coverage row: the account on its own line, then kind, share and the
    # strip of record sentences, inside the screen (no table to scroll sideways).
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{server}/")
    widths = page.evaluate(
        "[...document.querySelectorAll('table.coverage')].map(t => t.scrollWidth - t.clientWidth)"
    )
    assert widths and max(widths) <= 1
    row = page.locator("table.coverage tbody tr").first
    account, share = (row.locator("td").nth(k).bounding_box() for k in (0, 2))
    assert account is not None and share is not None
    assert share["y"] >= account["y"] + account["height"] - 1  # below the account
    assert row.locator("td.num").evaluate("td => getComputedStyle(td, '::after').content") == (
        '" of the record"'
    )
