"""Real-browser test: a possible move gets its own connector, an altered quotation its words.

The dossier is written for the test: a memoir that keeps the record's order except one
weakly similar sentence ("Dinner ...") told early, with nothing to corroborate the move,
and a quotation with one word replaced and one inserted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    browser_fixture,
    page_fixture,
    serving,
)
from tests.conftest import write_record_and_memoir

RECORD = (
    "The delegation arrived in Geneva on Monday morning. The minister opened the talks with "
    "a statement on the border. He said the new treaty would be signed in the spring. The "
    "envoy asked about the garrison in the north. The minister replied that the troops would "
    "leave by autumn. Both sides agreed to meet again in March. The harbour question was left "
    "for the experts. Dinner was served at eight."
)
MEMOIR = (
    "Our delegation reached Geneva on a Monday morning. The minister began the talks with a "
    'statement about the border. Dinner that evening was long. He promised that "the new '
    'accord would be signed early in the spring." The envoy raised the question of the '
    "northern garrison. The minister answered that the troops would be gone by autumn. Both "
    "sides agreed to meet again in March. The experts were left the harbour question."
)


@pytest.fixture(scope="module", name="server")
def geneva_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``memcon serve`` with the Geneva dossier only."""
    root = tmp_path_factory.mktemp("geneva")
    write_record_and_memoir(root / "corpora", "geneva", RECORD, MEMOIR)
    env = {
        "MEMCON_DATABASE_URL": f"sqlite:///{root / 'memcon.db'}",
        "MEMCON_INSTANCE_PATH": str(root),
        "MEMCON_CORPORA_DIR": str(root / "corpora"),
    }
    with serving(env) as base:
        yield base


def test_a_possible_move_is_drawn_dotted_and_apart_from_moves(server: str, page: Page) -> None:
    page.goto(f"{server}/dossiers/geneva/compare")
    page.wait_for_selector("body.connectors-ready")
    item = page.locator('ol.links > li.link[data-possible-move="true"]')
    assert item.count() == 1, "the lone weak out-of-order pair should be a possible move"
    assert item.get_attribute("data-moved") == "false"
    assert item.get_attribute("data-source") == "7" and item.get_attribute("data-witness") == "2"
    number = item.get_attribute("data-number")
    connector = page.locator(f'svg.connectors g.connector[data-link="{number}"]')
    assert connector.get_attribute("class") == "connector possible-move"
    assert page.locator("svg.connectors g.connector.moved").count() == 0
    line = connector.locator("path.line")
    style = line.evaluate(
        "p => { const s = getComputedStyle(p);"
        " return [s.stroke, s.strokeDasharray, s.strokeLinecap]; }"
    )
    assert style[0] == "rgb(230, 159, 0)"  # Okabe-Ito orange, not the moves' vermillion
    assert style[2] == "round" and style[1] not in ("none", "")  # dotted
    connector.locator("path.hit").click(force=True)
    selected = page.locator(".selected-link")
    expect(selected).to_contain_text("possible move")  # the detail is fetched: wait for it
    expect(selected).to_contain_text("weak evidence")
    quotes = page.locator(".lists li.quote.status-altered")
    assert quotes.count() == 1
    text = quotes.inner_text()
    assert "altered, not verbatim in R3" in text
    assert quotes.locator("del").all_inner_texts() == ["treaty"]
    assert quotes.locator("ins").all_inner_texts() == ["accord", "early"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "possible-move.png"), full_page=True)
