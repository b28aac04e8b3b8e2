"""A passage told twice under the "moved only" filter, in real Chromium: the early telling
is shown with its record sentence and its dashed connector, the telling in place is hidden,
and "Next change" walks to it; the printed alignment counts it.

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
    live_server_fixture,
    page_fixture,
    server_fixture,
)
from tests.test_browser_retell import _compare_url

MOVED = re.compile(r"\bmoved\b")


def test_moved_only_shows_the_telling_told_out_of_order(
    live_server: LiveServer, page: Page, browser: Browser, tmp_path: Path
) -> None:
    url = _compare_url(live_server, page, tmp_path)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(url)
    page.wait_for_selector("body.connectors-ready")
    panel = page.locator("section.panel")
    panel.get_by_label("moved only").check()
    # R13 (record 12) is told early at A6 (moved) and in place at A17 (kept).
    item = panel.locator('ol.links > li.link[data-source="12"]')
    expect(item).to_be_visible()
    expect(panel.locator("#chronicle-r13")).to_be_visible()
    expect(panel.locator("#chronicle-a6")).to_be_visible()
    expect(panel.locator("#chronicle-a17")).to_be_hidden()
    expect(panel.locator("#chronicle-r1")).to_be_hidden()  # kept, told once
    number = item.get_attribute("data-number")
    lines = panel.locator(f'svg.connectors g.connector[data-link="{number}"]')
    expect(lines).to_have_count(1)  # only the early telling's connector, dashed
    expect(lines).to_have_class(MOVED)
    expect(lines).to_have_attribute("data-witness", "5")
    status = panel.locator(".change-status")
    expect(status).to_have_text("Showing moved only: 4.")
    ARTIFACTS.mkdir(exist_ok=True)
    panel.locator(".columns").screenshot(path=str(ARTIFACTS / "retell-moved-only-1280.png"))
    panel.locator(".next-change").click()
    expect(status).to_contain_text("Change 1 of 4")
    expect(status).to_contain_text("R12 → A5, A16 · told twice")
    # The printed alignment's count line counts the tellings told again out of order.
    page.goto(url.replace("/compare", "/print"))
    expect(page.locator(".print-doc").first).to_contain_text(
        "0 moved (told in another order) · 4 told again out of order (told twice)"
    )
    page.pdf(path=str(ARTIFACTS / "retell-print.pdf"))
