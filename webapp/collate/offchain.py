"""Which links off the first matching's chain stay as moves (step 3 of :mod:`.align`).

A pair that breaks the order of the chain is a claim that the account moved a passage, so
it stays only on evidence: a strong score, a moved neighbour, standing out against every
rival, or being strong as a merge or split with a free neighbour (a moved verse the account
merged with the next); a weak lone move that is each side's best and shares a phrase the two
texts have nowhere else (:mod:`.corroboration`) is linked last, if its sentences are still
free after the gaps and blocks (:func:`phrase_moves`). A move goes when an equally good
partner fits the order where it is (a repeated sentence), when a strong lone move's sentence
has other copies nearly as good (a formula: :func:`.matching.crowded`), or when it is better
read as a split or merged half of the neighbouring chain link. Whether a kept move is a finding or a
*possible move* is judged on the final links (:func:`.moves.judge_moves`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .corroboration import RarePhrases
from .gaps import PairIndex
from .matching import TopPartners, crowded, stand_out
from .merges import GroupScorer, coverage

__all__ = ["kept_moves", "phrase_moves", "swapped_in_place"]

Pair = tuple[int, int]


class MoveSettings(Protocol):
    """The settings of :class:`.align_settings.AlignSettings` that the choice of moves reads."""

    @property
    def moved_min_score(self) -> float: ...
    @property
    def lone_move_ratio(self) -> float: ...
    @property
    def distinct_ratio(self) -> float: ...
    @property
    def tie_margin(self) -> float: ...
    @property
    def join_score(self) -> float: ...
    @property
    def phrase_move_ratio(self) -> float: ...


def kept_moves(
    moved: list[Pair],
    scores: dict[Pair, float],
    chains: tuple[list[Pair], list[Pair]],
    index: PairIndex,
    top: tuple[TopPartners, TopPartners],
    settings: MoveSettings,
    groups: GroupScorer,
) -> tuple[list[Pair], list[Pair], list[Pair]]:
    """The moves of ``moved`` (off the chain) that stay, the weak lone ones that do not
    (see :func:`phrase_moves`), and the strong copies of a formula left to their gaps
    (linked at the end if the gaps leave both sentences free: then nothing fits in their
    place, and a strong pair is a move); ``chains`` are the anchors and the whole chain of
    the first matching."""
    anchors, chain = chains
    moves, weak, formula = _kept_moves(moved, scores, anchors, top, settings)
    maps = ({a: b for a, b in chain}, {b: a for a, b in chain})
    sizes = (len(top[0].score), len(top[1].score))
    merged = _strong_when_merged(weak, maps, sizes, groups, settings)
    moves += merged
    halves = [h for p in moves for h in _as_halves(p, scores[p], maps, index, settings)]
    explained = _better_as_halves(halves, groups)
    lone = [p for p in weak if p not in set(merged)]
    return [p for p in moves if p not in explained], lone, formula


def phrase_moves(
    lone: list[Pair],
    scores: dict[Pair, float],
    top: tuple[TopPartners, TopPartners],
    phrases: RarePhrases | None,
    settings: MoveSettings,
) -> list[Pair]:
    """The weak lone moves that are each side's clear best (by ``phrase_move_ratio``)
    and share a phrase found in no other sentence of either text: a rare turn of phrase
    is evidence of its own, so a lower bar than ``lone_move_ratio`` (the issue's rule for
    weak moves). Linked only if still free after the gaps and blocks, weaker evidence."""
    if phrases is None:
        return []
    best = _Ratio(settings.phrase_move_ratio)
    return [
        (i, j)
        for i, j in lone
        if phrases.shared(i, j) and stand_out(top[0], top[1], best, [i], [j], [scores[(i, j)]])[0]
    ]


def _kept_moves(
    moves: list[tuple[int, int]],
    scores: dict[tuple[int, int], float],
    anchors: list[tuple[int, int]],
    top: tuple[TopPartners, TopPartners],
    settings: MoveSettings,
) -> tuple[list[Pair], list[Pair], list[Pair]]:
    """The moves that stay (step 3): strong, in a block or standing out, and not tied
    with a partner that would fit the order where it is; the weak lone ones dropped; and
    the strong lone ones whose sentence has other copies that score nearly as well (a
    formula), left to the gaps: the score says what it is, not that it moved."""
    moved = set(moves)
    kept: list[Pair] = []
    weak_lone: list[Pair] = []
    formula: list[Pair] = []
    chain = np.array(sorted(anchors), dtype=np.int64).reshape(-1, 2)  # sorted both ways
    for i, j in moves:
        if _tied_in_place(i, j, scores[(i, j)], (chain[:, 0], chain[:, 1]), top, settings):
            continue
        weak = scores[(i, j)] < settings.moved_min_score
        block = any((i + d, j + d * s) in moved for d in (-1, 1) for s in (1, 2))
        if not weak and not block and crowded(*top, settings, [i], [j], [scores[(i, j)]])[0]:
            formula.append((i, j))  # a copy of a formula far away: its gap settles it
            continue
        if weak and not block:
            ratio = _Ratio(settings.lone_move_ratio)
            if not stand_out(top[0], top[1], ratio, [i], [j], [scores[(i, j)]])[0]:
                weak_lone.append((i, j))
                continue
        kept.append((i, j))
    return kept, weak_lone, formula


def _strong_when_merged(
    weak: list[tuple[int, int]],
    chain: tuple[dict[int, int], dict[int, int]],
    sizes: tuple[int, int],
    groups: GroupScorer,
    settings: MoveSettings,
) -> list[tuple[int, int]]:
    """The weak lone moves that are strong as a merge or split: with a free neighbour of
    either side, the link scores ``moved_min_score`` and covers both sides better (a
    moved verse the account merged with the next, scored only by its half)."""
    options = [(p, group) for p in weak for group in _grown(p, chain, sizes)]
    if not options:
        return []
    single = dict(zip(weak, groups([([i], [j]) for i, j in weak]), strict=True))
    grown = groups([group for _, group in options])
    return sorted(
        {
            p
            for (p, _), after in zip(options, grown, strict=True)
            if after[0] >= settings.moved_min_score and coverage(after) > coverage(single[p])
        }
    )


def _grown(
    pair: tuple[int, int], chain: tuple[dict[int, int], dict[int, int]], sizes: tuple[int, int]
) -> list[tuple[list[int], list[int]]]:
    """The pair with one neighbouring sentence of either side that no chain link uses."""
    i, j = pair
    out: list[tuple[list[int], list[int]]] = []
    for k in (i - 1, i + 1):
        if 0 <= k < sizes[0] and k not in chain[0]:
            out.append((sorted([i, k]), [j]))
    for k in (j - 1, j + 1):
        if 0 <= k < sizes[1] and k not in chain[1]:
            out.append(([i], sorted([j, k])))
    return out


@dataclass(frozen=True, slots=True)
class _Ratio:
    """A ``distinct_ratio`` for :func:`.matching.stand_out` other than the settings' own."""

    distinct_ratio: float


