"""Hostile input: files built to take the server's time or memory, bodies of the wrong
type, NUL characters, over-long fields, nested JSON, external entities and XSS payloads.

Two things hold for every case: no request answers 500, and a refused request changes
no row of any table (every table is read before and after). The files are built here,
small on disk: a 0.6 MB Word file that unpacks to 190 MB of XML, a 3 MB PDF of 20,000
pages, two documents of 20,000 lines without a full stop.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from markdown_it import MarkdownIt
from pypdf import PageObject, PdfReader
from sqlalchemy import event, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from benchmarks.bench_hostile import (
    BOMB_BYTES,
    LONG_MARKDOWN,
    WORDY_PARAGRAPH,
    lines_without_full_stops,
    many_pages_pdf,
    word_file,
    zip_bomb,
)
from webapp.ingest import read_upload
from webapp.ingest.docx import _CHUNK, MAX_BLOCK_XML_BYTES, MAX_BLOCKS
from webapp.store.models import Base

from .dbtest import BACKENDS
from .webdb import WebSite, web_site

ROOT = Path(__file__).resolve().parent.parent
RECORD = "The minister came at noon. He spoke of the treaty. Nobody else was there.\n"
ACCOUNT = "At noon the minister arrived. The treaty was his subject. We ate fish.\n"
DOSSIER = "talks"
#: Columns that change on every authenticated request (a token's last use), not data.
VOLATILE = {"last_used_at"}


# --------------------------------------------------------------------------- the site


def _site(site: WebSite) -> WebSite:
    site.add_user("olga")
    site.add_user("ada", "admin")
    site.dossier("olga", "Talks")
    site.document("olga", DOSSIER, "Record", "memcon", RECORD)
    site.document("olga", DOSSIER, "Memoir", "memoir", ACCOUNT)
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebSite]:
    """Olga (annotator) and Ada (admin); Olga's dossier of a record and an account."""
    with web_site("sqlite", tmp_path_factory.mktemp("hostile")) as built:
        yield _site(built)


