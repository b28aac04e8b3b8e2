"""Align the stretches between anchors: the order around a gap is its evidence.

A gap is the record range and the account range between two consecutive anchors (the
confident, in-order links). Inside it the alignment must be monotonic, so a pair that
would be a weak guess anywhere in the text is good evidence here. How good a score must
be is calibrated on this text pair: :class:`NullScores` holds the scores of pairs known
not to correspond, and a gap accepts its best pairs down to the score where the share of
chance pairs among them would exceed ``alpha`` (a false-discovery-rate cut over the gap's
cells): larger gaps are stricter, and a gap full of good pairs accepts more of them.

A small gap is aligned by a dynamic programme over all its cells (1:1 links and skips;
merges join afterwards, see :mod:`.merges`); a large one by the heaviest chain of its
sparse candidates above its threshold, which splits it into smaller gaps.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .order import heaviest_chain
from .ranking import by_keys
from .similarity import PairScores

#: A gap: a half-open range of record sentences and one of account sentences.
Gap = tuple[tuple[int, int], tuple[int, int]]
#: Scores of cells (record index, account index): arrays in, scores out.
CellScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


class NullScores:
    """Scores of random sentence pairs of one text pair: how high chance likeness goes."""

    def __init__(self, scores: np.ndarray) -> None:
        self.sorted = np.sort(np.asarray(scores, dtype=np.float64))

    @classmethod
    def sample(
        cls,
        anchors: Sequence[tuple[int, int]],
        shape: tuple[int, int],
        cells: CellScorer,
        size: int,
    ) -> NullScores:
        """Scores of pairs of anchored sentences with other partners: a record sentence of
        one anchor against the account sentence of another, not its chain neighbour (a
        split half or context). Those sentences are known to correspond elsewhere, so
        their cross scores are chance likeness. When they give fewer than half of
        ``size`` pairs (few anchors), random pairs of the whole text pair fill up the
        sample (a few of them true, too few to matter), so that rare scores can be told;
        a small text pair with fewer than four anchors scores every cell once."""
        rng = np.random.default_rng(0)
        count = len(anchors)
        total = shape[0] * shape[1]
        if count < 4 and total <= size:  # every cell once (a small text pair)
            a, b = np.divmod(np.arange(total), shape[1])
            return cls(cells(a, b))
        src = np.array([a for a, _ in anchors], dtype=np.int64)
        wit = np.array([b for _, b in anchors], dtype=np.int64)
        if count * count <= size:
            a, b = np.divmod(np.arange(count * count), count)
        else:
            a, b = rng.integers(0, count, size), rng.integers(0, count, size)
        far = np.abs(a - b) > 1
        src, wit = src[a[far]], wit[b[far]]
        if len(src) < size // 2 and total > size:  # too few to tell a rare score
            extra = size - len(src)
            src = np.concatenate([src, rng.integers(0, shape[0], extra)])
            wit = np.concatenate([wit, rng.integers(0, shape[1], extra)])
        return cls(cells(src, wit))

    def quantile(self, tail: float) -> float:
        """The score that only a share ``tail`` of random pairs reaches (their maximum
        when the sample is too small to tell); 1.0 with no sample at all."""
        n = len(self.sorted)
        if n == 0:
            return 1.0
        rank = int(np.ceil((1.0 - tail) * n))
        return float(self.sorted[min(max(rank, 0), n - 1)])

    def tail(self, scores: np.ndarray) -> np.ndarray:
        """Share of random pairs scoring at least each of ``scores`` (never 0: one more
        random pair is assumed to reach it, so an unseen score is not called impossible)."""
        n = len(self.sorted)
        above = n - np.searchsorted(self.sorted, scores, side="left")
        out: np.ndarray = (above + 1.0) / (n + 1.0)
        return out

    def accepted(self, matrix: np.ndarray, alpha: float, floor: float, cap: float) -> np.ndarray:
        """Which cells of a small gap pass the false-discovery-rate cut at ``alpha``.

        A cell's evidence is its chance (the share of random pairs reaching its score), or
        with the next or previous cell on its diagonal the product of the two chances: two
        fair pairs in a row are rarer by chance than either alone. The cut is that of
        :meth:`threshold` over these chances; a cell at ``cap`` or more always passes, one
        under ``floor`` never.
        """
        chance = np.where(matrix >= floor, self.tail(matrix), 1.0)
        pair = np.ones_like(chance)
        pair[:-1, :-1] = chance[:-1, :-1] * chance[1:, 1:]
        evidence = np.minimum(chance, pair)
        evidence[1:, 1:] = np.minimum(evidence[1:, 1:], pair[:-1, :-1])
        ranked = np.sort(evidence.ravel())
        ok = np.flatnonzero(ranked <= alpha * np.arange(1, len(ranked) + 1) / len(ranked))
        cut = ranked[ok[-1]] if len(ok) else -1.0
        out: np.ndarray = ((evidence <= cut) & (matrix >= floor)) | (matrix >= max(cap, floor))
        return out

    def threshold(
        self, observed: np.ndarray, cells: int, alpha: float, floor: float, cap: float
    ) -> float:
        """Lowest score accepted in a gap of ``cells`` cells whose best scores are
        ``observed``: the false-discovery-rate cut (Benjamini-Hochberg) at ``alpha``.

        The k-th best observed score is accepted when ``cells`` random cells would be
        expected to reach it fewer than ``alpha * k`` times: a gap with many good pairs
        accepts more, a gap of noise almost nothing, and a larger gap is stricter. Never
        below ``floor``; never above ``cap`` (or ``floor`` if that is higher).
        """
        ranked = np.sort(np.asarray(observed, dtype=np.float64))[::-1]
        ranked = ranked[ranked >= floor]
        if len(ranked) == 0:
            return max(floor, cap)
        ok = np.flatnonzero(cells * self.tail(ranked) <= alpha * np.arange(1, len(ranked) + 1))
        value = float(ranked[ok[-1]]) if len(ok) else np.inf
        return max(floor, min(cap, value))


@dataclass(frozen=True, slots=True)
class GapSettings:
    """What the gap alignment reads (a view of the aligner's settings)."""

    alpha: float
    floor: float
    cap: float
    dense_cells: int
    #: With the semantic scorer: a cosine this high (and ``meaning_margin`` above any
    #: other in its row and column) links a pair of a small gap whatever its words.
    meaning_floor: float = 1.0
    meaning_margin: float = 0.0


class PairIndex:
    """Candidate pairs sorted by record index, for looking up those inside a gap."""

    def __init__(self, pairs: PairScores) -> None:
        order = by_keys(pairs.witness, pairs.source)
        self.source = pairs.source[order]
        self.witness = pairs.witness[order]
        self.score = pairs.score[order]
        self._lists: tuple[list[int], list[int], list[float]] | None = None

    def lookup(self, source: int, witness: int) -> float:
        """The candidate's score, 0 when the pair is not a candidate (a binary search in
        Python lists, built at the first look-up: one numpy call costs more)."""
        if self._lists is None:
            top = int(self.source[-1]) + 2 if len(self.source) else 1
            starts: list[int] = np.searchsorted(self.source, np.arange(top)).tolist()
            self._lists = (starts, self.witness.tolist(), self.score.tolist())
        starts, witnesses, scores = self._lists
        if not 0 <= source < len(starts) - 1:
            return 0.0
        lo, hi = starts[source], starts[source + 1]
        at = bisect_left(witnesses, witness, lo, hi)
        return float(scores[at]) if at < hi and witnesses[at] == witness else 0.0

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
    cosine: CellScorer | None = None,
) -> list[tuple[int, int]]:
    """Links inside the gaps, between free sentences only (``cosine``: the semantic
    scorer's embedding similarity of cells, when it is on)."""
    free_source, free_witness = free
    stack = list(gaps)
    dense: list[tuple[np.ndarray, np.ndarray, Gap]] = []
    out: list[tuple[int, int]] = []
    while stack:
        src_range, wit_range = stack.pop()
        rows = np.flatnonzero(free_source[src_range[0] : src_range[1]]) + src_range[0]
        cols = np.flatnonzero(free_witness[wit_range[0] : wit_range[1]]) + wit_range[0]
        size = len(rows) * len(cols)
        if size == 0:
            continue
        if size <= settings.dense_cells:
            dense.append((rows, cols, (src_range, wit_range)))
            continue
        chain = _sparse_chain(index, src_range, wit_range, free, null, size, settings)
        if not chain:
            continue
        out.extend(chain)
        stack.extend(_split(src_range, wit_range, chain))
    out.extend(_dense_links(dense, null, settings, (cells, cosine)))
    return out


