"""Real-browser test of the API page (/api): reached from every page's footer, a route of
the table leads to its section, and the page fits a projector and a phone (no sideways
scrolling), with no script at all.

Runs against its own ``memcon serve`` and database (see :mod:`tests.browser_support`).
"""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    browser_fixture,
    live_server_fixture,
    page_fixture,
    server_fixture,
)


def _scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_api_page_lists_the_routes_and_fits_1280_and_390(server: str, page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server}/")
    page.locator("footer.site").get_by_role("link", name="JSON API").click()
    expect(page).to_have_url(f"{server}/api")
    expect(page.locator("h1")).to_have_text("The JSON API")
    sources = page.locator("script").evaluate_all("(all) => all.map((s) => s.src)")
    assert all(s.startswith(f"{server}/static/") for s in sources)  # the site's own, no viewer
    page.screenshot(path=str(ARTIFACTS / "api-page-1280.png"))
    assert _scroll_width(page) <= 1280
    doc = json.loads(page.request.get(f"{server}/api/openapi.json").text())
    rows = page.locator("table.api-routes tbody tr")
    assert rows.count() == sum(len(ops) for ops in doc["paths"].values())
    # A route of the table leads to its section: method, path, who may, the body's schema.
    rows.filter(has_text="/api/dossiers/{dossier_id}/links").filter(has_text="POST").get_by_role(
        "link"
    ).click()
    section = page.locator("#api_decide_link")
    expect(section).to_be_in_viewport()
    expect(section.locator("h3")).to_have_text("POST /api/dossiers/{dossier_id}/links")
    expect(section).to_contain_text("A bearer token")
    section.get_by_role("link", name="LinkDecision").click()
    expect(page.locator("#schema-LinkDecision")).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "api-page-schema-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/api#api_decide_link")
    assert _scroll_width(page) <= 390
    page.screenshot(path=str(ARTIFACTS / "api-page-390.png"))
