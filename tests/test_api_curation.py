"""The curation API's sentence numbers (1-based, the same in GET and POST) and how a page of
the site may use it: its session cookie together with its CSRF token, never the cookie alone.

The people: olga (an annotator and member of Zavidovo) and rob (a reader).
"""

from __future__ import annotations

import html
import re
from typing import Any

from flask.testing import FlaskClient

from webapp.store.models import Change, LinkDecision

from .conftest import Site, add_people, site_app

Z = "zavidovo-1993"
GOLDGEIER = "zavidovo-1993-goldgeier"


def build_site(url: str) -> Site:
    """olga may annotate Zavidovo; rob only reads."""
    app = site_app(url)
    site = Site(app, add_people(app, {"ada": "admin", "olga": "annotator", "rob": "reader"}))
    assert (
        site.client("ada").post(f"/dossiers/{Z}/members", data={"name": "olga"}).status_code == 302
    )
    return site


def account(site: Site, slug: str = GOLDGEIER) -> dict[str, Any]:
    data = site.client("rob").get(f"/api/dossiers/{Z}/links").get_json()
    found: dict[str, Any] = next(a for a in data["accounts"] if a["id"] == slug)
    return found


def page_sentences(client: FlaskClient, slug: str) -> dict[str, str]:
    """The compare page's sentences by their shown name (R3, A5): what a reader cites."""
    page = client.get(f"/dossiers/{Z}/compare?account={slug}").get_data(as_text=True)
    found = re.findall(r'<a class="num" href="[^"]+"[^>]*>([RA]\d+)</a> ([^<]*)', page)
    return {name: html.unescape(text).strip() for name, text in found}


def csrf_of(client: FlaskClient) -> str:
    """The CSRF token the compare page gives its editor (in ``.curate-tools``)."""
    page = client.get(f"/dossiers/{Z}/compare?account={GOLDGEIER}").get_data(as_text=True)
    match = re.search(r'class="curate-tools" hidden data-csrf="([^"]+)"', page)
    assert match, "the editor's page carries no CSRF token"
    return match.group(1)


# --- 1-based sentence numbers, the same both ways ----------------------------------------


def test_get_gives_the_numbers_the_page_shows(site: Site) -> None:
    shown = page_sentences(site.client("rob"), GOLDGEIER)
    data = account(site)
    link = data["links"][0]
    comparison = site.client().get(f"/api/dossiers/{Z}/comparison").get_json()
    record = comparison["source"]["sentences"]
    assert all(n >= 1 for n in link["source"] + link["witness"])
    # R<n> on the page is record sentence n of the API, and so for omissions.
    for n in link["source"]:
        assert shown[f"R{n}"] == record[n - 1]["text"].strip()
    for n in data["omitted"]:
        assert shown[f"R{n}"] == record[n - 1]["text"].strip()
    assert 0 not in data["omitted"] + data["added"]


def test_a_link_read_and_posted_back_joins_the_same_sentences(site: Site) -> None:
    before = account(site)
    link = before["links"][2]
    body = {"account": GOLDGEIER, "action": "confirm", "source": link["source"]}
    body["witness"] = link["witness"]
    made = site.client().post(f"/api/dossiers/{Z}/links", json=body, headers=site.api("olga"))
    assert made.status_code == 201, made.get_json()
    after = account(site)
    confirmed = next(x for x in after["links"] if x["decision"] == made.get_json()["id"])
    assert (confirmed["source"], confirmed["witness"]) == (link["source"], link["witness"])
    assert confirmed["status"] == "confirmed" and confirmed["number"] == link["number"]
    assert len(after["links"]) == len(before["links"])
    # Removed, it is listed under rejected with the same numbers, and its record sentences
    # are now omitted, by the same numbers.
    body["action"] = "remove"
    gone = site.client().post(f"/api/dossiers/{Z}/links", json=body, headers=site.api("olga"))
    assert gone.status_code == 201
    removed = account(site)
    assert [(r["source"], r["witness"]) for r in removed["rejected"]] == [
        (link["source"], link["witness"])
    ]
    assert set(link["source"]) <= set(removed["omitted"])


