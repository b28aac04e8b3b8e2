"""Choose links between record and account sentences from scored candidates.

Order is not assumed. One-to-one links are the eligible pairs with the highest total
score (an exact assignment per group of competing candidates); then a free sentence may
join a neighbouring link when most of its content is in that link's other side (a
merge, 1:n or n:1). A pair below the threshold stays unlinked: an honest omission is
better than a weak guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components

from .order import moved_links
from .similarity import PairScores


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Thresholds of the link choice (all scores are in [0, 1])."""

    #: Lowest score at which a 1:1 pair becomes a link on its own strength.
    min_score: float = 0.3
    #: Below ``min_score``, a pair down to this score is still taken when it stands out:
    #: each side is the other's best candidate, by ``distinct_ratio`` over any rival.
    weak_score: float = 0.12
    distinct_ratio: float = 1.6
    #: A link off the order-preserving chain (a move) below this score must stand out as
    #: above: a claim that the account reordered the record needs clear evidence.
    moved_min_score: float = 0.5
    #: A sentence between two kept links, facing a free sentence between their partners,
    #: is linked to it from this score (the surrounding order is its evidence).
    gap_score: float = 0.2
    #: How far (in sentences) a joining sentence may be from the link it joins.
    join_distance: int = 1
    #: Share of a joining sentence's content that must be in the link's other side.
    join_containment: float = 0.5
    #: Lowest pair score for a sentence to join a link.
    join_score: float = 0.22


@dataclass(slots=True)
class DraftLink:
    """A link under construction: sets of source and witness indices."""

    source: set[int] = field(default_factory=set)
    witness: set[int] = field(default_factory=set)


def choose_links(
    pairs: PairScores, n_source: int, n_witness: int, settings: AlignSettings
) -> list[DraftLink]:
    """Return the links chosen from the scored candidate pairs."""
    top_source = _top_partners(pairs.source, pairs.witness, pairs.score, n_source)
    top_witness = _top_partners(pairs.witness, pairs.source, pairs.score, n_witness)

    def stands_out(i: int, j: int, score: float) -> bool:
        """Each side is the other's best candidate, clearly ahead of any rival.

        A neighbour of the partner is no rival: it may be the other half of a split.
        """
        rival = max(
            _rival(top_source[i], j),
            _rival(top_witness[j], i),
        )
        return score >= settings.distinct_ratio * rival

    eligible = np.array(
        [
            k
            for k, (i, j, score) in enumerate(
                zip(
                    pairs.source.tolist(), pairs.witness.tolist(), pairs.score.tolist(), strict=True
                )
            )
            if score >= settings.min_score
            or (score >= settings.weak_score and stands_out(i, j, score))
        ],
        dtype=np.int64,
    )
    chosen = _max_weight_matching(pairs, eligible, n_source, n_witness)
    scores = {(int(pairs.source[k]), int(pairs.witness[k])): float(pairs.score[k]) for k in chosen}
    links = [DraftLink({i}, {j}) for i, j in sorted(scores)]
    links = _drop_weak_moves(links, scores, settings, stands_out)
    links += _fill_gaps(links, pairs, settings)
    link_of_source = {i: link for link in links for i in link.source}
    link_of_witness = {j: link for link in links for j in link.witness}
    order = np.lexsort((pairs.witness, pairs.source, -pairs.score))
    _join_neighbours(pairs, order, settings, link_of_source, link_of_witness)
    return links


def _fill_gaps(
    links: list[DraftLink], pairs: PairScores, settings: AlignSettings
) -> list[DraftLink]:
    """Link a lone free record sentence to a lone free account sentence in the same gap.

    Both sit between the same two consecutive links (i-1 -> j-1 and i+1 -> j+1), so the
    order around them vouches for a modest score.
    """
    partner = {min(link.source): min(link.witness) for link in links}
    taken = set(partner.values())
    score = {
        (i, j): v
        for i, j, v in zip(
            pairs.source.tolist(), pairs.witness.tolist(), pairs.score.tolist(), strict=True
        )
        if v >= settings.gap_score
    }
    added = []
    for i in sorted(set(range(max(partner, default=0))) - set(partner)):
        before, after = partner.get(i - 1), partner.get(i + 1)
        if before is None or after is None or after != before + 2:
            continue
        j = before + 1
        if j not in taken and (i, j) in score:
            added.append(DraftLink({i}, {j}))
            taken.add(j)
    return added


