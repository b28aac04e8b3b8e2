"""The reported moved-set F1 (first telling): a gold set told twice is judged by the
telling at its placement, hand-made sets."""

from __future__ import annotations

from benchmarks.metrics import Predicted
from benchmarks.real_bible import GoldSet
from benchmarks.real_metrics import first_telling, rework_scores

# Record verses 0..5 told in order as account verses 0..5, and record verse 2 told once
# more far out of place at account 20 (a doublet: the set holds both tellings).
SETS = [GoldSet(frozenset({k}), frozenset({k})) for k in (0, 1, 3, 4, 5)] + [
    GoldSet(frozenset({2}), frozenset({2, 20}))
]


def alignment(links: set[tuple[int, int]], moved: set[int]) -> Predicted:
    """Links and the moved account verses as the metric reads them."""
    return Predicted(frozenset(links), frozenset(), frozenset(), frozenset(moved))


IN_ORDER = {(k, k) for k in range(6)}


def test_the_first_telling_is_the_first_run_of_account_verses() -> None:
    assert first_telling(frozenset({2, 20})) == {2}
    assert first_telling(frozenset({7})) == {7}
    assert first_telling(frozenset({4, 6, 9, 30})) == {4, 6, 9}


def test_a_moved_second_telling_is_no_move_of_a_set_placed_in_place() -> None:
    # Both tellings linked, the far one moved: the strict figure calls the doublet's set
    # moved (half its links moved) though the gold keeps it in place.
    scores = rework_scores(alignment(IN_ORDER | {(2, 20)}, {20}), SETS)
    assert scores.n_gold_moved == 0
    assert scores.false_moves == (5,)
    assert scores.moved_f1 == 0.0
    assert scores.moved_f1_first == 1.0  # no move either way: F1 of two empty sets


def test_an_early_telling_decides_a_set_the_gold_calls_moved() -> None:
    # Record 3 told early at account 1 and again in place at account 30: the set is placed
    # at its first telling, before records 1 and 2, so it is gold moved.
    sets = [
        GoldSet(frozenset({0}), frozenset({0})),
        GoldSet(frozenset({3}), frozenset({1, 30})),
        GoldSet(frozenset({1}), frozenset({2})),
        GoldSet(frozenset({2}), frozenset({3})),
    ]
    in_place = {(0, 0), (1, 2), (2, 3), (3, 30)}
    # Only the in-place telling linked: neither figure calls the set moved.
    only_late = rework_scores(alignment(in_place, set()), sets)
    assert only_late.missed_moves == (1,)
    assert only_late.moved_f1 == only_late.moved_f1_first == 0.0
    # The early telling linked and moved, the late one in place: the strict figure reads
    # one link of two moved (called moved, half), the first-telling figure the early one.
    both = rework_scores(alignment(in_place | {(3, 1)}, {1}), sets)
    assert both.moved_f1 == both.moved_f1_first == 1.0
    # The early telling linked but not flagged: only it counts, the set is not moved.
    unflagged = rework_scores(alignment(in_place | {(3, 1)}, {30}), sets)
    assert unflagged.moved_f1 == 1.0
    assert unflagged.moved_f1_first == 0.0


def test_sets_told_once_score_as_the_strict_figure() -> None:
    sets = [GoldSet(frozenset({k}), frozenset({k})) for k in range(4)]
    swapped = alignment({(0, 0), (1, 2), (2, 1), (3, 3)}, {1})
    placed = [GoldSet(frozenset({0}), frozenset({0})), GoldSet(frozenset({1}), frozenset({2}))]
    placed += [GoldSet(frozenset({2}), frozenset({1})), GoldSet(frozenset({3}), frozenset({3}))]
    for gold in (sets, placed):
        scores = rework_scores(swapped, gold)
        assert scores.moved_f1_first == scores.moved_f1


def test_a_set_whose_first_telling_is_unlinked_scores_as_the_strict_figure() -> None:
    # The early telling (account 1) has no link; the one at account 30 is linked and
    # flagged moved: what is linked is all the prediction says, as in the strict figure.
    sets = [
        GoldSet(frozenset({0}), frozenset({0})),
        GoldSet(frozenset({3}), frozenset({1, 30})),
        GoldSet(frozenset({1}), frozenset({2})),
        GoldSet(frozenset({2}), frozenset({3})),
    ]
    scores = rework_scores(alignment({(0, 0), (1, 2), (2, 3), (3, 30)}, {30}), sets)
    assert scores.moved_f1 == scores.moved_f1_first == 1.0


def test_the_reuse_trace_reads_the_same_tellings_as_the_metric() -> None:
    from benchmarks.real_reuse import tellings

    account = frozenset({4, 6, 9, 30, 31})
    assert tellings(account) == [[4, 6, 9], [30, 31]]
    assert set(tellings(account)[0]) == first_telling(account)
