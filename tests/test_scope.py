"""Every row is reached through its dossier, ids are never reused, and odd ids are refused.

The scenario of issue 11: an annotator adds a document to their own dossier, edits it and
deletes it; another person uploads a document to a private dossier; the first annotator
reverts the edit. On SQLite without ``AUTOINCREMENT`` the new document got the deleted
one's id, and the revert overwrote it. The same with a withdrawn link decision deleted
the other person's decision. Each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from webapp.store.models import Change, Dossier, LinkDecision

from .dbtest import BACKENDS
from .webdb import WebSite, web_site

RECORD = "The minister came at noon. He spoke of the treaty. Nobody else was there."
ACCOUNT = "At noon the minister arrived. The treaty was his subject. We ate fish."


@pytest.fixture(params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebSite]:
    """Mallory (an annotator) and Vera (an annotator with a private dossier)."""
    with web_site(request.param, tmp_path) as site:
        site.add_user("mallory")
        site.add_user("vera")
        yield site


def vera_state(site: WebSite, dossier: str) -> dict[str, Any]:
    """Everything of Vera's dossier a revert could change: documents, decisions, history."""
    with site.app.extensions["memcon.db"].session() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.slug == dossier))
        decisions = session.execute(
            select(LinkDecision.id, LinkDecision.note, LinkDecision.version).where(
                LinkDecision.dossier_id == dossier_id
            )
        ).all()
        changes = session.scalars(select(Change.id).where(Change.dossier_id == dossier_id)).all()
    return {
        "documents": site.documents(dossier),
        "decisions": [tuple(d) for d in decisions],
        "changes": list(changes),
    }


def mallory_edits_and_deletes_a_document(site: WebSite) -> tuple[str, int, int]:
    """Mallory's dossier, the id of her deleted document and of the change that edited it."""
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    slug = site.document("mallory", own, "Draft", "memoir", ACCOUNT)
    deleted_id = site.db_id(own, slug)
    edited = site.call(
        "mallory",
        "PATCH",
        f"/api/dossiers/{own}/documents/{slug}",
        json={"version": 1, "title": "Mallory's title", "text": "Mallory's text."},
    )
    assert edited.status_code == 200, edited.get_json()
    (edit,) = [c for c in site.history("mallory", own) if c["target"] == "document"]
    assert edit["action"] == "update" and edit["target_id"] == deleted_id
    removed = site.call("mallory", "DELETE", f"/api/dossiers/{own}/documents/{slug}")
    assert removed.status_code == 204
    return own, deleted_id, int(edit["id"])


def test_a_revert_never_overwrites_another_dossier_s_document(site: WebSite) -> None:
    own, deleted_id, edit = mallory_edits_and_deletes_a_document(site)
    private = site.dossier("vera", "Vera's private talks")
    secret = site.document("vera", private, "Secret", "memcon", "Vera's private text.")
    # Ids are never reused, so the new document cannot be mistaken for the deleted one.
    assert site.db_id(private, secret) > deleted_id
    before = vera_state(site, private)
    history = site.history("mallory", own)

    response = site.call("mallory", "POST", f"/api/dossiers/{own}/history/{edit}/revert")

    assert response.status_code in (400, 404), response.get_json()
    assert "no longer exists" in response.get_json()["error"]
    assert vera_state(site, private) == before
    assert site.history("mallory", own) == history
    assert "Vera's private text." not in str(site.history("mallory", own))


def test_a_revert_of_a_withdrawn_decision_never_deletes_another_dossier_s(
    site: WebSite,
) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    account = site.document("mallory", own, "Memoir", "memoir", ACCOUNT)
    link = {"account": account, "source": [1], "witness": [1], "action": "add"}
    made = site.call("mallory", "POST", f"/api/dossiers/{own}/links", json=link)
    assert made.status_code == 201, made.get_json()
    withdrawn = site.call(
        "mallory", "DELETE", f"/api/dossiers/{own}/links/{made.get_json()['id']}?version=1"
    )
    assert withdrawn.status_code == 200, withdrawn.get_json()
    (create,) = [c for c in site.history("mallory", own) if c["action"] == "create"]

    private, theirs = vera_link(site, note="Vera's reading")
    assert theirs > made.get_json()["id"]
    before = vera_state(site, private)

    response = site.call("mallory", "POST", f"/api/dossiers/{own}/history/{create['id']}/revert")

    assert response.status_code in (400, 404), response.get_json()
    assert vera_state(site, private) == before


def vera_link(site: WebSite, **extra: str) -> tuple[str, int]:
    """Vera's private dossier (a record and a memoir) with one link she added; its id and
    the link's id."""
    private = site.dossier("vera", "Vera's private talks")
    site.document("vera", private, "Record", "memcon", RECORD)
    account = site.document("vera", private, "Memoir", "memoir", ACCOUNT)
    link = {"account": account, "source": [1], "witness": [1], "action": "add", **extra}
    made = site.call("vera", "POST", f"/api/dossiers/{private}/links", json=link)
    assert made.status_code == 201, made.get_json()
    return private, int(made.get_json()["id"])


def forge_change(site: WebSite, dossier: str, **fields: Any) -> int:
    """A change of ``dossier`` naming a row of another dossier, as a reused id left them."""
    with site.app.extensions["memcon.db"].session() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.slug == dossier))
        change = Change(dossier_id=dossier_id, user_name="mallory", **fields)
        session.add(change)
        session.flush()
        return int(change.id)


