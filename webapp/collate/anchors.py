"""Long word diffs cut at anchors: runs of symbols found once on each side.

diff-match-patch's cost grows with the length of a text times its changes, and past its
budget (:mod:`.bounded`) it gives up and shows a whole stretch as deleted and inserted.
A long diff (a 20,000-word sentence, a merged
page) is therefore first cut at runs of :data:`ANCHOR_TOKENS` symbols that occur once in
each text, on their longest common order (as patience diff does), and diff-match-patch
compares only what lies between them. The symbols are :mod:`.diff`'s, one per token.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from diff_match_patch import diff_match_patch

#: Tokens in a run that must occur once on each side to cut a long diff there.
ANCHOR_TOKENS = 8
#: Bits of a run's hash that pick its bucket, past those that count the runs: as many
#: buckets as runs to twice as many. More buckets crowd fewer runs but cost more than the
#: crowded ones do from 40,000 tokens on (tables of a megabyte and more; a 20,000-word
#: sentence's anchors 3.4 -> 1.8 ms), and the anchors are the same whatever the bits.
BUCKET_BITS = 0
#: The base of the polynomial hash of runs of symbols (odd, 64 bits).
_HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


def anchored(a: str, b: str, engine: diff_match_patch) -> list[tuple[int, str]]:
    """diff-match-patch's diff of two long symbol strings, run between anchors: runs of
    :data:`ANCHOR_TOKENS` symbols found once in each string, on their longest common order.

    Anchors next to each other make one equality, and each equality is merged with its
    neighbours as it comes, so the final clean-up has nothing to splice (its splices in a
    list of thousands of pieces cost the square of their number).
    """
    diffs: list[tuple[int, str]] = []
    same_from = 0
    gaps, (end_a, end_b) = _gaps(*_anchors(a, b))
    for from_a, to_a, from_b, to_b in gaps:
        _add(diffs, [(0, a[same_from:from_a])])
        _add(diffs, _gap(a[from_a:to_a], b[from_b:to_b], engine))
        same_from = to_a
    _add(diffs, [(0, a[same_from:end_a])])
    _add(diffs, engine.diff_main(a[end_a:], b[end_b:], False))
    if not _merged(diffs):
        engine.diff_cleanupMerge(diffs)
    return diffs


def _merged(diffs: list[tuple[int, str]]) -> bool:
    """Whether ``diff_cleanupMerge`` would leave ``diffs`` as they are (then it need not
    run over thousands of pieces): no empty piece and no two equalities side by side;
    between equalities, one edit, or one deletion then one insertion that neither start
    nor end alike; and no lone edit between equalities that ends with the one before it
    or starts with the one after it (it would slide over it)."""
    k, n = 0, len(diffs)
    while k < n:
        op, text = diffs[k]
        if not text or (op == 0 and k and diffs[k - 1][0] == 0):
            return False
        if op == 0:
            k += 1
            continue
        end = k + 1
        while end < n and diffs[end][0] != 0:
            end += 1
        if end - k == 2:
            (first, deleted), (second, inserted) = diffs[k], diffs[k + 1]
            if (first, second) != (-1, 1) or not inserted or deleted[0] == inserted[0]:
                return False
            if deleted[-1] == inserted[-1]:
                return False
        elif end - k > 2:
            return False
        elif (
            0 < k and end < n and (text.endswith(diffs[k - 1][1]) or text.startswith(diffs[end][1]))
        ):
            return False
        k = end
    return True


def _gaps(
    at_a: np.ndarray, at_b: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], tuple[int, int]]:
    """The stretches between anchors (start and end in ``a``, then in ``b``) where they
    differ, and where the last anchor ends. An anchor overlapping the one taken before it
    (the same run, one symbol on) is skipped; when none overlaps (the usual case), the
    gaps are found by numpy: anchors next to each other leave none."""
    k = ANCHOR_TOKENS
    if len(at_a) and np.all(at_b[1:] >= at_b[:-1] + k):  # at_a is k apart or more
        ends_a, ends_b = np.r_[0, at_a[:-1] + k], np.r_[0, at_b[:-1] + k]
        where = np.flatnonzero((at_a > ends_a) | (at_b > ends_b))
        parts = (ends_a[where], at_a[where], ends_b[where], at_b[where])
        found = list(zip(*(part.tolist() for part in parts), strict=True))
        return found, (int(at_a[-1]) + k, int(at_b[-1]) + k)
    gaps: list[tuple[int, int, int, int]] = []
    end_a = end_b = 0
    for start_a, start_b in zip(at_a.tolist(), at_b.tolist(), strict=True):
        if start_a < end_a or start_b < end_b:
            continue  # overlaps the anchor before it
        if start_a > end_a or start_b > end_b:
            gaps.append((end_a, start_a, end_b, start_b))
        end_a, end_b = start_a + k, start_b + k
    return gaps, (end_a, end_b)


def _add(diffs: list[tuple[int, str]], more: list[tuple[int, str]]) -> None:
    """Append diff pieces, an equality joined to an equality before it (empty ones dropped)."""
    for op, text in more:
        if not text:
            continue
        if op == 0 and diffs and diffs[-1][0] == 0:
            diffs[-1] = (0, diffs[-1][1] + text)
        else:
            diffs.append((op, text))


def _gap(a: str, b: str, engine: diff_match_patch) -> list[tuple[int, str]]:
    """The diff of the symbols between two anchors (a side left empty needs no search).

    One symbol changed between a shared start and end (most gaps: a changed word) is
    what ``diff_main`` finds, without its search and clean-up: it trims the common
    prefix and suffix, deletes and inserts a single different symbol, and its merge has
    nothing to move (no equalities touch, the two edits have nothing in common).
    """
    if not a or not b:
        return [(1, b)] if b else ([(-1, a)] if a else [])
    if len(a) == len(b) and a != b:
        head = engine.diff_commonPrefix(a, b)
        if a[head + 1 :] == b[head + 1 :]:  # the rest is the common suffix: one symbol differs
            middle = [(-1, a[head]), (1, b[head])]
            rest = [(0, a[head + 1 :])] if head + 1 < len(a) else []
            return [(0, a[:head])] * bool(head) + middle + rest
    found: list[tuple[int, str]] = engine.diff_main(a, b, False)
    return found


def _anchors(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    """Start positions (in ``a``, in ``b``) of runs found once on each side, taken every
    :data:`ANCHOR_TOKENS` symbols of ``a``, on their longest chain increasing on both
    sides (patience sorting)."""
    starts_a, starts_b = _unique_pairs(_codes(a), _codes(b), ANCHOR_TOKENS)
    if np.all(starts_b[1:] > starts_b[:-1]):
        return starts_a, starts_b  # already in order on both sides: the chain is all of them
    pairs = list(zip(starts_a.tolist(), starts_b.tolist(), strict=True))
    tails: list[int] = []  # the smallest ``b`` position ending a chain of each length
    ends: list[int] = []
    previous = [-1] * len(pairs)
    for n, (_, at_b) in enumerate(pairs):
        place = bisect_left(tails, at_b)
        previous[n] = ends[place - 1] if place else -1
        if place == len(tails):
            tails.append(at_b)
            ends.append(n)
        else:
            tails[place], ends[place] = at_b, n
    chain: list[int] = []
    n = ends[-1] if ends else -1
    while n >= 0:
        chain.append(n)
        n = previous[n]
    taken = np.array(chain[::-1], dtype=np.int64)
    return starts_a[taken], starts_b[taken]


def _unique_pairs(
    codes_a: np.ndarray, codes_b: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The starts (in ``a``, and in ``b``) of each run of ``k`` symbols that starts at a
    multiple of ``k`` in ``a`` and occurs once in each, in order of ``a``.

    The runs are hashed by numpy and counted in a table of buckets (the hash's top bits;
    no sort of every run); only the runs whose bucket holds more than one run of a side
    are counted by sorting those buckets' runs. Runs whose hashes collide count as
    repeated, and each pair found is checked symbol by symbol.
    """
    hashes_a, hashes_b = _run_hashes(codes_a, k), _run_hashes(codes_b, k)
    if not len(hashes_a) or not len(hashes_b):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.arange(0, len(hashes_a), k)
    wanted = hashes_a[starts]
    bits = max(1, max(len(hashes_a), len(hashes_b)).bit_length() + BUCKET_BITS)
    bucket_a = (hashes_a >> np.uint64(64 - bits)).astype(np.int64)
    bucket_b = (hashes_b >> np.uint64(64 - bits)).astype(np.int64)
    count_a = np.bincount(bucket_a, minlength=1 << bits)
    count_b = np.bincount(bucket_b, minlength=1 << bits)
    where_b = np.zeros(1 << bits, dtype=np.int64)  # a bucket's run of b, if it has one
    where_b[bucket_b] = np.arange(len(hashes_b))
    mine = bucket_a[starts]
    at_b = where_b[mine]
    once = (count_a[mine] == 1) & (count_b[mine] == 1) & (hashes_b[at_b] == wanted)
    crowded = np.flatnonzero((count_a[mine] > 1) | (count_b[mine] > 1))
    if len(crowded):
        found, places = _counted_runs(wanted[crowded], mine[crowded], hashes_a, hashes_b, bits)
        once[crowded[found]] = True
        at_b[crowded[found]] = places
    starts_a, starts_b = starts[once], at_b[once]
    same = np.ones(len(starts_a), dtype=bool)  # the runs themselves, not only their hashes
    for j in range(k):
        same &= codes_a[starts_a + j] == codes_b[starts_b + j]
    return starts_a[same], starts_b[same]


