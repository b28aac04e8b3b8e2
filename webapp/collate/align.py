"""Choose links between record and account sentences from scored candidates.

Order is not assumed, but it counts as evidence, and every threshold below the strong
one is calibrated on the text pair itself (:class:`.gaps.NullScores`: the scores of
anchored sentences against other anchors' partners, pairs known not to correspond):

1. a one-to-one matching of the strong pairs (an exact assignment per group of competing
   candidates), done twice, the second time with a price on pairs that break the first
   result's longest chain, so a move must beat the partner in place;
2. the confident links of its longest chain are *anchors*; a link with an equally good
   rival (a repeated sentence) is not, so its gap settles it by the local order; a weak
   link that stood out stays, without bounding a gap;
3. the links off the chain stay as moves when strong, in a block of moves or standing
   out, unless tied with a partner in place or better read as a split or merged half of
   the neighbouring chain link, or kept when strong as a merge with a free neighbour;
   a move that crosses its neighbour's anchor is no swap when that neighbour has a
   partner in place as well (the anchor moves there) (:mod:`.offchain`; whether a move
   is a finding or only a *possible move* is decided on the final links,
   :func:`.moves.judge_moves`);
4. each gap between anchors is aligned monotonically (:mod:`.gaps`);
5. moved blocks of moderate pairs are found among the sentences still free, accepted on
   this text pair's chance scores, and each block's span is aligned like a gap; so is the
   interior of every block of moved links, bounded by its own links (:mod:`.blocks`);
   then a lone move on a rare phrase whose rivals are linked to better partners
   (spoken for) is linked (:mod:`.lonely`);
6. free neighbours join links that cover both sides better with them, and a link grown
   on both sides is cut back into two where each half is a link on its own strength
   (two passages in order, not one rewritten as a whole) (:mod:`.merges`);
7. an account sentence that matches an already linked record sentence as well as its
   first use is a further use of it (a doublet, a refrain) and joins that sentence's link;
   so does a run of further uses, a passage told twice, and a lone use that stands out
   where no other passage is told around it (:mod:`.retell`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from .align_settings import AlignSettings
from .blocks import (
    BlockSettings,
    block_boxes,
    block_edges,
    find_blocks,
    moved_interiors,
    moved_runs,
    one_claim_each,
)
from .corroboration import RarePhrases
from .gaps import (
    CellScorer,
    Gap,
    GapSettings,
    NullScores,
    PairIndex,
    align_gaps,
    gaps_between,
)
from .lonely import lone_moves
from .matching import (
    COPIES,
    TopPartners,
    copies_on_both_sides,
    in_order,
    max_weight_matching,
    stand_out,
)
from .merge_checks import Lengths
from .merges import DraftLink, GroupScorer, JoinSettings, join_neighbours, split_crossed
from .moves import ReuseSettings, add_reuse
from .offchain import kept_moves, phrase_moves, swapped_in_place
from .order import moved_links
from .retell import retold
from .similarity import PairScores

__all__ = ["AlignSettings", "DraftLink", "Evidence", "choose_links"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the aligner may ask beyond the candidate pairs (see :mod:`.compare`)."""

    #: Scores of any cells, with the same signals as the candidates.
    cells: CellScorer
    #: Scores of whole links (merges).
    groups: GroupScorer
    #: Embedding similarity of cells, when the semantic scorer is on.
    cosine: CellScorer | None = None
    #: The sentences' content bigrams: phrases the two texts share nowhere else.
    phrases: RarePhrases | None = None
    #: Whole links with the containments of every word (function words at their IDF), as
    #: the late joins read them too (:func:`.merges.join_neighbours`).
    joins: GroupScorer | None = None
    #: Words of each sentence, record and account (the joins compare the sides' lengths,
    #: :func:`.merges.closer`).
    lengths: Lengths | None = None


