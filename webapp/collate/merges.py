"""Merges and splits: a free sentence joins a neighbouring link when the link gets better.

A sentence may join the record side or the account side of a link (1:n, n:1) when it
neighbours that side (or is one unlinked sentence away), most of its content is on the
link's other side, and the link with it is better than without it: each side's content
found on the other (the IDF-weighted containments of :mod:`.similarity`) is higher in
harmonic mean. That is the measure, not the pair score, because the score rewards a
short side wholly contained in a long one, which is exactly what a split half lacks. In a
heavy paraphrase the containments are low and a neighbour on the same subject raises them
too, so a join must also leave the link's sides no further apart in length (or raise its
score), and may not take a sentence from its better free partner in place.
Joins are proposed for all free sentences at once and scored in one batch per round.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from .merge_checks import Lengths, best_free, closer, taken_from
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
    #: A sentence whose containment is under ``containment`` still joins when its pair
    #: score is this text pair's chance score at the join's tail (the gaps' calibration,
    #: :class:`.gaps.NullScores`): a merged half in synonyms shares few words but more
    #: than chance does. 1.0 or more: no such joins (before the calibration exists).
    chance: float = 1.0
    #: Such a join asks the link to be lopsided the way a merge is, its own side's
    #: containment this many times the other's (the stand-out ratio: clearly so).
    lopsided: float = 1.6
    #: A free sentence does not join a link through a pair weaker than its best pair with
    #: a free sentence beside the link's other side (its pair in place: two verses kept
    #: in order, not one merged; :func:`.merge_checks.taken_from`). False: no such check.
    in_place: bool = False
    #: A sentence joins a link only if the link's two sides end no further apart in
    #: length (words, log ratio) than this more than before (:func:`.merge_checks.closer`):
    #: a merged half makes the short side as long as the other, a look-alike neighbour
    #: makes it longer than the other. ``math.inf``: no such check.
    length_slack: float = math.inf
    #: A join that leaves the sides further apart still passes when the link scores
    #: more than this higher with it.
    length_rise: float = 0.0

    def calibrated(
        self, quantile: Callable[[float], float], alpha: float, floor: float, ratio: float
    ) -> JoinSettings:
        """These settings after the gaps: proposals down to ``floor`` (when best), and
        the chance score at ``alpha`` over the :data:`JOIN_CELLS` links a sentence may
        join (``quantile``: :meth:`.gaps.NullScores.quantile` of this text pair), on a
        link lopsided by ``ratio``."""
        chance = quantile(alpha / JOIN_CELLS)
        return replace(self, floor=floor, chance=chance, lopsided=ratio)


#: Links a free sentence is tested against when it joins: the one before it and the one
#: after it (so a join at tail ``alpha`` accepts the chance score at ``alpha / 2``).
JOIN_CELLS = 2


def join_neighbours(
    links: list[DraftLink],
    pairs: PairScores,
    settings: JoinSettings,
    groups: GroupScorer,
    words: GroupScorer | None = None,
    lengths: Lengths | None = None,
) -> None:
    """Let free sentences join neighbouring links that score higher with them.

    With ``words`` (the links' containments of every word, function words at their low
    IDF, as the pair score reads them), a link also gets better when it covers both
    sides' words better, for a sentence whose content is in the link (its containment
    ``containment``): a merged half with part of its content in synonyms ("enjoin" and
    "command") but the line's wording ("though I have all boldness in Christ to ... that
    which is") is evidence the content words alone do not show (issue 10). A sentence
    sharing little content is judged on it alone: function words are no merge.
    """
    refused: set[tuple[int, int, int]] = set()  # (side, sentence, link) refused on length
    for _ in range(settings.rounds):
        proposals = _proposals(links, pairs, settings, refused)
        if not proposals:
            return
        now = [(sorted(p.link.source), sorted(p.link.witness)) for p in proposals]
        grown = [_with(p.link, p.side, p.sentence) for p in proposals]
        current, merged = groups(now), groups(grown)
        better = _better(proposals, (now, grown), (current, merged), words)
        fair = [
            _fair_length(p, f, lengths, settings)
            for p, f in zip(proposals, zip(current, merged, strict=True), strict=True)
        ]
        before = len(refused)
        refused |= {
            (p.side, p.sentence, id(p.link))
            for p, ok, f in zip(proposals, better, fair, strict=True)
            if ok and not f
        }
        ok = [b and f for b, f in zip(better, fair, strict=True)]
        if not _accept(proposals, current, ok, settings) and len(refused) == before:
            return


def _better(
    proposals: Sequence[_Proposal],
    links: tuple[list[tuple[list[int], list[int]]], list[tuple[Sequence[int], Sequence[int]]]],
    figures: tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]],
    words: GroupScorer | None,
) -> list[bool]:
    """Whether each proposal's link covers both sides better with its sentence (``links``
    and ``figures``: now and grown), on content words, else (``words``) on every word."""
    current, merged = figures
    better = [coverage(a) > coverage(b) + 1e-9 for b, a in zip(current, merged, strict=True)]
    if words is not None:  # every word, where it can decide: content there, not yet better
        ask = [k for k, p in enumerate(proposals) if not (better[k] or p.by_chance)]
        if ask:
            now, grown = links
            scored = words([now[k] for k in ask] + [grown[k] for k in ask])
            for k, b, a in zip(ask, scored[: len(ask)], scored[len(ask) :], strict=True):
                better[k] = coverage(a) > coverage(b) + 1e-9
    return better


def _accept(
    proposals: Sequence[_Proposal],
    current: Sequence[tuple[float, float, float]],
    ok: Sequence[bool],
    settings: JoinSettings,
) -> bool:
    """Add the accepted proposals' sentences to their links (one a link a round); whether
    any was added."""
    changed: set[int] = set()
    for p, before, good in zip(proposals, current, ok, strict=True):
        if (
            good
            and id(p.link) not in changed
            and (not p.by_chance or _lacks(before, p.side, settings.lopsided))
        ):
            (p.link.source if p.side == 0 else p.link.witness).add(p.sentence)
            changed.add(id(p.link))
    return bool(changed)


def _fair_length(
    p: _Proposal,
    figures: tuple[tuple[float, float, float], tuple[float, float, float]],
    lengths: Lengths | None,
    settings: JoinSettings,
) -> bool:
    """Whether a join keeps the link's sides as even in length (:func:`closer`), or else
    makes the link score more than ``length_rise`` higher (``figures``: the link before
    and after): a merged half raises both coverage and score; a neighbour on the same
    subject raises the coverage of a loose paraphrase only, the link scoring no better."""
    if closer((p.link.source, p.link.witness), p.side, p.sentence, lengths, settings.length_slack):
        return True
    return figures[1][0] > figures[0][0] + settings.length_rise


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


def _lacks(figures: tuple[float, float, float], side: int, ratio: float) -> bool:
    """Whether ``side``'s content is found on the other side ``ratio`` times as much as
    the other's is on it: where a merged half belongs (the single link covers its own
    verse well and the merged sentence only in part), asked of a half sharing few words."""
    _, record, account = figures
    own, other = (record, account) if side == 0 else (account, record)
    return own >= ratio * other


def coverage(figures: tuple[float, float, float]) -> float:
    """Harmonic mean of a link's two containments: how much of both sides it covers."""
    _, a, b = figures
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