#: A move read as a half of a chain link: (the move, that link, the link with it).
_Half = tuple[tuple[int, int], tuple[list[int], list[int]], tuple[list[int], list[int]]]


def _as_halves(
    move: tuple[int, int],
    score: float,
    chain: tuple[dict[int, int], dict[int, int]],
    index: PairIndex,
    settings: MoveSettings,
) -> list[_Half]:
    """The chain links next to a move that one of its sentences could be a split or
    merged half of, scoring with it within ``distinct_ratio`` of the move."""
    i, j = move
    by_source, by_witness = chain
    out: list[_Half] = []
    for k in (j - 1, j + 1):
        a = by_witness.get(k)
        if a is not None and _close(index.lookup(a, j), score, settings):
            out.append((move, ([a], [k]), ([a], sorted([k, j]))))
    for k in (i - 1, i + 1):
        b = by_source.get(k)
        if b is not None and _close(index.lookup(i, b), score, settings):
            out.append((move, ([k], [b]), (sorted([k, i]), [b])))
    return out


def _close(local: float, score: float, settings: MoveSettings) -> bool:
    """A reading in place that the move does not beat by ``distinct_ratio``."""
    return local >= settings.join_score and settings.distinct_ratio * local >= score


def _better_as_halves(halves: list[_Half], groups: GroupScorer) -> set[tuple[int, int]]:
    """The moves whose sentence makes a neighbouring chain link cover both sides better:
    a split or merged half, not a move (the joins take it up afterwards)."""
    if not halves:
        return set()
    before = groups([h[1] for h in halves])
    after = groups([h[2] for h in halves])
    return {
        h[0] for h, b, a in zip(halves, before, after, strict=True) if coverage(a) > coverage(b)
    }


