"""Real-browser test: a possible move gets its own connector, an altered quotation its words.

The dossier is written for the test: a memoir that keeps the record's order except one
weakly similar sentence ("Dinner ...") told early, with nothing to corroborate the move,
and a quotation with one word replaced and one inserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser_support import (  # noqa: F401  (fixtures: pytest finds them by name)
    ARTIFACTS,
    ROOT,
    _free_port,
    browser_fixture,
    page_fixture,
    wait_until_serving,
)

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
    folder = root / "corpora" / "geneva"
    folder.mkdir(parents=True)
    (folder / "record.txt").write_text(RECORD, encoding="utf-8")
    (folder / "memoir.txt").write_text(MEMOIR, encoding="utf-8")
    meta = {"author": "A", "date": "2000", "provenance": "Test.", "source": "test"}
    dossier = {
        "id": "geneva",
        "title": "Geneva",
        "date": "2000",
        "description": "Test.",
        "record": "record.txt",
        "documents": [
            {"file": "record.txt", "title": "Record", "kind": "memcon", **meta},
            {"file": "memoir.txt", "title": "Memoir", "kind": "memoir", **meta},
        ],
    }
    (folder / "dossier.json").write_text(json.dumps(dossier), encoding="utf-8")
    port = _free_port()
    env = {
        "MEMCON_DATABASE_URL": f"sqlite:///{root / 'memcon.db'}",
        "MEMCON_INSTANCE_PATH": str(root),
        "MEMCON_CORPORA_DIR": str(root / "corpora"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(process, base, "memcon serve")
    yield base
    process.terminate()
    process.wait(timeout=20)
    if process.stdout:
        process.stdout.close()


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
    assert "possible move" in selected.inner_text()
    assert "weak evidence" in selected.inner_text()
    quotes = page.locator(".lists li.quote.status-altered")
    assert quotes.count() == 1
    text = quotes.inner_text()
    assert "altered, not verbatim in R3" in text
    assert quotes.locator("del").all_inner_texts() == ["treaty"]
    assert quotes.locator("ins").all_inner_texts() == ["accord", "early"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "possible-move.png"), full_page=True)