def test_a_mark_is_read_back_at_the_number_it_was_sent_with(site: Site) -> None:
    number = account(site)["omitted"][0]
    body = {"account": GOLDGEIER, "side": "record", "index": number, "significant": "yes"}
    made = site.client().post(f"/api/dossiers/{Z}/marks", json=body, headers=site.api("olga"))
    assert made.status_code == 200, made.get_json()
    (mark,) = account(site)["marks"]
    assert (mark["side"], mark["index"], mark["significant"]) == ("record", number, True)


# --- A page's own calls: the session cookie and the CSRF token, together ------------------


def _link(site: Site) -> dict[str, Any]:
    link = account(site)["links"][0]
    return {
        "account": GOLDGEIER,
        "action": "confirm",
        "source": link["source"],
        "witness": link["witness"],
    }


def test_a_page_s_change_without_the_csrf_token_is_refused_with_a_reason(site: Site) -> None:
    client = site.client("olga")
    refused = client.post(f"/api/dossiers/{Z}/links", json=_link(site))
    assert refused.status_code == 403
    assert refused.is_json and "X-CSRFToken" in refused.get_json()["error"]
    wrong = client.post(
        f"/api/dossiers/{Z}/links", json=_link(site), headers={"X-CSRFToken": "forged"}
    )
    assert wrong.status_code == 403 and "CSRF token was refused" in wrong.get_json()["error"]
    # Another person's token (from their own session) is no good either.
    theirs = csrf_of(site.client("ada"))
    stolen = client.post(
        f"/api/dossiers/{Z}/links", json=_link(site), headers={"X-CSRFToken": theirs}
    )
    assert stolen.status_code == 403
    assert site.count(LinkDecision) == 0 and site.count(Change) == 0


def test_a_page_s_change_with_its_csrf_token_is_stored(site: Site) -> None:
    client = site.client("olga")
    token = csrf_of(client)
    made = client.post(f"/api/dossiers/{Z}/links", json=_link(site), headers={"X-CSRFToken": token})
    assert made.status_code == 201, made.get_json()
    link = next(x for x in account(site)["links"] if x["decision"] == made.get_json()["id"])
    assert (link["status"], link["resp"]) == ("confirmed", "olga")
    # A reader's session and token pass the CSRF check, and the rights still refuse them.
    reader = site.client("rob")
    refused = reader.post(
        f"/api/dossiers/{Z}/links", json=_link(site), headers={"X-CSRFToken": csrf_of_any(reader)}
    )
    assert refused.status_code == 403 and "annotators" in refused.get_json()["error"]