def _tied_in_place(
    i: int,
    j: int,
    score: float,
    anchors: tuple[np.ndarray, np.ndarray],
    top: tuple[TopPartners, TopPartners],
    settings: MoveSettings,
) -> bool:
    """Whether ``j`` (or ``i``) has another partner as good that fits between the anchors
    around it (record and account indices of the anchors, both increasing): a repeated
    sentence whose copy in place is the better reading."""
    src, wit = anchors
    k = int(np.searchsorted(wit, j))
    lo = int(src[k - 1]) if k > 0 else -1
    hi = int(src[k]) if k < len(src) else 1 << 62
    # Between the two anchors, and so not an anchor's sentence itself.
    for other, s in zip(top[1].partner[j], top[1].score[j], strict=True):
        if other != i and s >= score - settings.tie_margin and lo < other < hi:
            return True
    k = int(np.searchsorted(src, i))
    lo = int(wit[k - 1]) if k > 0 else -1
    hi = int(wit[k]) if k < len(wit) else 1 << 62
    return any(
        other != j and s >= score - settings.tie_margin and lo < other < hi
        for other, s in zip(top[0].partner[i], top[0].score[i], strict=True)
    )


def swapped_in_place(
    moves: list[Pair],
    anchors: list[Pair],
    index: PairIndex,
    floor: float,
    taken: set[int] | frozenset[int] = frozenset(),
) -> dict[Pair, Pair]:
    """Anchors to give another partner, so that a move next to them is in order after all.

    A move whose record neighbour's anchor crosses it (the account told the two the other
    way round) is a local swap only if the neighbour has no partner in place: when it has
    a free one on the move's near side, between its own chain neighbours, scoring
    ``floor`` (a link on its own strength), the account kept the order and the anchor's
    partner is a further sentence like it (a repeated prayer, a refrain), which the reuse
    step may still link. ``taken``: account sentences of other links (not free either).
    Returns the anchors to replace and their partners in place."""
    chain = sorted(anchors)
    at = {a: k for k, (a, _) in enumerate(chain)}
    used = {j for _, j in anchors} | {j for _, j in moves} | set(taken)
    out: dict[Pair, Pair] = {}
    for i, j in moves:
        for a in (i - 1, i + 1):
            k = at.get(a)
            if k is None or chain[k] in out:
                continue
            b = chain[k][1]
            if a < i and b > j and _fits(chain, i, j, after=True):
                span = (chain[k - 1][1] + 1 if k > 0 else 0, j)
            elif a > i and b < j and _fits(chain, i, j, after=False):
                span = (j + 1, chain[k + 1][1] if k + 1 < len(chain) else 1 << 62)
            else:
                continue
            best = _best_free(index, a, span, used, floor)
            if best is not None:
                out[chain[k]] = (a, best)
                used.add(best)
    return out


def _fits(chain: list[Pair], i: int, j: int, after: bool) -> bool:
    """Whether the move ``(i, j)`` keeps order with the anchor on its other side (the
    next one when the crossing neighbour is before it, else the one before)."""
    side = [p for p in chain if (p[0] > i if after else p[0] < i)]
    if not side:
        return True
    other = side[0] if after else side[-1]
    return other[1] > j if after else other[1] < j


def _best_free(
    index: PairIndex, source: int, span: tuple[int, int], used: set[int], floor: float
) -> int | None:
    """The best free account partner of ``source`` within ``span`` scoring ``floor``."""
    _, wit, score = index.within((source, source + 1), span)
    best: int | None = None
    top = floor
    for j, s in zip(wit.tolist(), score.tolist(), strict=True):
        if j not in used and s >= top:
            best, top = j, s
    return best
