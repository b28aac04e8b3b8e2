"""The reuse diagnostic's classes (:mod:`benchmarks.real_reuse`): a sentence linked elsewhere
to a partner the gold gives it is a doublet (record side) or a conflation (account side),
to one the gold does not give it a wrong link; the context test mirrors the engine's."""

from __future__ import annotations

from benchmarks.real_bible import GoldSet
from benchmarks.real_reuse import _context_free, _gold_pairs, _side

GOLD = _gold_pairs(
    [
        GoldSet(frozenset({10}), frozenset({3, 40})),  # record 10 told twice
        GoldSet(frozenset({20, 30}), frozenset({50})),  # account 50 draws on two passages
    ]
)


def test_a_record_sentence_linked_to_its_other_telling_is_a_doublet() -> None:
    assert _side({40}, GOLD, (10, 3), rec=True) == "doublet"


def test_an_account_sentence_linked_to_its_other_source_is_a_conflation() -> None:
    assert _side({30}, GOLD, (20, 50), rec=False) == "conflation"


def test_a_partner_the_gold_does_not_give_is_a_wrong_link() -> None:
    assert _side({41}, GOLD, (10, 3), rec=True) == "wrong link"
    assert _side(set(), GOLD, (10, 3), rec=True) == ""


def test_the_context_is_free_when_linked_neighbours_continue_the_passage_in_order() -> None:
    # Account 3's neighbours: 2 linked to record 9 (just before 10), 4 to record 12.
    assert _context_free({2: {9}, 4: {12}}, 3, 10, 3)
    assert _context_free({}, 3, 10, 3)
    assert not _context_free({2: {11}}, 3, 10, 3)  # before, but after the partner
    assert not _context_free({4: {90}}, 3, 10, 3)  # another passage
