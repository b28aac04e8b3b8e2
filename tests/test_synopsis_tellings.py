"""A passage told again out of order in the synopsis (:mod:`webapp.views.synopsis_rows`):
its cells are neither kept nor moved but ``retold`` (a legend entry of their own), the
heat strip counts the account as diverging there, and the column head counts the links
told again out of order as the printed alignment does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.test_retell import RECORD, RETOLD
from webapp.collate import Document, Link, OrderStats, Sentence, Telling, WitnessResult, compare
from webapp.collate.tellings import retold_out_of_order
from webapp.views.synopsis_present import crossed, why
from webapp.views.synopsis_rows import RETOLD as RETOLD_STATE
from webapp.views.synopsis_rows import Divergence, Row, heat_levels, retold_links, synopsis_rows

from .webdb import web_site

#: The tanner's arrest (record 11-14) told early at A5-A8 and again in place at A16-A19.
ACCOUNT = [*RECORD[:4], *RETOLD, *RECORD[4:]]


def _rows(*accounts: list[str]) -> tuple[list[Row], list[WitnessResult]]:
    record = Document.from_lines("record", "\n".join(RECORD))
    told = [Document.from_lines(f"a{k}", "\n".join(a)) for k, a in enumerate(accounts)]
    witnesses = compare(record, told).witnesses
    return list(synopsis_rows(RECORD, witnesses)), list(witnesses)


def test_a_passage_told_again_out_of_order_is_its_own_state_and_diverges() -> None:
    rows, (witness,) = _rows(ACCOUNT)
    by_record = {r.record: r for r in rows if r.record is not None}
    for i in range(11, 15):
        (cell,) = by_record[i].cells
        assert cell.state == RETOLD_STATE, i
        divergence = by_record[i].divergence
        assert divergence == Divergence(retold=1, accounts=1)
        assert divergence.words(1) == "1 of 1 accounts diverges: 1 tells it again out of order"
    assert by_record[10].cells[0].state == "kept" and by_record[10].divergence == Divergence()
    heat = heat_levels(rows, 1)
    assert [heat[i] for i in (10, 11, 14, 15)] == [0, 4, 4, 0]
    assert retold_links(witness) == 4


def test_an_account_telling_it_once_in_place_does_not_diverge() -> None:
    rows, (witness,) = _rows(RECORD)
    assert all(r.divergence == Divergence() for r in rows)
    assert retold_links(witness) == 0


def test_two_accounts_one_telling_twice_count_one_of_two() -> None:
    rows, _ = _rows(ACCOUNT, RECORD)
    (row,) = [r for r in rows if r.record == 12]
    assert [c.state for c in row.cells] == [RETOLD_STATE, "kept"]
    assert row.divergence is not None
    assert row.divergence.words(2) == "1 of 2 accounts diverges: 1 tells it again out of order"
    assert heat_levels(rows, 2)[12] == 2


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with web_site("sqlite", tmp_path_factory.mktemp("synopsis-tellings")) as web:
        web.add_user("ada")
        dossier = web.dossier("ada", "The tanner's arrest")
        web.document("ada", dossier, "Town record", "memcon", "\n".join(RECORD) + "\n")
        web.document("ada", dossier, "Chronicle", "memoir", "\n".join(ACCOUNT) + "\n")
        response = web.call("ada", "GET", f"/dossiers/{dossier}/synopsis")
        assert response.status_code == 200
        yield response.get_data(as_text=True)


def test_the_heat_strip_marks_the_passage_told_twice(page: str) -> None:
    strip = page[page.index('<ol class="heat-strip') : page.index("</ol>")]
    marks = re.findall(r'<a class="heat heat-(\d)" href="#row-r(\d+)" title="([^"]*)"', strip)
    assert marks[12] == ("4", "13", "R13: 1 of 1 accounts diverges: 1 tells it again out of order")
    assert marks[10] == ("0", "11", "R11: none of the 1 accounts diverges here")
    assert [m[0] for m in marks].count("4") == 4  # R12-R15 only


def test_the_cells_and_the_legend_name_the_passage_told_twice(page: str) -> None:
    row = page[page.index('id="row-r13"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'<td class="cell retold"[^>]*data-numbers="6 17"', row)
    assert '<span class="flag-word retold-word">told twice</span>' in row
    assert "A6 again out of order" in row
    assert '<th scope="row" class="ref"><span class="heat heat-4"' in row
    legend = page[page.index('<ul class="cell-legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert (
        '<li><span class="swatch retold" aria-hidden="true"></span> <span class="flag-word '
        'retold-word">told twice</span> in order here, and again out of order</li>'
    ) in legend
    assert "telling it twice, in order and again out of order, counts too." in page


def test_the_heat_title_speaks_of_one_account_in_the_singular(page: str) -> None:
    assert '<h2 id="heat-title">Where the 1 account diverges</h2>' in page


def test_the_column_head_counts_the_links_told_again_out_of_order(page: str) -> None:
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert "0 moved, 4 told again out of order, 0 left out" in head


def _hand_made() -> WitnessResult:
    """R4 moved early to A3; R4's neighbour R3 told early at A2 (moved) and again in place
    at A6: in the record R3 comes before R4, and in place the account tells it after."""
    texts = ["R0.", "R3 early.", "R4.", "R1.", "R2.", "R3.", "R5."]
    sentences = tuple(Sentence(j, 0, len(t), t) for j, t in enumerate(texts))
    twice = (Telling((1,), 0.9, "close", moved=True), Telling((5,), 0.9, "close"))
    links = (
        Link((0,), (0,), 0.9, "close"),
        Link((1,), (3,), 0.9, "close"),
        Link((2,), (4,), 0.9, "close"),
        Link((3,), (1, 5), 0.9, "close", tellings=twice),
        Link((4,), (2,), 0.9, "close", moved=True),
        Link((5,), (6,), 0.9, "close"),
    )
    return WitnessResult("w", sentences, links, (), (), OrderStats(0.5, 1, 5), ())


def test_why_a_move_names_a_passage_told_twice_where_it_is_told_in_place() -> None:
    result = _hand_made()
    assert retold_out_of_order(result.links[3])
    # R5 (A3) is told before R2, R3 and R4, R3 in place at A6 (not at its early A2).
    assert why(result, 5) == (
        "In the record R5 comes after R2, R3 and R4, but the account tells it before: "
        "A3, before A4, A5 and A6."
    )
    assert [k.source for k in crossed(result, 5)] == [(1,), (2,), (3,)]


def test_an_added_sentence_after_the_early_telling_sits_by_what_is_told_in_order() -> None:
    # A9, added right after the early telling (A5-A8), follows A4 (R4, told in order),
    # not the early telling's R15.
    added = "A pedlar sold ribbons to the children at the gate."
    rows, (witness,) = _rows([*RECORD[:4], *RETOLD, added, *RECORD[4:]])
    assert witness.added == (8,)
    labels = [r.label or r.cells[0].label for r in rows]
    assert labels[3:6] == ["R4", "A9", "R5"]


def test_presentation_names_what_a_move_crosses_where_it_is_told_in_place(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # R17 moved before the arrest told in place (A17-A20): it crosses R12-R16 there; the
    # early telling (A5-A8) is no place to name them by.
    account = [*RECORD[:4], *RETOLD, *RECORD[4:11], RECORD[16], *RECORD[11:16], *RECORD[17:]]
    with web_site("sqlite", tmp_path_factory.mktemp("present-tellings")) as web:
        web.add_user("ada")
        dossier = web.dossier("ada", "The tanner's arrest")
        web.document("ada", dossier, "Town record", "memcon", "\n".join(RECORD) + "\n")
        web.document("ada", dossier, "Chronicle", "memoir", "\n".join(account) + "\n")
        response = web.call("ada", "GET", f"/dossiers/{dossier}/present?account=chronicle&link=17")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    assert "In the record R17 comes after R14, R15, R16 and 2 more" in html
    crossed = html[html.index('<ul class="crossed"') :]
    crossed = crossed[: crossed.index("</ul>")]
    assert re.findall(r'<span class="num">(R\d+ · A\d+)</span>', crossed) == [
        "R14 · A19",
        "R15 · A20",
        "R16 · A21",
    ]


def test_a_passage_told_twice_whose_other_telling_is_a_possible_move_stays_one() -> None:
    result = _hand_made()
    twice = (
        Telling((1,), 0.9, "close", moved=True),
        Telling((5,), 0.4, "close", possible_move=True),
    )
    links = list(result.links)
    links[3] = Link((3,), (1, 5), 0.9, "close", possible_move=True, tellings=twice)
    rows = synopsis_rows(list("abcdef"), [replace(result, links=tuple(links))])
    (row,) = [r for r in rows if r.record == 3]
    assert row.cells[0].state == "possible-move" and row.cells[0].retold == (2,)