def _with(link: DraftLink, side: int, index: int) -> tuple[Sequence[int], Sequence[int]]:
    """The link's sides with one more sentence on ``side`` (0 record, 1 account)."""
    if side == 0:
        return sorted(link.source | {index}), sorted(link.witness)
    return sorted(link.source), sorted(link.witness | {index})


class _Proposal(NamedTuple):
    """A free sentence (``sentence`` on ``side``, 0 record, 1 account) that may join
    ``link``; ``by_chance``: on its score above chance, its containment being low."""

    link: DraftLink
    side: int
    sentence: int
    by_chance: bool


def _proposals(
    links: list[DraftLink],
    pairs: PairScores,
    settings: JoinSettings,
    refused: set[tuple[int, int, int]] | None = None,
) -> list[_Proposal]:
    """For each free sentence, its best pair's link if it may join it (a link that
    ``refused`` holds for it, on length, gives way to its next pair's)."""
    linked = (
        {i: link for link in links for i in link.source},
        {j: link for link in links for j in link.witness},
    )
    masks = _linked_masks(linked, pairs)
    joining = _joining_pairs(masks, pairs, settings)
    in_place = best_free(pairs, masks, joining) if settings.in_place else ({}, {})
    containment = (pairs.containment_source, pairs.containment_witness)
    seen: set[tuple[int, int]] = set()
    out: list[_Proposal] = []
    for k in joining.tolist():
        i, j = int(pairs.source[k]), int(pairs.witness[k])
        side = 0 if i not in linked[0] else 1  # the free sentence's side
        index, other = (i, j) if side == 0 else (j, i)
        if (side, index) in seen:
            continue
        link = linked[1 - side][other]
        if refused and (side, index, id(link)) in refused:
            continue
        members = link.source if side == 0 else link.witness
        evidence = (float(containment[side][k]), float(pairs.score[k]))
        rival = in_place[side].get(index)
        beside = link.witness if side == 0 else link.source
        if taken_from(rival, beside, evidence[1], settings.distance):
            continue
        if _may_join(index, members, linked[side], evidence, settings):
            seen.add((side, index))
            out.append(_Proposal(link, side, index, evidence[0] < settings.containment))
    return out


def _linked_masks(
    linked: tuple[dict[int, DraftLink], dict[int, DraftLink]], pairs: PairScores
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each record and each account sentence is linked (arrays long enough for
    every index of the pairs and the links)."""
    size = 1 + max(
        int(pairs.source.max(initial=0)),
        int(pairs.witness.max(initial=0)),
        max(linked[0], default=0),
        max(linked[1], default=0),
    )
    linked_s = np.zeros(size, dtype=bool)
    linked_s[list(linked[0])] = True
    linked_w = np.zeros(size, dtype=bool)
    linked_w[list(linked[1])] = True
    return linked_s, linked_w


def _joining_pairs(
    masks: tuple[np.ndarray, np.ndarray],
    pairs: PairScores,
    settings: JoinSettings,
) -> np.ndarray:
    """Positions of the pairs with one side free and the other linked that may propose a
    join, best score first."""
    linked_s, linked_w = masks
    size = len(linked_s)
    ok = _strong_or_best(pairs, (linked_s, linked_w), size, settings) & (
        linked_s[pairs.source] != linked_w[pairs.witness]
    )
    order = np.flatnonzero(ok)
    out: np.ndarray = order[
        np.lexsort((pairs.witness[order], pairs.source[order], -pairs.score[order]))
    ]
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
    evidence: tuple[float, float],
    settings: JoinSettings,
) -> bool:
    """Near the link's side (or across one unlinked sentence) with its content there, or
    (``evidence`` is its containment and its pair score) next to it and scoring above
    chance: on that weaker evidence, no claim that the sentence between was dropped."""
    containment, score = evidence
    by_chance = containment < settings.containment
    if by_chance and score < settings.chance:
        return False
    gap = min(abs(index - m) for m in members)
    if gap <= settings.distance:
        return True
    if by_chance:
        return False
    between = index - 1 if index > max(members) else index + 1
    return gap == settings.distance + 1 and between not in linked