def choose_links(
    pairs: PairScores,
    n_source: int,
    n_witness: int,
    settings: AlignSettings,
    evidence: Evidence | None = None,
) -> list[DraftLink]:
    """Return the links chosen from the scored candidate pairs."""
    evidence = evidence or _pairs_only(pairs)
    top = (
        TopPartners(pairs.source, pairs.witness, pairs.score, n_source),
        TopPartners(pairs.witness, pairs.source, pairs.score, n_witness),
    )
    index = PairIndex(pairs)  # built once: the pairs do not change from here on
    anchors, kept, lone = _first_links(pairs, top, settings, evidence, index)
    join = JoinSettings(
        settings.join_score,
        settings.join_distance,
        settings.join_containment,
        in_place=settings.join_in_place,
        length_slack=settings.join_length_slack,
        length_rise=settings.join_length_rise,
    )
    # Split and merged halves join their links first, so gaps hold only what is left.
    links = [DraftLink({i}, {j}) for i, j in sorted({*anchors, *kept})]
    join_neighbours(links, pairs, join, evidence.groups, lengths=evidence.lengths)
    found, fill, null = _fill(links, (n_source, n_witness), anchors, index, settings, evidence)
    links += [DraftLink({i}, {j}) for i, j in sorted(set(found))]
    # Lone moves on a shared phrase, and formula copies the gaps did not place, come last:
    # weaker evidence than a gap or a block.
    free_source, free_witness = _free_of(links, n_source, n_witness)
    links += [DraftLink({i}, {j}) for i, j in lone if free_source[i] and free_witness[j]]
    # Every block of moved links now known bounds its interior and its edges, aligned
    # like gaps.
    links += _interiors(links, (n_source, n_witness), index, fill)
    # Lone moves on a rare phrase whose rivals are spoken for by better partners.
    shared = evidence.phrases.shared if evidence.phrases is not None else None
    links += [DraftLink({i}, {j}) for i, j in lone_moves(links, index, top, settings, shared)]
    # Last, a weak pair may join when it is the best left on either side: gaps and blocks
    # have had their pick, so what is still free is what a merge can explain.
    ratio = settings.distinct_ratio
    late = join.calibrated(null.quantile, settings.join_alpha, settings.gap_score, ratio)
    join_neighbours(links, pairs, late, evidence.groups, evidence.joins, evidence.lengths)
    links = split_crossed(links, evidence.groups, settings.min_score)
    reuse = ReuseSettings(settings.reuse_score, settings.tie_margin, settings.distinct_ratio)
    links = add_reuse(links, index, reuse, partial(_formula_copies, top, settings))
    return retold(links, index, null, (n_source, n_witness), settings)