def rows(site: WebSite) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (less the volatile columns), to compare before and after."""
    with site.app.extensions["memcon.db"].session() as session:
        return {
            table.name: sorted(
                (
                    tuple(row)
                    for row in session.execute(
                        select(*(c for c in table.columns if c.name not in VOLATILE))
                    )
                ),
                key=repr,
            )
            for table in Base.metadata.sorted_tables
        }


def refused(site: WebSite, send: Callable[[], TestResponse], status: int, *words: str) -> str:
    """Send a request that must be refused with ``status``, naming ``words``, changing
    nothing; return its message."""
    before = rows(site)
    response = send()
    message = _message(response)
    assert response.status_code == status, (response.status_code, message[:300])
    for word in words:
        assert word in message, (word, message[:300])
    assert rows(site) == before, "a refused request changed the database"
    return message


def _message(response: TestResponse) -> str:
    if response.is_json:
        return str(response.get_json().get("error", ""))
    return response.get_data(as_text=True)


def multipart(name: str, data: bytes, **fields: str) -> dict[str, Any]:
    """A multipart body built in memory (the test client would spool a large one to a
    temporary file it never closes)."""
    values = {"file": FileStorage(io.BytesIO(data), filename=name), **fields}
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload_api(site: WebSite, name: str, data: bytes) -> Callable[[], TestResponse]:
    body = multipart(name, data, title="Upload", kind="memoir")
    return lambda: site.call("olga", "POST", f"/api/dossiers/{DOSSIER}/documents", **body)


def upload_form(site: WebSite, name: str, data: bytes) -> Callable[[], TestResponse]:
    body = multipart(name, data, title="Upload", kind="memoir", action="save")
    url = f"/dossiers/{DOSSIER}/documents/new"
    return lambda: site.client("olga").post(url, **body)


# --------------------------------------------------------------------------- work spies
# "Refused quickly" is asserted as work bounded (bytes unpacked, pages touched, no parse,
# no comparison), never in seconds: a slow machine is no regression, and unbounded work
# fails whatever the machine. benchmarks/bench_hostile.py prints the seconds.


@pytest.fixture
def unpacked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the reads from a Word file's main part (``word/document.xml``), however
    it is read (a stream, ``ZipFile.read``, lxml on the file object)."""
    reads: list[int] = []
    real = zipfile.ZipExtFile.read

    def counting(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        data = real(self, n)
        if self.name == "word/document.xml":
            reads.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return reads


@pytest.fixture
def pages_touched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """ "tree" each time a PDF's page tree is walked, "text" for each page's text read."""
    touched: list[str] = []
    tree = PdfReader.pages.fget
    assert tree is not None
    text = PageObject.extract_text

    def walking(self: PdfReader) -> Any:
        touched.append("tree")
        return tree(self)

    def reading(self: PageObject, *args: Any, **kwargs: Any) -> str:
        touched.append("text")
        return text(self, *args, **kwargs)

    monkeypatch.setattr(PdfReader, "pages", property(walking))
    monkeypatch.setattr(PageObject, "extract_text", reading)
    return touched


# --------------------------------------------------------------------------- files


def test_a_word_zip_bomb_is_refused_at_the_text_limit_quickly(
    site: WebSite, unpacked: list[int]
) -> None:
    bomb = zip_bomb(BOMB_BYTES, WORDY_PARAGRAPH)
    assert len(bomb) < 1024 * 1024  # under the upload limit: only what comes out is large
    limits = site.app.extensions["memcon.limits"]
    # The XML that holds the allowed text, and a chunk or two the parser reads ahead.
    xml_per_char = len(WORDY_PARAGRAPH) / len(b"word " * 200)
    bound = limits.max_chars * xml_per_char + 2 * _CHUNK
    for send in (upload_api(site, "bomb.docx", bomb), upload_form(site, "bomb.docx", bomb)):
        unpacked.clear()
        refused(site, send, 413, "MEMCON_MAX_TEXT_CHARS")
        assert 0 < sum(unpacked) <= bound < BOMB_BYTES / 4, (sum(unpacked), bound)


TWO_LETTERS = b"<w:p><w:r><w:t>ab</w:t></w:r></w:p>"


@pytest.mark.parametrize(
    ("paragraph", "limit", "bound"),
    [
        # millions of empty paragraphs: refused after MAX_BLOCKS of them
        (b"<w:p/>", "paragraphs and tables", (MAX_BLOCKS + 1) * len(b"<w:p/>")),
        # millions of elements outside any paragraph: refused after one block's XML
        (b"<w:r/>", "MB of XML", MAX_BLOCK_XML_BYTES),
        (TWO_LETTERS, "paragraphs and tables", (MAX_BLOCKS + 1) * len(TWO_LETTERS)),
    ],
)
def test_a_word_file_of_millions_of_tiny_elements_is_refused_quickly(
    site: WebSite, unpacked: list[int], paragraph: bytes, limit: str, bound: int
) -> None:
    bomb = zip_bomb(BOMB_BYTES, paragraph)
    unpacked.clear()  # what building it read
    refused(site, upload_api(site, "tiny.docx", bomb), 413, limit)
    assert 0 < sum(unpacked) <= bound + 2 * _CHUNK < BOMB_BYTES / 4, sum(unpacked)


@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">\n',
        b'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
        b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n',
    ],
    ids=["external-dtd", "external-entity", "entity-expansion"],
)
def test_a_word_file_with_a_doctype_is_refused(site: WebSite, prolog: bytes) -> None:
    def body(stream: Any) -> None:
        stream.write(b"<w:p><w:r><w:t>The minister spoke.</w:t></w:r></w:p>")

    data = word_file(body, prolog)
    refused(site, upload_api(site, "entity.docx", data), 422, "DOCTYPE")


