"""What an exercise asks and how an answer is read and scored: pure rules, no database.

A task is cut from one account of a frozen answer key over the exercise's sentence ranges:
*align and label* asks, for each account sentence in range, which record sentences in range
it tells and how (a label); *predict the order* asks for the account's key sentences in the
record's order; *quote check* asks for each of the key's quotations whether it is verbatim,
altered or not in the record. The key is cut to the same ranges, so a student is scored on
exactly what they were asked.

Form fields use the numbers the page shows (1-based: R3, A5); stored answers and the
scoring use the engine's 0-based indices. Any value a page could not have sent (a sentence
outside the range, an unknown label or verdict) is refused as tampered (400).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..collate.answerkey import FrozenAccount, FrozenDocument
from ..collate.model import Sentence
from ..collate.scoring import Answer, AnswerLink, Key, KeyLink, Scores, score, unlinked
from ..collate.vocabulary import LABELS
from ..errors import Refused

#: The exercise types and how a page names them.
KINDS = {
    "align": "align and label",
    "order": "predict the order",
    "quotes": "quote check",
    "tour": "guided tour (not scored)",
}

#: The figures each type is scored on (names of scoring's explained figures), page order.
FIGURES = {
    "align": (
        "link_precision",
        "link_recall",
        "link_f1",
        "omission_f1",
        "label_kappa",
        "label_accuracy",
    ),
    "order": ("order_tau", "inversions"),
    "quotes": ("quote_accuracy",),
    "tour": (),
}

#: A quotation verdict as the form sends it, and in words.
VERDICTS = {"exact": "verbatim", "altered": "altered", "not_found": "not in the record"}

#: The longest one-line "why" a student may give for a link.
MAX_WHY = 200

Span = tuple[int, int]
Form = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One quotation to judge: its id in the key, the account sentence and the words."""

    id: str
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class Task:
    """What a student sees: sentences in range, the label choices, the items to order or
    the quotations to judge. Nothing of the key's answers is in it."""

    kind: str
    record_title: str
    account_title: str
    record: tuple[Sentence, ...]
    account: tuple[Sentence, ...]
    labels: tuple[str, ...]
    items: tuple[Sentence, ...] = ()
    quotes: tuple[QuoteItem, ...] = ()


def span(first: int | None, last: int | None, count: int) -> Span:
    """An inclusive 0-based range, None ends meaning the document's first / last sentence."""
    low = 0 if first is None else first
    high = count - 1 if last is None else last
    if not 0 <= low <= high < count:
        raise Refused(f"the range {low + 1}–{high + 1} is not within sentences 1–{count}")
    return low, high


def _within(indices: Sequence[int], where: Span) -> tuple[int, ...]:
    return tuple(i for i in indices if where[0] <= i <= where[1])


def order_items(account: FrozenAccount, record: Span, where: Span) -> tuple[int, ...]:
    """The account sentences an order task asks about: those in range that the key links
    to a record sentence in range, in the account's own order."""
    linked = {
        j
        for link in account.links
        if link.scored and _within(link.source, record)
        for j in _within(link.witness, where)
    }
    return tuple(sorted(linked))


def build_task(
    kind: str,
    record_doc: FrozenDocument,
    account: FrozenAccount,
    record: Span,
    where: Span,
    labels: Sequence[str] | None,
) -> Task:
    """The task of an exercise of ``kind`` over the ranges (see the module docstring)."""
    items = order_items(account, record, where) if kind == "order" else ()
    quotes = tuple(
        QuoteItem(q.id, q.sentence, q.text)
        for q in account.quotes
        if where[0] <= q.sentence <= where[1]
    )
    return Task(
        kind,
        record_doc.title,
        account.title,
        record_doc.sentences[record[0] : record[1] + 1],
        account.sentences[where[0] : where[1] + 1],
        tuple(labels) if labels else LABELS,
        tuple(account.sentences[j] for j in items),
        quotes if kind == "quotes" else (),
    )


def scoped_key(kind: str, account: FrozenAccount, record: Span, where: Span) -> Key:
    """The account's key cut to the exercise's ranges and to what its type asks."""
    full = account.key()
    if kind == "order":
        items = order_items(account, record, where)
        return Key(order={j: full.order[j] for j in items if j in full.order})
    if kind == "quotes":
        ids = {q.id for q in account.quotes if where[0] <= q.sentence <= where[1]}
        return Key(quotes={q: v for q, v in full.quotes.items() if q in ids})
    links = []
    for link in full.links:
        source, witness = _within(link.source, record), _within(link.witness, where)
        if source and witness:
            links.append(KeyLink(source, witness, link.label, link.note, link.scored))
    omitted = frozenset(_within(sorted(full.omitted), record))
    return Key(links=tuple(links), omitted=omitted)


def out_of_scope(account: FrozenAccount, record: Span, where: Span) -> frozenset[int]:
    """Record sentences in range the key links only to account sentences out of range: a
    student cannot link them here, so leaving them unlinked is no omission."""
    inside = {i for link in account.links if _within(link.witness, where) for i in link.source}
    linked = {i for link in account.links for i in link.source}
    return frozenset(i for i in linked - inside if record[0] <= i <= record[1])


