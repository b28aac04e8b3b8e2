"""Lone moves whose rivals are spoken for (a late step of :mod:`.align`).

A weak pair out of order stays a link only when it stands out: each side the other's
best by ``lone_move_ratio`` over every rival (:mod:`.offchain`). A rival that is linked to
a partner it matches better is no evidence against the pair: that sentence has its own
reading. After the gaps and blocks, a pair of two free sentences, out of the links'
order, is linked when

- it shares a phrase found in no other sentence of either text (a rare turn of phrase,
  :class:`.corroboration.RarePhrases`: the score alone is at chance level among the
  leftovers, see ``benchmarks/RESULTS.md``, sixth round);
- each side has a linked neighbour (a move is out of an order; a sentence among unlinked
  ones, as the leftovers of unrelated texts, is in none);
- neither side is one copy of a formula (:func:`.matching.crowded`, over *every* rival:
  a template sentence's best look-alike says what kind of sentence it is, not which);
- each side is the other's best by ``spoken_move_ratio`` over every rival that is free
  or *prefers it* (linked, but to a partner it scores lower with).

Whether such a link is a move or only a possible move is judged on the final links
(:func:`.moves.judge_moves`), as for every move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from .gaps import PairIndex
from .matching import TopPartners, crowded, greedy
from .merges import DraftLink
from .order import moved_links

__all__ = ["LonelySettings", "lone_moves", "open_rival", "own_scores"]

Pair = tuple[int, int]


class LonelySettings(Protocol):
    """The settings of :class:`.align_settings.AlignSettings` that this step reads."""

    @property
    def weak_score(self) -> float: ...
    @property
    def distinct_ratio(self) -> float: ...
    @property
    def spoken_move_ratio(self) -> float: ...


def own_scores(
    links: Sequence[DraftLink], index: PairIndex, sizes: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's best pair score with its own link's other side (-1 when free):
    how well a linked sentence is served by its partner."""
    own = (np.full(sizes[0], -1.0), np.full(sizes[1], -1.0))
    for link in links:
        for i in link.source:
            for j in link.witness:
                s = index.lookup(i, j)
                own[0][i] = max(own[0][i], s)
                own[1][j] = max(own[1][j], s)
    return own


def lone_moves(
    links: Sequence[DraftLink],
    index: PairIndex,
    top: tuple[TopPartners, TopPartners],
    settings: LonelySettings,
    shared: Callable[[int, int], bool] | None,
) -> list[Pair]:
    """The free pairs to link (see the module's text), one-to-one, best first; none
    without rare phrases (``shared``) or when ``spoken_move_ratio`` is 0 (off)."""
    ratio = settings.spoken_move_ratio
    if ratio <= 0 or shared is None or not links or len(index.score) == 0:
        return []
    sizes = (len(top[0].score), len(top[1].score))
    own = own_scores(links, index, sizes)
    src, wit, score = index.source, index.witness, index.score
    free = (own[0][src] < 0) & (own[1][wit] < 0) & (score >= settings.weak_score)
    at = np.flatnonzero(free & _out_of_order(links, src, wit))
    at = at[[shared(int(src[k]), int(wit[k])) for k in at]] if len(at) else at
    if len(at) == 0:
        return []
    # A move is out of an order: each side has a linked neighbour (a sentence among
    # unlinked ones is in no order, as the leftovers of unrelated texts).
    at = at[_beside_linked(src[at], own[0]) & _beside_linked(wit[at], own[1])]
    i, j, s = src[at], wit[at], score[at]
    keep = ~crowded(*top, settings, i, j, s) & (s >= ratio * open_rival(index, own, i, j))
    i, j, s = i[keep], j[keep], s[keep]
    return [(int(i[k]), int(j[k])) for k in greedy(np.arange(len(s)), i, j, s)]


def open_rival(
    index: PairIndex, own: tuple[np.ndarray, np.ndarray], i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """The best rival of each pair's two sides among the rivals not spoken for: free, or
    linked to a partner they score lower with (beyond the pair's neighbours, as
    :meth:`.matching.TopPartners.rival`)."""
    src, wit, score = index.source, index.witness, index.score
    open_source = own[1][wit] < score  # rivals of a record sentence: account sentences
    open_witness = own[0][src] < score
    sizes = (len(own[0]), len(own[1]))
    tops = (
        TopPartners(src[open_source], wit[open_source], score[open_source], sizes[0]),
        TopPartners(wit[open_witness], src[open_witness], score[open_witness], sizes[1]),
    )
    best: np.ndarray = np.maximum(tops[0].rival(i, j), tops[1].rival(j, i))
    return best


def _beside_linked(at: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Whether a sentence next to each of ``at`` is linked (``own`` is not -1)."""
    before = (at > 0) & (own[np.maximum(at - 1, 0)] >= 0)
    after = (at + 1 < len(own)) & (own[np.minimum(at + 1, len(own) - 1)] >= 0)
    out: np.ndarray = before | after
    return out


def _out_of_order(links: Sequence[DraftLink], src: np.ndarray, wit: np.ndarray) -> np.ndarray:
    """Whether each pair breaks the order of the links' heaviest chain (a move)."""
    positions = [(min(link.source), min(link.witness)) for link in links]
    weights = [float(len(link.source) + len(link.witness)) for link in links]
    off = moved_links(positions, weights)
    chain = sorted(p for p, o in zip(positions, off, strict=True) if not o)
    chain_src = np.array([a for a, _ in chain], dtype=np.int64)
    chain_wit = np.array([b for _, b in chain], dtype=np.int64)
    before_src = np.searchsorted(chain_src, src, side="left")
    before_wit = np.searchsorted(chain_wit, wit, side="left")
    out: np.ndarray = before_src != before_wit
    return out