def test_a_pdf_of_20000_pages_is_refused_before_reading_its_pages(
    site: WebSite, pages_touched: list[str]
) -> None:
    pdf = many_pages_pdf(20_000)
    assert len(pdf) < 4 * 1024 * 1024
    refused(site, upload_api(site, "long.pdf", pdf), 413, "20,000 pages", "MEMCON_MAX_PDF_PAGES")
    assert pages_touched == []  # the declared count refused it: no page tree walked, no text


def test_a_pdf_under_the_page_limit_is_still_read(site: WebSite, pages_touched: list[str]) -> None:
    response = upload_api(site, "short.pdf", many_pages_pdf(3))()
    assert response.status_code == 201, _message(response)
    assert pages_touched.count("text") == 3  # each page's text read once (the spy sees it)
    slug = response.get_json()["id"]
    text = site.call("olga", "GET", f"/api/dossiers/{DOSSIER}/documents/{slug}").get_json()
    assert text["text"].count("The minister spoke.") == 3
    assert (
        site.call("olga", "DELETE", f"/api/dossiers/{DOSSIER}/documents/{slug}").status_code == 204
    )


def _docx_of(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SIXTY = "The minister came at noon and spoke of the treaty at length. " * 2  # 122


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("memoir.txt", SIXTY.encode()),
        ("memoir.md", f"# Chapter\n\n{SIXTY}".encode()),
        ("memoir.xml", f"<TEI><text><body><p>{SIXTY}</p></body></text></TEI>".encode()),
        ("memoir.docx", _docx_of(SIXTY)),
        ("memoir.pdf", many_pages_pdf(6)),  # 6 x 19 characters and the blank lines
    ],
)
def test_every_reader_stops_at_the_configured_text_limit(
    tmp_path: Path, name: str, data: bytes
) -> None:
    with web_site("sqlite", tmp_path, MAX_TEXT_CHARS=100) as built:
        site = _site(built)
        refused(site, upload_api(site, name, data), 413, "100 characters", "MAX_TEXT_CHARS")
        shorter = upload_api(site, "short.txt", b"The minister came.")()
        assert shorter.status_code == 201, _message(shorter)


