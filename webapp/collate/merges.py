"""Merges and splits: a free sentence joins a neighbouring link when the link gets better.

A sentence may join the record side or the account side of a link (1:n, n:1) when it
neighbours that side (or is one unlinked sentence away), most of its content is on the
link's other side, and the link with it is better than without it: each side's content
found on the other (the IDF-weighted containments of :mod:`.similarity`) is higher in
harmonic mean. That is the measure, not the pair score, because the score rewards a
short side wholly contained in a long one, which is exactly what a split half lacks.
Joins are proposed for all free sentences at once and scored in one batch per round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .similarity import PairScores

#: Score and the two containments of whole links given as (record, account) indices.
GroupScorer = Callable[
    [Sequence[tuple[Sequence[int], Sequence[int]]]], list[tuple[float, float, float]]
]


@dataclass(slots=True)
class DraftLink:
    """A link under construction: sets of source and witness indices."""

    source: set[int] = field(default_factory=set)
    witness: set[int] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class JoinSettings:
    """What the joins read (a view of the aligner's settings)."""

    score: float
    distance: int
    containment: float
    #: Below ``score``, down to this, a sentence still proposes to join when the link's
    #: other side is its own best partner (a merged half scores low as a pair, since it
    #: is only part of the line; being its best is the evidence). 0: no such proposals.
    floor: float = 0.0
    rounds: int = 2


def join_neighbours(
    links: list[DraftLink],
    pairs: PairScores,
    settings: JoinSettings,
    groups: GroupScorer,
) -> None:
    """Let free sentences join neighbouring links that score higher with them."""
    for _ in range(settings.rounds):
        proposals = _proposals(links, pairs, settings)
        if not proposals:
            return
        current = groups([(sorted(lk.source), sorted(lk.witness)) for lk, _, _ in proposals])
        merged = groups([_with(lk, side, index) for lk, side, index in proposals])
        changed: set[int] = set()
        for (link, side, index), before, after in zip(proposals, current, merged, strict=True):
            if coverage(after) > coverage(before) + 1e-9 and id(link) not in changed:
                (link.source if side == 0 else link.witness).add(index)
                changed.add(id(link))
        if not changed:
            return


def split_crossed(links: list[DraftLink], groups: GroupScorer, score: float) -> list[DraftLink]:
    """Links of two or more sentences on both sides, cut in two where each half is a
    link on its own strength (``score``, the matching's threshold): two passages told in
    the same order are two links, not one of four sentences. The joins grow a link a
    sentence at a time when it covers both sides better, which the whole always does, so
    they cannot tell a passage rewritten as a whole from two kept in order."""
    out: list[DraftLink] = []
    for link in links:
        crossed = min(len(link.source), len(link.witness)) > 1
        out.extend((_best_cut(link, groups, score) if crossed else None) or [link])
    return out


def _best_cut(link: DraftLink, groups: GroupScorer, score: float) -> list[DraftLink] | None:
    """The link's two halves (record and account sides each cut once, in order) at the cut
    whose weaker half scores best, if that half still scores ``score``."""
    src, wit = sorted(link.source), sorted(link.witness)
    cuts = [(a, b) for a in range(1, len(src)) for b in range(1, len(wit))]
    items = [part for a, b in cuts for part in ((src[:a], wit[:b]), (src[a:], wit[b:]))]
    figures = groups(items)
    weaker = [min(figures[2 * k][0], figures[2 * k + 1][0]) for k in range(len(cuts))]
    k = max(range(len(cuts)), key=lambda c: (weaker[c], -c))
    if weaker[k] < score:
        return None
    a, b = cuts[k]
    return [DraftLink(set(src[:a]), set(wit[:b])), DraftLink(set(src[a:]), set(wit[b:]))]


def coverage(figures: tuple[float, float, float]) -> float:
    """Harmonic mean of a link's two containments: how much of both sides it covers."""
    _, a, b = figures
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


def _with(link: DraftLink, side: int, index: int) -> tuple[Sequence[int], Sequence[int]]:
    """The link's sides with one more sentence on ``side`` (0 record, 1 account)."""
    if side == 0:
        return sorted(link.source | {index}), sorted(link.witness)
    return sorted(link.source), sorted(link.witness | {index})


def _proposals(
    links: list[DraftLink], pairs: PairScores, settings: JoinSettings
) -> list[tuple[DraftLink, int, int]]:
    """For each free sentence, its best pair's link if it may join it: (link, side, index)."""
    link_of_source = {i: link for link in links for i in link.source}
    link_of_witness = {j: link for link in links for j in link.witness}
    size = 1 + max(
        int(pairs.source.max(initial=0)),
        int(pairs.witness.max(initial=0)),
        max(link_of_source, default=0),
        max(link_of_witness, default=0),
    )
    linked_s = np.zeros(size, dtype=bool)
    linked_s[list(link_of_source)] = True
    linked_w = np.zeros(size, dtype=bool)
    linked_w[list(link_of_witness)] = True
    # Only a pair with one side free and the other linked can propose a join.
    ok = _strong_or_best(pairs, (linked_s, linked_w), size, settings) & (
        linked_s[pairs.source] != linked_w[pairs.witness]
    )
    order = np.flatnonzero(ok)
    order = order[np.lexsort((pairs.witness[order], pairs.source[order], -pairs.score[order]))]
    seen: set[tuple[int, int]] = set()
    out: list[tuple[DraftLink, int, int]] = []
    for k in order.tolist():
        i, j = int(pairs.source[k]), int(pairs.witness[k])
        if i not in link_of_source and j in link_of_witness and (0, i) not in seen:
            link = link_of_witness[j]
            cont = float(pairs.containment_source[k])
            if _may_join(i, link.source, link_of_source, cont, settings):
                seen.add((0, i))
                out.append((link, 0, i))
        elif j not in link_of_witness and i in link_of_source and (1, j) not in seen:
            link = link_of_source[i]
            cont = float(pairs.containment_witness[k])
            if _may_join(j, link.witness, link_of_witness, cont, settings):
                seen.add((1, j))
                out.append((link, 1, j))
    return out


def _strong_or_best(
    pairs: PairScores, linked: tuple[np.ndarray, np.ndarray], size: int, settings: JoinSettings
) -> np.ndarray:
    """Pairs that may propose a join: scoring ``score``, or down to ``floor`` when the free
    sentence's best partner is the linked one, or the free sentence is the linked one's
    best free partner (a merged half scores low as a pair, being only part of the line:
    being the best there is, on either side, is the evidence)."""
    strong: np.ndarray = pairs.score >= settings.score
    if settings.floor <= 0 or settings.floor >= settings.score or len(pairs.score) == 0:
        return strong
    src, wit, score = pairs.source, pairs.witness, pairs.score
    free_s, free_w = ~linked[0][src], ~linked[1][wit]
    best = [np.zeros(size) for _ in range(4)]
    np.maximum.at(best[0], src, score)  # each record sentence's best partner
    np.maximum.at(best[1], wit, score)  # each account sentence's
    np.maximum.at(best[2], src, np.where(free_w, score, 0.0))  # best free account partner
    np.maximum.at(best[3], wit, np.where(free_s, score, 0.0))  # best free record partner
    own = np.where(free_s, best[0][src], best[1][wit])
    left = np.where(free_s, best[3][wit], best[2][src])
    out: np.ndarray = strong | ((score >= settings.floor) & ((score >= own) | (score >= left)))
    return out


def _may_join(
    index: int,
    members: set[int],
    linked: dict[int, DraftLink],
    containment: float,
    settings: JoinSettings,
) -> bool:
    """Near the link's side (or across one unlinked sentence) with its content there."""
    if containment < settings.containment:
        return False
    gap = min(abs(index - m) for m in members)
    if gap <= settings.distance:
        return True
    between = index - 1 if index > max(members) else index + 1
    return gap == settings.distance + 1 and between not in linked
