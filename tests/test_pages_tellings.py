"""A passage told twice through the web app: the exports the API serves name both tellings
(and import back), the compare page marks the moved telling for the "moved only" filter,
the printed alignment counts it, and the order box names both tellings."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_retell import RECORD, RETOLD

from .webdb import WebSite, web_site

ACCOUNT = [*RECORD[:4], *RETOLD, *RECORD[4:]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebSite, str]]:
    """The tanner's arrest (R12-R15) told early at A5-A8 and again in place at A16-A19."""
    with web_site("sqlite", tmp_path_factory.mktemp("tellings")) as found:
        found.add_user("ada")
        dossier = found.dossier("ada", "The tanner's arrest")
        found.document("ada", dossier, "Town record", "memcon", "\n".join(RECORD) + "\n")
        found.document("ada", dossier, "Chronicle", "memoir", "\n".join(ACCOUNT) + "\n")
        yield found, dossier


def _get(site: tuple[WebSite, str], url: str) -> str:
    web, dossier = site
    response = web.call("ada", "GET", url.format(d=dossier))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_the_json_export_names_both_tellings_and_imports_back(
    site: tuple[WebSite, str],
) -> None:
    body = _get(site, "/api/dossiers/{d}/export?format=json")
    data = json.loads(body)
    (row,) = [k for k in data["witnesses"][0]["links"] if k["source"] == [12]]
    assert row["moved"] is False
    assert [(t["witness"], t["moved"]) for t in row["tellings"]] == [([5], True), ([16], False)]
    web, dossier = site
    response = web.call(
        "ada", "POST", f"/api/dossiers/{dossier}/import", data=body, content_type="application/json"
    )
    assert response.status_code == 200, response.get_json()
    assert (
        json.loads(_get(site, "/api/dossiers/{d}/export?format=json"))["witnesses"]
        == (data["witnesses"])
    )


def test_the_csv_and_tei_exports_mark_the_early_telling_moved(site: tuple[WebSite, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(_get(site, "/api/dossiers/{d}/export?format=csv"))))
    told = [(r["account_sentences"], r["moved"]) for r in rows if r["row_type"] == "telling"]
    assert told[:2] == [("5", "yes"), ("16", "no")]  # R12: A5 early, A16 in place
    assert len(told) == 8
    tei = _get(site, "/api/dossiers/{d}/export?format=tei")
    early = re.search(r'<link [^>]*target="#town-record-s13 #chronicle-s6"[^>]*>', tei)
    assert early and 'type="telling"' in early.group() and "#memcon-moved" in early.group()
    in_place = re.search(r'<link [^>]*target="#town-record-s13 #chronicle-s17"[^>]*>', tei)
    assert in_place and "#memcon-moved" not in in_place.group()


def test_each_telling_annotation_resolves(site: tuple[WebSite, str]) -> None:
    items = json.loads(_get(site, "/dossiers/{d}/annotations"))["first"]["items"]
    tellings = [item for item in items if ".telling-" in item["id"]]
    assert len(tellings) == 8
    moved = [t for t in tellings if {"purpose": "classifying"}.items() <= t["body"][0].items()]
    assert len(moved) == 4 and all(t["id"].endswith(".telling-1") for t in moved)
    name = moved[0]["id"].rsplit("/", 1)[1]
    one = json.loads(_get(site, "/dossiers/{d}/annotations/" + name))
    assert one["id"] == moved[0]["id"] and one["body"][0]["value"] == "moved"


def test_the_moved_only_filter_has_the_moved_telling_to_show(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/compare")
    item = re.search(r'<li id="chronicle-link-\d+" class="([^"]*)"[^>]*data-source="12"', html)
    assert item and item.group(1).split() == ["link", "retold"]  # not a moved link
    record = re.search(r'<li id="chronicle-r13" class="([^"]*)"', html)
    assert record and set(record.group(1).split()) == {"sentence", "kept", "retold"}
    early = re.search(r'<li id="chronicle-a6" class="([^"]*)"', html)
    in_place = re.search(r'<li id="chronicle-a17" class="([^"]*)"', html)
    assert early and early.group(1) == "sentence moved"
    assert in_place and in_place.group(1) == "sentence kept"
    css = (Path(__file__).parents[1] / "static" / "memcon.css").read_text(encoding="utf-8")
    assert '.panel[data-filter="moved"] li.sentence:not(.moved):not(.retold)' in css


def test_the_printed_alignment_counts_and_lists_each_telling(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/print")
    assert "0 moved (told in another order) · 4 told again out of order (told twice)" in html
    assert "<strong>R13 → A6 (telling 1 of 2)</strong> · moved: " in html
    assert "<strong>R13 → A17 (telling 2 of 2)</strong> · in order: " in html
    links = json.loads(_get(site, "/api/dossiers/{d}/export?format=json"))["witnesses"][0]["links"]
    assert f"Links of Chronicle ({len(links)})" in html  # links, not entries


def test_the_order_box_names_both_tellings(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/compare?a=warehouses&b=arrested")
    assert '<span class="verdict-word">both</span>' in html  # tests/test_order_tellings.py
    assert (
        "“arrested” is told twice: in sentence 5, before what corresponds to “warehouses” "
        "(sentence 13), against the record&#39;s order; and again in sentence 16, after it, "
        "in the record&#39;s order."
    ) in html


def test_a_phrase_told_once_gets_no_note_on_tellings(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/compare?a=fishermen&b=messenger")
    assert "the order is kept." in html and "told twice there" not in html


def test_the_html_export_lists_the_telling_told_again_out_of_order(
    site: tuple[WebSite, str],
) -> None:
    html = _get(site, "/api/dossiers/{d}/export?format=html")
    assert "<td>0 (and 4 told again out of order)</td>" in html
    rows = re.findall(
        r'<tr class="moved"><td>told again out of order[^<]*</td>\s*<td>R(\d+) ', html
    )
    assert rows == ["12", "13", "14", "15"]
    assert "A6 His wife pleaded with the magistrate" in html


def test_the_sentence_page_names_each_telling(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/compare/chronicle/record/13")
    assert (
        "A passage the account tells twice, each telling judged on its own order: A6 "
        'paraphrase, <span class="moved-word">moved</span>; A17 verbatim, in the record\'s '
        "order."
    ) in html


def test_presentation_mode_steps_through_the_tellings_told_out_of_order(
    site: tuple[WebSite, str],
) -> None:
    html = _get(site, "/dossiers/{d}/present?account=chronicle")
    assert re.search(r'id="counter"[^>]*>\w+ 1 of 4<', html)  # R12-R15, each told early
    assert '<span class="pos" id="account-at">A5 of 24</span>' in html
    assert "Told twice: in the record&#39;s order at A16, and once more at A5, out of it." in html
    assert "They seized the tanner and led him up to the castle gaol." in html
    assert "The tanner was arrested and taken to the castle gaol." in html  # the record


def test_the_printed_head_names_only_what_is_known(site: tuple[WebSite, str]) -> None:
    html = _get(site, "/dossiers/{d}/print")
    assert "Account: Chronicle (memoir)" in html and "(, ·" not in html


def test_the_synopsis_names_both_tellings_and_the_one_out_of_order(
    site: tuple[WebSite, str],
) -> None:
    html = _get(site, "/dossiers/{d}/synopsis")
    row = html[html.index('id="row-r13"') :]
    row = row[: row.index("</tr>")]
    assert ">A6, A17</a>" in row  # two tellings, not a range A6–A17
    assert '<span class="flag-word retold-word">told twice</span>' in row
    assert "A6 again out of order" in row