def _first_links(
    pairs: PairScores,
    top: tuple[TopPartners, TopPartners],
    settings: AlignSettings,
    evidence: Evidence,
    index: PairIndex,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """The anchors, the other links kept from the matching (steps 1 to 3), and the pairs
    linked only if still free at the end: weak lone moves that share a phrase found
    nowhere else, and strong copies of a formula left to their gaps.

    A chain link with an equally good rival, or joining two copies of a formula, is given
    back to its gap; a weak one that
    stood out stays a link without bounding a gap; moves stay when strong or in a block.
    """
    chosen = _matching(pairs, top, settings, len(top[0].score), len(top[1].score))
    positions = [(int(pairs.source[k]), int(pairs.witness[k])) for k in chosen]
    scores = {p: float(pairs.score[k]) for p, k in zip(positions, chosen, strict=True)}
    off = moved_links(positions, [1.0 + scores[p] for p in positions])
    chain = [p for p, o in zip(positions, off, strict=True) if not o]
    rivals = dict(zip(chain, _rivals(chain, top), strict=True))
    untied = [p for p in chain if rivals[p] < scores[p] - settings.tie_margin]
    strong = [p for p in untied if scores[p] >= settings.min_score]
    copies = _formula_pairs(strong, scores, top, settings)
    anchors = [p for p, c in zip(strong, copies, strict=True) if not c]
    # A copy of a formula on both sides is left to its gap's order, linked at the end
    # if its two sentences are still free (then nothing in its place fits better).
    in_chain = [p for p, c in zip(strong, copies, strict=True) if c]
    moved = [p for p, o in zip(positions, off, strict=True) if o]
    chains = (anchors, chain)
    moves, lone, formula = kept_moves(moved, scores, chains, index, top, settings, evidence.groups)
    # A move crossing its neighbour's anchor, where that neighbour has a partner in place
    # too: the account kept the order and repeated the neighbour (no swap is claimed).
    weak_chain = [p for p in untied if scores[p] < settings.min_score]
    taken = {j for _, j in weak_chain}
    swap = swapped_in_place(moves, anchors, index, settings.min_score, taken)
    anchors = [swap.get(p, p) for p in anchors]
    late = phrase_moves(lone, scores, top, evidence.phrases, settings) + formula + in_chain
    return anchors, weak_chain + moves, late


def _formula_pairs(
    pairs: list[tuple[int, int]],
    scores: dict[tuple[int, int], float],
    top: tuple[TopPartners, TopPartners],
    settings: AlignSettings,
) -> list[bool]:
    """Whether each pair joins two copies of a formula (:func:`.matching.copies_on_both_sides`)."""
    if not pairs:
        return []
    src, wit = [i for i, _ in pairs], [j for _, j in pairs]
    flags: list[bool] = copies_on_both_sides(
        *top, settings, src, wit, [scores[p] for p in pairs]
    ).tolist()
    return flags


def _formula_copies(
    top: tuple[TopPartners, TopPartners],
    settings: AlignSettings,
    source: list[int],
    witness: list[int],
    score: list[float],
) -> list[bool]:
    """Whether the account side of each pair is one copy of a formula: :data:`.matching.
    COPIES` or more other partners that the pair does not beat by ``distinct_ratio``."""
    wit = np.asarray(witness, dtype=np.int64)
    src = np.asarray(source, dtype=np.int64)
    rivals = top[1].close_rivals(wit, src, np.asarray(score), settings.distinct_ratio)
    flags: list[bool] = (rivals >= COPIES).tolist()
    return flags


#: Aligns gaps among the free sentences (:func:`.gaps.align_gaps` with this text pair's
#: calibration): gaps and the free masks in, links out.
GapFiller = Callable[[list[Gap], tuple[np.ndarray, np.ndarray]], list[tuple[int, int]]]


def _fill(
    links: list[DraftLink],
    sizes: tuple[int, int],
    anchors: list[tuple[int, int]],
    index: PairIndex,
    settings: AlignSettings,
    evidence: Evidence,
) -> tuple[list[tuple[int, int]], GapFiller, NullScores]:
    """Links in the gaps between anchors, then moved blocks among what is free (4, 5);
    the gap aligner, calibrated on this text pair, for the blocks' interiors; and that
    calibration (the chance scores), which the search for second tellings reads too."""
    free = _free_of(links, *sizes)
    null = NullScores.sample(anchors, sizes, evidence.cells, settings.null_pairs)
    gap_settings = GapSettings(
        settings.gap_alpha,
        settings.gap_score,
        settings.min_score,
        settings.dense_gap_cells,
        settings.meaning_floor,
        settings.meaning_margin,
    )

    def fill(gaps: list[Gap], free: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int]]:
        return align_gaps(gaps, index, free, null, gap_settings, evidence.cells, evidence.cosine)

    found = fill(gaps_between(anchors, *sizes), free)
    free = _free((found,), *free)
    block_settings = BlockSettings(
        settings.block_alpha, settings.block_length, settings.block_step, settings.gap_score
    )
    inside = fill(block_boxes(find_blocks(index, free, null, block_settings)), free)
    return found + inside, fill, null


