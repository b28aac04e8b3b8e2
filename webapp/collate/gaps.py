"""Align the stretches between anchors: the order around a gap is its evidence.

A gap is the record range and the account range between two consecutive anchors (the
confident, in-order links). Inside it the alignment must be monotonic, so a pair that
would be a weak guess anywhere in the text is good evidence here. How good a score must
be is calibrated on this text pair: :class:`NullScores` holds the scores of random
pairs (sentences that, almost all, do not correspond), and a gap of ``c`` cells accepts
a pair only above the ``1 - alpha / c`` quantile, so the chance of one false link per
gap stays near ``alpha`` whatever the gap's size: larger gaps are stricter.

A small gap is aligned by a dynamic programme over all its cells (1:1 links and skips;
merges join afterwards, see :mod:`.merges`); a large one by the heaviest chain of its
sparse candidates above its threshold, which splits it into smaller gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .order import moved_links
from .similarity import PairScores

#: Scores of cells (record index, account index): arrays in, scores out.
CellScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


class NullScores:
    """Scores of random sentence pairs of one text pair: how high chance likeness goes."""

    def __init__(self, scores: np.ndarray) -> None:
        self.sorted = np.sort(np.asarray(scores, dtype=np.float64))

    def quantile(self, tail: float) -> float:
        """The score that only a share ``tail`` of random pairs reaches (their maximum
        when the sample is too small to tell); 1.0 with no sample at all."""
        n = len(self.sorted)
        if n == 0:
            return 1.0
        rank = int(np.ceil((1.0 - tail) * n))
        return float(self.sorted[min(max(rank, 0), n - 1)])

    def threshold(self, cells: int, alpha: float, floor: float, cap: float) -> float:
        """Lowest score accepted in a gap of ``cells`` cells: about ``alpha`` false links
        per gap, never below ``floor`` and never above ``cap`` (or ``floor`` if higher)."""
        value = self.quantile(alpha / max(cells, 1))
        return max(floor, min(cap, value))


@dataclass(frozen=True, slots=True)
class GapSettings:
    """What the gap alignment reads (a view of the aligner's settings)."""

    alpha: float
    floor: float
    cap: float
    dense_cells: int


class PairIndex:
    """Candidate pairs sorted by record index, for looking up those inside a gap."""

    def __init__(self, pairs: PairScores) -> None:
        order = np.lexsort((pairs.witness, pairs.source))
        self.source = pairs.source[order]
        self.witness = pairs.witness[order]
        self.score = pairs.score[order]

    def within(
        self, source: tuple[int, int], witness: tuple[int, int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates with record index in ``source`` and account index in ``witness``
        (half-open ranges)."""
        lo, hi = np.searchsorted(self.source, source, side="left")
        wit = self.witness[lo:hi]
        keep = (wit >= witness[0]) & (wit < witness[1])
        return self.source[lo:hi][keep], wit[keep], self.score[lo:hi][keep]


def gaps_between(
    anchors: Sequence[tuple[int, int]], n_source: int, n_witness: int
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The gaps before, between and after a chain of anchors (sorted on both sides)."""
    bounds = [(-1, -1), *sorted(anchors), (n_source, n_witness)]
    return [
        ((a[0] + 1, b[0]), (a[1] + 1, b[1]))
        for a, b in zip(bounds, bounds[1:], strict=False)
        if b[0] > a[0] + 1 and b[1] > a[1] + 1
    ]


def align_gaps(
    gaps: list[tuple[tuple[int, int], tuple[int, int]]],
    index: PairIndex,
    free: tuple[np.ndarray, np.ndarray],
    null: NullScores,
    settings: GapSettings,
    cells: CellScorer,
) -> list[tuple[int, int]]:
    """Links inside the gaps, between free sentences only."""
    free_source, free_witness = free
    stack = list(gaps)
    dense: list[tuple[np.ndarray, np.ndarray]] = []
    out: list[tuple[int, int]] = []
    while stack:
        src_range, wit_range = stack.pop()
        rows = np.flatnonzero(free_source[src_range[0] : src_range[1]]) + src_range[0]
        cols = np.flatnonzero(free_witness[wit_range[0] : wit_range[1]]) + wit_range[0]
        size = len(rows) * len(cols)
        if size == 0:
            continue
        if size <= settings.dense_cells:
            dense.append((rows, cols))
            continue
        chain = _sparse_chain(
            index, src_range, wit_range, free, null.threshold(size, *_t(settings))
        )
        if not chain:
            continue
        out.extend(chain)
        stack.extend(_split(src_range, wit_range, chain))
    out.extend(_dense_links(dense, null, settings, cells))
    return out


def _t(settings: GapSettings) -> tuple[float, float, float]:
    return settings.alpha, settings.floor, settings.cap


def _sparse_chain(
    index: PairIndex,
    src_range: tuple[int, int],
    wit_range: tuple[int, int],
    free: tuple[np.ndarray, np.ndarray],
    threshold: float,
) -> list[tuple[int, int]]:
    """The heaviest order-preserving chain of a large gap's candidates above threshold."""
    src, wit, score = index.within(src_range, wit_range)
    keep = (score >= threshold) & free[0][src] & free[1][wit]
    return heaviest_chain(src[keep], wit[keep], score[keep])


def heaviest_chain(src: np.ndarray, wit: np.ndarray, weight: np.ndarray) -> list[tuple[int, int]]:
    """The chain of pairs, increasing strictly on both sides, with the highest total weight."""
    if len(src) == 0:
        return []
    # Within one record sentence the later account sentence comes first, so no two pairs
    # of one sentence can chain (moved_links keeps this order among equal record indices).
    order = np.lexsort((-wit, src))
    positions = list(zip(src[order].tolist(), wit[order].tolist(), strict=True))
    off = moved_links(positions, weight[order].tolist())
    return [p for p, is_off in zip(positions, off, strict=True) if not is_off]


def _split(
    src_range: tuple[int, int], wit_range: tuple[int, int], chain: list[tuple[int, int]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The smaller gaps a chain of links leaves inside a gap."""
    bounds = [(src_range[0] - 1, wit_range[0] - 1), *chain, (src_range[1], wit_range[1])]
    return [
        ((a[0] + 1, b[0]), (a[1] + 1, b[1]))
        for a, b in zip(bounds, bounds[1:], strict=False)
        if b[0] > a[0] + 1 and b[1] > a[1] + 1
    ]


def _dense_links(
    dense: list[tuple[np.ndarray, np.ndarray]],
    null: NullScores,
    settings: GapSettings,
    cells: CellScorer,
) -> list[tuple[int, int]]:
    """Score every cell of the small gaps in one batch, then align each gap."""
    if not dense:
        return []
    src = np.concatenate([np.repeat(rows, len(cols)) for rows, cols in dense])
    wit = np.concatenate([np.tile(cols, len(rows)) for rows, cols in dense])
    scores = cells(src, wit)
    out: list[tuple[int, int]] = []
    at = 0
    for rows, cols in dense:
        size = len(rows) * len(cols)
        matrix = scores[at : at + size].reshape(len(rows), len(cols))
        at += size
        threshold = null.threshold(size, *_t(settings))
        out.extend((int(rows[a]), int(cols[b])) for a, b in monotone_alignment(matrix, threshold))
    return out


def monotone_alignment(matrix: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Cells of an order-preserving one-to-one alignment with the highest total margin.

    Each cell scoring at least ``threshold`` is worth its score minus the threshold (plus
    a little, so an exact tie still links); skipping a sentence on either side is free.
    """
    n, m = matrix.shape
    gain = np.where(matrix >= threshold, matrix - threshold + 1e-9, -1.0)
    if not (gain > 0).any():
        return []
    best = np.zeros((n + 1, m + 1))
    for a in range(1, n + 1):
        row, above, g = best[a], best[a - 1], gain[a - 1]
        for b in range(1, m + 1):
            diagonal = above[b - 1] + g[b - 1] if g[b - 1] > 0 else -1.0
            row[b] = max(above[b], row[b - 1], diagonal)
    out: list[tuple[int, int]] = []
    a, b = n, m
    while a > 0 and b > 0:
        if gain[a - 1, b - 1] > 0 and best[a, b] == best[a - 1, b - 1] + gain[a - 1, b - 1]:
            out.append((a - 1, b - 1))
            a, b = a - 1, b - 1
        elif best[a, b] == best[a - 1, b]:
            a -= 1
        else:
            b -= 1
    return out[::-1]
