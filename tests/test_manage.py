"""Dossiers of your own: create, share, upload, edit and delete, in pages and through the API.

Every refusal is checked twice: the answer (status and reason) and the database, which
must be exactly as it was before the refused request.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Any

import docx
import pytest
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp import create_app
from webapp.store import ComparisonCache, Document, Dossier, Member, User

from .conftest import TEST_CONFIG, Site, add_people, site_app
from .test_ingest import encrypt_pdf, make_pdf

PRIVATE = "private-talks"
RECORD_TEXT = (
    "The President opened the meeting at ten. He said the alliance would stay open to new "
    "members. The Foreign Minister asked about the timing of any enlargement. The President "
    "answered that the decision was a long-term matter. He then praised the idea as a "
    "great idea for Europe. The meeting ended at noon.\n"
)
ACCOUNT_TEXT = (
    "The President praised the idea as a great idea for Europe. Earlier he had said that "
    "the alliance would stay open to new members. The Foreign Minister asked about timing. "
    "Nobody mentioned the weather.\n"
)
#: Who may do what with a private dossier, by the person asking.
PEOPLE = ("anonymous", "link", "rob", "rita", "nick", "mia", "olga", "ada")
READERS = {"rita", "mia", "olga", "ada"}  # members, the owner and an admin
EDITORS = {"mia", "olga", "ada"}  # annotators among them, and the admin
MANAGERS = {"olga", "ada"}  # the owner and the admin


class ManagedSite(Site):
    """The test site with users, their API tokens, and a private dossier of two documents."""

    def snapshot(self) -> dict[str, Any]:
        """Every stored row that a change could touch, to compare before and after."""
        with self.app.extensions["memcon.db"].session() as session:
            return {
                "dossiers": sorted(
                    (d.slug, d.title, d.visibility, d.share_token, d.version, d.owner_id)
                    for d in session.scalars(select(Dossier))
                ),
                "documents": sorted(
                    (
                        d.dossier_id,
                        d.slug,
                        d.title,
                        d.kind,
                        d.author,
                        d.date,
                        d.text,
                        d.version,
                        d.is_record,
                    )
                    for d in session.scalars(select(Document))
                ),
                "members": sorted(
                    (m.dossier_id, m.user_id) for m in session.scalars(select(Member))
                ),
                "users": sorted((u.name, u.role) for u in session.scalars(select(User))),
            }

    def document(self, slug: str, dossier: str = PRIVATE) -> Document:
        with self.app.extensions["memcon.db"].session() as session:
            row = session.scalar(
                select(Document).join(Dossier).where(Dossier.slug == dossier, Document.slug == slug)
            )
            assert row is not None, slug
            session.expunge(row)
            return row


def build_site(url: str = "sqlite://", **config: Any) -> ManagedSite:
    """Make the users and the private dossier through the pages, as people would."""
    app = site_app(url, **config)
    roles = {
        "rob": "reader",
        "rita": "reader",
        "nick": "annotator",
        "mia": "annotator",
        "olga": "annotator",
        "ada": "admin",
    }
    site = ManagedSite(app, add_people(app, roles))
    owner = site.client("olga")
    assert owner.post("/dossiers/new", data={"title": "Private talks"}).status_code == 302
    for name in ("mia", "rita"):
        owner.post(f"/dossiers/{PRIVATE}/members", data={"name": name})
    for title, kind, text in (
        ("The memcon", "memcon", RECORD_TEXT),
        ("The memoir", "memoir", ACCOUNT_TEXT),
    ):
        response = owner.post(
            f"/dossiers/{PRIVATE}/documents/new",
            data={"title": title, "kind": kind, "text": text, "action": "save"},
        )
        assert response.status_code == 302, text_of(response)
    # Shared by link (private to everyone else); the test of "private" switches it back.
    assert (
        owner.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "link"}).status_code
        == 302
    )
    with app.extensions["memcon.db"].session() as session:
        site.share = (
            session.scalar(select(Dossier.share_token).where(Dossier.slug == PRIVATE)) or ""
        )
    return site


def text_of(response: TestResponse) -> str:
    """The page or JSON as a person reads it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def upload(name: str, data: bytes, **fields: str) -> dict[str, Any]:
    return {"file": (io.BytesIO(data), name), "title": "Upload", "kind": "memoir", **fields}


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Creating dossiers and adding documents --------------------------------------------


