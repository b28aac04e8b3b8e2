"""A share token opens a link-shared dossier to the API as it opens it to the pages: by the
X-Memcon-Share header, by ?share= and by the browser session that opened /shared/<token>;
it lets one read, never change."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .test_manage import PRIVATE, ManagedSite, build_site

READS = [
    f"/api/dossiers/{PRIVATE}",
    f"/api/dossiers/{PRIVATE}/comparison",
    f"/api/dossiers/{PRIVATE}/links",
    f"/api/dossiers/{PRIVATE}/documents/the-memoir",
]


@pytest.fixture(scope="module")
def site() -> ManagedSite:
    return build_site()


def _read_all(client: FlaskClient, **kwargs: object) -> list[int]:
    return [client.get(url, **kwargs).status_code for url in READS]  # type: ignore[arg-type]


def test_without_the_token_the_shared_dossier_is_not_found(site: ManagedSite) -> None:
    assert _read_all(site.client()) == [404] * len(READS)
    assert _read_all(site.client(), headers={"X-Memcon-Share": "not-the-token"}) == [404] * 4
    listed = site.client().get("/api/dossiers").get_json()
    assert PRIVATE not in {d["id"] for d in listed}


def test_the_header_opens_it_for_reading(site: ManagedSite) -> None:
    client = site.client()
    headers = {"X-Memcon-Share": site.share}
    assert _read_all(client, headers=headers) == [200] * len(READS)
    dossier = client.get(f"/api/dossiers/{PRIVATE}", headers=headers).get_json()
    assert dossier["title"] == "Private talks" and dossier["visibility"] == "link"
    listed = client.get("/api/dossiers", headers=headers).get_json()
    assert PRIVATE in {d["id"] for d in listed}
    assert _read_all(client, query_string={"share": site.share}) == [200] * len(READS)


def test_a_browser_that_opened_the_link_reads_the_same_json(site: ManagedSite) -> None:
    browser = site.client("link")  # GET /shared/<token>, as a person following the link
    assert _read_all(browser) == [200] * len(READS)
    page = browser.get(f"/dossiers/{PRIVATE}")
    assert page.status_code == 200
    title = browser.get(f"/api/dossiers/{PRIVATE}").get_json()["title"]
    assert title in page.get_data(as_text=True)


def test_the_token_never_lets_one_change_anything(site: ManagedSite) -> None:
    share = {"X-Memcon-Share": site.share}
    writes = [
        ("POST", f"/api/dossiers/{PRIVATE}/links", {"account": "the-memoir", "source": [1]}),
        ("PATCH", f"/api/dossiers/{PRIVATE}/documents/the-memoir", {"version": 1, "title": "X"}),
        ("DELETE", f"/api/dossiers/{PRIVATE}", None),
    ]
    before = site.snapshot()
    for method, url, body in writes:
        anonymous = site.client().open(url, method=method, json=body, headers=share)
        assert anonymous.status_code == 401, (method, url)
        assert "Bearer" in anonymous.get_json()["error"]
        browser = site.client("link").open(url, method=method, json=body, headers=share)
        assert browser.status_code == 401, (method, url)
        # A token of someone who is not a member, with the share token: refused (404, as
        # for any change of a dossier not theirs: the share token reads, it never writes).
        for who in ("rob", "nick"):
            headers = {**site.api(who), **share}
            refused = site.client().open(url, method=method, json=body, headers=headers)
            assert refused.status_code in {403, 404}, (who, method, url, refused.get_json())
    assert site.snapshot() == before
