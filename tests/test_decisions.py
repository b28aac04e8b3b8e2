"""Curation operations read the dossier once: a change on a warm cache is one transaction."""

from __future__ import annotations

from typing import Any

import pytest

from webapp.store.models import LinkDecision

from .conftest import Site, add_people, count_sessions, site_app


def build_site(url: str) -> Site:
    app = site_app(url)
    return Site(app, add_people(app, {"ada": "admin", "rita": "reader"}))


def _first_dossier(site: Site) -> tuple[str, str]:
    client = site.client()
    dossier = client.get("/api/dossiers").get_json()[0]
    accounts = [d["id"] for d in dossier["documents"] if d["id"] != dossier["record"]]
    return dossier["id"], accounts[0]


def test_adding_a_link_on_a_warm_cache_opens_two_sessions_the_log_in_and_the_change(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug, account = _first_dossier(site)
    client = site.client()
    assert client.get(f"/api/dossiers/{slug}/links").status_code == 200  # the cache is warm
    opened = count_sessions(site.app, monkeypatch)
    body: dict[str, Any] = {"account": account, "source": [1], "witness": [1], "action": "add"}
    made = client.post(f"/api/dossiers/{slug}/links", json=body, headers=site.api("ada"))

    assert made.status_code == 201, made.get_json()
    assert len(opened) <= 2, len(opened)  # the token's user, then the dossier and the change
    links = client.get(f"/api/dossiers/{slug}/links").get_json()["accounts"]
    added = [link for a in links if a["id"] == account for link in a["links"]]
    assert any(link["decision"] == made.get_json()["id"] for link in added)


def test_a_change_by_a_reader_is_refused_with_403_and_stores_nothing(site: Site) -> None:
    slug, account = _first_dossier(site)
    body = {"account": account, "source": [1], "witness": [1], "action": "add"}
    refused = site.client().post(f"/api/dossiers/{slug}/links", json=body, headers=site.api("rita"))

    assert refused.status_code == 403, refused.get_json()
    assert "annotators" in refused.get_json()["error"]
    assert site.count(LinkDecision) == 0