def _max_weight_matching(
    pairs: PairScores, eligible: np.ndarray, n_source: int, n_witness: int
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
    weight = pairs.score[eligible] + 1e-6 * (1.0 - diagonal)
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
            chosen.extend(int(eligible[k]) for k in _greedy(group, src, wit, weight))
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


def _greedy(group: np.ndarray, src: np.ndarray, wit: np.ndarray, weight: np.ndarray) -> list[int]:
    """Best pairs first while both sides are free (fallback for huge components)."""
    used_s: set[int] = set()
    used_w: set[int] = set()
    out = []
    for k in group[np.argsort(-weight[group], kind="stable")]:
        i, j = int(src[k]), int(wit[k])
        if i not in used_s and j not in used_w:
            used_s.add(i)
            used_w.add(j)
            out.append(int(k))
    return out


def _drop_weak_moves(
    links: list[DraftLink],
    scores: dict[tuple[int, int], float],
    settings: AlignSettings,
    stands_out: Callable[[int, int, float], bool],
) -> list[DraftLink]:
    """Unlink 1:1 links that would be moves on weak, ambiguous evidence."""
    pairs = [(min(link.source), min(link.witness)) for link in links]
    weights = [1.0 + scores[p] for p in pairs]
    moved = moved_links(pairs, weights)
    return [
        link
        for link, (i, j), is_moved in zip(links, pairs, moved, strict=True)
        if not is_moved
        or scores[(i, j)] >= settings.moved_min_score
        or stands_out(i, j, scores[(i, j)])
    ]


def _top_partners(
    index: np.ndarray, partner: np.ndarray, score: np.ndarray, size: int, keep: int = 4
) -> list[list[tuple[float, int]]]:
    """For each sentence, its best few candidate partners as (score, partner), best first."""
    top: list[list[tuple[float, int]]] = [[] for _ in range(size)]
    for i, p, value in zip(index.tolist(), partner.tolist(), score.tolist(), strict=True):
        best = top[i]
        if len(best) < keep or value > best[-1][0]:
            best.append((value, p))
            best.sort(reverse=True)
            del best[keep:]
    return top


def _rival(partners: list[tuple[float, int]], chosen: int) -> float:
    """Best score among partners other than ``chosen`` and its neighbours."""
    return max((value for value, p in partners if abs(p - chosen) > 1), default=0.0)


def _join_neighbours(
    pairs: PairScores,
    order: np.ndarray,
    settings: AlignSettings,
    link_of_source: dict[int, DraftLink],
    link_of_witness: dict[int, DraftLink],
) -> None:
    """Let a free sentence join the link of its best partner when it is a merged part."""
    for k in order:
        score = float(pairs.score[k])
        if score < settings.join_score:
            break
        i, j = int(pairs.source[k]), int(pairs.witness[k])
        if i not in link_of_source and j in link_of_witness:
            link = link_of_witness[j]
            if _may_join(i, link.source, float(pairs.containment_source[k]), settings):
                link.source.add(i)
                link_of_source[i] = link
        elif j not in link_of_witness and i in link_of_source:
            link = link_of_source[i]
            if _may_join(j, link.witness, float(pairs.containment_witness[k]), settings):
                link.witness.add(j)
                link_of_witness[j] = link


def _may_join(index: int, members: set[int], containment: float, settings: AlignSettings) -> bool:
    """A sentence joins a link's side if it neighbours it and its content is on the other side."""
    near = min(abs(index - m) for m in members) <= settings.join_distance
    return near and containment >= settings.join_containment