def _interiors(
    links: list[DraftLink], sizes: tuple[int, int], index: PairIndex, fill: GapFiller
) -> list[DraftLink]:
    """Links in the interiors of blocks of moved links, each bounded by the block's own
    links (:func:`.blocks.moved_interiors`), and at the blocks' free edges
    (:func:`.blocks.block_edges`), aligned like any gap (end of step 5); then the edges
    two blocks share, a sentence claimed twice going to the better pair."""
    sets = [(link.source, link.witness) for link in links]
    runs = moved_runs(sets, index)
    edges = block_edges(runs, sets, sizes)
    gaps = moved_interiors(runs) + edges.own
    free = _free_of(links, *sizes)
    found = fill(gaps, free) if gaps else []
    if edges.shared:
        found += one_claim_each(fill(edges.shared, _free((found,), *free)), index)
    return [DraftLink({i}, {j}) for i, j in sorted(found)]


def _matching(
    pairs: PairScores,
    top: tuple[TopPartners, TopPartners],
    settings: AlignSettings,
    n_source: int,
    n_witness: int,
) -> list[int]:
    """Strong (or standing-out weak) pairs matched one-to-one, moves priced (step 1)."""
    weak = (pairs.score < settings.min_score) & (pairs.score >= settings.weak_score)
    ok = pairs.score >= settings.min_score
    ok[weak] = stand_out(
        top[0], top[1], settings, pairs.source[weak], pairs.witness[weak], pairs.score[weak]
    )
    eligible = np.flatnonzero(ok).astype(np.int64)
    chosen = max_weight_matching(pairs, eligible, pairs.score, n_source, n_witness)
    if settings.move_penalty <= 0:
        return chosen
    positions = [(int(pairs.source[k]), int(pairs.witness[k])) for k in chosen]
    off = moved_links(positions, [1.0 + float(pairs.score[k]) for k in chosen])
    on_chain = [k for k, o in zip(chosen, off, strict=True) if not o]
    weight = pairs.score - settings.move_penalty * ~in_order(pairs, on_chain)
    eligible = eligible[weight[eligible] > 0]
    return max_weight_matching(pairs, eligible, weight, n_source, n_witness)


def _rivals(pairs: list[tuple[int, int]], top: tuple[TopPartners, TopPartners]) -> list[float]:
    """For each pair, the best score of another partner of either side (beyond the
    partner's neighbours), all pairs in one pass."""
    if not pairs:
        return []
    i = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    found: list[float] = np.maximum(top[0].rival(i, j), top[1].rival(j, i)).tolist()
    return found


def _free_of(
    links: list[DraftLink], n_source: int, n_witness: int
) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the sentences that no link uses."""
    free_source = np.ones(n_source, dtype=bool)
    free_witness = np.ones(n_witness, dtype=bool)
    for link in links:
        free_source[list(link.source)] = False
        free_witness[list(link.witness)] = False
    return free_source, free_witness


def _free(
    groups: tuple[Sequence[tuple[int, int]], ...], free_source: np.ndarray, free_witness: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The masks of free sentences less those that a pair of ``groups`` uses."""
    free_source = free_source.copy()
    free_witness = free_witness.copy()
    for group in groups:
        for i, j in group:
            free_source[i] = False
            free_witness[j] = False
    return free_source, free_witness


def _pairs_only(pairs: PairScores) -> Evidence:
    """Evidence from the candidate pairs alone (a caller without a scorer)."""
    known = {
        (int(i), int(j)): float(s)
        for i, j, s in zip(pairs.source, pairs.witness, pairs.score, strict=True)
    }

    def cells(src: np.ndarray, wit: np.ndarray) -> np.ndarray:
        return np.array([known.get((int(i), int(j)), 0.0) for i, j in zip(src, wit, strict=True)])

    def groups(
        items: Sequence[tuple[Sequence[int], Sequence[int]]],
    ) -> list[tuple[float, float, float]]:
        return [(0.0, 0.0, 0.0) for _ in items]  # no joins without a scorer

    return Evidence(cells, groups)