def test_a_change_naming_another_dossier_s_document_is_404_and_changes_nothing(
    site: WebSite,
) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    private = site.dossier("vera", "Vera's private talks")
    secret = site.document("vera", private, "Secret", "memcon", "Vera's private text.")
    before = vera_state(site, private)
    forged = forge_change(
        site,
        own,
        target="document",
        target_id=site.db_id(private, secret),
        action="update",
        before={"title": "Mallory's title", "text": "Mallory's text."},
        after={"title": "x", "text": "x"},
    )

    response = site.call("mallory", "POST", f"/api/dossiers/{own}/history/{forged}/revert")

    assert response.status_code == 404, response.get_json()
    assert "this dossier has no document" in response.get_json()["error"]
    assert vera_state(site, private) == before


def test_a_change_naming_another_dossier_s_decision_is_404_and_deletes_nothing(
    site: WebSite,
) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    private, theirs = vera_link(site)
    before = vera_state(site, private)
    for action, state in (("create", None), ("delete", {"note": "Mallory's", "label": None})):
        forged = forge_change(
            site,
            own,
            target="link",
            target_id=theirs,
            action=action,
            before=state,
            after=None,
        )
        response = site.call("mallory", "POST", f"/api/dossiers/{own}/history/{forged}/revert")
        assert response.status_code == 404, (action, response.get_json())
        assert vera_state(site, private) == before


def test_a_link_of_another_dossier_cannot_be_edited_or_withdrawn(site: WebSite) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    site.document("mallory", own, "Memoir", "memoir", ACCOUNT)
    private, theirs = vera_link(site)
    before = vera_state(site, private)
    url = f"/api/dossiers/{own}/links/{theirs}"
    assert site.call("mallory", "PATCH", url, json={"version": 1, "note": "x"}).status_code == 404
    assert site.call("mallory", "DELETE", f"{url}?version=1").status_code == 404
    assert vera_state(site, private) == before


HUGE = str(2**64 + 1)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/dossiers/{d}/links/" + HUGE),
        ("PATCH", "/api/dossiers/{d}/links/" + str(2**31)),
        ("DELETE", "/api/dossiers/{d}/links/" + HUGE + "?version=1"),
        ("POST", "/api/dossiers/{d}/history/" + HUGE + "/revert"),
        ("POST", "/dossiers/{d}/links/" + HUGE),
        ("POST", "/dossiers/{d}/links/" + HUGE + "/delete"),
        ("POST", "/dossiers/{d}/history/" + HUGE + "/revert"),
        ("GET", "/api/dossiers/{d}/history?target=link&id=" + HUGE),
        ("GET", "/dossiers/{d}/history?target=link&id=" + HUGE),
        ("GET", "/api/dossiers/{d}/history?id=-" + HUGE),
    ],
)
def test_ids_beyond_64_bits_are_404_or_400_not_500(site: WebSite, method: str, path: str) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    site.document("mallory", own, "Memoir", "memoir", ACCOUNT)
    url = path.format(d=own)
    kwargs: dict[str, Any] = {"json": {"version": 1, "note": "x"}} if method == "PATCH" else {}
    if url.startswith("/api/"):
        response = site.call("mallory", method, url, **kwargs)
    else:
        response = site.client("mallory").open(url, method=method, data={"version": "1"})
    assert response.status_code in (400, 404), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        assert "id" in response.get_data(as_text=True)


def test_a_dossier_shared_by_link_again_gets_a_new_link(site: WebSite) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    owner = site.client("mallory")

    def token() -> str | None:
        with site.app.extensions["memcon.db"].session() as session:
            return session.scalar(select(Dossier.share_token).where(Dossier.slug == own))

    assert owner.post(f"/dossiers/{own}/visibility", data={"visibility": "link"}).status_code == 302
    first = token()
    assert first and site.client().get(f"/shared/{first}").status_code in (200, 302)
    # Saving "link" again keeps the link people already have.
    owner.post(f"/dossiers/{own}/visibility", data={"visibility": "link"})
    assert token() == first
    owner.post(f"/dossiers/{own}/visibility", data={"visibility": "private"})
    owner.post(f"/dossiers/{own}/visibility", data={"visibility": "link"})
    second = token()
    assert second and second != first
    assert site.client().get(f"/shared/{first}").status_code == 404
    assert site.client().get(f"/dossiers/{own}?share={first}").status_code == 404
    assert site.client().get(f"/dossiers/{own}?share={second}").status_code == 200


def test_an_imported_history_naming_an_id_beyond_64_bits_is_refused(site: WebSite) -> None:
    own = site.dossier("mallory", "Mallory's notes")
    site.document("mallory", own, "Record", "memcon", RECORD)
    account = site.document("mallory", own, "Memoir", "memoir", ACCOUNT)
    link = {"account": account, "source": [1], "witness": [1], "action": "add"}
    assert site.call("mallory", "POST", f"/api/dossiers/{own}/links", json=link).status_code == 201
    export = site.call("mallory", "GET", f"/api/dossiers/{own}/export?format=json").get_json()
    (history,) = [v for k, v in _walk(export) if k == "history" and v]
    history[0]["target"] = f"link {HUGE}"
    before = site.history("mallory", own)
    response = site.call("mallory", "POST", f"/api/dossiers/{own}/import", json=export)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert "unknown target" in response.get_json()["error"]
    assert site.history("mallory", own) == before


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of nested dictionaries and lists."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)
