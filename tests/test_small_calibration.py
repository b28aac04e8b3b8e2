"""The chance sample of a small text pair (issue 10): cells off the anchored chain fill it."""

from __future__ import annotations

import dataclasses

import numpy as np

from benchmarks.synthetic import make_pair
from webapp.collate import Document, Settings, compare
from webapp.collate.gaps import NullScores, far_cells

#: A 40 x 40 pair with eight anchors on its diagonal: 8 * 8 - 22 = 42 cross pairs.
SHAPE = (40, 40)
ANCHORS = [(5 * k, 5 * k) for k in range(8)]


def _chance(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
    """Deterministic chance likeness in [0, 0.2), except the diagonal (the true pairs)."""
    noise = ((src * 7919 + wit * 104_729) % 1000) / 5000.0
    return np.where(src == wit, 0.9, noise)


def test_far_cells_are_off_the_chain_and_every_one_of_them() -> None:
    # One anchor mid-way; the chain runs from the corner before the first sentences to
    # the one after the last, through it.
    src, wit = far_cells([(30, 10)], (40, 20), 3)
    at = np.interp(wit, [-1, 10, 20], [-1, 30, 40])
    assert (np.abs(src - at) > 3).all()
    a, b = np.divmod(np.arange(40 * 20), 20)
    assert len(src) == int((np.abs(a - np.interp(b, [-1, 10, 20], [-1, 30, 40])) > 3).sum())
    assert (39, 19) not in set(zip(src.tolist(), wit.tolist(), strict=True))


def test_a_small_pair_with_few_anchors_gets_a_sample_without_its_true_pairs() -> None:
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        seen.append((src, wit))
        return _chance(src, wit)

    small = NullScores.sample(ANCHORS, SHAPE, cells, 20_000)  # no fill: the old sample
    filled = NullScores.sample(ANCHORS, SHAPE, cells, 20_000, far=3)
    assert len(small.sorted) == 42
    src, wit = seen[-1]
    assert len(filled.sorted) > 1_000
    assert len(set(zip(src.tolist(), wit.tolist(), strict=True))) == len(src)  # each once
    assert not (src == wit).any()  # no true pair, though every cell off the chain is in
    assert small.tail(np.array([0.9]))[0] > 0.02  # a perfect score: one in 43 at best
    assert filled.tail(np.array([0.9]))[0] < 0.001


def test_a_fair_pair_in_a_gap_passes_with_the_filled_sample_only() -> None:
    # A 5 x 5 gap of chance scores with one fair pair under the cap (0.3): 25 cells x its
    # chance must stay under alpha; 42 cross pairs cannot tell a chance under 1 / 43.
    matrix = np.full((5, 5), 0.05)  # under the floor: not a candidate
    matrix[2, 2] = 0.26
    for far, passes in ((0, False), (3, True)):
        null = NullScores.sample(ANCHORS, SHAPE, _chance, 20_000, far=far)
        accepted = null.accepted(matrix, alpha=0.05, floor=0.1, cap=0.3)
        assert bool(accepted[2, 2]) is passes
        assert int(accepted.sum()) == int(passes)  # nothing else in the gap


def test_a_big_pair_is_filled_as_before() -> None:
    anchors = [(10 * k, 10 * k) for k in range(5)]
    calls: list[int] = []

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        calls.append(len(src))
        return _chance(src, wit)

    a = NullScores.sample(anchors, (400, 400), cells, 2_000, far=3)
    b = NullScores.sample(anchors, (400, 400), cells, 2_000, far=0)
    assert calls == [2_000, 2_000]
    assert np.array_equal(a.sorted, b.sorted)


def _links(record: str, account: str, far: int) -> int:
    base = Settings()
    settings = dataclasses.replace(base, align=dataclasses.replace(base.align, null_far=far))
    rec, acc = Document.from_text("a", record), Document.from_text("b", account)
    return len(compare(rec, [acc], settings).witnesses[0].links)


def test_unrelated_small_texts_gain_no_links() -> None:
    # Same vocabulary and templates, different content, at a memcon's size: the filled
    # sample tells lower chances, which must not let weak guesses in.
    for size, seeds in ((40, (21, 22)), (80, (23, 24)), (150, (11, 12))):
        a, b = (make_pair(size, seed=s) for s in seeds)
        filled = _links(a.record_text, b.record_text, 3)
        assert filled <= _links(a.record_text, b.record_text, 0)
        assert filled <= 0.1 * size


def test_a_small_retelling_is_still_aligned() -> None:
    pair = make_pair(60, seed=4, level="heavy")
    rec = Document.from_text("r", pair.record_text)
    acc = Document.from_text("w", pair.witness_text)
    got = compare(rec, [acc]).witnesses[0]
    found = {(i, j) for link in got.links for i in link.source for j in link.witness}
    assert len(found & pair.links) >= 0.95 * len(pair.links)
