"""Order analysis: which links keep the record's order, which are moved, and by how much.

>>> moved_links([(0, 0), (1, 2), (2, 1), (3, 3)], weights=[1, 1, 1, 1])
[False, False, True, False]

The longest order-preserving chain of links (heaviest, when weights differ) stays in
place; every link outside it is *moved*. Ties are broken towards the chain with the
higher total weight, then towards the earlier witness positions, so results are stable.
"""

from __future__ import annotations

from collections.abc import Sequence


def moved_links(positions: Sequence[tuple[int, int]], weights: Sequence[float]) -> list[bool]:
    """Flag the links that are not on the heaviest order-preserving chain.

    ``positions`` holds one (source position, witness position) per link; positions on
    each side are distinct. Runs in O(n log n) with a Fenwick tree over witness ranks
    (kept as two flat lists, the best weight and its link, and walked inline: this is
    called on the candidates of whole gaps, a hundred thousand pairs in repeated text).
    """
    n = len(positions)
    if n == 0:
        return []
    by_source = sorted(range(n), key=lambda k: positions[k][0])
    ranks = {w: r for r, w in enumerate(sorted(p[1] for p in positions))}
    tree_best = [0.0] * (n + 1)
    tree_link = [-1] * (n + 1)
    size = n + 1
    previous = [-1] * n
    best_at = [0.0] * n
    for k in by_source:
        rank = ranks[positions[k][1]]
        best, prev = 0.0, -1  # the best chain among the first ``rank`` witness ranks
        i = rank
        while i > 0:
            if tree_best[i] > best:
                best, prev = tree_best[i], tree_link[i]
            i -= i & -i
        value = best + weights[k]
        best_at[k] = value
        previous[k] = prev
        i = rank + 1
        while i < size:
            if value > tree_best[i]:
                tree_best[i], tree_link[i] = value, k
            i += i & -i
    end = max(range(n), key=lambda k: (best_at[k], -positions[k][1]))
    on_chain = [False] * n
    while end >= 0:
        on_chain[end] = True
        end = previous[end]
    return [not flag for flag in on_chain]


def kendall_tau(positions: Sequence[tuple[int, int]]) -> float | None:
    """Rank correlation of source and witness positions (1 = same order, -1 = reversed).

    Positions are distinct on each side, so this is tau-a, computed by counting
    inversions with a merge sort in O(n log n).
    """
    n = len(positions)
    if n < 2:
        return None
    ordered = [w for _, w in sorted(positions)]
    inversions = _count_inversions(ordered)
    pairs = n * (n - 1) / 2
    return 1.0 - 2.0 * inversions / pairs


def _count_inversions(values: list[int]) -> int:
    """Number of pairs i < j with values[i] > values[j]."""
    count = 0
    width = 1
    items = list(values)
    n = len(items)
    while width < n:
        merged: list[int] = []
        for lo in range(0, n, 2 * width):
            left = items[lo : lo + width]
            right = items[lo + width : lo + 2 * width]
            a = b = 0
            while a < len(left) and b < len(right):
                if left[a] <= right[b]:
                    merged.append(left[a])
                    a += 1
                else:
                    merged.append(right[b])
                    count += len(left) - a
                    b += 1
            merged.extend(left[a:])
            merged.extend(right[b:])
        items = merged
        width *= 2
    return count
