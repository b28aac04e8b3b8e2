"""Moves as blocks, reuse of a record sentence, and how sure a move is.

A passage the account moved shows up as a run of pairs along a diagonal away from the
main chain: each pair may be moderate, but chance likenesses do not line up, so a
block is evidence where a lone weak pair is not. How strong the run's members must be
is calibrated like the gaps (:class:`.gaps.NullScores`): the chance that ``L`` random
cells all reach a score falls with its ``L``-th power, so a longer run may be made of
weaker pairs.

``judge_moves`` decides, for the links off the order-preserving chain, which moves are
findings (``moved``) and which rest on weak, uncorroborated evidence (possible moves).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .gaps import NullScores, PairIndex

#: (record index, account index) -> whether the two share a phrase or a quotation.
Corroboration = Callable[[int, int], bool]


def find_blocks(
    index: PairIndex,
    free: tuple[np.ndarray, np.ndarray],
    null: NullScores,
    alpha: float,
    min_length: int,
    floor: float,
) -> list[list[tuple[int, int]]]:
    """Runs of at least ``min_length`` free pairs along a diagonal, each strong enough
    for a run of its length (at most one sentence skipped on a side between members)."""
    free_source, free_witness = free
    space = max(int(free_source.sum()) * int(free_witness.sum()), 1)
    low = max(floor, null.quantile((alpha / space) ** (1.0 / 2)))
    keep = (index.score >= low) & free_source[index.source] & free_witness[index.witness]
    score = {
        (int(i), int(j)): float(s)
        for i, j, s in zip(index.source[keep], index.witness[keep], index.score[keep], strict=True)
    }
    blocks: list[list[tuple[int, int]]] = []
    used_s: set[int] = set()
    used_w: set[int] = set()
    for start in sorted(score, key=lambda p: (-score[p], p)):
        if start[0] in used_s or start[1] in used_w:
            continue
        run = _grow(start, score, used_s, used_w)
        if len(run) < min_length:
            continue
        need = max(floor, null.quantile((alpha / space) ** (1.0 / len(run))))
        if min(score[p] for p in run) >= need:
            blocks.append(run)
            used_s.update(i for i, _ in run)
            used_w.update(j for _, j in run)
    return blocks


_STEPS = ((1, 1), (1, 2), (2, 1))


def _grow(
    start: tuple[int, int],
    score: dict[tuple[int, int], float],
    used_s: set[int],
    used_w: set[int],
) -> list[tuple[int, int]]:
    """Extend a pair both ways along its diagonal through the best next pair."""
    run = [start]
    for sign in (1, -1):
        at = start
        while True:
            steps = [(at[0] + sign * di, at[1] + sign * dj) for di, dj in _STEPS]
            nxt = [p for p in steps if p in score and p[0] not in used_s and p[1] not in used_w]
            if not nxt:
                break
            at = max(nxt, key=lambda p: score[p])
            run.append(at)
    return sorted(run)


def best_partners(index: PairIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each account sentence's best candidate: account indices, record indices, scores."""
    order = np.lexsort((index.source, -index.score, index.witness))
    wit = index.witness[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = wit[1:] != wit[:-1]
    best = order[first]
    return index.witness[best], index.source[best], index.score[best]


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
    apart at most, in the same direction), or when its sides share a phrase or a
    quotation; otherwise it is only a possible move.
    """
    firsts = {(s[0], w[0]) for (s, w), off in zip(keys, moved, strict=True) if off}
    lasts = {(s[-1], w[-1]) for (s, w), off in zip(keys, moved, strict=True) if off}
    out = []
    for (src, wit), off, score in zip(keys, moved, scores, strict=True):
        if not off:
            out.append((False, False))
            continue
        sure = (
            score >= strong
            or _has_moved_neighbour(src, wit, firsts, lasts)
            or any(corroborated(i, j) for i in src for j in wit)
        )
        out.append((sure, not sure))
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
