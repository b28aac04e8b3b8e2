"""Choose links between record and account sentences from scored candidates.

Order is not assumed, but it counts as evidence. One-to-one links are the eligible pairs
with the highest total score (an exact assignment per group of competing candidates);
that is done twice, the second time with a price on pairs that break the order of the
first result's longest chain, so a move must beat the partner in place by a margin.
Then a free sentence may join a neighbouring link when most of its content is in that
link's other side (a merge, 1:n or n:1). A pair below the threshold stays unlinked: an
honest omission is better than a weak guess.
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
    #: The price, in score, of a pair that breaks the order of the first matching's
    #: longest chain: the links are chosen again with it, so a chance likeness far away
    #: does not beat a slightly weaker partner in its place.
    move_penalty: float = 0.15
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
    top_source = _TopPartners(pairs.source, pairs.witness, pairs.score, n_source)
    top_witness = _TopPartners(pairs.witness, pairs.source, pairs.score, n_witness)

    weak = (pairs.score < settings.min_score) & (pairs.score >= settings.weak_score)
    ok = pairs.score >= settings.min_score
    ok[weak] = _stand_out(
        top_source,
        top_witness,
        settings,
        pairs.source[weak],
        pairs.witness[weak],
        pairs.score[weak],
    )
    eligible = np.flatnonzero(ok).astype(np.int64)
    chosen = _max_weight_matching(pairs, eligible, pairs.score, n_source, n_witness)
    if settings.move_penalty > 0:
        moved = _moved_pairs(pairs, chosen)
        on_chain = [k for k, off in zip(chosen, moved, strict=True) if not off]
        weight = pairs.score - settings.move_penalty * ~_in_order(pairs, on_chain)
        eligible = eligible[weight[eligible] > 0]
        chosen = _max_weight_matching(pairs, eligible, weight, n_source, n_witness)
    scores = {(int(pairs.source[k]), int(pairs.witness[k])): float(pairs.score[k]) for k in chosen}
    links = [DraftLink({i}, {j}) for i, j in sorted(scores)]

    def stands_out(i: int, j: int, score: float) -> bool:
        """Each side is the other's best candidate, clearly ahead of any rival."""
        return bool(_stand_out(top_source, top_witness, settings, [i], [j], [score])[0])

    links = _drop_weak_moves(links, scores, settings, stands_out)
    links += _fill_gaps(links, pairs, settings)
    link_of_source = {i: link for link in links for i in link.source}
    link_of_witness = {j: link for link in links for j in link.witness}
    # Only a pair with a free side can join, and sentences are never freed again.
    free_source = np.ones(n_source, dtype=bool)
    free_source[list(link_of_source)] = False
    free_witness = np.ones(n_witness, dtype=bool)
    free_witness[list(link_of_witness)] = False
    may = (pairs.score >= settings.join_score) & (
        free_source[pairs.source] | free_witness[pairs.witness]
    )
    candidates = np.flatnonzero(may)
    order = candidates[np.lexsort((pairs.witness[may], pairs.source[may], -pairs.score[may]))]
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
    enough = pairs.score >= settings.gap_score
    score = set(zip(pairs.source[enough].tolist(), pairs.witness[enough].tolist(), strict=True))
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


def _moved_pairs(pairs: PairScores, chosen: list[int]) -> list[bool]:
    """Which chosen pairs are off the heaviest order-preserving chain."""
    positions = [(int(pairs.source[k]), int(pairs.witness[k])) for k in chosen]
    return moved_links(positions, [1.0 + float(pairs.score[k]) for k in chosen])


def _in_order(pairs: PairScores, chain: list[int]) -> np.ndarray:
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


def _max_weight_matching(
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
    """Unlink 1:1 links that would be moves on weak, ambiguous evidence.

    A move below ``moved_min_score`` stays when it stands out, or when the link of a
    neighbouring record sentence follows it in the account (i+1 -> j+1 or j+2, allowing
    one sentence between; or i-1 before it): a block moved together, and chance
    likenesses do not come in such pairs.
    """
    pairs = [(min(link.source), min(link.witness)) for link in links]
    weights = [1.0 + scores[p] for p in pairs]
    moved = moved_links(pairs, weights)
    linked = set(pairs)

    def in_block(i: int, j: int) -> bool:
        """The record's next (or previous) sentence is linked just after (before) j."""
        return any((i + d, j + d * step) in linked for d in (-1, 1) for step in (1, 2))

    return [
        link
        for link, (i, j), is_moved in zip(links, pairs, moved, strict=True)
        if not is_moved
        or scores[(i, j)] >= settings.moved_min_score
        or in_block(i, j)
        or stands_out(i, j, scores[(i, j)])
    ]


class _TopPartners:
    """For each sentence, its best few candidate partners: scores and indices, best first.

    Ties are ordered by the higher partner index; a slot with no partner scores -1.
    """

    def __init__(
        self, index: np.ndarray, partner: np.ndarray, score: np.ndarray, size: int, keep: int = 4
    ) -> None:
        order = np.lexsort((-partner, -score, index))
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


def _stand_out(
    top_source: _TopPartners,
    top_witness: _TopPartners,
    settings: AlignSettings,
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
