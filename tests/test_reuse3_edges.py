"""Tellings grow at their edges (:mod:`webapp.collate.retell`, ``retell_edges``): a free
account sentence beside a second telling, or across one unlinked sentence, that tells the
next record sentence joins its link at a small gap's calibrated cut, below what a lone use
must reach in its whole row; unrelated or far sentences stay free."""

from __future__ import annotations

from dataclasses import replace

from webapp.collate import Document, Settings, WitnessResult, compare
from webapp.collate.retell import RetellSettings

from .test_retell import RECORD, RETOLD
from .test_retell import SETTINGS as RETELL_SETTINGS
from .test_reuse2_lone import _retell as lone_retell

SETTINGS = replace(RETELL_SETTINGS, alone=True, edges=True)
#: Record 200 and 201 told a second time at account 450 and 451 (further uses already
#: linked, as :func:`.moves.add_reuse` leaves them).
TOLD = {450: 200, 451: 201}


def _retell(
    pairs: dict[tuple[int, int], float], settings: RetellSettings = SETTINGS
) -> dict[int, tuple[int, ...]]:
    """Each record sentence's account sentences after the search, with :data:`TOLD`."""
    return lone_retell(pairs, settings, TOLD)


def test_a_verse_after_a_telling_that_tells_the_next_record_verse_joins_it() -> None:
    # 0.29 is under the row's chance (0.3): alone it is refused, beside the telling not.
    assert _retell({(202, 452): 0.29})[202] == (202, 452)
    assert _retell({(202, 452): 0.29}, replace(SETTINGS, edges=False))[202] == (202,)


def test_the_telling_may_skip_one_unlinked_verse() -> None:
    found = _retell({(202, 453): 0.29})
    assert found[202] == (202, 453)


def test_two_verses_between_end_the_telling() -> None:
    assert _retell({(202, 454): 0.29})[202] == (202,)


def test_the_edge_grows_on_both_sides_and_round_after_round() -> None:
    found = _retell({(199, 449): 0.29, (202, 452): 0.29, (203, 453): 0.29})
    assert (found[199], found[202], found[203]) == ((199, 449), (202, 452), (203, 453))


def test_an_unrelated_verse_beside_the_telling_stays_free() -> None:
    # At 0.2, one random pair in thirty scores as well: six cells of the edge expect that.
    assert _retell({(202, 452): 0.2})[202] == (202,)


def test_a_verse_telling_the_record_against_its_order_stays_free() -> None:
    # After the telling of 200-201, a verse that tells record 198 is another passage.
    assert _retell({(198, 452): 0.29})[198] == (198,)


def test_an_edge_use_goes_to_the_verse_s_best_partner_only() -> None:
    found = _retell({(202, 452): 0.29, (90, 452): 0.35})
    assert found[202] == (202,)


def test_a_verse_that_is_one_copy_of_a_formula_is_refused() -> None:
    # Two far partners above the row's chance, within the tie margin of the edge use.
    copies = {(50, 452): 0.305, (350, 452): 0.305}
    assert _retell({(202, 452): 0.29, **copies})[202] == (202,)
    assert _retell({(202, 452): 0.29, (50, 452): 0.305})[202] == (202, 452)


def _align(told: list[str]) -> WitnessResult:
    """The arrest (record 11-14) told early at account 4 on, then the record in place."""
    record = Document.from_lines("record", "\n".join(RECORD))
    account = Document.from_lines("account", "\n".join([*RECORD[:4], *told, *RECORD[4:]]))
    return compare(record, [account], Settings()).witnesses[0]


NEW = "The harbour master kept a ledger of every ship that came and went."


def test_a_passage_told_twice_with_a_verse_between_is_a_second_telling() -> None:
    # On a short text the block search finds this run itself (its steps may skip up to
    # ``block_step`` sentences); the edge rule matters where the row's chance is high.
    result = _align([RETOLD[0], RETOLD[1], NEW, RETOLD[2]])
    twice = {link.source: link.witness for link in result.links if len(link.witness) > 1}
    assert twice == {(11,): (4, 15), (12,): (5, 16), (13,): (7, 17)}
    assert result.added == (6,)


def test_the_same_place_with_unrelated_verses_is_added() -> None:
    unrelated = [
        NEW,
        "Some said the ledger was later lost in a flood.",
        "Nobody could say what the ships had carried.",
    ]
    result = _align(unrelated)
    assert all(len(link.witness) == 1 for link in result.links)
    assert result.added == (4, 5, 6)


def test_a_verse_with_far_partners_as_good_as_the_edge_use_is_a_crowd() -> None:
    # Under the row's chance (0.3), but as good as the edge use itself (0.29): a template
    # sentence that resembles many, not the next verse of the telling.
    crowd = {(50, 452): 0.295, (350, 452): 0.295}
    assert _retell({(202, 452): 0.29, **crowd})[202] == (202,)
