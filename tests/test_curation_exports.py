"""Exports of the curated Zavidovo dossier: golden files, TEI validity, Web Annotation, round trips.

The golden files under ``tests/data/golden/`` are the exports of the bundled Zavidovo
dossier with a few human edits (times fixed). After a deliberate change of an export
format, rewrite them with ``MEMCON_UPDATE_GOLDEN=1 pytest tests/test_curation_exports.py``
and review the diff.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import func, select, update

from webapp import create_app
from webapp.export import FORMATS, from_json, from_tei, to_json, to_tei, validate_tei
from webapp.export.model import CuratedDossier, HistoryEntry
from webapp.library.exchange import build_export
from webapp.store import User
from webapp.store.models import Change, LinkDecision, SentenceMark
from webapp.store.users import create_user, new_token
from webapp.views.curate import load_history

from .conftest import TEST_CONFIG

Z = "zavidovo-1993"
GOLDEN = Path(__file__).parent / "data" / "golden"
WHEN = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
URL = "https://memcon.example.org/dossiers/zavidovo-1993"
TEI_NS = "{http://www.tei-c.org/ns/1.0}"


def curated_app(database: str = "sqlite://") -> tuple[Flask, dict[str, str]]:
    """Zavidovo with a few human edits by ada (admin) and olga (annotator member)."""
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": False, "DATABASE_URL": database})
    with app.extensions["memcon.db"].session() as session:
        ada = create_user(session, "ada", "correct horse", "admin")
        olga = create_user(session, "olga", "correct horse", "annotator")
        tokens = {"ada": new_token(session, ada), "olga": new_token(session, olga)}
    return app, tokens


def edit(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    ada = {"Authorization": f"Bearer {tokens['ada']}"}
    data = client.get(f"/api/dossiers/{Z}/links", headers=ada).get_json()
    talbott, goldgeier = data["accounts"][1], data["accounts"][2]

    def post(url: str, body: dict[str, Any], expect: int = 201) -> Any:
        response = client.post(url, json=body, headers=ada)
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    post(
        f"/api/dossiers/{Z}/links",
        {
            "account": talbott["id"],
            "source": [talbott["omitted"][-1]],
            "witness": [talbott["added"][0]],
            "label": "embellishment",
            "note": "Talbott's *gloss*: <script>alert(1)</script>",
        },
    )
    first, second = goldgeier["links"][0], goldgeier["links"][1]
    for link, action, label in ((first, "confirm", "paraphrase"), (second, "remove", None)):
        post(
            f"/api/dossiers/{Z}/links",
            {
                "account": goldgeier["id"],
                "action": action,
                "source": link["source"],  # read and sent back: the same numbers
                "witness": link["witness"],
                "label": label,
            },
        )
    post(
        f"/api/dossiers/{Z}/marks",
        {
            "account": talbott["id"],
            "side": "record",
            "index": talbott["omitted"][0],
            "significant": "yes",
            "note": "The caveat, left out.",
        },
        expect=200,
    )
    version = client.get(f"/api/dossiers/{Z}", headers=ada).get_json()["version"]
    response = client.put(
        f"/api/dossiers/{Z}/notes",
        json={"notes": "Curated for the **source criticism** class.", "version": version},
        headers=ada,
    )
    assert response.status_code == 200
    # Fixed times, so that the exports are the same on every run.
    with app.extensions["memcon.db"].session() as session:
        for model in (LinkDecision, SentenceMark):
            session.execute(update(model).values(created_at=WHEN, updated_at=WHEN))
        session.execute(update(Change).values(created_at=WHEN))


def export_of(app: Flask) -> CuratedDossier:
    with app.test_request_context():
        from flask import g

        with app.extensions["memcon.db"].session() as session:
            g.user = session.scalar(select(User).where(User.name == "ada"))
        library = app.extensions["memcon.library"]
        result = library.comparison(Z, g.user)
        return build_export(result, load_history(result.dossier.db_id), URL, now=WHEN)


@pytest.fixture(scope="module")
def curated() -> CuratedDossier:
    app, tokens = curated_app()
    edit(app, tokens)
    return export_of(app)


def rendered(curated: CuratedDossier, fmt: str) -> bytes:
    return FORMATS[fmt].write(curated)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("json", "zavidovo.json"),
        ("csv", "zavidovo.csv"),
        ("tei", "zavidovo.tei.xml"),
        ("webanno", "zavidovo.jsonld"),
    ],
)
def test_exports_match_the_golden_files(curated: CuratedDossier, fmt: str, name: str) -> None:
    body = rendered(curated, fmt)
    golden = GOLDEN / name
    if os.environ.get("MEMCON_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(body)
    assert golden.exists(), f"{golden} is missing: run with MEMCON_UPDATE_GOLDEN=1 once"
    assert body == golden.read_bytes()


def test_the_exports_hold_the_human_edits(curated: CuratedDossier) -> None:
    by_status = {
        s: [link for link in curated.links if link.status == s] for s in ("added", "confirmed")
    }
    (added,) = by_status["added"]
    (confirmed,) = by_status["confirmed"]
    assert (added.label, added.resp, added.account) == (
        "embellishment",
        "ada",
        "zavidovo-1993-talbott",
    )
    assert confirmed.label == "paraphrase" and confirmed.account == "zavidovo-1993-goldgeier"
    assert len(curated.rejected) == 1 and curated.rejected[0].resp == "ada"
    (mark,) = curated.marks
    assert (mark.significant, mark.status, mark.note) == (True, "omitted", "The caveat, left out.")
    assert curated.note == "Curated for the **source criticism** class."
    assert [h.action for h in curated.history].count("create") == 4


def test_the_tei_is_well_formed_valid_and_links_every_sentence_by_id(
    curated: CuratedDossier,
) -> None:
    data = to_tei(curated)
    assert validate_tei(data) == []
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    sentences = root.findall(f".//{TEI_NS}s")
    ids = {s.get("{http://www.w3.org/XML/1998/namespace}id") for s in sentences}
    assert None not in ids
    expected = len(curated.record.sentences) + sum(len(a.sentences) for a in curated.accounts)
    assert len(sentences) == len(ids) == expected
    links = root.findall(f".//{TEI_NS}standOff/{TEI_NS}linkGrp[@type='alignment']/{TEI_NS}link")
    assert links
    for link in links:
        for target in (link.get("target") or "").split():
            assert target.startswith("#") and target[1:] in ids, target
        assert link.get("resp", "").startswith("#") and link.get("cert") is not None
    assert any(link.get("type") == "embellishment" for link in links)
    assert b"<script>" not in data and b"&lt;script&gt;" in data


def test_the_web_annotations_have_the_w3c_context_and_both_selectors(
    curated: CuratedDossier,
) -> None:
    data = json.loads(rendered(curated, "webanno"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = data["first"]["items"]
    assert len(items) == len(curated.links) + len(curated.quotes)
    links, quotes = items[: len(curated.links)], items[len(curated.links) :]
    assert all(item["motivation"] == "linking" for item in links)
    assert all(item["motivation"] == "assessing" for item in quotes)
    texts = {d.id: d.text for d in (curated.record, *curated.accounts)}
    for item in items:
        assert item["creator"] and item["created"]
        for target in item["target"]:
            selectors = {s["type"]: s for s in target["selector"]}
            quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
            document = target["source"].rsplit("/", 1)[-1]
            assert texts[document][position["start"] : position["end"]] == quote["exact"]


def test_the_csv_has_a_row_per_link_omission_and_addition(curated: CuratedDossier) -> None:
    rows = list(csv.DictReader(io.StringIO(rendered(curated, "csv").decode("utf-8"))))
    assert rows
    types = {row["row_type"] for row in rows}
    assert {"link", "omission", "addition"} <= types
    n_links = sum(1 for row in rows if row["row_type"] == "link")
    assert n_links == len(curated.links)


def _without_ids(curated: CuratedDossier) -> dict[str, Any]:
    """What a round trip must keep: everything but row ids, history and export time."""
    data = dataclasses.asdict(curated)
    for key in ("history", "exported"):
        data.pop(key)
    for group in ("links", "rejected", "marks"):
        for item in data[group]:
            item.pop("id")
    return data


@pytest.mark.parametrize("fmt", ["json", "tei"])
def test_an_export_imported_into_a_fresh_dossier_reproduces_it(
    curated: CuratedDossier, fmt: str
) -> None:
    body = rendered(curated, fmt)
    app, tokens = curated_app()
    client = app.test_client()
    response = client.post(
        f"/api/dossiers/{Z}/import",
        data={"file": (io.BytesIO(body), f"zavidovo.{'json' if fmt == 'json' else 'tei.xml'}")},
        headers={"Authorization": f"Bearer {tokens['ada']}"},
    )
    assert response.status_code == 200, response.get_json()
    message = response.get_json()["message"]
    assert "Imported 2 links, 1 removals and 1 marks" in message
    assert f"with {len(curated.history)} changes of history" in message
    with app.extensions["memcon.db"].session() as session:
        for model in (LinkDecision, SentenceMark):
            session.execute(update(model).values(updated_at=WHEN))
    again = export_of(app)
    assert _without_ids(again) == _without_ids(curated)

    # The history comes back as it was (who, when, what, before, after), then the import.
    def entries(history: tuple[HistoryEntry, ...]) -> list[tuple[object, ...]]:
        return [(h.when, h.who, h.target, h.action, h.before, h.after) for h in history]

    restored = again.history[: len(curated.history)]
    assert entries(restored) == entries(curated.history)
    assert all(h.who == "ada" for h in again.history[len(curated.history) :])
    # Imported changes are shown as such and are never reverted here.
    with app.extensions["memcon.db"].session() as session:
        first = session.scalar(select(Change).where(Change.imported).order_by(Change.id))
        assert first is not None
        first_id, count = first.id, session.scalar(select(func.count(Change.id)))
    ada = {"Authorization": f"Bearer {tokens['ada']}"}
    refused = client.post(f"/api/dossiers/{Z}/history/{first_id}/revert", headers=ada)
    assert refused.status_code == 400 and "cannot be reverted here" in refused.get_json()["error"]
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Change.id))) == count
    with app.extensions["memcon.db"].session() as session:
        ada_id = session.scalar(select(User.id).where(User.name == "ada"))
    with client.session_transaction() as browser:
        browser["user_id"] = ada_id
    page = client.get(f"/dossiers/{Z}/history").get_data(as_text=True)
    rows = dict(re.findall(r'<li class="change[^"]*" id="change-(\d+)">(.*?)</li>', page, re.S))
    assert "imported</span>" in rows[str(first_id)] and "Revert" not in rows[str(first_id)]
    newest = str(max(int(k) for k in rows))  # the import's own last change: revertible
    assert "imported</span>" not in rows[newest] and "Revert" in rows[newest]


def test_the_file_formats_round_trip_exactly(curated: CuratedDossier) -> None:
    assert from_json(to_json(curated)) == curated
    assert from_tei(to_tei(curated)) == curated


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        (b"", "x.json", "choose a JSON or TEI export"),
        (b"{not json", "x.json", "is not valid JSON"),
        (b'{"schema": 1}', "x.json", ""),
        (b"<html/>", "x.xml", "TEI"),
        (b"hello", "x.txt", "neither a JSON nor a TEI export"),
    ],
)
def test_a_bad_import_says_why_and_changes_nothing(body: bytes, name: str, reason: str) -> None:
    app, tokens = curated_app()
    edit(app, tokens)
    before = export_of(app)
    response = app.test_client().post(
        f"/api/dossiers/{Z}/import",
        data={"file": (io.BytesIO(body), name)},
        headers={"Authorization": f"Bearer {tokens['ada']}"},
    )
    assert response.status_code == 400 and reason in response.get_json()["error"]
    assert _without_ids(export_of(app)) == _without_ids(before)


def test_an_import_of_other_texts_is_refused(curated: CuratedDossier) -> None:
    changed = dataclasses.replace(
        curated, record=dataclasses.replace(curated.record, text=curated.record.text + "More.")
    )
    app, tokens = curated_app()
    response = app.test_client().post(
        f"/api/dossiers/{Z}/import",
        data={"file": (io.BytesIO(json.dumps(to_json(changed)).encode()), "z.json")},
        headers={"Authorization": f"Bearer {tokens['ada']}"},
    )
    assert (
        response.status_code == 400
        and "differs from the stored one" in response.get_json()["error"]
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("action", "explode", "unknown action 'explode'"),
        ("target", "user 3", "unknown target 'user 3'"),
        ("before", "{not json", "before is not JSON"),
        ("after", "[1, 2]", "after is not a JSON object"),
        ("who", "", "a person's name"),
        ("when", "yesterday", "'yesterday' is not an ISO 8601 time"),
    ],
)
def test_an_import_with_bad_history_says_which_entry_and_changes_nothing(
    curated: CuratedDossier, field: str, value: str, reason: str
) -> None:
    history = list(curated.history)
    history[1] = dataclasses.replace(history[1], **{field: value})
    bad = dataclasses.replace(curated, history=tuple(history))
    app, tokens = curated_app()
    with app.extensions["memcon.db"].session() as session:
        changes = session.scalar(select(func.count(Change.id)))
    before = export_of(app)
    response = app.test_client().post(
        f"/api/dossiers/{Z}/import",
        data={"file": (io.BytesIO(json.dumps(to_json(bad)).encode()), "z.json")},
        headers={"Authorization": f"Bearer {tokens['ada']}"},
    )
    error = response.get_json()["error"]
    assert response.status_code == 400 and f"history entry {history[1].id}: " in error, error
    assert reason in error
    assert _without_ids(export_of(app)) == _without_ids(before)
    with app.extensions["memcon.db"].session() as session:
        assert session.scalar(select(func.count(Change.id))) == changes


def test_exports_download_from_the_page_and_the_api(curated: CuratedDossier) -> None:
    app, _ = curated_app()
    client = app.test_client()
    for fmt, mimetype in (
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("tei", "application/tei+xml"),
        ("webanno", "application/ld+json"),
    ):
        for url in (f"/dossiers/{Z}/export?format={fmt}", f"/api/dossiers/{Z}/export?format={fmt}"):
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype == mimetype, url
            assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    page = client.get(f"/dossiers/{Z}/export?format=html").get_data(as_text=True)
    assert "Discrepancies" in page and "sequence" in page.lower()
    assert client.get(f"/api/dossiers/{Z}/export?format=pdf").status_code == 400
    assert client.get("/api/dossiers/nope/export?format=json").status_code == 404