def test_a_long_markdown_file_is_refused_before_it_is_parsed(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inline markup costs its parser microseconds a character: 5 MB would take 20 s."""
    parsed: list[int] = []
    real = MarkdownIt.parse

    def parse(self: MarkdownIt, source: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(source))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(MarkdownIt, "parse", parse)
    refused(site, upload_api(site, "book.md", LONG_MARKDOWN.encode()), 413, "Markdown", ".txt")
    assert parsed == []  # refused on its length, before the parser saw it
    read_upload("short.md", b"# A\n\nThe *minister* came.", site.app.extensions["memcon.limits"])
    assert len(parsed) == 1  # ... which the spy does see


def test_a_pasted_text_with_a_nul_is_refused(site: WebSite) -> None:
    form = {"title": "T", "kind": "memoir", "text": "The minister\x00 spoke."}
    url = f"/api/dossiers/{DOSSIER}/documents"
    refused(site, lambda: site.call("olga", "POST", url, data=form), 400, "NUL")
    form = {**form, "action": "save"}
    url = f"/dossiers/{DOSSIER}/documents/new"
    refused(site, lambda: site.client("olga").post(url, data=form), 400, "NUL")


# --------------------------------------------------------------------------- cost


def _lines_dossier(site: WebSite, lines: int) -> None:
    """Olga's dossier ``lines``: a record and a memoir of lines without full stops."""
    site.add_user("olga")
    site.dossier("olga", "Lines")
    site.document("olga", "lines", "Record", "memcon", lines_without_full_stops(lines, 1))
    site.document("olga", "lines", "Memoir", "memoir", lines_without_full_stops(lines, 2))


def test_a_dossier_of_20000_lines_without_full_stops_goes_to_the_background(
    tmp_path: Path, segmented: list[str]
) -> None:
    with web_site("sqlite", tmp_path) as site:
        _lines_dossier(site, 20_000)
        segmented.clear()
        page = site.call("olga", "GET", "/dossiers/lines")
        api = site.call("olga", "GET", "/api/dossiers/lines/comparison")
        assert page.status_code == 200 and "waiting for a worker" in page.get_data(as_text=True)
        assert api.status_code == 202 and api.get_json()["status"] == "queued"
        assert segmented == []  # no comparison began in either request: the estimate decided


def test_short_texts_without_full_stops_go_to_the_background_too(
    tmp_path: Path, segmented: list[str]
) -> None:
    """Under the character limit, but lines that the segmenter joins into huge sentences."""
    with web_site("sqlite", tmp_path) as site:
        _lines_dossier(site, 700)
        segmented.clear()
        api = site.call("olga", "GET", "/api/dossiers/lines/comparison")
        assert api.status_code == 202, api.get_json()
        assert segmented == []
        site.dossier("olga", "Short")  # ... and the spy sees a comparison when one runs
        site.document("olga", "short", "Record", "memcon", RECORD)
        site.document("olga", "short", "Memoir", "memoir", ACCOUNT)
        assert site.call("olga", "GET", "/api/dossiers/short/comparison").status_code == 200
        assert sorted(segmented) == ["memoir", "record"]


def test_listings_never_read_document_texts(site: WebSite) -> None:
    """The library, the API's list and a dossier's page read details, not texts."""
    client = site.client("olga")
    for url in ("/", "/api/dossiers", f"/dossiers/{DOSSIER}", f"/api/dossiers/{DOSSIER}"):
        assert client.get(url).status_code == 200  # the comparison is computed once here
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = site.app.extensions["memcon.db"].engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for url in ("/", "/api/dossiers", f"/dossiers/{DOSSIER}", f"/api/dossiers/{DOSSIER}"):
            statements.clear()
            assert client.get(url).status_code == 200
            assert statements, url
            reads = [s for s in statements if "documents.text" in s]
            assert not reads, (url, reads[0][:200] if reads else "")
    finally:
        event.remove(engine, "before_cursor_execute", seen)


# --------------------------------------------------------------------------- bodies

NESTED = "[" * 100_000


def _json_routes(site: WebSite) -> list[tuple[str, str]]:
    with site.app.extensions["memcon.db"].session() as session:
        from webapp.store.models import LinkDecision

        link = session.scalar(select(LinkDecision.id)) or 1
    base = f"/api/dossiers/{DOSSIER}"
    return [
        ("POST", "/api/dossiers"),
        ("POST", f"{base}/members"),
        ("PUT", f"{base}/settings"),
        ("PATCH", f"{base}/documents/record"),
        ("POST", f"{base}/links"),
        ("PATCH", f"{base}/links/{link}"),
        ("POST", f"{base}/marks"),
        ("PUT", f"{base}/notes"),
        ("POST", f"{base}/documents/record/boundaries"),
        ("POST", f"{base}/import"),
    ]


@pytest.mark.parametrize("body", [NESTED, '{"title": ' * 50_000, "{not json", "\xff\xfe"])
def test_malformed_or_deeply_nested_json_is_400_on_every_route(site: WebSite, body: str) -> None:
    for method, url in _json_routes(site):
        refused(
            site,
            lambda method=method, url=url: site.call(
                "ada",
                method,
                url,
                data=body.encode("utf-8", "surrogatepass"),
                content_type="application/json",
            ),
            400,
        )


LINK = {"account": "memoir", "source": [1], "witness": [1]}


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "documents/memoir", {"version": 1.5, "date": "1999"}, "version"),
        ("PATCH", "documents/memoir", {"version": True, "date": "1999"}, "version"),
        ("PATCH", "documents/memoir", {"version": "1", "date": "1999"}, "version"),
        ("PATCH", "documents/memoir", {"version": 1, "title": {"a": 1}}, "title"),
        ("POST", "links", {**LINK, "source": [1.9]}, "source"),
        ("POST", "links", {**LINK, "witness": [True]}, "witness"),
        ("POST", "links", {**LINK, "note": {"text": "x"}}, "note"),
        ("POST", "marks", {"account": "memoir", "side": "record", "index": 1.0}, "index"),
        ("POST", "marks", {"account": "memoir", "side": "record", "index": 1, "note": 5}, "note"),
        ("PUT", "notes", {"notes": "x", "version": 1.5}, "version"),
        ("PUT", "notes", {"notes": ["x"], "version": 1}, "notes"),
        ("PUT", "settings", {"semantic": 1}, "semantic"),
        ("POST", "members", {"name": ["ada"]}, "name"),
        ("POST", "documents/memoir/boundaries", {"action": "join", "index": 2.5}, "index"),
    ],
)
def test_wrong_json_types_are_400_naming_the_field(
    site: WebSite, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    url = f"/api/dossiers/{DOSSIER}/{path}"
    message = refused(site, lambda: site.call("olga", method, url, json=body), 400, field)
    assert message.startswith(f"{field}")


def test_an_object_description_is_refused_not_stored_as_its_repr(site: WebSite) -> None:
    body = {"title": "Malta", "description": {"a": 1}}
    refused(site, lambda: site.call("olga", "POST", "/api/dossiers", json=body), 400, "description")


@pytest.mark.parametrize(
    ("field", "size"), [("description", 4 * 1024 * 1024 - 100), ("title", 100_000)]
)
def test_over_long_dossier_fields_are_refused(site: WebSite, field: str, size: int) -> None:
    body = {"title": "Malta", field: "x" * size}
    refused(site, lambda: site.call("olga", "POST", "/api/dossiers", json=body), 400, field)
    refused(site, lambda: site.client("olga").post("/dossiers/new", data=body), 400, field)


def test_an_over_long_provenance_is_refused(site: WebSite) -> None:
    form = {"title": "T", "kind": "memoir", "text": ACCOUNT, "provenance": "p" * 1_000_000}
    url = f"/api/dossiers/{DOSSIER}/documents"
    refused(site, lambda: site.call("olga", "POST", url, data=form), 400, "provenance")


@pytest.mark.parametrize(
    ("method", "path", "send"),
    [
        ("POST", "/api/dossiers", {"json": {"title": "Mal\x00ta"}}),
        (
            "PATCH",
            f"/api/dossiers/{DOSSIER}/documents/memoir",
            {"json": {"version": 1, "text": "A\x00B."}},
        ),
        ("POST", f"/api/dossiers/{DOSSIER}/links", {"json": {**LINK, "note": "x\x00"}}),
        ("POST", "/dossiers/new", {"data": {"title": "Mal\x00ta"}}),
        ("POST", f"/dossiers/{DOSSIER}/rename", {"data": {"title": "Mal\x00ta"}}),
        ("POST", f"/dossiers/{DOSSIER}/notes", {"data": {"notes": "\x00", "version": "1"}}),
        ("GET", f"/api/dossiers/{DOSSIER}/history?target=li\x00nk", {}),
        ("GET", "/api/dossiers/tal\x00ks", {}),
    ],
    ids=["api-title", "api-text", "api-note", "form-title", "rename", "notes", "query", "path"],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_nul_characters_are_refused_at_the_door(
    backend: str, tmp_path: Path, method: str, path: str, send: dict[str, Any]
) -> None:
    """PostgreSQL cannot store (or even compare with) NUL: refused before any query."""
    with web_site(backend, tmp_path) as built:
        site = _site(built)
        if "data" in send:
            call = lambda: site.client("olga").open(path, method=method, **send)  # noqa: E731
        else:
            call = lambda: site.call("olga", method, path, **send)  # noqa: E731
        refused(site, call, 400, "NUL")


# --------------------------------------------------------------------------- transport


def test_the_session_cookie_is_samesite_lax(site: WebSite) -> None:
    cookie = _login_cookie(site.app.test_client())
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie


@pytest.mark.parametrize(
    ("config", "headers"),
    [({"SECURE_COOKIES": "1"}, {}), ({"BEHIND_PROXY": "1"}, {"X-Forwarded-Proto": "https"})],
)
def test_the_session_cookie_is_secure_when_configured_or_behind_a_tls_proxy(
    tmp_path: Path, config: dict[str, str], headers: dict[str, str]
) -> None:
    with web_site("sqlite", tmp_path, **config) as built:
        site = _site(built)
        cookie = _login_cookie(site.app.test_client(), headers)
        assert "Secure" in cookie and "SameSite=Lax" in cookie
        if config.get("BEHIND_PROXY"):  # the proxy's scheme is trusted for the links made
            url = f"/api/dossiers/{DOSSIER}/export?format=json"
            export = site.client("olga").get(url, headers=headers).get_data(as_text=True)
            assert f'"https://localhost/dossiers/{DOSSIER}"' in export


def test_forwarded_headers_are_not_trusted_without_the_setting(site: WebSite) -> None:
    url = f"/api/dossiers/{DOSSIER}/export?format=json"
    export = site.client("olga").get(url, headers={"X-Forwarded-Proto": "https"})
    assert f'"http://localhost/dossiers/{DOSSIER}"' in export.get_data(as_text=True)


def _login_cookie(client: Any, headers: dict[str, str] | None = None) -> str:
    response = client.post(
        "/login", data={"name": "olga", "password": "correct horse"}, headers=headers or {}
    )
    assert response.status_code in (302, 303), response.status_code
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_the_csv_export_names_its_charset_once(site: WebSite) -> None:
    response = site.client("olga").get(f"/dossiers/{DOSSIER}/export?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


# --------------------------------------------------------------------------- XSS


def _xss_payloads() -> list[str]:
    for folder in (ROOT.parent / "shared", Path("/work/shared"), None):
        path = (
            folder / "testdata" / "xss" / "xss-payload-list.txt"
            if folder
            else Path(__file__).parent / "data" / "xss" / "xss-payload-list.txt"
        )
        if path.exists():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            return [line for line in lines if line.strip()]
    raise AssertionError("no XSS payload list (shared/testdata/xss or tests/data/xss)")


def test_a_sample_of_xss_payloads_is_stored_and_shown_escaped(tmp_path: Path) -> None:
    payloads = _xss_payloads()
    sample = [p for p in payloads[:: len(payloads) // 40] if "<" in p][:30]
    assert len(sample) >= 20
    with web_site("sqlite", tmp_path) as site:
        site.add_user("olga")
        for number, payload in enumerate(sample):
            title = f"{payload[:200]} {number}"
            created = site.call(
                "olga", "POST", "/api/dossiers", json={"title": title, "description": payload}
            )
            assert created.status_code == 201, _message(created)
            slug = created.get_json()["id"]
            for kind, text in (("memcon", RECORD), ("memoir", f"He said {payload} at noon.\n")):
                form = {"title": payload[:300], "kind": kind, "text": text, "provenance": payload}
                added = site.call("olga", "POST", f"/api/dossiers/{slug}/documents", data=form)
                assert added.status_code == 201, _message(added)
            note = site.call(
                "olga", "PUT", f"/api/dossiers/{slug}/notes", json={"notes": payload, "version": 1}
            )
            assert note.status_code < 500
            for url in (f"/dossiers/{slug}", f"/dossiers/{slug}/compare", "/"):
                page = site.client("olga").get(url)
                assert page.status_code == 200, url
                body = page.get_data(as_text=True)
                assert payload not in body, (url, payload)  # shown escaped, never as markup
                assert "script-src 'self'" in page.headers["Content-Security-Policy"]
