"""The top-k partners of every sentence from a chunked sparse product, never all pairs.

:func:`top_k_of_copies` searches each distinct sentence once and gives the result to its
copies, with tied copies of a partner taken around the sentence's own place (formulae,
refrains); used by :meth:`.similarity.Scorer.candidates`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: Rows of the candidate product computed at once (bounds memory on long texts).
CHUNK_ROWS = 2048


def top_k_of_copies(
    a: sp.csr_matrix, b: sp.csr_matrix, k: int, copy_of: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, ...]:
    """:func:`top_k`, searched once for each distinct row of ``a`` (``copy_of``: each
    row's first copy, rows of ``a`` then of ``b``) and given to its copies: identical
    rows have identical results; the partners that are copies of one row of ``b`` (tied)
    are then the copies nearest the row's own place (:func:`near_copies`)."""
    of_a, of_b = copy_of
    firsts = np.flatnonzero(of_a == np.arange(len(of_a)))
    if len(firsts) == len(of_a):
        rows, cols, values = top_k(a, b, k)
    else:
        rows, cols, values = top_k(a[firsts], b, k)
        place = np.zeros(len(of_a), dtype=np.int64)
        place[firsts] = np.arange(len(firsts))
        counts = np.bincount(rows, minlength=len(firsts))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        wanted = place[of_a]  # each row's first copy, as a position among the firsts
        sizes = counts[wanted]
        at = np.repeat(starts[wanted] - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        rows, cols, values = np.repeat(np.arange(len(of_a)), sizes), cols[at], values[at]
    if len(cols) and np.any(of_b != np.arange(len(of_b))):
        cols = near_copies(rows, cols, of_b, len(of_a))
    return rows, cols, values


def near_copies(rows: np.ndarray, cols: np.ndarray, copy_of: np.ndarray, n_rows: int) -> np.ndarray:
    """``cols`` with the copies of each partner text that a row took (in any order: they
    tie) replaced by the run of copies of that text around the row's expected place
    (its share of the way through its text): the same texts and scores, and the copies a
    sentence in place would match, not an arbitrary few of them (formulae, refrains)."""
    n = len(copy_of)
    first = copy_of[cols]
    order = np.lexsort((np.arange(n), copy_of))  # rows of b by first copy, then position
    grouped = copy_of[order]
    start = np.searchsorted(grouped, first, side="left")
    size = np.searchsorted(grouped, first, side="right") - start
    # Each (row, text) pair: how many copies of the text it took, and which of them.
    key = rows * n + first
    by_key = np.lexsort((cols, key))
    sorted_key = key[by_key]
    head = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    taken = np.diff(np.r_[head, len(by_key)])
    nth = np.arange(len(by_key)) - np.repeat(head, taken)
    many = np.repeat(taken, taken)
    # Where the row's place falls among the text's copies, the run centred there.
    target = (rows[by_key] + 0.5) * n / max(n_rows, 1)
    # One search over (text, position) keys: each text's copies are a sorted run of them.
    keys = grouped.astype(np.float64) * (n + 1) + order
    inside = np.searchsorted(keys, first[by_key].astype(np.float64) * (n + 1) + target)
    s, z = start[by_key], size[by_key]
    lo = np.clip(inside - many // 2, s, s + z - many)
    out = cols.copy()
    out[by_key] = order[lo + nth]
    return out


def top_k(a: sp.csr_matrix, b: sp.csr_matrix, k: int) -> tuple[np.ndarray, ...]:
    """For every row of ``a``, the ``k`` rows of ``b`` with the largest dot product: the
    rows of ``a``, the rows of ``b`` and the products, as three arrays."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    values: list[np.ndarray] = []
    bt = b.T.tocsc()
    for begin in range(0, a.shape[0], CHUNK_ROWS):
        product = (a[begin : begin + CHUNK_ROWS] @ bt).tocsr()
        for row in range(product.shape[0]):
            lo, hi = product.indptr[row], product.indptr[row + 1]
            if lo == hi:
                continue
            data = product.data[lo:hi]
            found = product.indices[lo:hi]
            if hi - lo > k:
                keep = np.argpartition(-data, k)[:k]
                data, found = data[keep], found[keep]
            rows.append(np.full(len(found), begin + row, dtype=np.int64))
            cols.append(found.astype(np.int64))
            values.append(data.astype(np.float64))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
