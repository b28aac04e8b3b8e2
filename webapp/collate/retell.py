"""Second tellings: an account that tells one record passage twice (a doublet).

The one-to-one matching links one telling of a record passage; the account's other
telling of it is left free (or held by a weak guess, which this search leaves alone: only
free account sentences are looked at). A lone account sentence that
resembles an already linked record sentence is weak evidence (a saying or formula the
text uses again, a chance likeness), but a *run* of them is not: chance likenesses do
not line up. So the second telling is looked for as a block (:func:`.blocks.find_blocks`,
the same union bound on chance runs, calibrated on this text pair's random-pair scores)
among the pairs whose record sentence is already linked and whose account sentence is
free. Each member must match well on its own: it is its account sentence's best partner
(within ``tie_margin``), and the account sentence is not one copy of a formula; the run
says where the passage is told again, and its members pass the calibrated cut of a gap
as large as its span, so a chance pair the run carried is left out. The
accepted members join their record sentence's link as further uses (one link per record
sentence, each use on the account side, as :func:`.moves.add_reuse` does). Each telling
of such a link is then judged on its own order (:mod:`.tellings`): the telling in place
stays on the chain, the early one is moved, and the link is moved only if both are.

A lone further use (a saying told twice, one verse of a passage the account tells again)
is linked too when it passes what a run member must pass, stands out on its own (above
what chance reaches with probability ``row_alpha`` over every cell searched: each free
account sentence against its record row, :func:`lone_cut`; a run needs only one member
above one row's chance), and its context does not tell another passage: a linked account
neighbour must continue the partner's passage in the record's order (within ``max_step``
record sentences, before it on the left, after it on the right). An account sentence
between links of another passage is explained in place (an addition there, or a phrase of
that passage), not as a second telling of a far record sentence.

Last, each telling of a passage told more than once grows at its edges
(:func:`_edge_uses`): a free account sentence just before a telling (or one further, across
an unlinked sentence, as a telling may skip one: :data:`.tellings.TELLING_GAP`) that tells
a linked record sentence up to ``max_step`` before the telling's record sentences (after,
at the other edge) continues the passage told there. Its evidence is that of a pair in a
small gap, the calibrated cut of :meth:`.gaps.NullScores.threshold` over the edge's cells,
where alone it would have to stand out in its whole record row; it must pass what a lone
use passes besides (best partner, no formula copy, a context telling no other passage),
with rivals counted from the lower of the cut and the row's chance: a sentence with two
far partners as good as the one accepted is a crowd (a template sentence), not the next
verse of a telling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .blocks import BlockSettings, find_blocks
from .gaps import NullScores, PairIndex
from .matching import COPIES  # other partners above chance that make a sentence a formula copy
from .merges import DraftLink
from .tellings import TELLING_GAP, runs

__all__ = ["RetellSettings", "lone_cut", "retold", "second_tellings"]


@dataclass(frozen=True, slots=True)
class RetellSettings:
    """What the search for second tellings reads (a view of the aligner's settings)."""

    #: Expected chance runs over the whole text pair (the block search's union bound).
    alpha: float
    #: Fewest further uses in a run.
    min_length: int
    #: Largest step between two members, in sentences on either side.
    max_step: int
    #: Lowest score of a member.
    floor: float
    #: A member may trail its account sentence's best partner by this much.
    tie_margin: float
    #: A rival partner counts as another copy when it is within this ratio of the member.
    distinct_ratio: float
    #: ... and above the score that chance reaches in a record's row with this probability.
    row_alpha: float
    #: Whether a lone further use whose context tells no other passage is linked.
    alone: bool = True
    #: Whether the tellings of a passage told more than once grow at their edges.
    edges: bool = True


class _AlignView(Protocol):
    """The aligner's settings that the search reads (:class:`.align_settings.AlignSettings`)."""

    @property
    def block_alpha(self) -> float: ...
    @property
    def block_step(self) -> int: ...
    @property
    def gap_score(self) -> float: ...
    @property
    def tie_margin(self) -> float: ...
    @property
    def distinct_ratio(self) -> float: ...
    @property
    def gap_alpha(self) -> float: ...
    @property
    def retell_length(self) -> int: ...
    @property
    def retell_alone(self) -> bool: ...
    @property
    def retell_edges(self) -> bool: ...


def retold(
    links: list[DraftLink],
    index: PairIndex,
    null: NullScores,
    shape: tuple[int, int],
    settings: _AlignView,
) -> list[DraftLink]:
    """:func:`second_tellings` with the aligner's settings and the chance scores of its
    gaps (the same sample: anchored sentences against other anchors' partners)."""
    view = RetellSettings(
        settings.block_alpha,
        settings.retell_length,
        settings.block_step,
        settings.gap_score,
        settings.tie_margin,
        settings.distinct_ratio,
        settings.gap_alpha,
        settings.retell_alone,
        settings.retell_edges,
    )
    return second_tellings(links, index, null, shape, view)


def second_tellings(
    links: list[DraftLink],
    index: PairIndex,
    null: NullScores,
    shape: tuple[int, int],
    settings: RetellSettings,
) -> list[DraftLink]:
    """``links`` with each run of further uses (a passage told again) joined to the links
    of its record sentences (``shape``: the numbers of record and account sentences)."""
    linked = np.zeros(shape[0], dtype=bool)
    free = np.ones(shape[1], dtype=bool)
    link_of_source = {i: link for link in links for i in link.source}
    linked[list(link_of_source)] = True
    free[[j for link in links for j in link.witness]] = False
    block = BlockSettings(settings.alpha, settings.min_length, settings.max_step, settings.floor)
    runs = find_blocks(index, (linked, free), null, block)
    rows = _partners(index, free)
    chance = null.quantile(settings.row_alpha / max(shape[0], 1))
    found = [p for run in runs for p in _members(run, rows, (null, chance), settings)]
    if settings.alone:
        cut = lone_cut(null, settings.row_alpha, shape[0], len(rows))
        found += _lone_uses(rows, linked, (chance, cut), settings, _sources(links, found))
    for i, j in found:
        link_of_source[i].witness.add(j)
    if settings.edges:
        _grow_edges(links, rows, (null, chance), settings, (linked, _sources(links, [])))
    return links


def _grow_edges(
    links: list[DraftLink],
    rows: dict[int, list[tuple[int, float]]],
    null: tuple[NullScores, float],
    settings: RetellSettings,
    state: tuple[np.ndarray, dict[int, set[int]]],
) -> None:
    """Join edge uses (:func:`_edge_uses`) to their record sentences' links, round after
    round, until no telling grows (each round's uses are edges of the next); ``state``:
    which record sentences are linked, and each linked account sentence's record ones."""
    sources = state[1]
    link_of_source = {i: link for link in links for i in link.source}
    while True:
        told = [(sorted(ln.source), t) for ln in links for t in runs(tuple(sorted(ln.witness)))]
        counts: dict[int, int] = {}
        for src, _ in told:
            counts[src[0]] = counts.get(src[0], 0) + 1
        edges = [(src, t) for src, t in told if counts[src[0]] > 1]
        found = _edge_uses(edges, rows, null, settings, state)
        if not found:
            return
        for i, j in found:
            link_of_source[i].witness.add(j)
            sources.setdefault(j, set()).add(i)


def _edge_uses(
    edges: list[tuple[list[int], tuple[int, ...]]],
    rows: dict[int, list[tuple[int, float]]],
    null: tuple[NullScores, float],
    settings: RetellSettings,
    state: tuple[np.ndarray, dict[int, set[int]]],
) -> list[tuple[int, int]]:
    """At each edge of each telling (record sentences, account run), the best pair of its
    box (free account sentences up to ``1 + TELLING_GAP`` away, linked record sentences up
    to ``max_step`` beyond the telling's) when it passes the box's calibrated cut and the
    tests of a lone use (:func:`_alone_ok`), rivals counted from the cut or the row's chance
    (``null``: the chance scores and that chance), the lower: a sentence with two far
    partners as good as the one accepted is a crowd, not a telling's next verse. At most
    one pair per account sentence."""
    linked, sources = state
    scores_of, chance = null
    out: dict[int, tuple[int, int]] = {}
    for src, told in edges:
        for d, j0, i0 in ((-1, told[0], src[0]), (1, told[-1], src[-1])):
            box = [
                (i, j, score)
                for j in _free_run(j0, d, rows, sources)
                for i, score in rows[j]
                if 0 < (i - i0) * d <= settings.max_step and linked[i]
            ]
            if not box:
                continue
            cells = settings.max_step * (1 + TELLING_GAP)
            scores = np.array([score for _, _, score in box])
            cut = scores_of.threshold(scores, cells, settings.row_alpha, settings.floor, 1.0)
            i, j, score = max(box, key=lambda p: (p[2], -abs(p[1] - j0)))
            best = max(s for _, s in rows[j]) - settings.tie_margin
            ok = score >= max(cut, best) and j not in out
            if ok and _alone_ok((i, j), score, rows[j], min(cut, chance), settings, sources):
                out[j] = (i, j)
    return list(out.values())


def _free_run(
    j0: int, d: int, rows: dict[int, list[tuple[int, float]]], sources: dict[int, set[int]]
) -> list[int]:
    """The free account sentences with candidates beyond ``j0`` in direction ``d``, up to
    ``1 + TELLING_GAP`` away, stopping at the first linked one."""
    out = []
    for k in range(1, 2 + TELLING_GAP):
        j = j0 + d * k
        if j in sources:
            break
        if j in rows:
            out.append(j)
    return out


def _alone_ok(
    pair: tuple[int, int],
    score: float,
    partners: list[tuple[int, float]],
    chance: float,
    settings: RetellSettings,
    sources: dict[int, set[int]],
) -> bool:
    """Whether a further use is no copy of a formula (:data:`.matching.COPIES` partners
    beyond the record sentence's neighbours above ``chance`` and within ``distinct_ratio``
    of it) and each linked neighbour of its account sentence continues the record
    passage: the one before up to ``max_step`` record sentences before it (or at it), the
    one after up to ``max_step`` after."""
    i, j = pair
    floor = max(chance, score / settings.distinct_ratio)
    if sum(1 for k, s in partners if abs(k - i) > 1 and s >= floor) >= COPIES:
        return False
    return all(
        any(0 <= (k - i) * d <= settings.max_step for k in sources[j + d])
        for d in (-1, 1)
        if j + d in sources
    )


def _sources(links: list[DraftLink], found: list[tuple[int, int]]) -> dict[int, set[int]]:
    """The record sentences each linked account sentence is linked to (with ``found``)."""
    out: dict[int, set[int]] = {}
    for link in links:
        for j in link.witness:
            out.setdefault(j, set()).update(link.source)
    for i, j in found:
        out.setdefault(j, set()).add(i)
    return out


def lone_cut(null: NullScores, alpha: float, n_source: int, n_searched: int) -> float:
    """The score a lone further use must reach: what chance reaches with probability
    ``alpha`` over every cell searched (``n_searched`` free account sentences, each against
    its whole record row of ``n_source``), not over one row: a short record against a
    whole book leaves thousands of free account sentences, and one row's chance then
    lets dozens of chance likenesses in. In a pair of similar sizes both cuts are the
    top of the sample (:meth:`.gaps.NullScores.quantile`), so nothing changes there.

    >>> null = NullScores(np.linspace(0.0, 1.0, 1001))
    >>> lone_cut(null, 0.05, 10, 1), lone_cut(null, 0.05, 10, 100)
    (0.996, 1.0)
    """
    return null.quantile(alpha / (max(n_source, 1) * max(n_searched, 1)))


def _lone_uses(
    rows: dict[int, list[tuple[int, float]]],
    linked: np.ndarray,
    chance: tuple[float, float],
    settings: RetellSettings,
    sources: dict[int, set[int]],
) -> list[tuple[int, int]]:
    """Free account sentences that are lone further uses of their best partner: it is
    linked, the pair scores the search's cut or more (``chance``: a record row's chance,
    which counts rivals, and :func:`lone_cut` over every free account sentence's row),
    the account sentence is no copy of a
    formula (as :func:`_members`), and each linked neighbour continues the partner's
    passage: the one before is linked up to ``max_step`` record sentences before the
    partner (or to it), the one after up to ``max_step`` after. A neighbour linked
    elsewhere, or against the record's order, tells another passage there."""
    out = []
    for j, partners in sorted(rows.items()):
        if j in sources:  # a run member just found
            continue
        i, score = max(partners, key=lambda p: (p[1], -p[0]))
        if (
            linked[i]
            and score >= chance[1]
            and _alone_ok((i, j), score, partners, chance[0], settings, sources)
        ):
            out.append((i, j))
    return out


def _partners(index: PairIndex, witnesses: np.ndarray) -> dict[int, list[tuple[int, float]]]:
    """The candidate partners (record index, score) of the account sentences marked."""
    keep = witnesses[index.witness]
    rows: dict[int, list[tuple[int, float]]] = {}
    found = (index.source[keep].tolist(), index.witness[keep].tolist(), index.score[keep].tolist())
    for i, j, s in zip(*found, strict=True):
        rows.setdefault(j, []).append((i, s))
    return rows


def _members(
    run: list[tuple[int, int]],
    rows: dict[int, list[tuple[int, float]]],
    null: tuple[NullScores, float],
    settings: RetellSettings,
) -> list[tuple[int, int]]:
    """The pairs of a run that match well on their own: each is its account sentence's
    best partner (within ``tie_margin``), and that sentence is no copy of a formula
    (:data:`.matching.COPIES` other partners, beyond the member's record neighbours, that score
    above ``chance`` and within ``distinct_ratio`` of the member). None unless at least
    ``min_length`` do and one of them stands out in its row (scores ``chance``, what
    chance reaches in a record's row with probability ``row_alpha``): the run corroborates
    a use that stands out, a run of weak uses alone is a shared subject. ``null``: the
    chance scores, and that chance.

    The run says where the passage is told again; which of its pairs are uses is then
    judged as in a gap over the run's span (:func:`_in_span`), so a chance pair at the
    run's end, which the run's good members carried through the union bound, is left out
    (Jeremiah 38:24 and 38:27 before the retelling of 2 Kings 25 in Jeremiah 39)."""
    scores_of, chance = null
    good: list[tuple[int, int, float]] = []
    for i, j in run:
        partners = rows[j]
        score = max(s for k, s in partners if k == i)
        best = max(s for _, s in partners)
        floor = max(chance, score / settings.distinct_ratio)
        copies = sum(1 for k, s in partners if abs(k - i) > 1 and s >= floor)
        if score >= best - settings.tie_margin and copies < COPIES:
            good.append((i, j, score))
    if len(good) < settings.min_length or max(s for _, _, s in good) < chance:
        return []
    good = _in_span(good, scores_of, settings)
    return [(i, j) for i, j, _ in good] if len(good) >= settings.min_length else []


def _in_span(
    good: list[tuple[int, int, float]], null: NullScores, settings: RetellSettings
) -> list[tuple[int, int, float]]:
    """The members (record, account, score; in order) that pass the calibrated cut of a
    gap as large as the run's span (:meth:`.gaps.NullScores.threshold`, as a moved
    block's pairs are decided in :mod:`.blocks`)."""
    cells = (good[-1][0] - good[0][0] + 1) * (good[-1][1] - good[0][1] + 1)
    scores = np.array([s for _, _, s in good])
    cut = null.threshold(scores, cells, settings.row_alpha, settings.floor, 1.0)
    return [g for g in good if g[2] >= cut]
