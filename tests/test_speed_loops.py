"""Loops made faster give what the loops gave: the greedy matching."""

from __future__ import annotations

import numpy as np
import pytest

from webapp.collate.matching import greedy


def _greedy_by_numpy_scalars(
    group: np.ndarray, src: np.ndarray, wit: np.ndarray, weight: np.ndarray
) -> list[int]:
    """The greedy matching as it was: numpy scalars read one pair at a time."""
    used_s: set[int] = set()
    used_w: set[int] = set()
    out = []
    for k in group[np.argsort(-weight[group], kind="stable")]:
        i, j = int(src[k]), int(wit[k])
        if i not in used_s and j not in used_w:
            used_s.add(i)
            used_w.add(j)
            out.append(int(k))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_greedy_takes_the_same_pairs_in_the_same_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = 200
    # Few sentences and few distinct weights: shared sides and ties everywhere.
    src, wit = rng.integers(0, 15, size), rng.integers(0, 12, size)
    weight = rng.integers(0, 4, size) / 4
    for group in (np.arange(size), rng.permutation(size)[:70], np.arange(0)):
        assert greedy(group, src, wit, weight) == _greedy_by_numpy_scalars(group, src, wit, weight)
