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
  the gold sets (a moved set that was not found counts as missed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .baselines import lis_moved
from .metrics import Predicted, f1
from .real_bible import GoldSet

__all__ = ["ReworkScores", "gold_moved", "rework_scores"]


@dataclass(frozen=True)
class ReworkScores:
    """The three figures of a reworking row, with the counts behind them."""

    sets_found: float
    link_precision: float
    moved_f1: float
    n_sets: int
    n_judged_links: int
    n_gold_moved: int
    n_predicted_moved: int
    #: Indices of the sets not found, moved but not called so, called moved but kept.
    unfound: tuple[int, ...] = ()
    missed_moves: tuple[int, ...] = ()
    false_moves: tuple[int, ...] = ()


def gold_moved(sets: Sequence[GoldSet]) -> frozenset[int]:
    """Indices of the sets off the longest order-preserving chain of sets."""
    rank = sorted(range(len(sets)), key=lambda k: (min(sets[k].account), min(sets[k].record)))
    position = {k: r for r, k in enumerate(rank)}
    chain_links = [(min(sets[k].record), position[k]) for k in range(len(sets))]
    off = lis_moved(chain_links)
    return frozenset(k for k in range(len(sets)) if position[k] in off)


def _in_set(links: frozenset[tuple[int, int]], gold: GoldSet) -> list[tuple[int, int]]:
    """The predicted links that fall inside one gold set."""
    return [(i, j) for i, j in links if i in gold.record and j in gold.account]


def rework_scores(pred: Predicted, sets: Sequence[GoldSet]) -> ReworkScores:
    """Score a predicted alignment against gold parallel sets (see the module's text)."""
    inside = [_in_set(pred.links, s) for s in sets]
    found = [bool(links) for links in inside]
    moved_pred = frozenset(
        k
        for k, links in enumerate(inside)
        if links and 2 * sum(j in pred.moved for _, j in links) >= len(links)
    )
    moved_gold = gold_moved(sets)
    pairs_ok = {(i, j) for links in inside for i, j in links}
    record_in = {i for s in sets for i in s.record}
    account_in = {j for s in sets for j in s.account}
    judged = [(i, j) for i, j in pred.links if i in record_in and j in account_in]
    precision = sum(p in pairs_ok for p in judged) / len(judged) if judged else 1.0
    return ReworkScores(
        sets_found=sum(found) / len(sets) if sets else 1.0,
        link_precision=precision,
        moved_f1=f1(moved_pred, moved_gold)[2],
        n_sets=len(sets),
        n_judged_links=len(judged),
        n_gold_moved=len(moved_gold),
        n_predicted_moved=len(moved_pred),
        unfound=tuple(k for k, hit in enumerate(found) if not hit),
        missed_moves=tuple(sorted(moved_gold - moved_pred)),
        false_moves=tuple(sorted(moved_pred - moved_gold)),
    )