def test_an_annotator_creates_a_private_dossier_and_adds_a_record_and_an_account(
    site: ManagedSite,
) -> None:
    client = site.client("nick")
    assert "New dossier" in text_of(client.get("/dossiers/new"))
    response = client.post("/dossiers/new", data={"title": "Malta, 1989", "description": "Summit"})
    assert response.status_code == 302 and response.headers["Location"] == "/dossiers/malta-1989"
    page = text_of(client.get("/dossiers/malta-1989"))
    assert "Malta, 1989" in page and "No documents yet" in page and "private" in page

    form = text_of(client.get("/dossiers/malta-1989/documents/new"))
    assert 'name="csrf_token"' not in form or "csrf" in form  # the form renders
    assert (
        client.post(
            "/dossiers/malta-1989/documents/new",
            data=upload("memcon.txt", RECORD_TEXT.encode(), kind="memcon", title="Memcon"),
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/dossiers/malta-1989/documents/new",
            data=upload("memoir.md", ("# Chapter 3\n\n" + ACCOUNT_TEXT).encode(), title="Memoir"),
        ).status_code
        == 302
    )
    page = text_of(client.get("/dossiers/malta-1989"))
    assert re.search(r"Memcon\s*<span class=\"badge\">record</span>", page)
    compare = text_of(client.get("/dossiers/malta-1989/compare"))
    assert "great idea for Europe" in compare and "Nobody mentioned the weather" in compare
    # Only the owner (and members, admins) see it.
    assert site.client("anonymous").get("/dossiers/malta-1989").status_code == 404
    assert site.client("rob").get("/api/dossiers/malta-1989").status_code == 404
    titles = [d["title"] for d in site.client("rob").get("/api/dossiers").get_json()]
    assert "Malta, 1989" not in titles


def test_the_same_title_twice_gets_a_second_address(site: ManagedSite) -> None:
    client = site.client("olga")
    client.post("/dossiers/new", data={"title": "Private talks"})
    assert client.get("/dossiers/private-talks-2").status_code == 200


def test_a_dossier_without_a_title_is_refused(site: ManagedSite) -> None:
    before = site.snapshot()
    response = site.client("olga").post("/dossiers/new", data={"title": "   "})
    assert response.status_code == 400 and "a title is required" in text_of(response)
    assert site.snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "memcon.pdf",
            make_pdf("The President opened the meeting.", "He said no more."),
            "He said no more.",
        ),
        (
            "memcon.docx",
            make_docx("The President opened the meeting.", "Then he left."),
            "Then he left.",
        ),
        (
            "memcon.xml",
            b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>'
            b"<p>The President opened the meeting.</p><p>He left.</p></body></text></TEI>",
            "He left.",
        ),
        ("memcon.txt", "\ufeffThe President opened the meeting.\r\nHe left.".encode(), "He left."),
    ],
)
def test_every_accepted_type_is_read(
    site: ManagedSite, name: str, data: bytes, expected: str
) -> None:
    response = site.client("mia").post(
        f"/dossiers/{PRIVATE}/documents/new", data=upload(name, data)
    )
    assert response.status_code == 302
    stored = site.document(name.rsplit(".", 1)[0])
    assert expected in stored.text and "\r" not in stored.text and stored.kind == "memoir"


def test_uploaded_html_and_script_are_stored_as_given_and_shown_as_text(site: ManagedSite) -> None:
    hostile = (
        '<script>alert("x")</script> The <b>President</b> <img src=x onerror=alert(1)> left.\n'
    )
    client = site.client("mia")
    assert (
        client.post(
            f"/dossiers/{PRIVATE}/documents/new", data=upload("hostile.txt", hostile.encode())
        ).status_code
        == 302
    )
    assert site.document("hostile").text == hostile
    for url in (f"/dossiers/{PRIVATE}", f"/dossiers/{PRIVATE}/compare?account=hostile"):
        page = client.get(url).get_data(as_text=True)
        assert (
            "<script>alert" not in page and "<img src=x" not in page and "<b>President" not in page
        )
    compare = client.get(f"/dossiers/{PRIVATE}/compare?account=hostile").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in compare
    assert "&lt;img src=x onerror=alert(1)&gt;" in compare


