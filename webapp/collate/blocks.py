"""Moved blocks: runs of moderate pairs along a diagonal, away from the main chain.

A passage the account moved shows up as a run of pairs, each one or a few sentences after
the last on both sides. Each pair may be moderate, but chance likenesses do not line up,
so a run is evidence where a lone weak pair is not. The evidence is calibrated on this
text pair (:class:`.gaps.NullScores`, the scores of pairs known not to correspond):

* a member scoring ``s`` is as rare as the share ``t(s)`` of random pairs reaching ``s``;
* the run could have started at any free cell, and taken any steps of up to
  ``max_step`` sentences on each side: a union bound over every start and shape (each
  step ``(di, dj)`` weighted ``1 / (di * dj)``, so tight diagonals are cheap) prices the
  search (:func:`_steps`).

A run is accepted when that bound on chance runs as good over the whole free area,
``free cells * t(s_1) * prod(price_k * t(s_k))``, is at most ``alpha``: a long run may be
made of weak pairs, two strong pairs in a row suffice, a lone pair never does. The run
says where a passage went; which of its pairs are links is decided as in any gap
(:func:`.gaps.align_gaps` over the block's span on both sides), so a weak member that only
bridged two good ones is not claimed as a link on the run's strength.

A block of moves already linked (strong moves kept by the first matching, links of the
blocks above) has an interior too: between two moved links that follow each other on both
sides, the sentences left free are a gap bounded by the block's own links, aligned like any
gap with the same calibrated threshold (:func:`moved_interiors`). A moved verse there is
evidence in its place, where alone it would have to stand out against the whole text.
Its edges too: the free sentences just before and after it (:func:`block_edges`). Where
two blocks' edges share sentences (one block told right after another), each block's
own diagonal cell next to it is searched first, as a gap of one cell, then each shared
edge like a gap, a sentence claimed by both going to the better pair (:func:`block_edges`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .gaps import Gap, NullScores, PairIndex
from .matching import greedy
from .order import moved_links

__all__ = [
    "BlockSettings",
    "block_boxes",
    "block_edges",
    "find_blocks",
    "moved_interiors",
    "moved_runs",
    "Edges",
    "one_claim_each",
]

#: A run of pairs, increasing on both sides.
Block = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class BlockSettings:
    """What the block search reads (a view of the aligner's settings)."""

    #: Expected chance blocks in the whole text pair.
    alpha: float
    #: Fewest pairs in a block.
    min_length: int
    #: Largest step between two members, in sentences on either side.
    max_step: int
    #: Lowest score of a member.
    floor: float
    #: Longest chain the search follows (a bound on its work, far above real blocks).
    max_length: int = 200


def find_blocks(
    index: PairIndex, free: tuple[np.ndarray, np.ndarray], null: NullScores, settings: BlockSettings
) -> list[Block]:
    """The accepted blocks among the candidates whose two sentences are both free,
    strongest first, no two sharing a sentence."""
    free_source, free_witness = free
    keep = (index.score >= settings.floor) & free_source[index.source]
    keep &= free_witness[index.witness]
    src, wit = index.source[keep], index.witness[keep]
    if len(src) < max(settings.min_length, 1):
        return []
    gain = -np.log(null.tail(index.score[keep]))
    space = float(free_source.sum()) * float(free_witness.sum())
    need = float(np.log(max(space, 1.0) / settings.alpha))
    total, previous = _best_runs(src, wit, gain, settings)
    return _extract(src, wit, total, previous, need, settings.min_length)


def _steps(max_step: int) -> list[tuple[int, int, float]]:
    """Steps between members with their price: minus the log of the share of chance that
    the union bound over run shapes gives them (a step of ``(di, dj)`` gets a share in
    proportion to ``1 / (di * dj)``, half of it left for longer runs), so the bound over
    every shape, length and start stays ``alpha`` while a tight diagonal costs least."""
    span = range(1, max(max_step, 1) + 1)
    harmonic = sum(1.0 / d for d in span)
    base = float(np.log(2.0 * harmonic * harmonic))
    return [(di, dj, base + float(np.log(di * dj))) for di in span for dj in span]


def _best_runs(
    src: np.ndarray, wit: np.ndarray, gain: np.ndarray, settings: BlockSettings
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the evidence of the best run ending at it (log scale) and the pair
    before it in that run (-1: the run starts there).

    A longest-path relaxation over the steps, vectorised: each round lets every run grow
    by one member, so it ends after as many rounds as the longest run has members.
    """
    width = int(wit.max()) + 2
    keys = src.astype(np.int64) * width + wit
    order = np.argsort(keys)
    ordered = keys[order]
    links = []
    for di, dj, price in _steps(settings.max_step):
        target = (src.astype(np.int64) - di) * width + (wit - dj)
        at = np.minimum(np.searchsorted(ordered, target), len(ordered) - 1)
        hit = (ordered[at] == target) & (wit - dj >= 0)
        links.append((np.flatnonzero(hit), order[at[hit]], price))
    total = gain.copy()
    previous = np.full(len(src), -1, dtype=np.int64)
    for _ in range(settings.max_length):
        changed = False
        for here, before, price in links:
            grown = total[before] + gain[here] - price
            better = grown > total[here] + 1e-12
            if better.any():
                total[here[better]] = grown[better]
                previous[here[better]] = before[better]
                changed = True
        if not changed:
            break
    return total, previous


def _extract(
    src: np.ndarray,
    wit: np.ndarray,
    total: np.ndarray,
    previous: np.ndarray,
    need: float,
    min_length: int,
) -> list[Block]:
    """The runs with enough evidence, best end first, skipping any that shares a sentence
    with a run already taken."""
    used_s: set[int] = set()
    used_w: set[int] = set()
    blocks: list[Block] = []
    for end in np.flatnonzero(total >= need)[np.argsort(-total[total >= need], kind="stable")]:
        run: Block = []
        k = int(end)
        while k >= 0:
            run.append((int(src[k]), int(wit[k])))
            k = int(previous[k])
        if len(run) < min_length or any(i in used_s or j in used_w for i, j in run):
            continue
        blocks.append(run[::-1])
        used_s.update(i for i, _ in run)
        used_w.update(j for _, j in run)
    return blocks


def block_boxes(blocks: list[Block]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Each block's span on both sides (half-open ranges), to be aligned as a gap."""
    return [((b[0][0], b[-1][0] + 1), (b[0][1], b[-1][1] + 1)) for b in blocks]


#: A link's extent: first and last record sentence, first and last account sentence.
Span = tuple[int, int, int, int]


def moved_runs(links: list[tuple[set[int], set[int]]], index: PairIndex) -> list[list[Span]]:
    """Blocks of moved links: runs of links off the order-preserving chain of ``links``
    (record and account sets), each following the last in the account and keeping the
    record's order, with no other link's sentence between two members on either side.
    Chain weights are as in the final order check: sizes plus the best pair score."""
    if len(links) < 2:
        return []
    spans = [(min(s), max(s), min(w), max(w)) for s, w in links]
    weights = [len(s) + len(w) + max(index.lookup(i, j) for i in s for j in w) for s, w in links]
    off = moved_links([(a, c) for a, _, c, _ in spans], weights)
    linked = np.sort(np.fromiter((i for s, _ in links for i in s), dtype=np.int64))
    by_account = sorted(range(len(links)), key=lambda k: spans[k][2])
    runs: list[list[Span]] = []
    for k, n in zip(by_account, by_account[1:], strict=False):
        first, then = spans[k], spans[n]
        between = np.searchsorted(linked, then[0]) - np.searchsorted(linked, first[1] + 1)
        if off[k] and off[n] and first[1] < then[0] and between == 0:
            if runs and runs[-1][-1] == first:
                runs[-1].append(then)
            else:
                runs.append([first, then])
    return runs


def moved_interiors(runs: list[list[Span]]) -> list[Gap]:
    """The gaps inside blocks of moved links, between two members that follow each other:
    bounded by the block's own links, like a gap between two anchors."""
    out: list[Gap] = []
    for run in runs:
        for first, then in zip(run, run[1:], strict=False):
            gap = ((first[1] + 1, then[0]), (first[3] + 1, then[2]))
            if gap[0][1] > gap[0][0] and gap[1][1] > gap[1][0]:
                out.append(gap)
    return out


def _all_edges(
    runs: list[list[Span]], links: list[tuple[set[int], set[int]]], sizes: tuple[int, int]
) -> list[Gap]:
    """The free sentences just before each block of moved links and just after it, on
    both sides, up to the nearest linked sentence of either text (empty edges left out)."""
    record = np.sort(np.fromiter((i for s, _ in links for i in s), dtype=np.int64))
    account = np.sort(np.fromiter((j for _, w in links for j in w), dtype=np.int64))
    out: list[Gap] = []
    for run in runs:
        (i0, _, j0, _), (_, i1, _, j1) = run[0], run[-1]
        before = ((_previous(record, i0), i0), (_previous(account, j0), j0))
        after = ((i1 + 1, _next(record, i1, sizes[0])), (j1 + 1, _next(account, j1, sizes[1])))
        out += [g for g in (before, after) if g[0][1] > g[0][0] and g[1][1] > g[1][0]]
    return out


class Edges(NamedTuple):
    """The free edges of the blocks of moved links (see :func:`block_edges`)."""

    #: Each block's own edges, and the diagonal cells next to blocks whose edges are shared.
    own: list[Gap]
    #: The edges that share sentences with another block's edge.
    shared: list[Gap]


def block_edges(
    runs: list[list[Span]], links: list[tuple[set[int], set[int]]], sizes: tuple[int, int]
) -> Edges:
    """The free sentences just before a block of moved links and just after it, on both
    sides (up to the nearest linked sentence of either text): where the moved passage may
    start earlier or end later than its links say. Two edges that share sentences (the
    end of one block and the start of the next, with free account sentences between)
    are apart (``shared``): which block those sentences continue is not for one edge to
    say. Only the cell on each block's own diagonal next to it is among the block's own
    (:func:`_corners`); the shared edges are aligned like gaps once those cells are linked,
    a sentence that two of them claim going to the better pair (:func:`one_claim_each`)."""
    edges = _all_edges(runs, links, sizes)
    shared = [g for g in edges if any(h is not g and _overlap(g, h) for h in edges)]
    kept = [g for g in edges if g not in shared]
    return Edges(kept + _corners(runs, kept + moved_interiors(runs), sizes), shared)


def one_claim_each(pairs: list[tuple[int, int]], index: PairIndex) -> list[tuple[int, int]]:
    """The pairs one-to-one, the better pair first where two claim one sentence (two
    shared edges aligned on their own may both reach for a sentence between blocks)."""
    if not pairs:
        return []
    src = np.array([i for i, _ in pairs], dtype=np.int64)
    wit = np.array([j for _, j in pairs], dtype=np.int64)
    score = np.array([index.lookup(i, j) for i, j in pairs])
    return sorted(pairs[k] for k in greedy(np.arange(len(pairs)), src, wit, score))


def _corners(runs: list[list[Span]], gaps: list[Gap], sizes: tuple[int, int]) -> list[Gap]:
    """The cell on each block's own diagonal just before its first link and just after its
    last, as a one-cell gap, where no other gap holds either of its sentences (an edge
    left out as shared): which block the shared sentences continue is open, but the next
    pair on a block's diagonal continues that block, and a search of one cell needs no
    more than the gaps' cut. Two such cells sharing a sentence (two blocks reaching for
    it) are both left out."""
    in_gap = (_covered([g[0] for g in gaps], sizes[0]), _covered([g[1] for g in gaps], sizes[1]))
    found = (
        (i, j)
        for run in runs
        for i, j in ((run[0][0] - 1, run[0][2] - 1), (run[-1][1] + 1, run[-1][3] + 1))
        if 0 <= i < sizes[0] and 0 <= j < sizes[1] and not (in_gap[0][i] or in_gap[1][j])
    )
    cells = list(dict.fromkeys(found))  # one cell next to two blocks continues both
    rows = Counter(i for i, _ in cells)
    cols = Counter(j for _, j in cells)
    return [((i, i + 1), (j, j + 1)) for i, j in cells if rows[i] == cols[j] == 1]


def _covered(ranges: list[tuple[int, int]], size: int) -> np.ndarray:
    """Whether each of ``size`` sentences lies in one of the half-open ``ranges``."""
    marks = np.zeros(size + 1, dtype=np.int64)  # +1 at a range's start, -1 past its end
    np.add.at(marks, np.array([a for a, _ in ranges], dtype=np.int64), 1)
    np.add.at(marks, np.array([b for _, b in ranges], dtype=np.int64), -1)
    out: np.ndarray = np.cumsum(marks[:size]) > 0
    return out


def _overlap(a: Gap, b: Gap) -> bool:
    """Whether two gaps share sentences of either text."""
    return any(a[k][0] < b[k][1] and b[k][0] < a[k][1] for k in (0, 1))


def _previous(linked: np.ndarray, at: int) -> int:
    """The sentence after the last linked one before ``at`` (0 if none)."""
    k = int(np.searchsorted(linked, at))
    return int(linked[k - 1]) + 1 if k > 0 else 0


def _next(linked: np.ndarray, at: int, size: int) -> int:
    """The first linked sentence after ``at`` (``size`` if none)."""
    k = int(np.searchsorted(linked, at, side="right"))
    return int(linked[k]) if k < len(linked) else size