def _sparse_chain(
    index: PairIndex,
    src_range: tuple[int, int],
    wit_range: tuple[int, int],
    free: tuple[np.ndarray, np.ndarray],
    null: NullScores,
    size: int,
    settings: GapSettings,
) -> list[tuple[int, int]]:
    """The heaviest order-preserving chain of a large gap's candidates above its
    threshold (the candidates are the gap's best cells: the rest score lower)."""
    src, wit, score = index.within(src_range, wit_range)
    keep = free[0][src] & free[1][wit]
    src, wit, score = src[keep], wit[keep], score[keep]
    threshold = null.threshold(score, size, settings.alpha, settings.floor, settings.cap)
    keep = score >= threshold
    src, wit, score = src[keep], wit[keep], score[keep]
    x = (src - src_range[0] + 1) / (src_range[1] - src_range[0] + 1)
    y = (wit - wit_range[0] + 1) / (wit_range[1] - wit_range[0] + 1)
    return heaviest_chain(src, wit, score + TIE * (1.0 - np.abs(x - y)))


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
    dense: list[tuple[np.ndarray, np.ndarray, Gap]],
    null: NullScores,
    settings: GapSettings,
    scorers: tuple[CellScorer, CellScorer | None],
) -> list[tuple[int, int]]:
    """Score every cell of the small gaps in one batch, then align each gap."""
    if not dense:
        return []
    src = np.concatenate([np.repeat(rows, len(cols)) for rows, cols, _ in dense])
    wit = np.concatenate([np.tile(cols, len(rows)) for rows, cols, _ in dense])
    scores = scorers[0](src, wit)
    cosines = scorers[1](src, wit) if scorers[1] is not None else None
    out: list[tuple[int, int]] = []
    at = 0
    for rows, cols, gap in dense:
        size = len(rows) * len(cols)
        matrix = scores[at : at + size].reshape(len(rows), len(cols))
        at += size
        accepted = null.accepted(matrix, settings.alpha, settings.floor, settings.cap)
        if cosines is not None:
            meaning = cosines[at - size : at].reshape(len(rows), len(cols))
            accepted |= clear_meaning(meaning, settings.meaning_floor, settings.meaning_margin)
        matrix = matrix + TIE * _near_local_diagonal(rows, cols, gap)
        out.extend((int(rows[a]), int(cols[b])) for a, b in monotone_alignment(matrix, accepted))
    return out


