"""Candidates near the local diagonal: the copy of a repeated sentence that fits its place.

The global candidates (:meth:`.similarity.Scorer.candidates`) rank every record sentence
against every account sentence. In repeated material (minutes, reports, refrains) a
sentence has dozens of copies that score alike, and its top k is a chance handful of
them, rarely the copy in its place: the aligner cannot settle the tie by the local order
when the right copy is not a candidate at all. So every account sentence also gets the
best record sentence within a few distances of where it is expected to be: on the line
between *landmarks*, pairs that are each other's clear best (the sentence occurs once),
kept where they are in order; the texts' two ends bound the line where there are none.

The windows are a fixed number of sentences, so the work is a banded sparse product, in
proportion to the length of the texts.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .order import moved_links

#: Distances from the expected place (in record sentences) within which the best record
#: sentence is a candidate for an account sentence: one for each radius.
BAND_RADII = (4, 16, 64)
#: A landmark's score is at least this many times its sentences' next best on both sides.
LANDMARK_RATIO = 1.25
#: A landmark has another within this many sentences after or before it, on both sides.
LANDMARK_STEP = 2
#: Account sentences per banded product (bounds memory).
BAND_ROWS = 256


def landmarks(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Record and account indices of the landmarks among the candidate pairs
    ``(rows[k], cols[k])`` with similarity ``values[k]``: each side's clear best on both
    sides, kept where they form the longest chain in order (both indices increasing)."""
    clear = _clear_best(rows, values, shape[0]) & _clear_best(cols, values, shape[1])
    src, wit, weight = rows[clear], cols[clear], values[clear]
    paired = _with_neighbour(src, wit)
    src, wit, weight = src[paired], wit[paired], weight[paired]
    if not len(src):
        return src, wit
    positions = list(zip(src.tolist(), wit.tolist(), strict=True))
    off = np.array(moved_links(positions, (1.0 + weight).tolist()), dtype=bool)
    order = np.argsort(src[~off], kind="stable")
    return src[~off][order], wit[~off][order]


def _clear_best(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Whether each pair is its sentence's (``index``) best by ``LANDMARK_RATIO`` over the
    second best (a sentence with one candidate has no rival)."""
    best = np.zeros(size)
    np.maximum.at(best, index, values)
    top = values >= best[index]
    winners = np.zeros(size, dtype=np.int64)
    np.add.at(winners, index[top], 1)
    second = np.zeros(size)
    np.maximum.at(second, index[~top], values[~top])
    out: np.ndarray = top & (winners[index] == 1) & (values > 0)
    out &= values >= LANDMARK_RATIO * second[index]
    return out


def _with_neighbour(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
    """Whether each pair has another within ``LANDMARK_STEP`` sentences after or before it
    on both sides: a run in order, not a chance likeness in repeated material."""
    width = int(wit.max()) + LANDMARK_STEP + 2 if len(wit) else 1
    keys = src * width + wit
    found = np.zeros(len(src), dtype=bool)
    for di in range(1, LANDMARK_STEP + 1):
        for dj in range(1, LANDMARK_STEP + 1):
            step = di * width + dj
            found |= np.isin(keys + step, keys) | np.isin(keys - step, keys)
    return found


def expected_places(
    anchors: tuple[np.ndarray, np.ndarray], n_source: int, n_witness: int
) -> np.ndarray:
    """For each account sentence, the record place on the line between the landmarks
    around it (the texts' ends, before the first and after the last)."""
    src = np.concatenate([[-1.0], anchors[0].astype(np.float64), [float(n_source)]])
    wit = np.concatenate([[-1.0], anchors[1].astype(np.float64), [float(n_witness)]])
    out: np.ndarray = np.interp(np.arange(n_witness, dtype=np.float64), wit, src)
    return out


def unclear(cols: np.ndarray, values: np.ndarray, n_witness: int) -> np.ndarray:
    """The account sentences whose candidates (``cols``, similarity ``values``) have no
    clear best: the ones with copies to choose among, or with none at all (every word
    common: a formula repeated throughout)."""
    clear = np.zeros(n_witness, dtype=bool)
    clear[cols[_clear_best(cols, values, n_witness)]] = True
    out: np.ndarray = np.flatnonzero(~clear)
    return out


def band_pairs(
    source: sp.csr_matrix,
    witness: sp.csr_matrix,
    expected: np.ndarray,
    which: np.ndarray,
    radii: tuple[int, ...] = BAND_RADII,
) -> set[tuple[int, int]]:
    """For each account sentence of ``which`` (rows of ``witness``), the record sentence
    (row of ``source``) most like it within each radius of its expected place, by the
    dot product, the nearest of equals: the copy in place of a repeated sentence, and the
    best a little further off where the expected place has drifted."""
    out: set[tuple[int, int]] = set()
    n_source, width = source.shape[0], max(radii)
    for begin in range(0, len(which), BAND_ROWS):
        rows = which[begin : begin + BAND_ROWS]
        near = np.rint(expected[rows]).astype(np.int64)
        lo = max(0, int(near.min()) - width)
        hi = min(n_source, int(near.max()) + width + 1)
        if lo >= hi:
            continue
        block = (witness[rows] @ source[lo:hi].T).toarray()
        distance = np.abs(np.arange(lo, hi)[None, :] - near[:, None])
        for radius in radii:
            inside = np.where(distance <= radius, block, 0.0)
            top = inside.max(axis=1, keepdims=True)
            # Among equally good copies, the one nearest the expected place.
            best = np.where(inside == top, distance, width + 1).argmin(axis=1)
            found = top[:, 0] > 0
            out.update(zip((lo + best[found]).tolist(), rows[found].tolist(), strict=True))
    return out
