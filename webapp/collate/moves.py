"""Reuse of a record sentence, and how sure a move is (moved blocks: :mod:`.blocks`).

``judge_moves`` decides, for the links off the order-preserving chain, which moves are
findings (``moved``) and which rest on weak, uncorroborated evidence (possible moves).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .gaps import PairIndex
from .merges import DraftLink


@dataclass(frozen=True, slots=True)
class ReuseSettings:
    """What the reuse of record sentences reads (a view of the aligner's settings)."""

    score: float
    tie_margin: float
    distinct_ratio: float


#: (record index, account index) -> whether the two share a phrase or a quotation.
Corroboration = Callable[[int, int], bool]


def best_partners(index: PairIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each account sentence's best candidate: account indices, record indices, scores."""
    order = np.lexsort((index.source, -index.score, index.witness))
    wit = index.witness[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = wit[1:] != wit[:-1]
    best = order[first]
    return index.witness[best], index.source[best], index.score[best]


def add_reuse(
    links: list[DraftLink],
    index: PairIndex,
    settings: ReuseSettings,
    copies: Callable[[list[int], list[int], list[float]], list[bool]] | None = None,
) -> list[DraftLink]:
    """Further uses of a linked record sentence join that sentence's link (one link per
    record sentence, each use of it on the account side).

    An account sentence whose best partner is already linked is a further use of it when
    it matches well on its own (``score``) and as well as the use already linked
    (within ``tie_margin``), or when a neighbour (one sentence apart at most, in the same
    direction) is a further use of a neighbouring record sentence (a passage told twice,
    as the lists of 1 Chronicles 3 and 14); it may leave a
    1:1 link that its best partner beats by ``distinct_ratio``. An account sentence that
    is one copy of a formula (``copies``: other partners it does not beat by
    ``distinct_ratio``) reuses nothing: its best copy says what it is, not which.
    """
    link_of_source = {i: link for link in links for i in link.source}
    link_of_witness = {j: link for link in links for j in link.witness}
    uses = {
        (i, j): score
        for j, i, score in zip(*(a.tolist() for a in best_partners(index)), strict=True)
        if i in link_of_source and score >= settings.score
    }
    if copies is not None and uses:
        keys = list(uses)
        crowded = copies([i for i, _ in keys], [j for _, j in keys], list(uses.values()))
        uses = {p: uses[p] for p, c in zip(keys, crowded, strict=True) if not c}
    dropped: set[int] = set()
    for (i, j), score in sorted(uses.items()):
        home = link_of_source[i]
        now = link_of_witness.get(j)
        if now is home or not _reuse_is_sure(i, j, score, home, uses, index, settings):
            continue
        if now is not None:
            if len(now.source) > 1 or len(now.witness) > 1 or id(now) in dropped:
                continue
            if score < settings.distinct_ratio * index.lookup(min(now.source), j):
                continue
            dropped.add(id(now))
        home.witness.add(j)
        link_of_witness[j] = home
    return [link for link in links if id(link) not in dropped]


def _reuse_is_sure(
    i: int,
    j: int,
    score: float,
    home: DraftLink,
    uses: dict[tuple[int, int], float],
    index: PairIndex,
    settings: ReuseSettings,
) -> bool:
    """As good as the linked use of the record sentence, or part of a passage reused."""
    linked = max(index.lookup(i, k) for k in home.witness)
    block = any((i + d * a, j + d * b) in uses for d in (1, -1) for a in (1, 2) for b in (1, 2))
    return block or score >= linked - settings.tie_margin


def judge_moves(
    keys: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    moved: Sequence[bool],
    scores: Sequence[float],
    strong: float,
    corroborated: Corroboration,
) -> list[tuple[bool, bool]]:
    """``(moved, possible_move)`` of each link.

    A link off the chain is a move when it scores ``strong`` or more, when a neighbouring
    link in the same block is moved too (record and account neighbours, one sentence
    apart at most, in the same direction, or the next moved link on both sides with only
    unlinked sentences between: :func:`in_moved_blocks`), or when its sides share a phrase
    or a quotation; otherwise it is only a possible move.
    """
    firsts = {(s[0], w[0]) for (s, w), off in zip(keys, moved, strict=True) if off}
    lasts = {(s[-1], w[-1]) for (s, w), off in zip(keys, moved, strict=True) if off}
    blocks = in_moved_blocks(keys, moved)
    out = []
    for (src, wit), off, score, block in zip(keys, moved, scores, blocks, strict=True):
        if not off:
            out.append((False, False))
            continue
        sure = (
            score >= strong
            or block
            or _has_moved_neighbour(src, wit, firsts, lasts)
            or any(corroborated(i, j) for i in src for j in wit)
        )
        out.append((sure, not sure))
    return out


def in_moved_blocks(
    keys: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], moved: Sequence[bool]
) -> list[bool]:
    """Whether each link is one of two moved links that follow each other in the account,
    keep the record's order, and have no other link's sentence between them on either
    side: a block of moves, whose gaps were aligned like those between anchors."""
    linked = np.sort(np.fromiter((i for s, _ in keys for i in s), dtype=np.int64))
    by_account = sorted(range(len(keys)), key=lambda k: keys[k][1][0])
    out = [False] * len(keys)
    for k, n in zip(by_account, by_account[1:], strict=False):
        last, first = keys[k][0][-1], keys[n][0][0]
        if not (moved[k] and moved[n]) or last >= first:
            continue
        if np.searchsorted(linked, first) == np.searchsorted(linked, last + 1):
            out[k] = out[n] = True
    return out


def _has_moved_neighbour(
    src: tuple[int, ...],
    wit: tuple[int, ...],
    firsts: set[tuple[int, int]],
    lasts: set[tuple[int, int]],
) -> bool:
    """A moved link starts just after this one ends, or ends just before it starts."""
    after = any((src[-1] + di, wit[-1] + dj) in firsts for di in (1, 2) for dj in (1, 2))
    before = any((src[0] - di, wit[0] - dj) in lasts for di in (1, 2) for dj in (1, 2))
    return after or before
