"""A passage told twice in real Chromium: the synopsis cell told again out of order is drawn
apart from a kept one (its legend swatch too) at 1280 and 390 px, and the compare page's
order box answers "both", on screen and on paper (the answer prints, its form does not).

Screenshots and PDFs go to test-artifacts/ (synopsis-retold[-legend]-*.png, order-both-*.png,
synopsis-retold.pdf, order-both.pdf). Runs against its own ``memcon serve`` and database
(see :mod:`tests.browser_support`).
"""

from __future__ import annotations

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


def _style(page: Page, selector: str, prop: str) -> str:
    return str(page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}"))


def test_the_synopsis_draws_the_passage_told_twice_apart_and_the_order_box_says_both(
    live_server: LiveServer, page: Page, browser: Browser, tmp_path: Path
) -> None:
    compare = _compare_url(live_server, page, tmp_path)
    synopsis = compare.replace("/compare", "/synopsis")
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 720), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(synopsis + "#row-r13")
        cell = page.locator('#row-r13 td[data-account="chronicle"]')
        expect(cell).to_have_class("cell retold")
        expect(cell).to_contain_text("told twice A6 again out of order")
        expect(cell).to_be_in_viewport()
        # In place (the kept bar on the left) and again out of order (moved dashes right).
        assert _style(page, "#row-r13 td.retold", "borderRightStyle") == "dashed"
        assert _style(page, "#row-r13 td.retold", "borderLeftStyle") == "solid"
        assert _style(page, "#row-r11 td.kept", "borderRightStyle") != "dashed"
        assert _style(page, ".swatch.retold", "borderRightStyle") == "dashed"
        expect(page.locator('.heat-strip a[href="#row-r13"]')).to_have_class("heat heat-4")
        expect(page.locator('.heat-strip a[href="#row-r11"]')).to_have_class("heat heat-0")
        page.screenshot(path=str(ARTIFACTS / f"synopsis-retold-{width}.png"))
        legend = page.locator(".heat-overview")
        expect(legend).to_contain_text("told twice in order here, and again out of order")
        legend.screenshot(path=str(ARTIFACTS / f"synopsis-retold-legend-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(synopsis)
    page.emulate_media(media="print")  # the heat marks keep their colours on paper
    assert _style(page, '.heat-strip a[href="#row-r13"]', "printColorAdjust") == "exact"
    page.emulate_media(media="null")  # no emulation: screenshots on screen, pdf() on paper
    page.pdf(path=str(ARTIFACTS / "synopsis-retold.pdf"), format="A4", landscape=True)

    asked = compare + "?a=warehouses&b=arrested#order"
    for width, height in ((1280, 720), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(asked)
        verdict = page.locator("li.verdict")
        expect(verdict).to_have_class("verdict verdict-both")
        expect(verdict.locator(".verdict-word")).to_have_text("both")
        expect(verdict).to_contain_text("“arrested” is told twice: in sentence 5, before")
        verdict.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"order-both-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(asked)
    page.wait_for_selector("body.connectors-ready")
    page.emulate_media(media="print")
    # On paper the answer heads the alignment (page 1), not a page of its own.
    expect(page.locator(".order-box")).to_be_hidden()
    head = page.locator(".print-doc svg.print-page").first
    expect(head).to_be_visible()
    expect(head).to_contain_text("Does “warehouses” come before “arrested”?")
    expect(head).to_contain_text("BOTH.")
    page.pdf(path=str(ARTIFACTS / "order-both.pdf"), format="A4")  # print media
    page.goto(compare)  # no question asked: the order box does not print at all
    page.emulate_media(media="print")
    expect(page.locator(".order-box")).to_be_hidden()
