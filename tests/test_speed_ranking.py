"""One stable sort of packed keys orders pairs as the lexsort did, ties and repeats included."""

from __future__ import annotations

import numpy as np
import pytest

from webapp.collate.matching import TopPartners
from webapp.collate.ranking import best_first, by_keys


@pytest.mark.parametrize("seed", range(10))
def test_best_first_is_the_lexsort_with_ties_and_repeated_pairs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    index = rng.integers(0, 30, n)
    partner = rng.integers(-5, 25, n)  # repeats of one pair, and negative partners
    score = rng.integers(0, 6, n) / 5.0  # few distinct scores: ties everywhere
    score[rng.random(n) < 0.1] = -0.0  # -0.0 and 0.0 tie, as the lexsort has them
    want = np.lexsort((-partner, -score, index))
    assert best_first(index, score, partner).tolist() == want.tolist()
    assert best_first(index, score).tolist() == np.lexsort((-score, index)).tolist()


def test_empty_huge_and_nan_inputs_fall_back_to_the_lexsort() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert best_first(empty, np.zeros(0), empty).tolist() == []
    index = np.array([0, 1 << 40, 0])  # keys too large to pack
    partner = np.array([1 << 30, 0, 1])
    score = np.array([0.1, 0.2, 0.3])
    assert best_first(index, score, partner).tolist() == [2, 0, 1]
    with_nan = np.array([0.5, np.nan, 0.5])
    want = np.lexsort((-with_nan, np.array([0, 0, 0])))
    assert best_first(np.array([0, 0, 0]), with_nan).tolist() == want.tolist()


def test_top_partners_keep_the_best_few_with_ties_by_the_higher_partner() -> None:
    # Sentence 0: partners 2, 1, 0 tie; sentence 1: one partner; sentence 2: none.
    index = np.array([0, 0, 0, 1, 0])
    partner = np.array([0, 1, 2, 5, 3])
    score = np.array([0.4, 0.4, 0.4, 0.9, 0.1])
    top = TopPartners(index, partner, score, 3, keep=2)
    assert top.partner.tolist() == [[2, 1], [5, -10], [-10, -10]]
    assert top.score.tolist() == [[0.4, 0.4], [0.9, -1.0], [-1.0, -1.0]]


@pytest.mark.parametrize("seed", range(10))
def test_by_keys_is_the_lexsort_of_integer_keys_with_repeats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    source, witness = rng.integers(0, 20, n), rng.integers(-3, 9, n)  # repeated pairs
    assert by_keys(witness, source).tolist() == np.lexsort((witness, source)).tolist()
    assert by_keys(-witness, source).tolist() == np.lexsort((-witness, source)).tolist()
    third = rng.integers(0, 4, n).astype(np.uint8)
    want = np.lexsort((third, witness, source))
    assert by_keys(third, witness, source).tolist() == want.tolist()


def test_by_keys_falls_back_on_floats_empty_and_huge_keys() -> None:
    floats = np.array([0.5, 0.25, 0.5])
    ints = np.array([1, 1, 0])
    assert by_keys(floats, ints).tolist() == np.lexsort((floats, ints)).tolist()
    assert by_keys(np.zeros(0, dtype=np.int64)).tolist() == []
    huge = np.array([1 << 40, 0, 5])
    assert by_keys(huge, np.array([1 << 30, 1 << 30, 0])).tolist() == [2, 1, 0]
