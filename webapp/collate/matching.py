"""One-to-one matching of scored candidate pairs, and the order tests it relies on.

``max_weight_matching`` solves an exact assignment per connected component of the
candidate graph; ``in_order`` tells which pairs fit a chain of links; ``TopPartners``
and ``stand_out`` say whether a pair is each side's clear best.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components

from .ranking import best_first
from .similarity import PairScores


class StandOutSettings(Protocol):
    """The one setting ``stand_out`` reads."""

    @property
    def distinct_ratio(self) -> float: ...


def in_order(pairs: PairScores, chain: list[int]) -> np.ndarray:
    """Whether each pair fits the order of the chain's links, on both sides.

    A pair (i, j) is in order when every chain link before i in the record comes before j
    in the account, and every one after i after j; a chain link that shares i or j (the
    other half of a split or merge, or the pair itself) is not held against it.
    """
    if not chain:
        return np.ones(len(pairs.source), dtype=bool)
    order = np.argsort(pairs.source[chain])
    chain_src = pairs.source[chain][order]
    chain_wit = pairs.witness[chain][order]  # increasing too: it is a chain
    # How many chain links lie before the pair on each side: equal counts mean it fits,
    # and one more on one side is allowed when that link shares the pair's sentence.
    a = np.searchsorted(chain_src, pairs.source, side="left")
    b = np.searchsorted(chain_wit, pairs.witness, side="left")
    last = len(chain) - 1
    ok: np.ndarray = (
        (a == b)
        | ((a == b + 1) & (chain_wit[np.minimum(b, last)] == pairs.witness))
        | ((b == a + 1) & (chain_src[np.minimum(a, last)] == pairs.source))
    )
    return ok


def max_weight_matching(
    pairs: PairScores,
    eligible: np.ndarray,
    score: np.ndarray,
    n_source: int,
    n_witness: int,
) -> list[int]:
    """One-to-one pairs with the highest total score, solved per connected component.

    Components of the candidate graph are small in practice, so an exact assignment
    (Hungarian method) is cheap; a component too large for it is matched greedily.
    Among equal totals, pairs nearer the diagonal win, so repeated sentences stay in order.
    """
    if len(eligible) == 0:
        return []
    src = pairs.source[eligible]
    wit = pairs.witness[eligible]
    nodes = n_source + n_witness
    graph = sp.coo_matrix((np.ones(len(eligible)), (src, wit + n_source)), shape=(nodes, nodes))
    _, labels = connected_components(graph, directed=False)
    diagonal = np.abs(src / max(n_source, 1) - wit / max(n_witness, 1))
    weight = score[eligible] + 1e-6 * (1.0 - diagonal)
    by_component = np.argsort(labels[src], kind="stable")
    bounds = np.flatnonzero(np.diff(labels[src][by_component])) + 1
    chosen: list[int] = []
    for group in np.split(by_component, bounds):
        if len(group) == 1:
            chosen.append(int(eligible[group[0]]))
            continue
        rows, row_of = np.unique(src[group], return_inverse=True)
        cols, col_of = np.unique(wit[group], return_inverse=True)
        if len(rows) * len(cols) > _DENSE_LIMIT:
            chosen.extend(int(eligible[k]) for k in greedy(group, src, wit, weight))
            continue
        matrix = np.zeros((len(rows), len(cols)))
        matrix[row_of, col_of] = weight[group]
        edge = np.full((len(rows), len(cols)), -1, dtype=np.int64)
        edge[row_of, col_of] = eligible[group]
        r, c = linear_sum_assignment(matrix, maximize=True)
        chosen.extend(int(edge[a, b]) for a, b in zip(r, c, strict=True) if edge[a, b] >= 0)
    return chosen


#: Largest component (rows x columns) solved exactly.
_DENSE_LIMIT = 250_000


def greedy(group: np.ndarray, src: np.ndarray, wit: np.ndarray, weight: np.ndarray) -> list[int]:
    """Best pairs first while both sides are free (fallback for huge components, the late
    lone moves of :mod:`.lonely`, the shared edges of :mod:`.blocks`): indices into the
    arrays, best first."""
    used_s: set[int] = set()
    used_w: set[int] = set()
    out = []
    order = group[np.argsort(-weight[group], kind="stable")]
    # Python ints from the start: no numpy scalar a pair (a component of 100,000 pairs).
    for k, i, j in zip(order.tolist(), src[order].tolist(), wit[order].tolist(), strict=True):
        if i not in used_s and j not in used_w:
            used_s.add(i)
            used_w.add(j)
            out.append(k)
    return out


class TopPartners:
    """For each sentence, its best few candidate partners: scores and indices, best first.

    Ties are ordered by the higher partner index; a slot with no partner scores -1.
    """

    def __init__(
        self, index: np.ndarray, partner: np.ndarray, score: np.ndarray, size: int, keep: int = 4
    ) -> None:
        order = best_first(index, score, partner)
        ordered = index[order]
        first = np.searchsorted(ordered, np.arange(size))
        rank = np.arange(len(order)) - first[ordered]
        kept = rank < keep
        self.score = np.full((size, keep), -1.0)
        self.partner = np.full((size, keep), -10, dtype=np.int64)
        self.score[ordered[kept], rank[kept]] = score[order[kept]]
        self.partner[ordered[kept], rank[kept]] = partner[order[kept]]

    def rival(self, index: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Best score among each sentence's partners other than ``chosen`` and its neighbours.

        A neighbour of the chosen partner is no rival: it may be the other half of a split.
        """
        far = np.abs(self.partner[index] - chosen[:, None]) > 1
        best: np.ndarray = np.where(far, self.score[index], 0.0).max(axis=1, initial=0.0)
        return best

    def close_rivals(
        self, index: np.ndarray, chosen: np.ndarray, score: np.ndarray, ratio: float
    ) -> np.ndarray:
        """How many of each sentence's partners other than ``chosen`` and its neighbours
        score within ``ratio`` of ``score`` (those the pair does not beat by ``ratio``)."""
        far = np.abs(self.partner[index] - chosen[:, None]) > 1
        close = far & (self.score[index] * ratio >= np.asarray(score)[:, None])
        count: np.ndarray = close.sum(axis=1)
        return count


