"""The tie-aware moved-set F1 of the reworking rows: ambiguous gold chains, hand-made cases."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.metrics import Predicted, f1
from benchmarks.real_bible import GoldSet
from benchmarks.real_metrics import gold_moved, gold_moved_tied, rework_scores


def one_verse_sets(places: list[tuple[int, int]]) -> list[GoldSet]:
    """A gold set of one record and one account verse at each (record, account) place."""
    return [GoldSet(frozenset({r}), frozenset({a})) for r, a in places]


def found_all(sets: list[GoldSet], moved: set[int]) -> Predicted:
    """Every set found by one link; the sets in ``moved`` flagged moved."""
    links = {(min(s.record), min(s.account)) for s in sets}
    flagged = {min(sets[k].account) for k in moved}
    return Predicted(frozenset(links), frozenset(), frozenset(), frozenset(flagged))


# Record P, A, B, Q told as P, B, A, Q: a transposition of two one-set blocks. The chains
# P A Q and P B Q are both longest: either block is the moved one.
P, A, B, Q = 0, 1, 2, 3
SWAP = one_verse_sets([(0, 0), (1, 2), (2, 1), (3, 3)])


def test_a_transposition_is_right_whichever_block_the_prediction_moves() -> None:
    strict = {rework_scores(found_all(SWAP, {k}), SWAP).moved_f1 for k in (A, B)}
    ties = {rework_scores(found_all(SWAP, {k}), SWAP).moved_f1_ties for k in (A, B)}
    # The strict chain settles the tie one way: one answer scores 1, the other 0.
    assert strict == {0.0, 1.0}
    assert ties == {1.0}
    assert gold_moved(SWAP) in ({A}, {B})
    assert gold_moved_tied(SWAP, frozenset({A})) == {A}
    assert gold_moved_tied(SWAP, frozenset({B})) == {B}
    wrong = rework_scores(found_all(SWAP, {A, B} - gold_moved(SWAP)), SWAP)
    assert (wrong.missed_moves_ties, wrong.false_moves_ties) == ((), ())
    assert len(wrong.missed_moves) == len(wrong.false_moves) == 1


def test_a_set_every_longest_chain_keeps_is_still_a_false_move() -> None:
    # P is on both longest chains: calling it moved is wrong under ties too.
    assert rework_scores(found_all(SWAP, {P}), SWAP).moved_f1_ties == 0.0
    both = rework_scores(found_all(SWAP, {P, A}), SWAP)
    assert both.moved_f1_ties == pytest.approx(2 / 3)
    # Both halves of the swap called moved: one is one move too many.
    assert rework_scores(found_all(SWAP, {A, B}), SWAP).moved_f1_ties == pytest.approx(2 / 3)


def test_the_bigger_block_of_an_unequal_transposition_is_never_the_moved_one() -> None:
    # Record P, A1, A2, B, Q told as P, B, A1, A2, Q: the longest chain keeps A1 A2.
    sets = one_verse_sets([(0, 0), (1, 2), (2, 3), (3, 1), (4, 4)])
    assert rework_scores(found_all(sets, {3}), sets).moved_f1_ties == 1.0
    called_a = rework_scores(found_all(sets, {1, 2}), sets)
    assert called_a.moved_f1 == called_a.moved_f1_ties == 0.0


def test_without_a_tie_both_figures_agree() -> None:
    # Record 0..4 with the set of record 9 told at account 2: only one longest chain.
    sets = one_verse_sets([(0, 0), (2, 1), (9, 2), (4, 3), (5, 4)])
    for moved in ({2}, {1, 2}, set(), {1}, {0, 3}):
        scores = rework_scores(found_all(sets, moved), sets)
        assert scores.moved_f1_ties == scores.moved_f1
        assert gold_moved_tied(sets, frozenset(moved)) == gold_moved(sets) == {2}


def test_an_unfound_set_is_not_predicted_moved_under_ties_either() -> None:
    # Only P, B and Q are found; B is flagged moved but A, unfound, is the other half.
    links = {(0, 0), (2, 1), (3, 3)}
    pred = Predicted(frozenset(links), frozenset(), frozenset(), frozenset({1}))
    assert rework_scores(pred, SWAP).moved_f1_ties == 1.0
    assert rework_scores(Predicted(frozenset(), *[frozenset()] * 3), SWAP).moved_f1_ties == 0.0


def is_chain(sets: list[GoldSet], members: tuple[int, ...]) -> bool:
    """Whether the sets form a chain: by (first account, first record), record not falling."""
    ordered = sorted(members, key=lambda k: (min(sets[k].account), min(sets[k].record)))
    starts = [min(sets[k].record) for k in ordered]
    return all(x <= y for x, y in zip(starts, starts[1:], strict=False))


def best_by_brute_force(sets: list[GoldSet], predicted: frozenset[int]) -> tuple[int, float]:
    """(number of gold moved sets, best F1) over every longest chain, by enumeration."""
    n = len(sets)
    for size in range(n, 0, -1):
        chains = [c for c in combinations(range(n), size) if is_chain(sets, c)]
        if chains:
            everything = frozenset(range(n))
            return n - size, max(f1(predicted, everything - set(c))[2] for c in chains)
    return 0, f1(predicted, frozenset())[2]


places = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=7)


@given(places=places, picks=st.sets(st.integers(0, 6)))
@settings(max_examples=150, deadline=None)
def test_the_tie_aware_gold_is_the_best_longest_chain(
    places: list[tuple[int, int]], picks: set[int]
) -> None:
    sets = one_verse_sets(places)
    predicted = frozenset(k for k in picks if k < len(sets))
    tied = gold_moved_tied(sets, predicted)
    n_moved, best = best_by_brute_force(sets, predicted)
    # Same number of moves as the strict gold (a longest chain), and the best agreement.
    assert len(tied) == len(gold_moved(sets)) == n_moved
    assert is_chain(sets, tuple(sorted(set(range(len(sets))) - tied)))
    assert f1(predicted, tied)[2] == pytest.approx(best)
    assert f1(predicted, tied)[2] >= f1(predicted, gold_moved(sets))[2] - 1e-12
