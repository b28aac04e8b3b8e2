"""The printed alignment through Flask's test client: in the compare page, on its own page,
as a fragment for print.js, and left out of a compare page when too long."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.views.print_doc import print_alignment, public_url

from .conftest import TEST_CONFIG
from .webdb import web_site

CHRISTOPHER = "zavidovo-1993-christopher"
BASE = "/dossiers/zavidovo-1993"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(TEST_CONFIG)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_compare_page_holds_its_printed_alignment(client: FlaskClient) -> None:
    html = client.get(f"{BASE}/compare?account={CHRISTOPHER}").get_data(as_text=True)
    assert html.count('class="print-page"') == 2
    assert '<tspan font-weight="bold">R19 moved</tspan>' in html
    assert "<title>R19 → A2</title>" in html  # the moved connector
    assert "Account: In the Stream of History" in html
    assert "print-later" not in html
    # After the pages, the links with their word changes (record → account).
    assert "<strong>R19 → A2</strong> · moved: " in html
    assert "<ins>a NATO enlargement process would be “long-term and evolutionary.”</ins>" in html


def test_the_print_page_and_its_fragments(client: FlaskClient) -> None:
    page = client.get(f"{BASE}/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="print-doc"') == 3  # every account
    one = client.get(f"{BASE}/print?fragment={CHRISTOPHER}&account={CHRISTOPHER}")
    assert one.status_code == 200
    text = one.get_data(as_text=True)
    assert text.lstrip().startswith(f'<div class="print-doc" id="{CHRISTOPHER}-print"')
    assert "<html" not in text
    # The head cites the compare page the fragment is printed from.
    assert re.search(rf"http://localhost{BASE}/compare\?account={CHRISTOPHER} · printed", text)


@pytest.mark.parametrize("query", ["account=nobody", "fragment=nobody"])
def test_an_unknown_account_is_404(client: FlaskClient, query: str) -> None:
    response = client.get(f"{BASE}/print?{query}")
    assert response.status_code == 404
    assert "no account &#39;nobody&#39;" in response.get_data(as_text=True)


def test_an_unknown_dossier_is_404(client: FlaskClient) -> None:
    assert client.get("/dossiers/no-such-dossier/print").status_code == 404


def test_a_long_comparison_leaves_a_placeholder_in_the_compare_page() -> None:
    app = create_app({**TEST_CONFIG, "PRINT_INLINE_SENTENCES": 10})
    html = app.test_client().get(f"{BASE}/compare?account={CHRISTOPHER}").get_data(as_text=True)
    assert 'class="print-page"' not in html
    holder = re.search(
        r'<div class="print-doc print-later" id="[^"]+" data-title="[^"]*" data-src="([^"]+)"', html
    )
    assert holder, "no placeholder"
    src = holder.group(1).replace("&amp;", "&")
    assert src.startswith(f"{BASE}/print?") and f"fragment={CHRISTOPHER}" in src
    fetched = app.test_client().get(src)
    assert fetched.status_code == 200 and 'class="print-page"' in fetched.get_data(as_text=True)
    assert f"http://localhost{BASE}/print?account={CHRISTOPHER}" in html  # said on paper


def test_texts_are_escaped_in_the_svg(tmp_path: Path) -> None:
    hostile = "The minister said <script>alert(1)</script> & left."
    with web_site("sqlite", tmp_path) as site:
        site.add_user("ada")
        dossier = site.dossier("ada", "Hostile <b>texts</b>")
        site.document("ada", dossier, "Minutes", "memcon", f"{hostile} The talks went on.")
        site.document("ada", dossier, "Memoir", "memoir", f"{hostile} Then we left.")
        response = site.call("ada", "GET", f"/dossiers/{dossier}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    svg = html[html.index('<svg class="print-page"') :]
    assert "<script>alert" not in svg and "<b>" not in html
    assert "said &lt;script&gt;alert(1)&lt;/script&gt;</text>" in svg  # wrapped there
    assert "&amp; left." in svg
    assert "Hostile &lt;b&gt;texts&lt;/b&gt;" in svg


def test_the_head_prints_the_summary_and_makes_room_for_it(app: Flask) -> None:
    library = app.extensions["memcon.library"]
    with app.test_request_context():
        comparison = library.comparison("zavidovo-1993", None, [], None)
    account = comparison.account(CHRISTOPHER)
    plain = print_alignment(comparison, account, "http://x/compare", "2026-01-02")
    said = "Christopher's memoir tells R19 before R17; the record has it after."
    told = print_alignment(comparison, account, "http://x/compare", "2026-01-02", (said,))
    assert said in [h.text for h in told.head] and said not in [h.text for h in plain.head]
    assert any(h.text.startswith("3 links · 1 moved") for h in told.head)
    first = min(b.y for b in told.pages[0].boxes)
    assert first > min(b.y for b in plain.pages[0].boxes)
    assert all(h.y < first for h in told.head)  # the head ends above the columns


def test_the_printed_address_leaves_out_a_share_token() -> None:
    url = "http://h/dossiers/d/compare?account=a&share=s3cret&account=b"
    assert public_url(url) == "http://h/dossiers/d/compare?account=a&account=b"
    assert public_url("http://h/dossiers/d/compare") == "http://h/dossiers/d/compare"


def test_a_persons_decisions_are_printed_on_the_sentences(tmp_path: Path) -> None:
    with web_site("sqlite", tmp_path) as site:
        site.add_user("ada")
        dossier = site.dossier("ada", "Talks")
        record = "The minister opened the talks on grain. The ambassador asked about timber."
        site.document("ada", dossier, "Minutes", "memcon", f"{record} They parted at noon.")
        memoir = "The ambassador asked about the timber. The minister opened talks on grain."
        site.document("ada", dossier, "Memoir", "memoir", memoir)
        confirm = {"account": "memoir", "source": [2], "witness": [1], "action": "confirm"}
        made = site.call("ada", "POST", f"/api/dossiers/{dossier}/links", json=confirm)
        assert made.status_code == 201, made.get_json()
        added = {"account": "memoir", "source": [3], "witness": [2], "action": "add"}
        added |= {"label": "paraphrase"}
        assert (
            site.call("ada", "POST", f"/api/dossiers/{dossier}/links", json=added).status_code
            == 201
        )
        html = site.call("ada", "GET", f"/dossiers/{dossier}/print").get_data(as_text=True)
    svg = html[html.index('<svg class="print-page"') :]
    assert '<tspan font-weight="bold">R2 (confirmed by ada)</tspan>' in svg
    assert '<tspan font-weight="bold">A1 (confirmed by ada)</tspan>' in svg
    assert '<tspan font-weight="bold">A2 (added by ada: paraphrase)</tspan>' in svg
    # The person's link took A2 from the machine's R1: R1 is left out, with no one's name.
    assert '<tspan font-weight="bold">R1 omitted</tspan>' in svg


def test_a_passage_told_twice_prints_each_telling_in_its_own_state(tmp_path: Path) -> None:
    from .test_retell import RECORD, RETOLD

    with web_site("sqlite", tmp_path) as site:
        site.add_user("ada")
        dossier = site.dossier("ada", "The tanner's arrest")
        site.document("ada", dossier, "Town record", "memcon", "\n".join(RECORD) + "\n")
        told = [*RECORD[:4], *RETOLD, *RECORD[4:]]
        site.document("ada", dossier, "Chronicle", "memoir", "\n".join(told) + "\n")
        html = site.call("ada", "GET", f"/dossiers/{dossier}/print").get_data(as_text=True)
    found = re.findall(r'<path class="([a-z-]+)" d="[^"]+"><title>(R\d+ → A\d+)</title>', html)
    lines = {pair: state for state, pair in found}
    # R12-R15 are told early as A5-A8 (moved) and again in place as A16-A19 (in order).
    for k in range(12, 16):
        assert lines[f"R{k} → A{k - 7}"] == "moved"
        assert lines[f"R{k} → A{k + 4}"] == "kept"
