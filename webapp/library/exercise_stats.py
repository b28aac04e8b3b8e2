"""The class dashboard of an exercise, computed from its submissions: pure, no database.

For each figure the exercise is scored on: how many submissions have it, its mean and
median, overall and (with several accounts) per account. For each account of an align
task also: the key links most often missed, the pairs most often
drawn that the key does not have, a label confusion table (key label x student label over
the key links students linked), and a heat map of every (record sentence, account
sentence) pair: the share of students who linked it, the key's pairs marked.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..collate.scoring import AnswerLink, LinkVerdict, Scores, pairs_of
from .exercise_info import ExerciseInfo, Part, SubmissionInfo
from .exercise_tasks import FIGURES, VERDICTS, OrderRow, order_rows

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Figure:
    """One score over the class: its name, how many have it, mean and median."""

    name: str
    count: int
    mean: float | None
    median: float | None


@dataclass(frozen=True, slots=True)
class Missed:
    """A key link and how many submissions missed it (did not draw all of its pairs)."""

    source: tuple[int, ...]
    witness: tuple[int, ...]
    label: str | None
    note: str
    missed: int


@dataclass(frozen=True, slots=True)
class AccountBoard:
    """What the dashboard shows of one account (see the module docstring)."""

    part: Part
    figures: tuple[Figure, ...]
    missed: tuple[Missed, ...] = ()
    wrong: tuple[tuple[Pair, int], ...] = ()
    confusion: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    confusion_labels: tuple[str, ...] = ()
    heat: dict[Pair, int] | None = None
    key_pairs: frozenset[Pair] = frozenset()
    places: tuple[Placed, ...] = ()
    verdicts: tuple[Judged, ...] = ()


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The overall figures and each account's board."""

    submissions: int
    figures: tuple[Figure, ...]
    accounts: tuple[AccountBoard, ...] = ()


@dataclass(frozen=True, slots=True)
class Placed:
    """An order task's sentence: where the key puts it, how many put it there, the mean
    place students gave it."""

    row: OrderRow
    right: int
    mean: float | None


@dataclass(frozen=True, slots=True)
class Judged:
    """A quotation: the key's verdict and how many students gave each verdict."""

    id: str
    sentence: int
    text: str
    verdict: str
    counts: tuple[tuple[str, int], ...]


def _figure(name: str, values: Sequence[object]) -> Figure:
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    if not numbers:
        return Figure(name, 0, None, None)
    return Figure(name, len(numbers), statistics.fmean(numbers), statistics.median(numbers))


def dashboard(info: ExerciseInfo, found: Sequence[SubmissionInfo], top: int = 5) -> Dashboard:
    """The dashboard of ``info`` over its submissions ``found``."""
    names = (*FIGURES[info.kind], *info.extras.figure_names)
    figures = tuple(_figure(n, [s.figures.get(n) for s in found]) for n in names)
    scored = [info.scores(s.answers) for s in found]
    boards = tuple(
        _board(info.kind, part, [s.answers.get("accounts", {}).get(part.slug, {}) for s in found],
               [sc.accounts[k].scores for sc in scored], top)
        for k, part in enumerate(info.parts)
    )  # fmt: skip
    return Dashboard(len(found), figures, boards)


def _board(
    kind: str, part: Part, given: Sequence[dict[str, Any]], scores: Sequence[Scores], top: int
) -> AccountBoard:
    """One account's board from its answers and scores in every submission."""
    names = FIGURES[kind]
    figures = tuple(
        _figure(n, [e.value for s in scores for e in s.explained() if e.name == n]) for n in names
    )
    if kind == "order":
        return AccountBoard(part, figures, places=_places(part, given))
    if kind == "quotes":
        return AccountBoard(part, figures, verdicts=_verdicts(part, given))
    rows = [s.breakdown for s in scores]
    heat: Counter[Pair] = Counter()
    for answer in given:
        heat.update(pairs_of(_links(answer)))
    labels, confusion = _confusion(rows)
    return AccountBoard(
        part,
        figures,
        _missed(part, rows, top),
        tuple(_wrong(rows).most_common(top)),
        confusion,
        labels,
        dict(heat),
        frozenset(pairs_of(link for link in part.key.links if link.scored)),
    )


def _links(answer: dict[str, Any]) -> list[AnswerLink]:
    """The links one account's stored answer draws."""
    return [
        AnswerLink(tuple(a["source"]), tuple(a["witness"]), a.get("label"))
        for a in answer.get("links", [])
    ]


def _missed(part: Part, rows: list[tuple[LinkVerdict, ...]], top: int) -> tuple[Missed, ...]:
    counts: Counter[int] = Counter()
    for breakdown in rows:
        keyed = [r for r in breakdown if r.status != "extra"]
        for k, row in enumerate(keyed):
            if row.status in ("missed", "partial"):
                counts[k] += 1
    links = part.key.links
    found = [
        Missed(links[k].source, links[k].witness, links[k].label, links[k].note, n)
        for k, n in counts.most_common()
        if n
    ]
    return tuple(found[:top])


def _wrong(rows: list[tuple[LinkVerdict, ...]]) -> Counter[Pair]:
    counts: Counter[Pair] = Counter()
    for breakdown in rows:
        counts.update({p for r in breakdown if r.status == "extra" for p in r.pairs})
    return counts


def _confusion(
    rows: list[tuple[LinkVerdict, ...]],
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[tuple[str, int], ...]], ...]]:
    """Key label -> student label counts over key links students drew, and the columns."""
    cells: Counter[tuple[str, str]] = Counter()
    for breakdown in rows:
        for r in breakdown:
            if r.status != "extra" and r.key_label and r.found:
                cells[(r.key_label, r.answer_label or "(none)")] += 1
    keyed = sorted({k for k, _ in cells})
    given = sorted({a for _, a in cells})
    table = tuple((k, tuple((a, cells[(k, a)]) for a in given)) for k in keyed)
    return tuple(given), table


def _places(part: Part, given: Sequence[dict[str, Any]]) -> tuple[Placed, ...]:
    """Each sentence of the order task in the record's order, with the class's places."""
    answers = [order_rows(part.frozen, part.key, a.get("order", [])) for a in given]
    placed = []
    for k, row in enumerate(order_rows(part.frozen, part.key, ())):
        places = [place for rows in answers if (place := rows[k].given) is not None]
        right = sum(rows[k].right for rows in answers)
        placed.append(Placed(row, right, statistics.fmean(places) if places else None))
    return tuple(placed)


def _verdicts(part: Part, given: Sequence[dict[str, Any]]) -> tuple[Judged, ...]:
    """Each quotation of the task with the key's verdict and the class's."""
    judged = []
    for quote in part.task.quotes:
        counts = Counter(a.get("quotes", {}).get(quote.id, "") for a in given)
        shares = tuple((v, counts[v]) for v in (*VERDICTS, ""))
        judged.append(
            Judged(quote.id, quote.sentence, quote.text, part.key.quotes.get(quote.id, ""), shares)
        )
    return tuple(judged)
