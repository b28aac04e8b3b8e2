"""Who may do what with a private dossier: each person against each page and API route.

A person without the right gets the refusal a visitor would expect (log in, 401, 403 or
404, never the dossier's title), and the database stays exactly as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event

from .test_manage import (
    EDITORS,
    MANAGERS,
    PEOPLE,
    PRIVATE,
    READERS,
    ManagedSite,
    build_site,
    text_of,
)

__all__ = ["build_site"]  # the site_template fixture builds this module's site with it


@dataclass(frozen=True)
class Route:
    """One request, and which people may make it (others get 401, 403 or 404)."""

    name: str
    method: str
    url: str
    allowed: frozenset[str]
    data: dict[str, Any] | None = None
    api: bool = False
    ok: int = 200


DOC = f"/dossiers/{PRIVATE}/documents/the-memoir"
ROUTES = [
    Route("overview", "GET", f"/dossiers/{PRIVATE}", frozenset(READERS | {"link"})),
    Route("compare", "GET", f"/dossiers/{PRIVATE}/compare", frozenset(READERS | {"link"})),
    Route(
        "compare fragment",
        "GET",
        f"/dossiers/{PRIVATE}/compare?fragment=the-memoir",
        frozenset(READERS | {"link"}),
    ),
    Route(
        "link detail fragment",
        "GET",
        f"/dossiers/{PRIVATE}/compare?fragment=the-memoir&link=1",
        frozenset(READERS | {"link"}),
    ),
    Route(
        "api dossier", "GET", f"/api/dossiers/{PRIVATE}", frozenset(READERS | {"link"}), api=True
    ),
    Route(
        "api comparison",
        "GET",
        f"/api/dossiers/{PRIVATE}/comparison",
        frozenset(READERS | {"link"}),
        api=True,
    ),
    Route("api document", "GET", f"/api{DOC}", frozenset(READERS | {"link"}), api=True),
    Route("upload form", "GET", f"/dossiers/{PRIVATE}/documents/new", frozenset(EDITORS)),
    Route(
        "upload",
        "POST",
        f"/dossiers/{PRIVATE}/documents/new",
        frozenset(EDITORS),
        {"title": "New", "kind": "memoir", "text": "He left.", "action": "save"},
        ok=302,
    ),
    Route("edit form", "GET", f"{DOC}/edit", frozenset(EDITORS)),
    Route(
        "edit",
        "POST",
        f"{DOC}/edit",
        frozenset(EDITORS),
        {"version": "1", "title": "Edited", "kind": "memoir", "text": "He left."},
        ok=302,
    ),
    Route(
        "rename", "POST", f"/dossiers/{PRIVATE}/rename", frozenset(MANAGERS), {"title": "R"}, ok=302
    ),
    Route(
        "visibility",
        "POST",
        f"/dossiers/{PRIVATE}/visibility",
        frozenset(MANAGERS),
        {"visibility": "public"},
        ok=302,
    ),
    Route(
        "members",
        "POST",
        f"/dossiers/{PRIVATE}/members",
        frozenset(MANAGERS),
        {"name": "nick"},
        ok=302,
    ),
    Route(
        "remove member",
        "POST",
        f"/dossiers/{PRIVATE}/members/remove",
        frozenset(MANAGERS),
        {"name": "mia"},
        ok=302,
    ),
    Route(
        "record",
        "POST",
        f"/dossiers/{PRIVATE}/record",
        frozenset(MANAGERS),
        {"document": "the-memoir"},
        ok=302,
    ),
    Route("delete document", "POST", f"{DOC}/delete", frozenset(MANAGERS), {}, ok=302),
    Route(
        "delete",
        "POST",
        f"/dossiers/{PRIVATE}/delete",
        frozenset(MANAGERS),
        {"confirm": PRIVATE},
        ok=302,
    ),
    Route(
        "api upload",
        "POST",
        f"/api/dossiers/{PRIVATE}/documents",
        frozenset(EDITORS),
        {"title": "New", "kind": "memoir", "text": "He left."},
        api=True,
        ok=201,
    ),
    Route(
        "api edit",
        "PATCH",
        f"/api{DOC}",
        frozenset(EDITORS),
        {"version": 1, "title": "Edited"},
        api=True,
    ),
    Route(
        "api add member",
        "POST",
        f"/api/dossiers/{PRIVATE}/members",
        frozenset(MANAGERS),
        {"name": "nick"},
        api=True,
        ok=201,
    ),
    Route(
        "api remove member",
        "DELETE",
        f"/api/dossiers/{PRIVATE}/members/mia",
        frozenset(MANAGERS),
        api=True,
        ok=204,
    ),
    Route("api delete document", "DELETE", f"/api{DOC}", frozenset(MANAGERS), api=True, ok=204),
    Route(
        "api delete", "DELETE", f"/api/dossiers/{PRIVATE}", frozenset(MANAGERS), api=True, ok=204
    ),
]
WRITES = [r for r in ROUTES if r.method != "GET"]


def expected_refusal(route: Route, who: str) -> int:
    """What a person without the right gets.

    Not logged in: forms send them to log in (302), changes get 401, and reading what they
    may not see gets 404. Logged in: 404 if they may not even see the dossier (its title
    is never shown), else 403.
    """
    if who in {"anonymous", "link"}:
        if route.method != "GET":
            return 401
        return 302 if not route.api and route.allowed == EDITORS else 404
    return 404 if who not in READERS else 403


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_permission_matrix(site: ManagedSite, route: Route, who: str) -> None:
    client = site.client(who)
    kwargs: dict[str, Any] = {"headers": site.api(who)} if route.api else {}
    if route.api and who == "link":
        kwargs["query_string"] = {"share": site.share}
    if route.data is not None:
        kwargs["json" if route.method == "PATCH" else "data"] = route.data
    before = site.snapshot()
    response = client.open(route.url, method=route.method, **kwargs)
    body = text_of(response)
    if who in route.allowed:
        assert response.status_code == route.ok, body[:300]
        return
    assert response.status_code == expected_refusal(route, who), body[:300]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")
    if response.status_code == 404:
        assert "Private talks" not in body
    assert site.snapshot() == before


def test_every_form_needs_a_csrf_token(site: ManagedSite) -> None:
    app = site.app
    app.config["WTF_CSRF_ENABLED"] = True
    before = site.snapshot()
    for route in WRITES:
        if route.api:
            continue
        response = site.client("ada").post(route.url, data=route.data)
        assert response.status_code == 400, route.name
        assert "CSRF" in text_of(response), route.name
    assert site.snapshot() == before
    # With the token from the page, the same form works.
    client = site.client("olga")
    page = text_of(client.get(f"/dossiers/{PRIVATE}"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(
        f"/dossiers/{PRIVATE}/rename", data={"title": "With token", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_log_in_for_forms(site: ManagedSite) -> None:
    response = site.client().get("/dossiers/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/dossiers/new"
    response = site.client().post("/dossiers/new", data={"title": "x"})
    assert response.status_code == 401
    response = site.client("rob").get("/dossiers/new")
    assert response.status_code == 403 and "annotator" in text_of(response)


def test_bundled_dossiers_cannot_be_changed_by_annotators(site: ManagedSite) -> None:
    before = site.snapshot()
    client = site.client("nick")
    assert client.post("/dossiers/zavidovo-1993/rename", data={"title": "Mine"}).status_code == 403
    assert client.get("/dossiers/zavidovo-1993/documents/new").status_code == 403
    assert site.snapshot() == before


#: The routes that read or change one dossier's documents, or that only its owner may use.
ONE_CHECK = [
    *(
        r
        for r in ROUTES
        if r.allowed in (EDITORS, MANAGERS) or r.name in {"api document", "api dossier"}
    ),
    Route("sentences", "GET", f"{DOC}/sentences", frozenset(EDITORS)),
    Route(
        "settings",
        "POST",
        f"/dossiers/{PRIVATE}/settings",
        frozenset(MANAGERS),
        {"semantic": ""},
        ok=302,
    ),
    Route(
        "api settings",
        "PUT",
        f"/api/dossiers/{PRIVATE}/settings",
        frozenset(MANAGERS),
        {"semantic": False},
        api=True,
    ),
]


def _dossier_loads(site: ManagedSite) -> list[str]:
    """Every statement from now on that reads a dossier by its slug (a test-only listener)."""
    loads: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if re.search(r"FROM dossiers\b.*WHERE dossiers\.slug", " ".join(sql.split())):
            loads.append(sql)

    event.listen(site.app.extensions["memcon.db"].engine, "before_cursor_execute", record)
    return loads


@pytest.mark.parametrize("route", ONE_CHECK, ids=lambda r: r.name)
def test_a_document_or_owner_route_reads_the_dossier_and_checks_the_right_once(
    site: ManagedSite, route: Route
) -> None:
    """One ``access.load`` per request: no check in the view before the library's own."""
    who = "olga"  # the owner: allowed everything
    client = site.client(who)
    kwargs: dict[str, Any] = {"headers": site.api(who)} if route.api else {}
    if route.data is not None:
        kwargs["json" if route.method in ("PATCH", "PUT") else "data"] = route.data
    loads = _dossier_loads(site)
    response = client.open(route.url, method=route.method, **kwargs)
    assert response.status_code == route.ok, text_of(response)[:300]
    assert len(loads) == 1, (route.name, len(loads))


#: What the refusal says to a member who may read but not do this (rita is a reader).
REFUSAL_WORDS = {
    "api upload": "may add documents",
    "api edit": "may edit its documents",
    "api add member": "may change its members",
    "api remove member": "may change its members",
    "api delete document": "may delete its documents",
    "api delete": "may delete it",
    "upload": "may add documents",
    "delete": "may delete it",
}


@pytest.mark.parametrize("name", sorted(REFUSAL_WORDS))
def test_a_refusal_names_what_was_refused(site: ManagedSite, name: str) -> None:
    route = next(r for r in ROUTES if r.name == name)
    kwargs: dict[str, Any] = {"headers": site.api("rita")} if route.api else {}
    if route.data is not None:
        kwargs["json" if route.method == "PATCH" else "data"] = route.data
    response = site.client("rita").open(route.url, method=route.method, **kwargs)
    assert response.status_code == 403
    assert REFUSAL_WORDS[name] in text_of(response)
