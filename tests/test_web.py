"""The reading room through Flask's test client: every page and API route."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.library import Library, stored_dossier

from .conftest import TEST_CONFIG

CHRISTOPHER = "zavidovo-1993-christopher"
COMPARE = f"/dossiers/zavidovo-1993/compare?account={CHRISTOPHER}"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(TEST_CONFIG)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Tags(HTMLParser):
    """Collect every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def assert_no_active_content(html: str) -> None:
    """Only our own scripts; no event handlers, javascript: URLs or inline styles."""
    for tag, attrs in tags(html):
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value
        assert tag not in {"iframe", "object", "embed", "base", "meta"} or (
            tag == "meta" and set(attrs) <= {"charset", "name", "content"}
        ), tag


def text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


# ---- pages ----------------------------------------------------------------------


def test_library_lists_dossiers_with_provenance_and_coverage(client: FlaskClient) -> None:
    page = text(client, "/")
    for title in ("Christopher and Yeltsin at Zavidovo", "lunch", "January 1994"):
        assert title.lower() in page.lower()
    assert "reconstruction" in page
    assert 'href="/dossiers/zavidovo-1993"' in page
    # Christopher's account uses 3 of 23 record sentences.
    assert re.search(r"In the Stream of History.*?13%", page, re.S)
    assert page.count('class="mark mark-') >= 23 * 3
    assert_no_active_content(page)