def csrf_of_any(client: FlaskClient) -> str:
    """A CSRF token of this session from any form (a reader's log-out form)."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_nobody_at_all_is_told_to_log_in_or_send_a_token(site: Site) -> None:
    refused = site.client().post(f"/api/dossiers/{Z}/links", json=_link(site))
    assert refused.status_code == 401 and "Bearer" in refused.get_json()["error"]


# --- The note preview: the page's own rules, on the server --------------------------------


def test_the_preview_renders_a_note_as_the_pages_do(site: Site) -> None:
    client = site.client("olga")
    token = csrf_of(client)
    note = "Talbott *softens* it.\n\n- one\n- two\n\n<script>alert(1)</script>"
    note += " [x](javascript:alert(1))"
    shown = client.post("/api/notes/preview", json={"note": note}, headers={"X-CSRFToken": token})
    assert shown.status_code == 200
    rendered = shown.get_json()["html"]
    assert "<em>softens</em>" in rendered and "<li>one</li>" in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert 'href="javascript' not in rendered  # shown as text, never a link
    too_long = client.post(
        "/api/notes/preview", json={"note": "x" * 20_001}, headers={"X-CSRFToken": token}
    )
    assert too_long.status_code == 400 and "20000" in too_long.get_json()["error"]
    bad = client.post("/api/notes/preview", json={"text": 1}, headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and "note" in bad.get_json()["error"]
    assert client.post("/api/notes/preview", json={"note": "x"}).status_code == 403
    assert site.client().post("/api/notes/preview", json={"note": "x"}).status_code == 401


# --- The page: one editor, not forms per link ---------------------------------------------


def test_the_compare_page_has_one_editor_per_panel_and_none_for_readers(site: Site) -> None:
    page = site.client("olga").get(f"/dossiers/{Z}/compare").get_data(as_text=True)
    panels = page.count('<section class="panel"')
    links = page.count('class="link-button"')
    assert panels >= 3 and links > 20
    # A machine link carries no editor markup at all: the page does not grow with them.
    assert page.count('class="curation"') == 0
    assert page.count('class="editor-template"') == panels
    # No per-link forms: the forms of a page are the add form and mark-free lists.
    # account picker, phrase box, log-out; per panel its add form and the no-JS "show link" form
    assert page.count("<form") <= 3 + 2 * panels
    reader = site.client("rob").get(f"/dossiers/{Z}/compare").get_data(as_text=True)
    assert "editor-template" not in reader and "curate.js" not in reader
    assert "curate-tools" not in reader and 'class="curation"' not in reader


def test_without_javascript_a_link_is_curated_on_its_sentence_page(site: Site) -> None:
    link = account(site)["links"][0]
    number = link["source"][0]
    url = f"/dossiers/{Z}/compare/{GOLDGEIER}/record/{number}"
    compare = site.client("olga").get(f"/dossiers/{Z}/compare?account={GOLDGEIER}")
    assert f'href="compare/{GOLDGEIER}/record/{number}"' in compare.get_data(as_text=True)
    page = site.client("olga").get(url).get_data(as_text=True)
    assert 'value="confirm">Confirm</button>' in page and 'name="next"' in page
    data = {
        "account": GOLDGEIER,
        "action": "confirm",
        "source": link["source"],
        "witness": link["witness"],
        "label": "paraphrase",
        "next": f"{url}#curate",
    }
    response = site.client("olga").post(f"/dossiers/{Z}/links", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"{url}#curate"
    shown = html.unescape(site.client("rob").get(url).get_data(as_text=True))
    assert "confirmed by olga" in shown and "paraphrase" in shown


def test_a_person_s_decision_is_marked_for_every_reader(site: Site) -> None:
    link = account(site)["links"][1]
    body = {"account": GOLDGEIER, "action": "confirm", "source": link["source"]}
    body |= {"witness": link["witness"], "label": "condensation"}
    made = site.client().post(f"/api/dossiers/{Z}/links", json=body, headers=site.api("olga"))
    assert made.status_code == 201
    page = site.client("rob").get(f"/dossiers/{Z}/compare?account={GOLDGEIER}")
    text = html.unescape(page.get_data(as_text=True))
    number = link["number"]
    tag = re.search(rf'<li id="{GOLDGEIER}-link-{number}" [^>]*>', text)
    assert tag, "the link is not in the list"
    classes = re.search(r'class="([^"]*)"', tag.group(0))
    assert classes and "human" in classes.group(1).split()
    assert 'data-status="confirmed"' in tag.group(0)
    assert "✔</span> confirmed by olga</span>" in text
    assert '<span class="label-badge">condensation</span>' in text
    for n in link["source"]:
        row = re.search(rf'<li id="{GOLDGEIER}-r{n}" [^>]*>', text)
        assert row and 'data-status="confirmed"' in row.group(0)
    # The machine's other links say nothing of the kind.
    assert text.count("human-badge") == 1
    assert "curate.css" in text  # the look is for readers as well, not only editors


def test_without_javascript_a_sentence_s_page_links_it_to_another(site: Site) -> None:
    data = account(site)
    omitted = data["omitted"][0]
    url = f"/dossiers/{Z}/compare/{GOLDGEIER}/record/{omitted}"
    page = site.client("olga").get(url).get_data(as_text=True)
    assert "A new link of R" in page and 'value="add"' in page
    assert "A new link of" not in site.client("rob").get(url).get_data(as_text=True)
    form = {"account": GOLDGEIER, "action": "add", "source": omitted, "witness": 1}
    response = site.client("olga").post(
        f"/dossiers/{Z}/links", data={**form, "next": f"{url}#curate"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"{url}#curate"
    added = next(x for x in account(site)["links"] if x["status"] == "added")
    assert (added["source"], added["witness"]) == ([omitted], [1])
    # The compare page itself has no tick boxes any more: the script makes them.
    compare = site.client("olga").get(f"/dossiers/{Z}/compare").get_data(as_text=True)
    assert 'class="pick"' not in compare