def test_scan_clean_up_is_previewed_and_then_saved_as_shown(site: ManagedSite) -> None:
    scan = (
        "SECRET\nMEMORANDUM OF CONVERSATION\nThe President opened the meet-\ning at ten.\n- 1 -\n\f"
        "SECRET\nHe said the alliance would stay open.\n- 2 -\n\f"
        "SECRET\nThe meeting ended at noon.\n- 3 -\n"
    )
    client = site.client("mia")
    preview = client.post(
        f"/dossiers/{PRIVATE}/documents/new",
        data={
            **upload("scan.txt", scan.encode(), kind="memcon"),
            "cleanup": "1",
            "action": "preview",
        },
    )
    page = text_of(preview)
    assert preview.status_code == 200 and "Preview" in page
    assert "joined 1 word hyphenated across a line break" in page
    assert "dropped 3 page-number lines" in page
    assert "The President opened the meeting" in page
    before = site.snapshot()
    assert site.snapshot() == before  # a preview stores nothing
    with site.app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(Document).where(Document.slug == "scan")) is None
    cleaned = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert cleaned
    text = cleaned.group(1).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    saved = client.post(
        f"/dossiers/{PRIVATE}/documents/new",
        data={"title": "Scan", "kind": "memcon", "text": text, "action": "save"},
    )
    assert saved.status_code == 302
    stored = site.document("scan")
    assert "SECRET" not in stored.text and "- 2 -" not in stored.text
    assert "The President opened the meeting\nat ten." in stored.text


# --- Refused uploads: clear reason, right status, nothing stored ------------------------


REFUSED_UPLOADS = [
    ("minutes.doc", b"\xd0\xcf\x11\xe0 old word", 415, "save it as .docx"),
    ("minutes.exe", b"MZ\x90\x00", 415, ".exe files cannot be read"),
    ("minutes", b"text without a name", 415, "has no extension"),
    ("minutes.txt", make_pdf("A PDF in disguise."), 415, "looks like a PDF file"),
    ("minutes.txt", b"\xff\xfe\x00\x00\x81\x82\x83 not utf-8 \xc3\x28", 422, "minutes.txt"),
    ("minutes.txt", b"", 422, "empty"),
    ("minutes.pdf", encrypt_pdf(make_pdf("Secret minutes."), ""), 422, "encrypted"),
    ("minutes.pdf", encrypt_pdf(make_pdf("Secret minutes."), "pw"), 422, "encrypted"),
    ("minutes.pdf", make_pdf(""), 422, "no text layer"),
    ("minutes.pdf", b"%PDF-1.7\n garbage", 422, "not a readable PDF"),
    ("minutes.docx", b"not a zip at all", 415, "not a Word .docx file"),
    ("minutes.xml", b"<html><body>Not TEI</body></html>", 415, "not a TEI document"),
    (
        "minutes.xml",
        b'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]><TEI><text><body><p>&x;</p>'
        b"</body></text></TEI>",
        422,
        "entities",
    ),
    ("minutes.xml", b"<TEI><text><body><p>unclosed</body></text>", 422, "not well-formed"),
]


@pytest.mark.parametrize(("name", "data", "status", "reason"), REFUSED_UPLOADS)
def test_a_refused_upload_says_why_and_changes_nothing(
    site: ManagedSite, name: str, data: bytes, status: int, reason: str
) -> None:
    before = site.snapshot()
    page = site.client("mia").post(f"/dossiers/{PRIVATE}/documents/new", data=upload(name, data))
    assert page.status_code == status and reason in text_of(page)
    assert 'role="alert"' in text_of(page)
    api = site.client().post(
        f"/api/dossiers/{PRIVATE}/documents", data=upload(name, data), headers=site.api("mia")
    )
    assert api.status_code == status and reason in api.get_json()["error"]
    assert site.snapshot() == before


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "novel"}, "unknown kind 'novel'"),
        ({"text": "   "}, "choose a file or paste the text"),
        ({"date": "x" * 41}, "the date has at most 40 characters"),
        ({"author": "x" * 301}, "the author has at most 300 characters"),
        ({"title": "x" * 301}, "a title has at most 300 characters"),
    ],
)
def test_bad_document_details_are_refused(
    site: ManagedSite, fields: dict[str, str], reason: str
) -> None:
    before = site.snapshot()
    data = {"title": "T", "kind": "memoir", "text": "The President left.", **fields}
    page = site.client("mia").post(
        f"/dossiers/{PRIVATE}/documents/new", data={**data, "action": "save"}
    )
    assert page.status_code == 400 and reason in text_of(page)
    api = site.client().post(
        f"/api/dossiers/{PRIVATE}/documents", data=data, headers=site.api("mia")
    )
    assert (
        api.status_code == 400
        and api.get_json()["error"] == reason
        or reason in api.get_json()["error"]
    )
    assert site.snapshot() == before


