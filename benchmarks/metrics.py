"""Scores for an alignment against the truth of a :class:`~benchmarks.synthetic.SyntheticPair`.

The engine's result types are described here as protocols, so this module does not
import the engine and works with anything shaped like ``comparison.witnesses[0]``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .synthetic import SyntheticPair

__all__ = [
    "LinkLike",
    "Predicted",
    "Scores",
    "WitnessLike",
    "f1",
    "predicted",
    "score",
]

T = TypeVar("T", bound=Hashable)


def f1(predicted: Set[T], truth: Set[T]) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``predicted`` against ``truth``.

    Precision is 1.0 when nothing is predicted, recall is 1.0 when there is nothing to
    find, so two empty sets score (1.0, 1.0, 1.0).
    """
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    if not predicted and not truth:
        return 1.0, 1.0, 1.0
    if precision + recall == 0:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


class LinkLike(Protocol):
    """What is read from an engine link."""

    @property
    def source(self) -> tuple[int, ...]: ...

    @property
    def witness(self) -> tuple[int, ...]: ...

    @property
    def moved(self) -> bool: ...

    @property
    def tellings(self) -> Sequence[TellingLike]: ...


class TellingLike(Protocol):
    """What is read from one telling of an engine link."""

    @property
    def witness(self) -> tuple[int, ...]: ...

    @property
    def moved(self) -> bool: ...


class WitnessLike(Protocol):
    """What is read from an engine witness result (``comparison.witnesses[i]``)."""

    @property
    def links(self) -> Sequence[LinkLike]: ...

    @property
    def omitted(self) -> Sequence[int]: ...

    @property
    def added(self) -> Sequence[int]: ...


@dataclass(frozen=True)
class Predicted:
    """An alignment as sets, comparable with the truth of a synthetic pair."""

    links: frozenset[tuple[int, int]]  # (record index, witness index)
    omitted: frozenset[int]  # record indices
    added: frozenset[int]  # witness indices
    moved: frozenset[int]  # witness indices of moved tellings (or moved links without)


def predicted(result: WitnessLike) -> Predicted:
    """Turn one witness result into sets: every (s, w) in source x witness of each link."""
    pairs = {(s, w) for link in result.links for s in link.source for w in link.witness}
    moved = {w for link in result.links for w in moved_witnesses(link)}
    return Predicted(
        links=frozenset(pairs),
        omitted=frozenset(result.omitted),
        added=frozenset(result.added),
        moved=frozenset(moved),
    )


def moved_witnesses(link: LinkLike) -> tuple[int, ...]:
    """The account sentences a link tells out of order: those of its moved tellings, or
    all of them for a moved link without tellings."""
    if link.tellings:
        return tuple(w for t in link.tellings if t.moved for w in t.witness)
    return link.witness if link.moved else ()


@dataclass(frozen=True)
class Scores:
    """Precision/recall/F1 of links, and F1 of omissions, additions and moves."""

    link_precision: float
    link_recall: float
    link_f1: float
    omitted_f1: float
    added_f1: float
    moved_f1: float


def score(pred: Predicted, pair: SyntheticPair) -> Scores:
    """Score a predicted alignment against the truth of ``pair``."""
    precision, recall, link_f1 = f1(pred.links, pair.links)
    return Scores(
        link_precision=precision,
        link_recall=recall,
        link_f1=link_f1,
        omitted_f1=f1(pred.omitted, pair.omitted)[2],
        added_f1=f1(pred.added, pair.added)[2],
        moved_f1=f1(pred.moved, pair.moved)[2],
    )
