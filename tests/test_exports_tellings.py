"""Exports of a passage told twice: every format names both tellings and marks the early one
moved (the link itself is not), and the JSON and TEI read back with the tellings."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from lxml import etree

from tests.test_tellings import _compare, _documents
from webapp.collate import Comparison, Document
from webapp.export import from_json, from_tei, to_csv, to_json, to_tei, to_webanno, validate_tei
from webapp.export.model import MACHINE, CuratedDossier, ExportDocument, ExportLink
from webapp.report import comparison_report, html_report

from .tei_all import OFFICIAL_SCHEMA, errors_against_tei_all

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
URL = "https://memcon.example.org/dossiers/arrest"


def _export_document(doc: Document, title: str) -> ExportDocument:
    return ExportDocument(
        id=doc.name,
        title=title,
        author="",
        date="",
        kind="memoir",
        provenance="",
        version=1,
        text=doc.text,
        sentences=doc.sentences,
    )


@pytest.fixture(scope="module")
def dossier() -> CuratedDossier:
    """The arrest (record 11-14) told early at A5-A8 and again in place at A16-A19."""
    record, account = _documents()
    result = _compare().witnesses[0]
    links = tuple(
        ExportLink(
            id=f"m-account-{n}",
            account="account",
            source=link.source,
            witness=link.witness,
            score=link.score,
            kind=link.kind,
            moved=link.moved,
            status="machine",
            resp=MACHINE,
            diff=link.diff,
            possible_move=link.possible_move,
            tellings=link.tellings,
        )
        for n, link in enumerate(result.links, start=1)
    )
    return CuratedDossier(
        id="arrest",
        title="The tanner's arrest",
        date="",
        description="",
        url=URL,
        note="",
        record=_export_document(record, "Town record"),
        accounts=(_export_document(account, "Chronicle"),),
        links=links,
        exported="2026-12-01T12:00:00Z",
    )


def _told_twice(d: CuratedDossier) -> ExportLink:
    (link,) = [k for k in d.links if k.source == (12,)]  # R13, told at A6 and A17
    return link


def test_the_fixture_has_a_passage_told_twice(dossier: CuratedDossier) -> None:
    link = _told_twice(dossier)
    assert link.witness == (5, 16) and not link.moved
    assert [(t.witness, t.moved) for t in link.tellings] == [((5,), True), ((16,), False)]


def test_the_json_export_carries_the_tellings_and_reads_back(dossier: CuratedDossier) -> None:
    data = json.loads(json.dumps(to_json(dossier)))
    (row,) = [k for k in data["witnesses"][0]["links"] if k["source"] == [12]]
    assert row["moved"] is False
    assert [(t["witness"], t["moved"]) for t in row["tellings"]] == [([5], True), ([16], False)]
    once = [k for k in data["witnesses"][0]["links"] if k["source"] == [0]]
    assert once and "tellings" not in once[0]
    assert from_json(data) == dossier
    # Still an engine comparison: the engine's reader sees the same tellings.
    (link,) = [k for k in Comparison.from_dict(data).witnesses[0].links if k.source == (12,)]
    assert [t.moved for t in link.tellings] == [True, False]


def test_a_json_import_refuses_tellings_that_are_not_the_links_sentences(
    dossier: CuratedDossier,
) -> None:
    data = json.loads(json.dumps(to_json(dossier)))
    (row,) = [k for k in data["witnesses"][0]["links"] if k["source"] == [12]]
    row["tellings"][1]["witness"] = [17]
    with pytest.raises(ValueError, match=r"links\[\d+\]\.tellings: their sentences"):
        from_json(data)
    row["tellings"][1]["witness"] = [16]
    row["tellings"][0]["kind"] = "fiction"
    with pytest.raises(ValueError, match=r"tellings\[0\]\.kind"):
        from_json(data)


def test_the_csv_has_one_row_per_telling_after_its_link(dossier: CuratedDossier) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(dossier))))
    link = _told_twice(dossier)
    at = next(n for n, r in enumerate(rows) if r["row_type"] == "link" and r["link_id"] == link.id)
    assert (rows[at]["account_sentences"], rows[at]["moved"]) == ("6 17", "no")
    early, in_place = rows[at + 1], rows[at + 2]
    assert [r["row_type"] for r in (early, in_place)] == ["telling", "telling"]
    assert {early["link_id"], in_place["link_id"]} == {link.id}
    assert (early["account_sentences"], early["moved"]) == ("6", "yes")
    assert (in_place["account_sentences"], in_place["moved"], in_place["kind"]) == (
        "17",
        "no",
        "verbatim",
    )
    assert early["account_text"] == dossier.accounts[0].sentences[5].text
    assert sum(r["row_type"] == "telling" for r in rows) == 8  # R12-R15, twice each


def test_the_tei_has_a_link_per_telling_valid_and_read_back(dossier: CuratedDossier) -> None:
    data = to_tei(dossier)
    assert validate_tei(data) == []
    root = etree.fromstring(data)
    (group,) = root.findall(f".//{TEI}linkGrp[@type='tellings']")
    link = _told_twice(dossier)
    told = [e for e in group if e.get("corresp") == f"#{link.id}"]
    assert [e.get("target") for e in told] == [
        "#record-s13 #account-s6",
        "#record-s13 #account-s17",
    ]
    assert ["#memcon-moved" in e.get("ana", "").split() for e in told] == [True, False]
    assert all(e.get("type") == "telling" for e in told)
    (alignment,) = [e for e in root.iter(f"{TEI}link") if e.get(XML_ID) == link.id]
    assert "#memcon-moved" not in alignment.get("ana", "")
    assert from_tei(data) == dossier


def test_a_tei_import_refuses_a_telling_of_no_link(dossier: CuratedDossier) -> None:
    link = _told_twice(dossier)
    broken = to_tei(dossier).replace(f'corresp="#{link.id}"'.encode(), b'corresp="#m-nowhere"')
    with pytest.raises(ValueError, match="@corresp should name one link of its account"):
        from_tei(broken)


@pytest.mark.skipif(not OFFICIAL_SCHEMA.exists(), reason="official tei_all.rng absent")
def test_the_tei_with_tellings_is_valid_against_tei_all(dossier: CuratedDossier) -> None:
    assert errors_against_tei_all(to_tei(dossier)) == []


def test_the_web_annotations_have_one_annotation_per_telling(dossier: CuratedDossier) -> None:
    items = to_webanno(dossier)["first"]["items"]  # type: ignore[index]
    link = _told_twice(dossier)
    parent_id = f"{URL}/annotations/{link.id}"
    at = next(n for n, item in enumerate(items) if item["id"] == parent_id)
    parent, early, in_place = items[at : at + 3]
    assert {"purpose": "describing", "type": "TextualBody"}.items() <= parent["body"][0].items()
    assert parent["body"][0]["value"] == (
        "told 2 times: A6 told in another order; A17 in the record's order"
    )
    assert not any(b["purpose"] == "classifying" for b in parent["body"])
    assert [early["id"], in_place["id"]] == [f"{parent_id}.telling-1", f"{parent_id}.telling-2"]
    assert early["body"][0] == {"type": "TextualBody", "purpose": "classifying", "value": "moved"}
    assert not any(b["purpose"] == "classifying" for b in in_place["body"])
    assert parent_id in in_place["body"][-1]["value"]
    account = dossier.accounts[0]
    for item, j in ((early, 5), (in_place, 16)):
        record_target, account_target = item["target"]
        assert record_target["id"].endswith("/compare/account/record/13")
        assert account_target["id"].endswith(f"/compare/account/account/{j + 1}")
        quoted = account_target["selector"][0]["exact"]
        assert quoted == account.sentences[j].text
    told_once = len(dossier.links) + sum(len(k.tellings) for k in dossier.links)
    assert len(items) == told_once


def test_a_link_told_once_exports_as_before(dossier: CuratedDossier) -> None:
    once = dataclasses.replace(dossier, links=tuple(k for k in dossier.links if not k.tellings))
    rows = list(csv.DictReader(io.StringIO(to_csv(once))))
    assert "telling" not in {r["row_type"] for r in rows}
    assert b'type="tellings"' not in to_tei(once)
    assert len(to_webanno(once)["first"]["items"]) == len(once.links)  # type: ignore[index]


def test_the_reports_list_the_telling_told_again_out_of_order() -> None:
    comparison = _compare()
    text = comparison_report(comparison)
    assert "20 links, 0 moved, 4 told again out of order (told twice);" in text
    listed = text.split("Told again out of order (a passage told twice, in place and elsewhere):")
    assert len(listed) == 2
    assert listed[1].splitlines()[2].startswith("  R13 -> A6: His wife pleaded")
    page = html_report(comparison)
    assert "<li>4 told again out of order (told twice)</li>" in page
    assert page.count('<tr class="telling moved">') == 4
    assert page.count('<tr class="telling">') == 4
