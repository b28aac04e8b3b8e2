"""The dead ends of managing a dossier, fixed: a New dossier button for those who may
create one, every message a plain sentence (the share link to copy), a refused change said
on the dossier page, Markdown in descriptions rendered and sanitised.

Uses the site of :mod:`tests.test_manage` (olga owns the private dossier, mia and rita are
members, nick an annotator outside it, rob and rita readers, ada the admin).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from .test_manage import PRIVATE, ManagedSite, text_of
from .test_manage import build_site as build_site  # the module's site (site_template)

XSS = Path("/work/shared/testdata/xss/xss-payload-list.txt")


def flashes(body: str) -> str:
    found = re.search(r'<ul class="flashes".*?</ul>', body, re.S)
    return (
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found[0]))).strip()
        if found
        else ""
    )


def said(site: ManagedSite, who: str, path: str, **data: str) -> str:
    """POST a form; the message on the page it leads to."""
    client = site.client(who)
    response = client.post(path, data=data)
    assert response.status_code == 302, text_of(response)[:300]
    return flashes(client.get(response.headers["Location"]).get_data(as_text=True))


@pytest.mark.parametrize(
    ("who", "shown"), [("mia", True), ("ada", True), ("rita", False), (None, False)]
)
def test_the_library_offers_new_dossier_to_those_who_may_create_one(
    site: ManagedSite, who: str | None, shown: bool
) -> None:
    page = site.client(who).get("/").get_data(as_text=True)
    button = '<a class="button" href="/dossiers/new">New dossier</a>'
    assert (button in page) is shown
    if shown:  # and the button leads to a form that works for them
        assert site.client(who).get("/dossiers/new").status_code == 200


def test_every_management_message_is_a_plain_sentence(site: ManagedSite) -> None:
    base = f"/dossiers/{PRIVATE}"
    assert said(site, "olga", f"{base}/rename", title="Talks, renamed") == (
        "The dossier is renamed ‘Talks, renamed’; its address stays the same."
    )
    assert said(site, "olga", f"{base}/visibility", visibility="private") == (
        "The dossier is now private: only its owner and members can open it."
    )
    assert said(site, "olga", f"{base}/visibility", visibility="public") == (
        "The dossier is now public: anyone can read it, without logging in."
    )
    assert said(site, "olga", f"{base}/members", name="nick") == (
        "nick is now a member: they can open this dossier, and curate it if annotator."
    )
    assert said(site, "olga", f"{base}/members/remove", name="nick") == (
        "nick is no longer a member of this dossier."
    )
    assert said(site, "olga", f"{base}/record", document="the-memoir") == (
        "‘The memoir’ is now the record: every account is compared with it."
    )
    assert said(site, "olga", f"{base}/settings") == (
        "Sentences are now compared by their words and spelling only."
    )
    assert said(site, "olga", f"{base}/documents/the-memcon/delete") == (
        "The document is deleted from the dossier."
    )
    assert said(site, "olga", f"{base}/delete", confirm=PRIVATE) == (
        "The dossier ‘Talks, renamed’ is deleted, with its documents and curation."
    )


def test_sharing_by_link_shows_the_link_to_copy(site: ManagedSite) -> None:
    client = site.client("olga")
    client.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "private"})
    response = client.post(f"/dossiers/{PRIVATE}/visibility", data={"visibility": "link"})
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    message = re.search(r'<li class="share-link">.*?</li>', body, re.S)
    assert message, body[:2000]
    field = re.search(
        r'<input type="text" id="([\w-]+)" class="copy-source" value="([^"]+)" readonly>',
        message[0],
    )
    assert field and re.fullmatch(r"http://localhost/shared/[\w-]+", field[2])
    assert (
        f'<button type="button" class="copy" data-copy="{field[1]}">Copy the link</button>'
        in message[0]
    )
    assert "The dossier is now shared by link:" in flashes(body)
    assert "Dossier is link." not in body
    # The link works, and is the one the dossier page offers to copy as well.
    assert site.client().get(field[2].removeprefix("http://localhost")).status_code == 302
    assert body.count(f'value="{field[2]}" readonly') == 2


def test_an_unknown_member_is_said_on_the_dossier_page(site: ManagedSite) -> None:
    before = site.snapshot()
    client = site.client("olga")
    response = client.post(f"/dossiers/{PRIVATE}/members", data={"name": "nobody"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Private talks</h1>" in body  # the dossier page, not a bare error page
    assert "Bad Request" not in body
    error = re.search(r'<li class="flash-error" role="alert">(.*?)</li>', body, re.S)
    assert error and html.unescape(error[1]) == (
        "Nothing was changed: no user 'nobody'. Check the spelling of the user name; an admin "
        "creates accounts."
    )
    assert site.snapshot() == before
    assert "flash-error" not in client.get(f"/dossiers/{PRIVATE}").get_data(as_text=True)


def _description(body: str) -> str:
    found = re.search(r'<div class="description">(.*?)</div>', body, re.S)
    assert found, body[:1500]
    return found[1]


def test_markdown_in_a_description_is_rendered_and_sanitised(site: ManagedSite) -> None:
    client = site.client("mia")
    description = (
        "Talks **in Geneva**, as *reported*; see [the memo](https://example.org/memo).\n\n"
        "- first point\n- <script>alert(1)</script> and <img src=x onerror=alert(2)>"
    )
    created = client.post("/dossiers/new", data={"title": "Described", "description": description})
    assert created.status_code == 302
    for url in ("/", created.headers["Location"]):
        shown = _description(client.get(url).get_data(as_text=True))
        assert "<strong>in Geneva</strong>" in shown and "<em>reported</em>" in shown
        assert '<a href="https://example.org/memo" rel="nofollow noopener">the memo</a>' in shown
        assert "<li>first point</li>" in shown
        assert "<script" not in shown and "<img" not in shown  # no tag: text only
        assert "&lt;img src=x onerror=alert(2)&gt;" in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown  # shown as text


def test_xss_payloads_in_descriptions_never_become_markup(site: ManagedSite) -> None:
    lines = [p for p in XSS.read_text(encoding="utf-8", errors="replace").splitlines() if "<" in p]
    sample = lines[:: max(1, len(lines) // 25)][:25]
    assert len(sample) >= 20
    client = site.client("mia")
    for number, payload in enumerate(sample):
        created = client.post(
            "/dossiers/new", data={"title": f"Payload {number}", "description": payload}
        )
        assert created.status_code == 302, payload
        body = client.get(created.headers["Location"]).get_data(as_text=True)
        shown = _description(body)
        assert payload not in body, payload
        assert not re.search(r"<(script|img|svg|iframe|body|input|style|object)\b", shown, re.I)
        assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", shown, re.I), shown
    library = client.get("/").get_data(as_text=True)
    assert all(p not in library for p in sample)