def test_dossier_overview_counts_and_strip(client: FlaskClient) -> None:
    page = text(client, "/dossiers/zavidovo-1993")
    assert "The memcon text here is a reconstruction" in page
    row = page[page.index(f'id="{CHRISTOPHER}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r"<strong>3</strong> links", row)
    assert re.search(r"<strong>1</strong> moved", row)
    assert re.search(r"<strong>20</strong> omitted", row)
    assert re.search(r"<strong>2</strong> quotations not verbatim in the record", row)
    assert row.count("mark mark-moved") == 1
    assert row.count("mark mark-omitted") == 20
    assert 'id="r19"' in page and "longer term eventuality" in page
    assert_no_active_content(page)


def test_compare_view_marks_the_moved_caveat(client: FlaskClient) -> None:
    page = text(client, COMPARE)
    assert '<svg class="connectors"' in page
    link = re.search(
        r'<li id="zavidovo-1993-christopher-link-(\d+)" class="link moved"[^>]*>', page
    )
    assert link is not None
    assert 'data-source="18"' in link.group(0) and 'data-witness="1"' in link.group(0)
    # The link's detail is not inline (page weight): the server renders it for a reader
    # without scripts (?panel=&link=) and as a fragment for compare.js (?fragment=&link=).
    number = link.group(1)
    item = page[link.end() : page.index("</li>", link.end())]
    assert "<del>" not in item and f'name="link" value="{number}"' in item
    shown = text(client, f"{COMPARE}&panel={CHRISTOPHER}&link={number}")
    box = shown[shown.index(f'id="{CHRISTOPHER}-selected"') :]
    detail = box[: box.index("<h3>Links")]
    fragment = text(client, f"{COMPARE}&fragment={CHRISTOPHER}&link={number}")
    for part in (detail, fragment):
        assert "<del>" in part and "<ins>" in part and "long-term and evolutionary" in part
        assert "not found in the record" in part
    assert "<html" not in fragment and 'class="link-detail"' in fragment
    panel = text(client, f"{COMPARE}&fragment={CHRISTOPHER}")
    assert panel.lstrip().startswith('<section class="panel" id="zavidovo-1993-christopher"')
    text(client, f"{COMPARE}&fragment={CHRISTOPHER}&link=99", 404)
    text(client, f"{COMPARE}&fragment=nobody", 404)
    # Server-side lists: useful without JavaScript.
    assert "Moved (1)" in page and "Omitted from the record (20)" in page
    assert "Added by the account (0)" in page
    assert 'class="rung moved"' in page  # the sequence chart shows the move
    assert f'id="{CHRISTOPHER}-r19"' in page and f'id="{CHRISTOPHER}-a2"' in page
    assert page.count('<section class="panel"') == 1
    assert 'id="zavidovo-1993-talbott"' not in page
    assert_no_active_content(page)


def test_compare_view_shows_all_accounts_by_default(client: FlaskClient) -> None:
    page = text(client, "/dossiers/zavidovo-1993/compare")
    assert page.count('<section class="panel"') == 3


def test_phrase_order_box_answers_per_account(client: FlaskClient) -> None:
    page = text(
        client,
        "/dossiers/zavidovo-1993/compare?a=longer+term+eventuality&b=great+idea",
    )
    verdicts = re.findall(r'class="verdict verdict-(\w+)"><strong>([^<:]+):', page)
    got = {name.strip(): verdict for verdict, name in verdicts}
    assert got["In the Stream of History (as reported by Goldgeier)"] == "inverted"
    assert got["The Russia Hand (as reported by Goldgeier)"] == "missing"
    assert f'href="#{CHRISTOPHER}-a2"' in page


def test_phrase_order_box_explains_a_phrase_not_in_the_record(client: FlaskClient) -> None:
    page = text(client, f"{COMPARE}&a=cold+peace&b=great+idea")
    assert "does not occur in the record" in page
    one = text(client, f"{COMPARE}&a=great+idea")
    assert "Type two phrases" in one


def test_another_reference_and_unknown_ones(client: FlaskClient) -> None:
    page = text(client, "/dossiers/lunch-1994/compare?reference=lunch-1994-spiegel")
    record = page[page.index('class="sentences record"') :]
    assert "forearm" in record[: record.index("</ol>")]
    text(client, "/dossiers/lunch-1994/compare?reference=nothing", 404)
    text(client, "/dossiers/zavidovo-1993/compare?account=nobody", 404)


def test_unknown_dossier_is_a_404_page(client: FlaskClient) -> None:
    page = text(client, "/dossiers/atlantis-1900", 404)
    assert "no dossier" in page
    text(client, "/dossiers/atlantis-1900/compare", 404)


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    for url in ("/", "/dossiers/zavidovo-1993", COMPARE, "/api/dossiers"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_files_are_served_locally(client: FlaskClient) -> None:
    page = text(client, COMPARE)
    for tag, attrs in tags(page):
        url = attrs.get("src") or (attrs.get("href") if tag == "link" else None)
        if url:
            assert url.startswith("/static/"), url
            response = client.get(url)
            assert response.status_code == 200
            response.close()


# ---- API ------------------------------------------------------------------------


def test_api_lists_dossiers(client: FlaskClient) -> None:
    data = client.get("/api/dossiers").get_json()
    assert {"zavidovo-1993", "lunch-1994", "whether-when-1994"} <= {d["id"] for d in data}
    assert all(d["title"] for d in data)


def test_api_comparison_is_the_engine_schema(client: FlaskClient) -> None:
    data = client.get("/api/dossiers/zavidovo-1993/comparison").get_json()
    assert data["schema"] == 2
    assert len(data["source"]["sentences"]) == 23
    witness = next(w for w in data["witnesses"] if w["id"] == CHRISTOPHER)
    caveat = next(k for k in witness["links"] if k["witness"] == [1])
    assert caveat["source"] == [18] and caveat["moved"] is True


def test_api_order(client: FlaskClient) -> None:
    response = client.get(
        "/api/dossiers/zavidovo-1993/order?a=longer term eventuality&b=great idea"
    )
    data = response.get_json()
    verdicts = {a["id"]: a["verdict"] for a in data["accounts"]}
    assert verdicts[CHRISTOPHER] == "inverted"
    assert verdicts["zavidovo-1993-talbott"] == "missing"


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/dossiers/atlantis/comparison", 404, "no dossier 'atlantis'"),
        ("/api/dossiers/atlantis/order?a=x&b=y", 404, "no dossier"),
        ("/api/dossiers/zavidovo-1993/order?a=great+idea", 400, "two phrases"),
        ("/api/dossiers/zavidovo-1993/order?a=great+idea&b=cold+peace", 422, "does not occur"),
        ("/api/dossiers/zavidovo-1993/comparison?reference=nothing", 404, "no document"),
        ("/api/nothing-here", 404, "not found on the server"),
    ],
)
def test_api_errors_are_json(client: FlaskClient, url: str, status: int, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    assert words in response.get_json()["error"]


# ---- escaping -------------------------------------------------------------------

XSS = Path(__file__).parent / "data" / "xss" / "xss-payload-list.txt"


def _payloads() -> list[str]:
    return [p for p in XSS.read_text(encoding="utf-8").splitlines() if p.strip()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """A dossier whose texts, titles and notes are made of XSS payloads."""
    payloads = _payloads()
    folder = tmp_path_factory.mktemp("corpora") / "hostile"
    folder.mkdir()
    record = "\n\n".join(f"Sentence {k} says {p}" for k, p in enumerate(payloads))
    (folder / "record.txt").write_text(record + "\n", encoding="utf-8")
    account = "\n\n".join(f"Sentence {k} says {p}" for k, p in enumerate(payloads[:300][::-1]))
    (folder / "account.txt").write_text(
        account + '\nHe wrote <script>alert("x")</script> and “<img src=x onerror=alert(1)>”.\n',
        encoding="utf-8",
    )
    meta = {
        "id": "hostile",
        "title": payloads[0] + " <script>alert('title')</script>",
        "date": "2000-01-01",
        "description": payloads[1],
        "note": payloads[2],
        "record": "record.txt",
        "phrases": [[payloads[10][:40], payloads[20][:40]]],
        "documents": [
            {
                "file": "record.txt",
                "title": payloads[3],
                "kind": "memcon",
                "provenance": payloads[4],
                "author": payloads[5],
                "date": "2000",
            },
            {
                "file": "account.txt",
                "title": payloads[6],
                "kind": "memoir",
                "provenance": payloads[7],
                "author": payloads[8],
                "date": "2001",
            },
        ],
    }
    (folder / "dossier.json").write_text(json.dumps(meta), encoding="utf-8")
    # 460,000 characters, 7,000 sentences: compared in the request here (the escaping is
    # what is tested, not the background).
    big = {"BACKGROUND_CHARS": 10_000_000, "BACKGROUND_SENTENCES": 100_000}
    big["BACKGROUND_SECONDS"] = 10**6
    app = create_app({**TEST_CONFIG, "CORPORA_DIR": str(folder.parent), **big})
    yield app.test_client()


def test_payloads_in_texts_titles_and_notes_come_back_escaped(hostile: FlaskClient) -> None:
    pages = [
        text(hostile, "/"),
        text(hostile, "/dossiers/hostile"),
        text(hostile, "/dossiers/hostile/compare"),
        text(hostile, "/dossiers/hostile/compare?a=%3Cscript%3E&b=%3Cimg+src%3Dx%3E"),
        text(hostile, "/dossiers/hostile/compare?fragment=account"),
        text(hostile, "/dossiers/hostile/compare?fragment=account&link=1"),
        text(hostile, "/dossiers/hostile/compare?panel=account&link=2"),
    ]
    for page in pages:
        assert_no_active_content(page)
        assert "<script>alert" not in page
    compare_page = pages[2]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in compare_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in compare_page
    api = hostile.get("/api/dossiers/hostile/comparison")
    assert api.is_json and api.headers["Content-Type"].startswith("application/json")


def test_comparison_is_cached_and_recomputed_when_a_document_changes(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "r.txt").write_text("Alpha met Beta in Vienna. They agreed.\n", encoding="utf-8")
    (folder / "a.txt").write_text("They agreed. Alpha met Beta in Vienna.\n", encoding="utf-8")
    meta = {
        "id": "d",
        "title": "D",
        "date": "2000",
        "record": "r.txt",
        "documents": [
            {"file": "r.txt", "title": "R", "kind": "memcon", "provenance": "test"},
            {"file": "a.txt", "title": "A", "kind": "memoir", "provenance": "test"},
        ],
    }
    (folder / "dossier.json").write_text(json.dumps(meta), encoding="utf-8")
    app = create_app({**TEST_CONFIG, "CORPORA_DIR": str(tmp_path)})
    library = app.extensions["memcon.library"]
    first = library.comparison("d", None)
    # The machine's comparison is cached between requests (people's decisions apply on top).
    assert library.comparison("d", None).machine is first.machine
    assert any(link.moved for link in first.accounts[0].result.links)
    with app.extensions["memcon.db"].session() as session:
        dossier = stored_dossier(session, "d")
        assert dossier is not None
        dossier.documents[1].text = "Alpha met Beta in Vienna. They agreed.\n"
    second = library.comparison("d", None)
    assert second.machine is not first.machine
    assert second.accounts[0].meta.version == 2
    assert not any(link.moved for link in second.accounts[0].result.links)
    # A new app on the same database finds the stored result without recomputing.
    again = Library(app.extensions["memcon.db"]).comparison("d", None)
    assert again.comparison == second.comparison
