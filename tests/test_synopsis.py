"""The synopsis: the rows built from comparisons (synthetic ones, where each case is made on
purpose, and Zavidovo), and the page a reader opens, with its reference control."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.collate import DiffOp, Link, OrderStats, Sentence, WitnessResult
from webapp.views.synopsis_rows import (
    HEAVY_REWORD,
    Divergence,
    Row,
    heat_levels,
    kept_share,
    synopsis_rows,
)

from .conftest import TEST_CONFIG, DossierRun

ZAVIDOVO = "/dossiers/zavidovo-1993"
CHRISTOPHER = "zavidovo-1993-christopher"
GOLDGEIER = "zavidovo-1993-goldgeier"
RECORD = [f"Record sentence {i}." for i in range(1, 7)]


def witness(n: int, *links: Link, name: str = "w") -> WitnessResult:
    """An account of ``n`` sentences ("Account sentence 1." ...) with these links; the
    record sentences and account sentences they leave out are omitted and added."""
    sentences = tuple(Sentence(j, 0, 0, f"Account sentence {j + 1}.") for j in range(n))
    used_source = {i for link in links for i in link.source}
    used_witness = {j for link in links for j in link.witness}
    return WitnessResult(
        name,
        sentences,
        links,
        tuple(i for i in range(len(RECORD)) if i not in used_source),
        tuple(j for j in range(n) if j not in used_witness),
        OrderStats(None, sum(link.moved for link in links), 0),
        (),
    )


def link(source: tuple[int, ...], wit: tuple[int, ...], moved: bool = False, **kw: object) -> Link:
    return Link(source, wit, 0.9, "close", moved=moved, **kw)  # type: ignore[arg-type]


def record_rows(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.record is not None]


def labels(rows: list[Row], column: int = 0) -> list[tuple[str, str, str]]:
    """Each row as (record label, the column's account label, its state)."""
    return [(r.label, r.cells[column].label, r.cells[column].state) for r in rows]


# --- The rows ------------------------------------------------------------------------------


def test_one_row_per_record_sentence_and_a_blank_where_the_account_omits_it() -> None:
    w = witness(2, link((0,), (0,)), link((2,), (1,)))
    rows = synopsis_rows(RECORD, [w])
    assert [r.label for r in rows] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert [r.text for r in rows] == RECORD
    assert labels(rows)[:3] == [("R1", "A1", "kept"), ("R2", "", "omitted"), ("R3", "A2", "kept")]
    assert rows[1].cells[0].texts == ()
    assert rows[1].divergence == Divergence(omitted=1, accounts=1)
    assert rows[0].divergence == Divergence()
    assert rows[0].cells[0].link == 1 and rows[2].cells[0].link == 2


def test_an_added_sentence_has_its_own_row_between_its_neighbours() -> None:
    w = witness(3, link((0,), (0,)), link((1,), (2,)))
    rows = synopsis_rows(RECORD[:2], [w])
    assert labels(rows) == [("R1", "A1", "kept"), ("", "A2", "added"), ("R2", "A3", "kept")]
    added = rows[1]
    assert added.record is None and added.divergence is None
    assert added.cells[0].texts == ("Account sentence 2.",)


def test_added_rows_of_several_accounts_share_the_gap_and_follow_each_order() -> None:
    one = witness(4, link((0,), (0,)), link((1,), (3,)))  # A2, A3 added after A1
    two = witness(2, link((0,), (0,)), link((1,), (1,)))  # nothing added
    three = witness(2, link((1,), (1,)))  # A1 added, before its R2
    rows = synopsis_rows(RECORD[:2], [one, two, three])
    assert [r.label for r in rows] == ["R1", "", "", "R2"]
    assert [c.label for c in rows[1].cells] == ["A2", "", "A1"]
    assert [c.label for c in rows[2].cells] == ["A3", "", ""]
    assert [c.state for c in rows[2].cells] == ["added", "", ""]


def test_a_one_to_many_link_shows_all_its_account_sentences_in_one_cell() -> None:
    w = witness(3, link((0,), (0, 1)), link((1,), (2,)))
    rows = synopsis_rows(RECORD[:2], [w])
    cell = rows[0].cells[0]
    assert cell.numbers == (1, 2) and cell.label == "A1–A2"
    assert cell.texts == ("Account sentence 1.", "Account sentence 2.")
    assert labels(rows) == [("R1", "A1–A2", "kept"), ("R2", "A3", "kept")]


def test_a_many_to_one_link_shows_its_text_once_and_is_named_in_its_other_rows() -> None:
    w = witness(1, link((1, 2), (0,)))
    rows = record_rows(synopsis_rows(RECORD[:3], [w]))
    first, second = rows[1].cells[0], rows[2].cells[0]
    assert first.texts == ("Account sentence 1.",) and not first.continued
    assert second.numbers == (1,) and second.texts == () and second.continued
    assert second.joined == 1 and second.link == first.link == 1


def test_a_move_shows_as_out_of_sequence_numbers_marked_moved() -> None:
    # The account tells R3 first: in record order its numbers read 2, 3, 1.
    w = witness(3, link((0,), (1,)), link((1,), (2,)), link((2,), (0,), moved=True))
    rows = synopsis_rows(RECORD[:3], [w])
    assert [r.cells[0].numbers[0] for r in rows] == [2, 3, 1]
    assert [r.cells[0].state for r in rows] == ["kept", "kept", "moved"]
    assert rows[2].divergence == Divergence(moved=1, accounts=1)


def test_an_added_sentence_after_a_moved_one_stays_by_its_neighbours_in_order() -> None:
    # A1 = R1, A2 = R4 (moved up), A3 added, A4 = R2: A3 belongs between R1 and R2.
    w = witness(4, link((0,), (0,)), link((3,), (1,), moved=True), link((1,), (3,)))
    rows = synopsis_rows(RECORD[:4], [w])
    assert labels(rows)[:3] == [("R1", "A1", "kept"), ("", "A3", "added"), ("R2", "A4", "kept")]
    assert labels(rows)[-1] == ("R4", "A2", "moved")


def test_added_sentences_without_a_sentence_in_order_go_last() -> None:
    rows = synopsis_rows(RECORD[:2], [witness(2)])
    assert labels(rows) == [
        ("R1", "", "omitted"),
        ("R2", "", "omitted"),
        ("", "A1", "added"),
        ("", "A2", "added"),
    ]


def test_a_heavy_rewording_counts_where_few_record_words_are_kept() -> None:
    light = (DiffOp("equal", "the minister said "), DiffOp("delete", "yes"))
    heavy = (DiffOp("equal", "the "), DiffOp("delete", "minister said yes"))
    heavy += (DiffOp("insert", "envoy refused"),)
    assert kept_share(Link((0,), (0,), 1, "close", diff=light)) == 0.75
    assert kept_share(Link((0,), (0,), 1, "close", diff=heavy)) == 0.25 < HEAVY_REWORD
    assert kept_share(Link((0,), (0,), 1, "close")) == 1.0  # no diff: nothing to judge by
    w = witness(2, link((0,), (0,), diff=light), link((1,), (1,), diff=heavy))
    rows = synopsis_rows(RECORD[:2], [w])
    assert [r.cells[0].heavy for r in rows] == [False, True]
    assert rows[1].divergence == Divergence(reworded=1, accounts=1)


def test_divergence_counts_each_account_once_and_heat_rises_with_it() -> None:
    heavy = (DiffOp("delete", "all of it"), DiffOp("insert", "other words"))
    moved_and_heavy = witness(2, link((0,), (1,), moved=True, diff=heavy), link((1,), (0,)))
    omits = witness(1, link((1,), (0,)))
    keeps = witness(2, link((0,), (0,)), link((1,), (1,)))
    rows = synopsis_rows(RECORD[:2], [moved_and_heavy, omits, keeps])
    first = rows[0].divergence
    assert first == Divergence(omitted=1, moved=1, reworded=1, accounts=2)
    assert first.words(3) == (
        "2 of 3 accounts diverge: 1 leaves it out, 1 tells it elsewhere, 1 rewords it heavily"
    )
    assert rows[1].divergence == Divergence()
    assert rows[1].divergence.words(3) == "none of the 3 accounts diverges here"
    assert heat_levels(rows, 3) == {0: 3, 1: 0}
    assert heat_levels(synopsis_rows(RECORD[:1], [witness(1)]), 1) == {0: 4}


def test_every_account_sentence_is_shown_once_with_its_text(zavidovo: DossierRun) -> None:
    record = [s.text for s in zavidovo.record.sentences]
    rows = synopsis_rows(record, zavidovo.comparison.witnesses)
    assert len(record_rows(rows)) == len(record)
    for column, result in enumerate(zavidovo.comparison.witnesses):
        shown = [n for r in rows for n in r.cells[column].numbers if r.cells[column].texts]
        assert sorted(shown) == list(range(1, len(result.sentences) + 1))


# --- The page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    made = create_app(TEST_CONFIG)
    yield made
    made.extensions["memcon.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page_text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def cells(page: str, account: str) -> list[tuple[str, str]]:
    """The (classes, numbers) of an account's cells in the record rows, in order."""
    found = []
    for row in re.findall(r'<tr class="record-row".*?</tr>', page, re.S):
        cell = re.search(
            rf'<td class="([^"]*)" data-account="{account}" data-numbers="([^"]*)"', row
        )
        assert cell, row[:200]
        found.append((cell.group(1), cell.group(2)))
    return found


def test_zavidovo_has_a_column_per_document_and_christophers_move_out_of_sequence(
    client: FlaskClient,
) -> None:
    page = page_text(client, f"{ZAVIDOVO}/synopsis")
    head = re.search(r"<thead>.*?</thead>", page, re.S)
    assert head
    titles = [
        html.unescape(re.sub(r"<span.*?</span>", "", t)).strip()
        for t in re.findall(r"<th [^>]*>(.*?)</th>", head.group(0), re.S)
    ]
    assert titles[0].startswith("Memorandum of conversation")
    assert titles[1:] == [
        "In the Stream of History (as reported by Goldgeier)",
        "The Russia Hand (as reported by Goldgeier)",
        "Promises Made, Promises Broken? What Yeltsin Was Told About NATO in 1993 "
        "and Why It Matters",
    ]
    assert page.count('<tr class="record-row"') == 23
    christopher = cells(page, CHRISTOPHER)
    numbers = [(i + 1, int(n)) for i, (_, n) in enumerate(christopher) if n]
    assert numbers == [(15, 1), (17, 3), (19, 2)]  # A2 after A3: out of sequence at R19
    assert "moved" in christopher[18][0].split()
    assert all("moved" not in c.split() for c, _ in christopher[:18])
    assert sum("omitted" in c.split() for c, _ in christopher) == 20
    # Talbott's two added sentences come before R15, the sentence it keeps.
    rows = re.findall(r'<tr class="(record-row|added-row)"(?: id="row-r(\d+)")?', page)
    before = [kind for kind, _ in rows[: [r for _, r in rows].index("15")]]
    assert before.count("added-row") >= 2
    assert "how many of the 3 accounts diverge there" in page


def test_the_heat_strip_names_each_sentence_in_words(client: FlaskClient) -> None:
    page = html.unescape(page_text(client, f"{ZAVIDOVO}/synopsis"))
    strip = re.search(r'<ol class="heat-strip".*?</ol>', page, re.S)
    assert strip
    marks = re.findall(
        r'<a class="heat heat-(\d)" href="#row-r(\d+)" title="([^"]*)"', strip.group(0)
    )
    assert len(marks) == 23
    level, number, words = marks[18]
    assert number == "19" and int(level) >= 1
    assert words.startswith("R19: 2 of 3 accounts diverge: 1 leaves it out, 1 tells it elsewhere")
    assert marks[0] == ("4", "1", "R1: 3 of 3 accounts diverge: 3 leave it out")
    assert "leaving the sentence out, telling it in another order, or rewording it heavily" in page


def test_another_reference_changes_the_first_column(client: FlaskClient) -> None:
    page = page_text(client, f"{ZAVIDOVO}/synopsis")
    form = re.search(r'<form class="reference".*?</form>', page, re.S)
    assert form and 'method="get"' in form.group(0)
    options = re.findall(r'<option value="([^"]+)"( selected)?>', form.group(0))
    assert len(options) == 4 and [o for o, s in options if s] == ["zavidovo-1993-memcon"]
    other = page_text(client, f"{ZAVIDOVO}/synopsis?reference={GOLDGEIER}")
    first = re.search(r'<th scope="col" class="ref" data-document="([^"]+)">([^<]+)', other)
    assert first and first.group(1) == GOLDGEIER and first.group(2).startswith("Promises Made")
    assert 'data-account="zavidovo-1993-memcon"' in other
    assert other.count('<tr class="record-row"') == 23  # Goldgeier's 23 sentences
    selected = re.findall(r'<option value="([^"]+)" selected>', other)
    assert selected == [GOLDGEIER]
    # The links of the page keep the reference.
    assert f"/dossiers/zavidovo-1993/compare?reference={GOLDGEIER}" in other


def test_an_unknown_reference_is_a_404_naming_it(client: FlaskClient) -> None:
    page = html.unescape(page_text(client, f"{ZAVIDOVO}/synopsis?reference=nobody", 404))
    assert "has no document 'nobody'" in page


def test_the_compare_and_dossier_pages_link_to_the_synopsis_and_presentation(
    client: FlaskClient,
) -> None:
    for url in (f"{ZAVIDOVO}/compare", ZAVIDOVO):
        page = page_text(client, url)
        assert 'href="/dossiers/zavidovo-1993/synopsis"' in page
        assert 'href="/dossiers/zavidovo-1993/present' in page


def test_a_dossier_still_computing_shows_its_progress_on_both_pages(tmp_path: Path) -> None:
    app = create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path), "BACKGROUND_SENTENCES": 0})
    try:
        response = app.test_client().get(f"{ZAVIDOVO}/synopsis")
        page = response.get_data(as_text=True)
        assert response.status_code == 202
        assert "Synopsis: Christopher and Yeltsin" in page
        assert "<progress" in page and "Comparing in the background" in page
        assert "/static/job.js" in page and '<table class="synopsis"' not in page
        present = app.test_client().get(f"{ZAVIDOVO}/present")  # the same job's progress
        assert present.status_code == 202 and "Comparing in the background" in present.text
    finally:
        app.extensions["memcon.jobs"].close()
        app.extensions["memcon.db"].dispose()