def _counted_runs(
    keys: np.ndarray, buckets: np.ndarray, hashes_a: np.ndarray, hashes_b: np.ndarray, bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """Which ``keys`` occur once among ``hashes_a`` and once among ``hashes_b``, and that
    occurrence's place in ``b``: counted by sorting the runs of the keys' buckets only
    (equal hashes share a bucket, so no occurrence is missed)."""
    marked = np.zeros(1 << bits, dtype=bool)
    marked[buckets] = True
    shift = np.uint64(64 - bits)
    sorted_a = np.sort(hashes_a[marked[(hashes_a >> shift).astype(np.int64)]])
    once_a = np.searchsorted(sorted_a, keys, "right") - np.searchsorted(sorted_a, keys) == 1
    in_b = np.flatnonzero(marked[(hashes_b >> shift).astype(np.int64)])
    order = in_b[np.argsort(hashes_b[in_b], kind="stable")]
    sorted_b = hashes_b[order]
    low = np.searchsorted(sorted_b, keys)
    found = once_a & (np.searchsorted(sorted_b, keys, "right") - low == 1)
    return np.flatnonzero(found), order[low[found]]


def _run_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """A polynomial hash (wrapping at 2**64) of the run of ``k`` codes at each position."""
    size = max(len(codes) - k + 1, 0)
    hashes = codes[:size].astype(np.uint64)  # a copy: the first code of each run
    for j in range(1, k):  # in place: no new array a step
        hashes *= _HASH_BASE
        hashes += codes[j : j + size]
    return hashes


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` as 64-bit integers."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