def test_an_upload_over_the_limit_gets_413_with_the_limit_and_changes_nothing(
    make_site: Callable[..., ManagedSite],
) -> None:
    site = make_site(MAX_UPLOAD_BYTES=64 * 1024)
    before = site.snapshot()
    big = ("The President spoke at length. " * 4000).encode()  # about 120 KB
    page = site.client("mia").post(
        f"/dossiers/{PRIVATE}/documents/new", data=upload("big.txt", big)
    )
    assert page.status_code == 413
    assert "limit of 0.1 MB (65536 bytes)" in text_of(page)
    api = site.client().post(
        f"/api/dossiers/{PRIVATE}/documents", data=upload("big.txt", big), headers=site.api("mia")
    )
    assert api.status_code == 413 and "65536 bytes" in api.get_json()["error"]
    assert site.snapshot() == before
    # Just under the limit is fine.
    small = ("The President spoke at length. " * 1500).encode()
    assert (
        site.client("mia")
        .post(f"/dossiers/{PRIVATE}/documents/new", data=upload("small.txt", small))
        .status_code
        == 302
    )


def test_the_default_upload_limit_is_5_mb() -> None:
    assert create_app(TEST_CONFIG).config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024


def test_a_failure_while_storing_rolls_back_everything(
    site: ManagedSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the database fails after the document row is written, no part of it remains."""
    from webapp.store import dossiers as store_dossiers

    original = store_dossiers.add_document

    def add_then_fail(*args: Any, **kwargs: Any) -> Document:
        original(*args, **kwargs)  # flushed: the row exists inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr("webapp.library.documents.add_document", add_then_fail)
    before = site.snapshot()
    site.app.config["PROPAGATE_EXCEPTIONS"] = False
    response = site.client("mia").post(
        f"/dossiers/{PRIVATE}/documents/new",
        data={"title": "T", "kind": "memoir", "text": "The President left.", "action": "save"},
    )
    assert response.status_code == 500
    assert site.snapshot() == before


# --- Choosing the record, renaming, sharing, members, deleting -------------------------


def test_the_record_is_the_first_memcon_until_one_is_chosen(site: ManagedSite) -> None:
    client = site.client("olga")
    client.post("/dossiers/new", data={"title": "Order test"})
    for title, kind in (
        ("A memoir", "memoir"),
        ("The memcon", "memcon"),
        ("Later memcon", "memcon"),
    ):
        client.post(
            "/dossiers/order-test/documents/new",
            data={"title": title, "kind": kind, "text": RECORD_TEXT, "action": "save"},
        )
    record = lambda: client.get("/api/dossiers/order-test").get_json()["record"]  # noqa: E731
    assert record() == "the-memcon"
    assert (
        client.post("/dossiers/order-test/record", data={"document": "a-memoir"}).status_code == 302
    )
    assert record() == "a-memoir"
    documents = client.get("/api/dossiers/order-test").get_json()["documents"]
    assert [d["record"] for d in documents] == [True, False, False]
    response = client.post("/dossiers/order-test/record", data={"document": "nope"})
    assert response.status_code == 400 and "no document 'nope'" in text_of(response)
    assert record() == "a-memoir"


def test_a_memoir_only_dossier_compares_with_the_first_upload(site: ManagedSite) -> None:
    client = site.client("olga")
    client.post("/dossiers/new", data={"title": "Memoirs only"})
    for title in ("First", "Second"):
        client.post(
            "/dossiers/memoirs-only/documents/new",
            data={"title": title, "kind": "memoir", "text": RECORD_TEXT, "action": "save"},
        )
    assert client.get("/api/dossiers/memoirs-only").get_json()["record"] == "first"


def test_rename_keeps_the_address(site: ManagedSite) -> None:
    client = site.client("olga")
    assert (
        client.post(f"/dossiers/{PRIVATE}/rename", data={"title": "Talks, renamed"}).status_code
        == 302
    )
    page = text_of(client.get(f"/dossiers/{PRIVATE}"))
    assert "The dossier is renamed ‘Talks, renamed’; its address stays the same." in page


def test_visibility_private_link_public(site: ManagedSite) -> None:
    owner = site.client("olga")
    assert site.client("link").get(f"/dossiers/{PRIVATE}").status_code == 200
    assert (
        site.client("anonymous").get(f"/dossiers/{PRIVATE}?share={site.share}").status_code == 200
    )
    assert site.client("anonymous").get(f"/dossiers/{PRIVATE}?share=wrong").status_code == 404
    page = text_of(owner.get(f"/dossiers/{PRIVATE}"))
    assert f"/shared/{site.share}" in page
    # Back to private: the link stops working, even for a session that opened it.
    holder = site.client("link")
    owner.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "private"})
    assert holder.get(f"/dossiers/{PRIVATE}").status_code == 404
    assert site.client().get(f"/shared/{site.share}").status_code == 404
    owner.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "public"})
    assert site.client().get(f"/dossiers/{PRIVATE}").status_code == 200
    assert "Private talks" in text_of(site.client().get("/"))
    response = owner.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "everyone"})
    assert response.status_code == 400 and "unknown visibility" in text_of(response)


def test_members_are_added_by_name(site: ManagedSite) -> None:
    owner = site.client("olga")
    assert site.client("nick").get(f"/dossiers/{PRIVATE}").status_code == 404
    assert owner.post(f"/dossiers/{PRIVATE}/members", data={"name": "nick"}).status_code == 302
    assert site.client("nick").get(f"/dossiers/{PRIVATE}").status_code == 200
    for name, reason in (("nobody", "no user 'nobody'"), ("nick", "has access already")):
        response = owner.post(f"/dossiers/{PRIVATE}/members", data={"name": name})
        assert response.status_code == 400 and reason in text_of(response)


def test_members_are_removed_from_the_dossier_page(site: ManagedSite) -> None:
    owner = site.client("olga")
    page = text_of(owner.get(f"/dossiers/{PRIVATE}"))
    assert 'aria-label="Remove rita from the members"' in page
    assert site.client("rita").get(f"/dossiers/{PRIVATE}").status_code == 200
    before = site.snapshot()
    for name, reason in (
        ("nobody", "no user 'nobody'"),
        ("nick", "'nick' is not a member"),
        ("olga", "'olga' owns the dossier and cannot be removed"),
    ):
        response = owner.post(f"/dossiers/{PRIVATE}/members/remove", data={"name": name})
        assert response.status_code == 400 and reason in text_of(response)
        assert site.snapshot() == before
    response = owner.post(f"/dossiers/{PRIVATE}/members/remove", data={"name": "rita"})
    assert response.status_code == 302
    assert site.client("rita").get(f"/dossiers/{PRIVATE}").status_code == 404
    assert "Private talks" not in text_of(site.client("rita").get("/"))
    assert site.client("mia").get(f"/dossiers/{PRIVATE}").status_code == 200  # the other stays
    after = site.snapshot()
    assert len(after["members"]) == len(before["members"]) - 1
    assert after["documents"] == before["documents"]
    assert 'aria-label="Remove rita' not in text_of(owner.get(f"/dossiers/{PRIVATE}"))


def test_the_api_adds_and_removes_members(site: ManagedSite) -> None:
    client = site.client()
    url = f"/api/dossiers/{PRIVATE}/members"
    before = site.snapshot()
    for body, status, reason in (
        ({"name": "nobody"}, 400, "no user 'nobody'"),
        ({"name": "rita"}, 400, "'rita' has access already"),
        ({"who": "nick"}, 400, 'send JSON like {"name": "olga"}'),
    ):
        response = client.post(url, json=body, headers=site.api("olga"))
        assert response.status_code == status and reason in response.get_json()["error"]
    mia = client.post(url, json={"name": "nick"}, headers=site.api("mia"))  # a member, not owner
    assert mia.status_code == 403 and "owner of the dossier or an admin" in mia.get_json()["error"]
    assert site.snapshot() == before

    added = client.post(url, json={"name": "nick"}, headers=site.api("olga"))
    assert added.status_code == 201 and added.get_json() == {"members": ["mia", "nick", "rita"]}
    dossier = client.get(f"/api/dossiers/{PRIVATE}", headers=site.api("nick")).get_json()
    assert dossier["members"] == ["mia", "nick", "rita"]
    removed = client.delete(f"{url}/rita", headers=site.api("ada"))  # an admin may too
    assert removed.status_code == 204
    assert client.get(f"/api/dossiers/{PRIVATE}", headers=site.api("rita")).status_code == 404
    gone = client.delete(f"{url}/rita", headers=site.api("olga"))
    assert gone.status_code == 400 and "'rita' is not a member" in gone.get_json()["error"]
    owner = client.delete(f"{url}/olga", headers=site.api("olga"))
    assert owner.status_code == 400 and "owns the dossier" in owner.get_json()["error"]


def test_deleting_a_dossier_needs_its_name_typed(site: ManagedSite) -> None:
    owner = site.client("olga")
    before = site.snapshot()
    response = owner.post(f"/dossiers/{PRIVATE}/delete", data={"confirm": "yes"})
    assert response.status_code == 400 and f"type the dossier's name '{PRIVATE}'" in text_of(
        response
    )
    assert site.snapshot() == before
    assert owner.post(f"/dossiers/{PRIVATE}/delete", data={"confirm": PRIVATE}).status_code == 302
    assert owner.get(f"/dossiers/{PRIVATE}").status_code == 404
    after = site.snapshot()
    assert len(after["documents"]) == len(before["documents"]) - 2
    assert len(after["members"]) == len(before["members"]) - 2


def test_the_api_creates_reads_and_deletes_dossiers(site: ManagedSite) -> None:
    client = site.client()
    response = client.post(
        "/api/dossiers", json={"title": "Reykjavik, 1986"}, headers=site.api("nick")
    )
    assert response.status_code == 201 and response.get_json() == {"id": "reykjavik-1986"}
    assert response.headers["Location"].endswith("/api/dossiers/reykjavik-1986")
    added = client.post(
        "/api/dossiers/reykjavik-1986/documents",
        data=upload("memcon.txt", RECORD_TEXT.encode(), kind="memcon", title="Memcon"),
        headers=site.api("nick"),
    )
    assert added.status_code == 201 and added.get_json() == {"id": "memcon", "version": 1}
    client.post(
        "/api/dossiers/reykjavik-1986/documents",
        data={"text": ACCOUNT_TEXT, "title": "Memoir", "kind": "memoir"},
        headers=site.api("nick"),
    )
    dossier = client.get("/api/dossiers/reykjavik-1986", headers=site.api("nick")).get_json()
    assert dossier["title"] == "Reykjavik, 1986" and dossier["record"] == "memcon"
    assert [(d["id"], d["kind"], d["version"], d["record"]) for d in dossier["documents"]] == [
        ("memcon", "memcon", 1, True),
        ("memoir", "memoir", 1, False),
    ]
    comparison = client.get(
        "/api/dossiers/reykjavik-1986/comparison", headers=site.api("nick")
    ).get_json()
    assert comparison["witnesses"][0]["id"] == "memoir" and comparison["witnesses"][0]["links"]
    assert (
        client.delete("/api/dossiers/reykjavik-1986", headers=site.api("nick")).status_code == 204
    )
    assert client.get("/api/dossiers/reykjavik-1986", headers=site.api("nick")).status_code == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, 'send JSON like {"title"'),
        ({"name": "x"}, 'send JSON like {"title"'),
        ({"title": 3}, 'send JSON like {"title"'),
        ({"title": " "}, "a title is required"),
    ],
)
def test_the_api_refuses_bad_dossiers(site: ManagedSite, body: Any, reason: str) -> None:
    before = site.snapshot()
    response = site.client().post("/api/dossiers", json=body, headers=site.api("nick"))
    assert response.status_code == 400 and reason in response.get_json()["error"]
    assert site.snapshot() == before


def test_api_writes_need_a_token_not_a_cookie(site: ManagedSite) -> None:
    """A logged-in browser session cannot write through the API (that would bypass CSRF)."""
    before = site.snapshot()
    response = site.client("olga").post("/api/dossiers", json={"title": "Sneaky"})
    assert response.status_code == 401 and "Bearer" in response.get_json()["error"]
    response = site.client().post(
        "/api/dossiers", json={"title": "Sneaky"}, headers={"Authorization": "Bearer wrong"}
    )
    assert response.status_code == 401
    assert site.snapshot() == before


# --- Editing documents: versions, recomputed results, conflicts ------------------------


def test_editing_a_document_makes_a_new_version_and_a_new_comparison(site: ManagedSite) -> None:
    client = site.client("mia")
    compare = text_of(client.get(f"/dossiers/{PRIVATE}/compare"))
    assert "Nobody mentioned the weather" in compare
    form = text_of(client.get(f"/dossiers/{PRIVATE}/documents/the-memoir/edit"))
    assert 'name="version" value="1"' in form and "Nobody mentioned the weather" in form
    new_text = ACCOUNT_TEXT.replace("Nobody mentioned the weather.", "It rained all day.")
    response = client.post(
        f"/dossiers/{PRIVATE}/documents/the-memoir/edit",
        data={"version": "1", "title": "The memoir", "kind": "memoir", "text": new_text},
    )
    assert response.status_code == 302
    assert site.document("the-memoir").version == 2
    compare = text_of(client.get(f"/dossiers/{PRIVATE}/compare"))
    assert "It rained all day" in compare and "Nobody mentioned the weather" not in compare
    with site.app.extensions["memcon.db"].session() as session:
        keys = session.scalars(
            select(ComparisonCache.key).join(Dossier).where(Dossier.slug == PRIVATE)
        )
        assert len(list(keys)) == 2  # one per version of the texts


def test_a_stale_edit_gets_409_keeps_the_typed_text_and_changes_nothing(site: ManagedSite) -> None:
    first, second = site.client("mia"), site.client("olga")
    base = {"title": "The memoir", "kind": "memoir", "version": "1"}
    assert (
        first.post(
            f"/dossiers/{PRIVATE}/documents/the-memoir/edit",
            data={**base, "text": ACCOUNT_TEXT + "First edit.\n"},
        ).status_code
        == 302
    )
    before = site.snapshot()
    response = second.post(
        f"/dossiers/{PRIVATE}/documents/the-memoir/edit",
        data={**base, "text": ACCOUNT_TEXT + "Second edit.\n"},
    )
    page = text_of(response)
    assert response.status_code == 409 and "changed by someone else" in page
    assert "Second edit." in page and "First edit." in page  # both: typed and stored
    assert 'name="version" value="2"' in page  # saving again replaces version 2 knowingly
    assert site.snapshot() == before
    stale = site.client().patch(
        f"/api/dossiers/{PRIVATE}/documents/the-memoir",
        json={"version": 1, "text": "Third edit."},
        headers=site.api("olga"),
    )
    body = stale.get_json()
    assert stale.status_code == 409 and body["current"]["version"] == 2
    assert site.snapshot() == before


def test_the_api_reads_edits_and_deletes_documents(site: ManagedSite) -> None:
    client, auth = site.client(), site.api("mia")
    url = f"/api/dossiers/{PRIVATE}/documents/the-memoir"
    document = client.get(url, headers=auth).get_json()
    assert document["text"] == ACCOUNT_TEXT and document["version"] == 1
    response = client.patch(url, json={"version": 1, "date": "1999"}, headers=auth)
    assert response.status_code == 200 and response.get_json() == {"id": "the-memoir", "version": 2}
    unchanged = client.patch(url, json={"version": 2, "date": "1999"}, headers=auth)
    assert unchanged.get_json()["version"] == 2  # nothing changed, no new version
    for body, reason in (
        ({"date": "2000"}, "version: is required"),
        ({"version": 2, "owner": "me"}, "owner: is not a field of this request"),
        ({"version": 2, "kind": "novel"}, "unknown kind"),
        ({"version": 2, "text": 5}, "text: must be text"),
        ({"version": 2.0, "date": "2001"}, "version: must be a whole number"),
    ):
        refused = client.patch(url, json=body, headers=auth)
        assert refused.status_code == 400 and reason in refused.get_json()["error"]
    # Deleting needs the owner; the record then falls back to the next memcon or first.
    assert (
        client.delete(f"/api/dossiers/{PRIVATE}/documents/the-memcon", headers=auth).status_code
        == 403
    )
    owner = site.api("olga")
    assert (
        client.delete(f"/api/dossiers/{PRIVATE}/documents/the-memcon", headers=owner).status_code
        == 204
    )
    dossier = client.get(f"/api/dossiers/{PRIVATE}", headers=owner).get_json()
    assert dossier["record"] == "the-memoir" and len(dossier["documents"]) == 1
    assert client.get(f"/api/dossiers/{PRIVATE}/documents/nope", headers=owner).status_code == 404