# --- Reading a form ----------------------------------------------------------------------


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    if len(values) > 1:
        raise Refused(f"the answer was tampered with: {name} was sent {len(values)} times")
    return values[0].strip()


def _number(value: str, allowed: set[int], what: str) -> int:
    if not value.isdigit() or int(value) - 1 not in allowed:
        raise Refused(f"the answer was tampered with: {value!r} is not a {what} of this task")
    return int(value) - 1


def read_form(task: Task, form: Form) -> dict[str, Any]:
    """The answers a submitted form gives, as stored (0-based); Refused for tampering."""
    if task.kind == "order":
        return {"order": _read_order(task, form)}
    if task.kind == "quotes":
        return {"quotes": _read_quotes(task, form)}
    return {"links": _read_links(task, form)}


def _read_links(task: Task, form: Form) -> list[dict[str, Any]]:
    records = {s.index for s in task.record}
    links = []
    for sentence in task.account:
        number = sentence.index + 1
        sources = sorted(
            {_number(v, records, "record sentence") for v in form.get(f"link-{number}", [])}
        )
        label = _one(form, f"label-{number}") or None
        if label is not None and label not in task.labels:
            raise Refused(f"the answer was tampered with: {label!r} is not a label of this task")
        why = _one(form, f"why-{number}")
        if len(why) > MAX_WHY:
            raise Refused(f"the why of A{number} is longer than {MAX_WHY} characters")
        if sources:
            links.append(
                {"source": sources, "witness": [sentence.index], "label": label, "why": why}
            )
    return links


def _read_order(task: Task, form: Form) -> list[int]:
    places = set(range(len(task.items)))
    ranked = []
    for shown, sentence in enumerate(task.items):
        value = _one(form, f"rank-{sentence.index + 1}")
        place = _number(value, places, "place") if value else len(task.items) + shown
        ranked.append((place, shown, sentence.index))
    numbers = [p for p, _, _ in ranked if p < len(task.items)]
    if len(numbers) != len(set(numbers)):
        raise Refused("give each sentence its own number: two sentences have the same place")
    return [j for _, _, j in sorted(ranked)]


def _read_quotes(task: Task, form: Form) -> dict[str, str]:
    verdicts = {}
    for quote in task.quotes:
        value = _one(form, f"quote-{quote.id}")
        if value and value not in VERDICTS:
            raise Refused(f"the answer was tampered with: {value!r} is not a verdict")
        if value:
            verdicts[quote.id] = value
    return verdicts


# --- Scoring -------------------------------------------------------------------------------


def answer_of(task: Task, answers: Mapping[str, Any], skip: frozenset[int]) -> Answer:
    """The stored answers as scoring reads them (``skip``: see :func:`out_of_scope`)."""
    links = tuple(
        AnswerLink(tuple(a["source"]), tuple(a["witness"]), a.get("label"), a.get("why", ""))
        for a in answers.get("links", [])
    )
    omitted = (
        unlinked(links, (s.index for s in task.record)) - skip
        if task.kind == "align"
        else frozenset()
    )
    return Answer(
        links=links,
        omitted=omitted,
        order=tuple(answers.get("order", [])),
        quotes=dict(answers.get("quotes", {})),
    )


def score_answers(
    key: Key,
    task: Task,
    answers: Mapping[str, Any],
    skip: frozenset[int],
    counted: Sequence[str] | None,
) -> Scores:
    """Score stored answers against the exercise's key."""
    return score(key, answer_of(task, answers, skip), counted)


def figures(kind: str, scores: Scores) -> dict[str, float | int | None]:
    """The figures stored with a submission: those the exercise's type is scored on."""
    wanted = FIGURES[kind]
    return {e.name: e.value for e in scores.explained() if e.name in wanted}


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One sentence of an order task's breakdown: its place in the record's order (from
    ``first`` to ``last`` when the key ties it with others), the student's, the notes."""

    sentence: Sentence
    first: int
    last: int
    given: int | None
    notes: tuple[str, ...]

    @property
    def right(self) -> bool:
        """Whether the student put it at a place the key allows."""
        return self.given is not None and self.first <= self.given <= self.last


def order_rows(account: FrozenAccount, key: Key, order: Sequence[int]) -> list[OrderRow]:
    """The breakdown of an order answer, in the record's order (1-based places)."""
    given = {j: k + 1 for k, j in enumerate(order)}
    ranked = sorted(key.order, key=lambda j: (key.order[j], j))
    rows = []
    for j in ranked:
        tied = [k for k, other in enumerate(ranked) if key.order[other] == key.order[j]]
        notes = tuple(link.note for link in account.links if j in link.witness and link.note)
        rows.append(OrderRow(account.sentences[j], tied[0] + 1, tied[-1] + 1, given.get(j), notes))
    return rows
