"""The fast heaviest chain (precomputed tree walks, early-stopping updates) gives exactly
the chain of the plain Fenwick walk it replaced, ties included, and that chain is the
heaviest."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.collate.order import heaviest_chain, moved_links


def _reference_moved(positions: Sequence[tuple[int, int]], weights: Sequence[float]) -> list[bool]:
    """The walk as it was before the speed-up: every update visits all its nodes."""
    n = len(positions)
    if n == 0:
        return []
    by_source = sorted(range(n), key=lambda k: positions[k][0])
    ranks = {w: r for r, w in enumerate(sorted(p[1] for p in positions))}
    tree_best, tree_link = [0.0] * (n + 1), [-1] * (n + 1)
    previous, best_at = [-1] * n, [0.0] * n
    for k in by_source:
        rank = ranks[positions[k][1]]
        best, prev, i = 0.0, -1, rank
        while i > 0:
            if tree_best[i] > best:
                best, prev = tree_best[i], tree_link[i]
            i -= i & -i
        value = best + weights[k]
        best_at[k], previous[k] = value, prev
        i = rank + 1
        while i < n + 1:
            if value > tree_best[i]:
                tree_best[i], tree_link[i] = value, k
            i += i & -i
    end = max(range(n), key=lambda k: (best_at[k], -positions[k][1]))
    on_chain = [False] * n
    while end >= 0:
        on_chain[end] = True
        end = previous[end]
    return [not flag for flag in on_chain]


def _reference_chain(src: np.ndarray, wit: np.ndarray, weight: np.ndarray) -> list[tuple[int, int]]:
    """The gap chain as it was: the reference walk over pairs sorted by (source, -witness)."""
    if len(src) == 0:
        return []
    order = np.lexsort((-wit, src))
    positions = list(zip(src[order].tolist(), wit[order].tolist(), strict=True))
    off = _reference_moved(positions, weight[order].tolist())
    return [p for p, is_off in zip(positions, off, strict=True) if not is_off]


def _best_total(pairs: list[tuple[int, int, float]]) -> float:
    """The heaviest chain's total by the quadratic programme (small inputs only)."""
    pairs = sorted(pairs)
    best = [0.0] * len(pairs)
    for k, (s, w, x) in enumerate(pairs):
        before = [best[j] for j in range(k) if pairs[j][0] < s and pairs[j][1] < w]
        best[k] = x + max(before, default=0.0)
    return max(best, default=0.0)


#: Distinct (source, witness) pairs on a small grid, so sources and witnesses repeat;
#: weights from a few values (and sums of them), so equal totals are common.
_pairs = st.lists(
    st.tuples(
        st.integers(0, 12),
        st.integers(0, 12),
        st.sampled_from([0.5, 1.0, 1.0, 2.0, 1.000001, 0.25]),
    ),
    max_size=80,
    unique_by=lambda p: (p[0], p[1]),
)


@settings(max_examples=400, deadline=None)
@given(_pairs)
def test_gap_chain_is_the_reference_chain_ties_included(
    pairs: list[tuple[int, int, float]],
) -> None:
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    wit = np.array([p[1] for p in pairs], dtype=np.int64)
    weight = np.array([p[2] for p in pairs], dtype=np.float64)
    chain = heaviest_chain(src, wit, weight)
    assert chain == _reference_chain(src, wit, weight)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in zip(chain, chain[1:], strict=False))
    total = sum(dict(((s, w), x) for s, w, x in pairs)[p] for p in chain)
    assert abs(total - _best_total(pairs)) < 1e-9


@settings(max_examples=300, deadline=None)
@given(st.permutations(list(range(40))), st.lists(st.sampled_from([1.0, 2.0, 1.5]), min_size=40))
def test_moved_links_is_the_reference_walk(order: list[int], weights: list[float]) -> None:
    positions = [(k, w) for k, w in enumerate(order)]
    assert moved_links(positions, weights[:40]) == _reference_moved(positions, weights[:40])


def test_a_gap_of_repeated_lines_chains_its_diagonal() -> None:
    # Every record line has five look-alikes in the account; the diagonal is the chain.
    src, wit = np.meshgrid(np.arange(50), np.arange(50), indexing="ij")
    keep = (src % 10) == (wit % 10)
    src, wit = src[keep], wit[keep]
    weight = 1.0 + 1e-6 * (1.0 - np.abs(src - wit) / 50)
    assert heaviest_chain(src, wit, weight) == [(k, k) for k in range(50)]
