"""What else a join must show where a paraphrase's containments are low (issue 10).

In a heavy paraphrase (Basic English against the KJV) a link's containments are low, so a
neighbour on the same subject raises its coverage as a merged half does: a verse the
account dropped was joined to its look-alike's link, and two verses told in order became
one link of crossed halves. :func:`closer` asks that the link's sides end no further apart
in length (a merged half evens them, a look-alike makes its side the longer one);
:func:`taken_from` that a sentence not be joined away from its better free partner in
place. :mod:`.merges` calls both.

>>> closer(({0}, {0}), 0, 1, ([10, 10], [20]), 0.0)
True
>>> closer(({0}, {0}), 0, 1, ([20, 10], [20]), 0.0)
False
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set

import numpy as np

from .similarity import PairScores

__all__ = ["Lengths", "best_free", "closer", "taken_from"]

#: Words of each record sentence and each account sentence.
Lengths = tuple[Sequence[int], Sequence[int]]


def closer(
    sides: tuple[Set[int], Set[int]],
    side: int,
    sentence: int,
    lengths: Lengths | None,
    slack: float,
) -> bool:
    """Whether ``sentence`` joining ``side`` of a link (``sides``: its record and account
    sentences) leaves the two sides no further apart in length than ``slack`` (log ratio)
    more than before: a merged half makes the shorter side as long as the other (two
    verses told in one), a neighbour on the same subject makes it the longer one (a verse
    the account dropped)."""
    if lengths is None or math.isinf(slack):
        return True
    own = sum(lengths[side][k] for k in sides[side])
    other = sum(lengths[1 - side][k] for k in sides[1 - side])
    if own <= 0 or other <= 0:
        return True
    grown = own + lengths[side][sentence]
    return abs(math.log(grown / other)) <= abs(math.log(own / other)) + slack + 1e-9


def best_free(
    pairs: PairScores, masks: tuple[np.ndarray, np.ndarray], joining: np.ndarray
) -> tuple[dict[int, tuple[int, float]], dict[int, tuple[int, float]]]:
    """The best pair with a free partner of each free sentence of the ``joining`` pairs
    (positions), per side: index -> (partner, score) (ties: the lower partner)."""
    asking = np.zeros_like(masks[0])
    asking[pairs.source[joining][~masks[0][pairs.source[joining]]]] = True
    asking_w = np.zeros_like(masks[1])
    asking_w[pairs.witness[joining][~masks[1][pairs.witness[joining]]]] = True
    free = ~masks[0][pairs.source] & ~masks[1][pairs.witness]
    both = np.flatnonzero(free & (asking[pairs.source] | asking_w[pairs.witness]))
    out: tuple[dict[int, tuple[int, float]], dict[int, tuple[int, float]]] = ({}, {})
    for side, (own, other) in enumerate(
        ((pairs.source, pairs.witness), (pairs.witness, pairs.source))
    ):
        order = both[np.lexsort((other[both], -pairs.score[both], own[both]))]
        first = order[np.r_[True, own[order][1:] != own[order][:-1]]] if len(order) else order
        for k in first.tolist():
            out[side][int(own[k])] = (int(other[k]), float(pairs.score[k]))
    return out


def taken_from(
    rival: tuple[int, float] | None, beside: Set[int], score: float, distance: int
) -> bool:
    """Whether a join through a pair scoring ``score`` would take the free sentence from
    a better free partner (``rival``) within ``distance`` of the link's other side
    (``beside``): that is its own pair in place, a link of the gap there, not a merged
    half of this link."""
    if rival is None or rival[1] <= score:
        return False
    return min(abs(rival[0] - m) for m in beside) <= distance
