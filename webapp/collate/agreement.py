"""Agreement statistics behind the exercise scores: set F1, Cohen's kappa, Kendall's tau-b.

>>> cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"])
0.5
>>> kendall_tau_b([0, 1, 2], [2, 1, 0]), inversions([0, 1, 2], [2, 1, 0])
(-1.0, 3)

Pure Python, small and explainable (the tests check them against scikit-learn and scipy,
which the engine does not import).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from math import sqrt
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class SetScores:
    """Precision, recall and F1 of a set of answers against the key's set.

    ``precision`` is None when the student gave nothing, ``recall`` when the key has
    nothing; ``f1`` is always defined (2TP / (2TP + FP + FN), 1.0 when both are empty).
    """

    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float | None
    recall: float | None
    f1: float


@dataclass(frozen=True, slots=True)
class LinkScores(SetScores):
    """Link scores: :class:`SetScores` over sentence pairs."""


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Label agreement over the key links the student also linked.

    ``kappa`` is Cohen's kappa (None when no link is shared, or when chance agreement is
    certain: every shared link has one and the same label on both sides).
    """

    compared: int
    agreed: int
    kappa: float | None
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class OrderScores:
    """Order agreement: Kendall's tau-b and the pairs the student put the other way round.

    ``missing`` counts key sentences the student left out of their order (not scored).
    """

    compared: int
    tau: float | None
    inverted: int
    missing: int


@dataclass(frozen=True, slots=True)
class QuoteScores:
    """Quotation verdicts: how many of the key's quotations the student judged as it does."""

    compared: int
    agreed: int
    accuracy: float | None


def set_scores(key: Collection[T], answer: Collection[T]) -> SetScores:
    """Precision, recall and F1 of ``answer`` against ``key`` (see :class:`SetScores`)."""
    tp = len(set(key) & set(answer))
    fp, fn = len(answer) - tp, len(key) - tp
    f1 = 1.0 if not key and not answer else 2 * tp / (2 * tp + fp + fn)
    return SetScores(
        tp, fp, fn, tp / len(answer) if answer else None, tp / len(key) if key else None, f1
    )


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters' labels of the same items, in order.

    (p_o - p_e) / (1 - p_e), with p_e from each rater's own label shares; None when there
    are no items or p_e is 1 (both always say the same single label: kappa is undefined).
    """
    if len(first) != len(second):
        raise ValueError(f"{len(first)} labels against {len(second)}")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a) / (n * n)
    if expected >= 1.0 - 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def _pair_counts(x: Sequence[float], y: Sequence[float]) -> tuple[int, int, int, int]:
    """Concordant, discordant, tied-in-x and tied-in-y pairs (a pair tied in both counts
    in both ties). O(n^2): an exercise has tens of sentences, not thousands."""
    concordant = discordant = ties_x = ties_y = 0
    for a in range(len(x)):
        for b in range(a + 1, len(x)):
            dx, dy = x[a] - x[b], y[a] - y[b]
            if dx == 0:
                ties_x += 1
            if dy == 0:
                ties_y += 1
            if dx * dy > 0:
                concordant += 1
            elif dx * dy < 0:
                discordant += 1
    return concordant, discordant, ties_x, ties_y


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b of two rankings of the same items (ties allowed on either side).

    (C - D) / sqrt((P - T_x)(P - T_y)) over the P = n(n-1)/2 pairs; None with fewer than
    two items or when one side ties everything (as scipy's ``kendalltau`` gives NaN).
    """
    if len(x) != len(y):
        raise ValueError(f"{len(x)} ranks against {len(y)}")
    pairs = len(x) * (len(x) - 1) // 2
    concordant, discordant, ties_x, ties_y = _pair_counts(x, y)
    denominator = (pairs - ties_x) * (pairs - ties_y)
    if denominator == 0:
        return None
    return (concordant - discordant) / sqrt(denominator)


def inversions(x: Sequence[float], y: Sequence[float]) -> int:
    """How many pairs the two rankings put strictly the other way round."""
    return _pair_counts(x, y)[1]


def count_inversions(values: Sequence[int]) -> int:
    """Pairs i < j with values[i] > values[j], for distinct values, in O(n log n).

    A Fenwick tree over the values' ranks counts, for each value, the larger ones seen
    before it: what :func:`inversions` counts for a strict order, without its n^2 pairs.
    """
    ranks = {v: r for r, v in enumerate(sorted(values), 1)}
    tree = [0] * (len(values) + 1)
    count = 0
    for seen, value in enumerate(values):
        rank, smaller = ranks[value], 0
        i = rank
        while i > 0:
            smaller += tree[i]
            i -= i & -i
        count += seen - smaller
        i = rank
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return count
