"""Every id of the Web Annotation export resolves: the collection, its page, each
annotation (JSON-LD, the protocol's media type), each target's sentence page and each
target's source (the text its selectors count in)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.views.webanno import MEDIA_TYPE

from .conftest import TEST_CONFIG
from .test_manage import PRIVATE, build_site

ZAVIDOVO = "zavidovo-1993"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(dict(TEST_CONFIG))


@pytest.fixture(scope="module")
def export(app: Flask) -> dict[str, Any]:
    response = app.test_client().get(f"/api/dossiers/{ZAVIDOVO}/export?format=webanno")
    assert response.status_code == 200
    data: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return data


def _ids(node: object) -> Iterator[str]:
    """Every ``id`` and ``source`` in the JSON-LD, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "source") and isinstance(value, str):
                yield value
            else:
                yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


def _get(client: FlaskClient, url: str) -> Any:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost", url
    return client.get(parts.path, query_string=parts.query)


def test_every_id_and_target_of_the_zavidovo_export_resolves(
    app: Flask, export: dict[str, Any]
) -> None:
    ids = list(_ids(export))
    items = export["first"]["items"]
    assert len(items) > 10 and len(ids) > 3 * len(items)
    client = app.test_client()
    for url in sorted(set(ids)):
        if url.startswith(("urn:", "tag:")):
            continue
        response = _get(client, url)
        assert response.status_code == 200, (url, response.status_code)


def test_each_annotation_id_answers_that_annotation_as_json_ld(
    app: Flask, export: dict[str, Any]
) -> None:
    client = app.test_client()
    for item in export["first"]["items"]:
        response = _get(client, item["id"])
        assert response.headers["Content-Type"] == MEDIA_TYPE
        served = json.loads(response.get_data(as_text=True))
        # A machine link's "created" is the time of the export (one per request).
        assert served.pop("created") and served == {
            "@context": export["@context"],
            **{k: v for k, v in item.items() if k != "created"},
        }
    page = json.loads(_get(client, export["first"]["id"]).get_data(as_text=True))
    assert page["type"] == "AnnotationPage" and page["partOf"] == export["id"]
    assert [i["id"] for i in page["items"]] == [i["id"] for i in export["first"]["items"]]
    whole = json.loads(_get(client, export["id"]).get_data(as_text=True))
    assert whole["type"] == "AnnotationCollection" and whole["total"] == len(page["items"])
    missing = client.get(f"/dossiers/{ZAVIDOVO}/annotations/no-such-link")
    assert missing.status_code == 404 and "no annotation" in missing.get_data(as_text=True)
    assert client.get(f"/dossiers/{ZAVIDOVO}/annotations?page=2").status_code == 404


def test_targets_lead_to_their_sentence_and_their_text(app: Flask, export: dict[str, Any]) -> None:
    client = app.test_client()
    texts: dict[str, str] = {}
    with_page = 0
    for item in export["first"]["items"]:
        for target in item["target"]:
            source = target["source"]
            if source not in texts:
                response = _get(client, source)
                assert response.mimetype == "text/plain"
                texts[source] = response.get_data(as_text=True)
            quote, position = target["selector"]
            assert texts[source][position["start"] : position["end"]] == quote["exact"]
            if "id" in target:  # one whole sentence: its page shows it
                with_page += 1
                page = html.unescape(_get(client, target["id"]).get_data(as_text=True))
                assert " ".join(quote["exact"].split()) in " ".join(page.split())
    assert with_page > len(export["first"]["items"])  # most targets are single sentences


def test_a_private_dossier_s_annotations_are_for_those_who_may_read_it(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/dossiers/no-such/annotations").status_code == 404
    assert client.get(f"/dossiers/{ZAVIDOVO}/documents/no-such-document").status_code == 404
    site = build_site()  # "Private talks", shared by link, owned by olga
    urls = [f"/dossiers/{PRIVATE}/annotations", f"/dossiers/{PRIVATE}/documents/the-memoir"]
    for url in urls:
        refused = site.client().get(url)
        assert refused.status_code == 404 and "Private talks" not in refused.get_data(as_text=True)
        assert site.client("rob").get(url).status_code == 404  # a reader, not a member
        assert site.client("olga").get(url).status_code == 200
        assert site.client("link").get(url).status_code == 200  # opened the share link
        shared = site.client().get(url, headers={"X-Memcon-Share": site.share})
        assert shared.status_code == 200
    owner = site.client("olga")
    collection = json.loads(owner.get(urls[0]).get_data(as_text=True))
    first = collection["first"]["items"][0]["id"]
    assert _get(owner, first).status_code == 200 and _get(site.client(), first).status_code == 404
