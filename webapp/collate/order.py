"""Order analysis: which links keep the record's order, which are moved, and by how much.

>>> moved_links([(0, 0), (1, 2), (2, 1), (3, 3)], weights=[1, 1, 1, 1])
[False, False, True, False]

The longest order-preserving chain of links (heaviest, when weights differ) stays in
place; every link outside it is *moved*. Ties are broken towards the chain with the
higher total weight, then towards the earlier witness positions, so results are stable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter

import numpy as np

from .ranking import by_keys

#: A link's walk through the Fenwick tree: fetch its query nodes' values (with two
#: zeros after them), the query nodes in walk order, and the update nodes.
_Plan = tuple[Callable[[list[float]], tuple[float, ...]], tuple[int, ...], tuple[int, ...]]


def moved_links(positions: Sequence[tuple[int, int]], weights: Sequence[float]) -> list[bool]:
    """Flag the links that are not on the heaviest order-preserving chain.

    ``positions`` holds one (source position, witness position) per link; positions on
    each side are distinct. Runs in O(n log n) with a Fenwick tree over witness ranks,
    walked inline (ties resolve as in :func:`_chain`, which walks the same tree with
    precomputed paths, the faster way when many links share a witness).
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
        while i < size and value > tree_best[i]:  # a node is never below its children
            tree_best[i], tree_link[i] = value, k
            i += i & -i
    end = max(range(n), key=lambda k: (best_at[k], -positions[k][1]))
    on_chain = [False] * n
    while end >= 0:
        on_chain[end] = True
        end = previous[end]
    return [not flag for flag in on_chain]


def heaviest_chain(src: np.ndarray, wit: np.ndarray, weight: np.ndarray) -> list[tuple[int, int]]:
    """The chain of pairs, increasing strictly on both sides, with the highest total weight.

    Pairs may share a source or a witness position (the candidates of a whole gap, a
    hundred thousand in repeated text). Within one source the later witness comes
    first, so no two pairs of one source can chain; the result is that of
    :func:`moved_links` on the pairs in that order, with the sorting and ranking done
    in numpy.
    """
    n = len(src)
    if n == 0:
        return []
    order = by_keys(-wit, src)
    src, wit = src[order], wit[order]
    # The rank of a witness position is its last place among the sorted positions.
    rank = np.searchsorted(np.sort(wit), wit, side="right") - 1
    previous, best_at = _chain(range(n), rank.tolist(), weight[order].tolist())
    # The end: the highest total, then the earliest witness, then the first pair.
    end = int(np.lexsort((np.arange(n), wit, -np.asarray(best_at)))[0])
    chain = []
    while end >= 0:
        chain.append(end)
        end = previous[end]
    chain.reverse()
    return list(zip(src[chain].tolist(), wit[chain].tolist(), strict=True))


def _chain(
    order: Sequence[int] | range, rank: Sequence[int], weights: Sequence[float]
) -> tuple[list[int], list[float]]:
    """Each link's predecessor on its heaviest chain (-1: none) and that chain's total.

    Links are taken in ``order``; a link chains after the links already taken with a
    lower witness ``rank``. The tree over ranks 1..n (two flat lists, best total and its
    link) keeps the first link to reach a node's best total, and a query takes the first
    best node in walk order, so ties resolve the same on every run. A node's total is
    never below its children's, so an update stops at the first node it does not beat.
    """
    n = len(rank)
    size = n + 1
    tree_best = [0.0] * size
    tree_link = [-1] * size
    previous = [-1] * n
    best_at = [0.0] * n
    plans: dict[int, _Plan] = {}
    for k in order:
        r = rank[k]
        plan = plans.get(r)
        if plan is None:
            plan = plans[r] = _plan(r, size)
        fetch, query, update = plan
        values = fetch(tree_best)
        best = max(values)  # at least 0.0: the two zeros after the query nodes
        if best > 0.0:
            previous[k] = tree_link[query[values.index(best)]]
        value = best + weights[k]
        best_at[k] = value
        for i in update:
            if not value > tree_best[i]:
                break
            tree_best[i] = value
            tree_link[i] = k
    return previous, best_at


def _plan(rank: int, size: int) -> _Plan:
    """The Fenwick walk of a link of witness ``rank``: its query nodes (the first
    ``rank`` ranks) and its update nodes (from rank + 1 up)."""
    query = []
    i = rank
    while i > 0:
        query.append(i)
        i -= i & -i
    update = []
    i = rank + 1
    while i < size:
        update.append(i)
        i += i & -i
    # Index 0 of the tree is never updated: its 0.0 pads the fetch to a tuple.
    return itemgetter(*query, 0, 0), tuple(query), tuple(update)


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
