"""Figures of a real reworking row: an alignment scored against a table of parallel passages.

A *gold set* (:class:`~benchmarks.real_bible.GoldSet`) is one parallel passage: some record
verses R and some account verses A that tell the same thing. The table is coarse (a set
pairs two ranges, not verse to verse), so the figures are about sets:

* **sets found**: the share of gold sets with at least one predicted link (i, j) with i in
  R and j in A;
* **link precision**: among the predicted links (i, j) whose record verse i *and* account
  verse j both lie in some gold set (the links the table can judge), the share that fall
  inside one set (i in R and j in A of the same set). Links touching a verse outside
  every set are not judged: the table does not list every parallel (genealogies, lists);
* **moved-set F1**: each set is placed at (first record verse, first account verse). Sets
  are ranked by first account verse (ties by first record verse); the *gold moved sets*
  are those off the longest chain of sets increasing in that rank and non-decreasing in
  first record verse (:func:`benchmarks.baselines.lis_moved`, so an ambiguous chain is
  settled as for the baseline's links). A set is *predicted moved* when it was found and
  at least half of its in-set links are flagged moved. F1 of predicted against gold over
  the gold sets (a moved set that was not found counts as missed). This *strict* figure is
  the one the issue's targets are checked on;
* **moved-set F1 (ties)**: when several chains are equally long (two blocks told as B A:
  either may be called moved, both explain the texts with as many moves), the strict
  figure's tie-break may pick the other block than the engine's minimum-edit answer. The
  tie-aware figure takes, among all *longest* chains, the one that agrees best with the
  prediction (:func:`gold_moved_tied`). A chain shorter than the longest is never used,
  so a set that every longest chain keeps is still a false move when called moved;
* **moved-set F1 (first telling)**: a set whose account verses form two tellings or more
  (runs more than :data:`TELLING_GAP` verses apart: a doublet, Mark 8:35 = Luke 9:24,
  Luke 17:33) is predicted moved when its *first* telling, the one at the set's placement,
  is: at least half of the links inside that telling are moved. The gold places such a
  set by that telling, while the strict figure reads both, so a linked second telling far
  out of place calls a set moved that the gold keeps in place, and an in-place telling
  keeps a set the gold calls moved. A set whose first telling has no link, and every set
  told once, score as in the strict figure (what is linked is all the prediction says).
  Reported beside it; the targets stay on the strict figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .baselines import lis_moved
from .metrics import Predicted, f1
from .real_bible import GoldSet

__all__ = [
    "TELLING_GAP",
    "ReworkScores",
    "first_telling",
    "gold_moved",
    "gold_moved_tied",
    "rework_scores",
]

#: Account verses of one gold set more than this many verses apart are two tellings (a
#: table range skipping a verse or two is one telling; a doublet lies chapters away).
TELLING_GAP = 3


@dataclass(frozen=True)
class ReworkScores:
    """The three figures of a reworking row, with the counts behind them."""

    sets_found: float
    link_precision: float
    moved_f1: float
    moved_f1_ties: float
    n_sets: int
    n_judged_links: int
    n_gold_moved: int
    n_predicted_moved: int
    #: Indices of the sets not found, moved but not called so, called moved but kept.
    unfound: tuple[int, ...] = ()
    missed_moves: tuple[int, ...] = ()
    false_moves: tuple[int, ...] = ()
    #: The same two against the tie-aware gold (:func:`gold_moved_tied`).
    missed_moves_ties: tuple[int, ...] = ()
    false_moves_ties: tuple[int, ...] = ()
    #: Moved-set F1 with a set told twice judged by its first telling (:func:`first_telling`).
    moved_f1_first: float = 0.0


def _ranked(sets: Sequence[GoldSet]) -> list[int]:
    """Set indices in chain order: by first account verse, ties by first record verse."""
    return sorted(range(len(sets)), key=lambda k: (min(sets[k].account), min(sets[k].record)))


def gold_moved(sets: Sequence[GoldSet]) -> frozenset[int]:
    """Indices of the sets off the longest order-preserving chain of sets."""
    position = {k: r for r, k in enumerate(_ranked(sets))}
    chain_links = [(min(sets[k].record), position[k]) for k in range(len(sets))]
    off = lis_moved(chain_links)
    return frozenset(k for k in range(len(sets)) if position[k] in off)


def gold_moved_tied(sets: Sequence[GoldSet], predicted: frozenset[int]) -> frozenset[int]:
    """The sets off the longest chain that keeps the fewest ``predicted`` moved sets.

    A chain runs in :func:`_ranked` order with non-decreasing first record verse, as for
    :func:`gold_moved`. Each set scores (1, 1 if not predicted moved): the best chain ending
    at a set is maximal in (length, agreement), compared in that order, so only longest
    chains compete (O(n^2) over sets). With the number of gold moved sets fixed, keeping
    the fewest predicted sets on the chain maximises true positives, hence F1.
    """
    order = _ranked(sets)
    start = [min(sets[k].record) for k in order]
    gain = [0 if k in predicted else 1 for k in order]
    best: list[tuple[int, int]] = []
    back: list[int] = []
    for p in range(len(order)):
        prev = max((q for q in range(p) if start[q] <= start[p]), key=lambda q: best[q], default=-1)
        length, agree = best[prev] if prev >= 0 else (0, 0)
        best.append((length + 1, agree + gain[p]))
        back.append(prev)
    p = max(range(len(order)), key=lambda q: best[q], default=-1)
    on_chain: set[int] = set()
    while p >= 0:
        on_chain.add(order[p])
        p = back[p]
    return frozenset(range(len(sets))) - on_chain


def first_telling(account: frozenset[int], gap: int = TELLING_GAP) -> frozenset[int]:
    """The first run of a set's account verses, neighbours at most ``gap`` apart.

    >>> sorted(first_telling(frozenset({3, 4, 40, 41})))
    [3, 4]
    >>> sorted(first_telling(frozenset({3, 5, 6})))
    [3, 5, 6]
    """
    ordered = sorted(account)
    end = 1
    while end < len(ordered) and ordered[end] - ordered[end - 1] <= gap:
        end += 1
    return frozenset(ordered[:end])


def _moved_by(inside: Sequence[list[tuple[int, int]]], moved: frozenset[int]) -> frozenset[int]:
    """The sets at least half of whose ``inside`` links have a moved account verse."""
    return frozenset(
        k
        for k, links in enumerate(inside)
        if links and 2 * sum(j in moved for _, j in links) >= len(links)
    )


def _in_set(links: frozenset[tuple[int, int]], gold: GoldSet) -> list[tuple[int, int]]:
    """The predicted links that fall inside one gold set."""
    return [(i, j) for i, j in links if i in gold.record and j in gold.account]


def rework_scores(pred: Predicted, sets: Sequence[GoldSet]) -> ReworkScores:
    """Score a predicted alignment against gold parallel sets (see the module's text)."""
    inside = [_in_set(pred.links, s) for s in sets]
    found = [bool(links) for links in inside]
    moved_pred = _moved_by(inside, pred.moved)
    heads = [first_telling(s.account) for s in sets]
    told_first = [[p for p in ln if p[1] in h] or ln for ln, h in zip(inside, heads, strict=True)]
    first = _moved_by(told_first, pred.moved)
    moved_gold = gold_moved(sets)
    moved_tied = gold_moved_tied(sets, moved_pred)
    pairs_ok = {(i, j) for links in inside for i, j in links}
    record_in = {i for s in sets for i in s.record}
    account_in = {j for s in sets for j in s.account}
    judged = [(i, j) for i, j in pred.links if i in record_in and j in account_in]
    precision = sum(p in pairs_ok for p in judged) / len(judged) if judged else 1.0
    return ReworkScores(
        sets_found=sum(found) / len(sets) if sets else 1.0,
        link_precision=precision,
        moved_f1=f1(moved_pred, moved_gold)[2],
        moved_f1_ties=f1(moved_pred, moved_tied)[2],
        moved_f1_first=f1(first, moved_gold)[2],
        n_sets=len(sets),
        n_judged_links=len(judged),
        n_gold_moved=len(moved_gold),
        n_predicted_moved=len(moved_pred),
        unfound=tuple(k for k, hit in enumerate(found) if not hit),
        missed_moves=tuple(sorted(moved_gold - moved_pred)),
        false_moves=tuple(sorted(moved_pred - moved_gold)),
        missed_moves_ties=tuple(sorted(moved_tied - moved_pred)),
        false_moves_ties=tuple(sorted(moved_pred - moved_tied)),
    )