#: Other partners as good that make a sentence one copy of a formula: one is a doublet or
#: the other half of a split, two or more a sentence the text repeats.
COPIES = 2


def crowded(
    top_source: TopPartners,
    top_witness: TopPartners,
    settings: StandOutSettings,
    source: np.ndarray | list[int],
    witness: np.ndarray | list[int],
    score: np.ndarray | list[float],
) -> np.ndarray:
    """Whether either side of each pair has :data:`COPIES` or more other partners that the
    pair does not beat by ``distinct_ratio``: a formula with copies, whose best-scoring
    copy says what the sentence is, not where it belongs."""
    return _rivals_reach_copies(
        top_source, top_witness, settings, (source, witness, score), np.maximum
    )


def copies_on_both_sides(
    top_source: TopPartners,
    top_witness: TopPartners,
    settings: StandOutSettings,
    source: np.ndarray | list[int],
    witness: np.ndarray | list[int],
    score: np.ndarray | list[float],
) -> np.ndarray:
    """Whether *both* sides of each pair have :data:`COPIES` or more other partners that
    the pair does not beat by ``distinct_ratio``: two copies of a formula that both texts
    repeat (minutes, refrains), whose score says which formula, not which copy; only the
    order can place it. (One side crowded is a sentence the other text repeats, which the
    pair's own side still places.)"""
    return _rivals_reach_copies(
        top_source, top_witness, settings, (source, witness, score), np.minimum
    )


def _rivals_reach_copies(
    top_source: TopPartners,
    top_witness: TopPartners,
    settings: StandOutSettings,
    pairs: tuple[np.ndarray | list[int], np.ndarray | list[int], np.ndarray | list[float]],
    sides: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """Whether each pair's close rivals, counted on each side and combined by ``sides``
    (``np.maximum``: either side; ``np.minimum``: both), reach :data:`COPIES`."""
    src = np.asarray(pairs[0], dtype=np.int64)
    wit = np.asarray(pairs[1], dtype=np.int64)
    values = np.asarray(pairs[2], dtype=np.float64)
    ratio = settings.distinct_ratio
    rivals = sides(
        top_source.close_rivals(src, wit, values, ratio),
        top_witness.close_rivals(wit, src, values, ratio),
    )
    out: np.ndarray = rivals >= COPIES
    return out


def stand_out(
    top_source: TopPartners,
    top_witness: TopPartners,
    settings: StandOutSettings,
    source: np.ndarray | list[int],
    witness: np.ndarray | list[int],
    score: np.ndarray | list[float],
) -> np.ndarray:
    """Whether each pair's two sides are each other's best, by ``distinct_ratio`` over rivals."""
    src = np.asarray(source, dtype=np.int64)
    wit = np.asarray(witness, dtype=np.int64)
    rival = np.maximum(top_source.rival(src, wit), top_witness.rival(wit, src))
    out: np.ndarray = np.asarray(score) >= settings.distinct_ratio * rival
    return out
