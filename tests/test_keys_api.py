"""The JSON API of answer keys: /api/dossiers/<id>/keys (freeze, list, read, flag)."""

from __future__ import annotations

from .test_keys import _private_keys
from .test_manage import PRIVATE, ManagedSite, build_site

__all__ = ["build_site"]  # the site_template fixture builds this module's site with it

KEYS = f"/api/dossiers/{PRIVATE}/keys"


def test_an_annotator_freezes_lists_reads_and_flags_a_key(site: ManagedSite) -> None:
    client = site.client()
    made = client.post(KEYS, json={"note": "Week 3"}, headers=site.api("mia"))
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert made.headers["Location"].endswith(f"{KEYS}/1")
    assert (body["version"], body["source"], body["frozen_by"], body["note"]) == (
        1,
        "curation",
        "mia",
        "Week 3",
    )
    [account] = body["accounts"]
    assert account["id"] == "the-memoir" and account["links"] >= 1
    listed = client.get(KEYS, headers=site.api("olga")).get_json()
    assert [k["version"] for k in listed["keys"]] == [1]
    read = client.get(f"{KEYS}/1", headers=site.api("olga")).get_json()
    snapshot = read["key"]
    assert snapshot["format"] == 1 and snapshot["record"]["slug"] == "the-memcon"
    assert snapshot["accounts"][0]["links"][0]["scored"] is True
    flagged = client.post(
        f"{KEYS}/1/flags",
        json={"account": "the-memoir", "links": {"1": False}},
        headers=site.api("olga"),
    )
    assert flagged.status_code == 201, flagged.get_json()
    assert flagged.get_json()["based_on"] == 1 and flagged.get_json()["version"] == 2
    again = client.get(f"{KEYS}/2", headers=site.api("olga")).get_json()["key"]
    assert again["accounts"][0]["links"][0]["scored"] is False
    first = client.get(f"{KEYS}/1", headers=site.api("olga")).get_json()["key"]
    assert first == snapshot  # the flagged version is a copy; version 1 is as frozen


def test_refusals_say_why_and_store_nothing(site: ManagedSite) -> None:
    client = site.client()
    assert client.post(KEYS, json={}, headers=site.api("mia")).status_code == 201
    cases = [
        (client.post(KEYS, json={}, headers=site.api("rita")), 403, "only the owner"),
        (client.get(KEYS, headers=site.api("rita")), 403, "only the owner"),
        (client.get(f"{KEYS}/1", headers=site.api("rita")), 403, "only the owner"),
        (client.get(KEYS), 404, "no dossier"),
        (client.get(f"{KEYS}?share={site.share}"), 403, "only the owner"),
        (site.client("olga").post(KEYS, json={}), 401, "Bearer"),
        (client.get(f"{KEYS}/9", headers=site.api("olga")), 404, "no answer key version 9"),
        (client.post(KEYS, json={"nope": 1}, headers=site.api("mia")), 400, "nope"),
        (
            client.post(
                f"{KEYS}/1/flags",
                json={"account": "the-memoir", "links": {"one": False}},
                headers=site.api("mia"),
            ),
            400,
            "whole numbers",
        ),
        (
            client.post(
                f"{KEYS}/1/flags",
                json={"account": "the-memoir", "links": {"1": "no"}},
                headers=site.api("mia"),
            ),
            400,
            "links",
        ),
        (
            client.post(
                f"{KEYS}/1/flags",
                json={"account": "the-memoir", "links": {"40": False}},
                headers=site.api("mia"),
            ),
            400,
            "has no link 40",
        ),
    ]
    for response, status, words in cases:
        assert response.status_code == status, (status, response.get_json())
        assert words in response.get_json()["error"], response.get_json()
    assert _private_keys(site) == 1


def test_a_bundled_dossiers_key_is_withheld_from_readers_and_visitors(site: ManagedSite) -> None:
    client = site.client()
    assert client.get("/api/dossiers/temptation/keys").status_code == 403
    assert client.get("/api/dossiers/temptation/keys/1", headers=site.api("rob")).status_code == 403
    read = client.get("/api/dossiers/temptation/keys/1", headers=site.api("ada"))
    assert read.status_code == 200
    assert read.get_json()["source"] == "bundled"
    luke = read.get_json()["key"]["accounts"][0]
    assert [link["label"] for link in luke["links"]].count("reordering") == 3