def clear_meaning(cosine: np.ndarray, floor: float, margin: float) -> np.ndarray:
    """Cells whose embedding similarity is at least ``floor`` and each side's best in the
    gap by ``margin`` over any other (``floor`` stands in for a missing rival): with the
    order around the gap, a paraphrase sharing few words is then a link."""
    n, m = cosine.shape
    best_row = cosine.max(axis=1, keepdims=True)
    best_col = cosine.max(axis=0, keepdims=True)
    second_row = np.sort(cosine, axis=1)[:, -2:-1] if m > 1 else np.full((n, 1), floor)
    second_col = np.sort(cosine, axis=0)[-2:-1, :] if n > 1 else np.full((1, m), floor)
    out: np.ndarray = (
        (cosine >= floor)
        & (cosine >= best_row)
        & (cosine >= best_col)
        & (cosine >= np.maximum(second_row, floor) + margin)
        & (cosine >= np.maximum(second_col, floor) + margin)
    )
    return out


#: Weight of the local order in a tie: far below any difference between two scores.
TIE = 1e-6


def _near_local_diagonal(rows: np.ndarray, cols: np.ndarray, gap: Gap) -> np.ndarray:
    """1 on the line from the anchor before a gap to the anchor after it, less away from
    it: among equally good copies of a repeated sentence, the one that fits its
    neighbouring links (not the whole text's diagonal, which drifts)."""
    (s0, s1), (w0, w1) = gap
    x = (rows - s0 + 1) / (s1 - s0 + 1)
    y = (cols - w0 + 1) / (w1 - w0 + 1)
    out: np.ndarray = 1.0 - np.abs(x[:, None] - y[None, :])
    return out


def monotone_alignment(matrix: np.ndarray, accepted: np.ndarray) -> list[tuple[int, int]]:
    """Cells of an order-preserving one-to-one alignment with the highest total score.

    Each ``accepted`` cell is worth its score (as in the matching and
    the chains: two fair pairs in order outweigh one better pair that excludes them);
    skipping a sentence on either side is free.
    """
    n, m = matrix.shape
    gain = np.where(accepted, matrix + 1e-9, -1.0)
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
