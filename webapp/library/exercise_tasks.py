"""What an exercise asks and how an answer is read and scored: pure rules, no database.

A task is cut from one account of a frozen answer key over the exercise's sentence ranges:
*align and label* asks, for each account sentence in range, which record sentences in range
it tells and how (a label); *predict the order* asks for the account's key sentences in the
record's order; *quote check* asks for each of the key's quotations whether it is verbatim,
altered or not in the record. The key is cut to the same ranges, so a student is scored on
exactly what they were asked.

An exercise asks this of each of its accounts (one task per account). Answers are given
per account, in the numbers the page shows (1-based: R3, A5), by a form (its fields
prefixed per account, read by :func:`read_forms`) or a JSON body, and both are checked by
one reader (:func:`stored_answers`, with the engine's :mod:`~webapp.collate.answercheck`);
stored answers and the scoring use the engine's 0-based indices. Any value a page could not
have sent (a sentence outside the range, an unknown label or verdict) is refused (400).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..collate.answercheck import AnswerError, Asked, read_answer
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
    #: The account's id in the key (answers are given per account).
    slug: str = ""


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
) -> Task:
    """The task of an exercise of ``kind`` over the ranges (see the module docstring):
    every label of the project is offered, whichever labels count in the scores."""
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
        LABELS,
        tuple(account.sentences[j] for j in items),
        quotes if kind == "quotes" else (),
        account.slug,
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


# --- Reading a form or a JSON body -------------------------------------------------------


def field_prefix(position: int) -> str:
    """The prefix of the form fields of the exercise's ``position``-th account (0-based):
    ``acc1-link-3`` is the first account's A3 (several accounts share one form)."""
    return f"acc{position + 1}-"


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    if len(values) > 1:
        raise Refused(f"the answer was tampered with: {name} was sent {len(values)} times")
    return values[0].strip()


def _raw(value: str) -> int | str:
    """A number as a form sends it: an int if it is one (the reader refuses the rest)."""
    return int(value) if value.isdigit() else value


def read_form(task: Task, form: Form, prefix: str = "") -> dict[str, Any]:
    """One account's answer as its fields give it, in the shape a JSON body gives it
    (1-based numbers): :func:`stored_answers` checks both the same way."""
    if task.kind == "order":
        return {"order": _read_order(task, form, prefix)}
    if task.kind == "quotes":
        found = {q.id: _one(form, f"{prefix}quote-{q.id}") for q in task.quotes}
        return {"quotes": {quote: verdict for quote, verdict in found.items() if verdict}}
    links = []
    for sentence in task.account:
        number = sentence.index + 1
        sources = [_raw(v.strip()) for v in form.get(f"{prefix}link-{number}", [])]
        label = _one(form, f"{prefix}label-{number}") or None
        why = _one(form, f"{prefix}why-{number}")
        if sources:
            links.append({"record": sources, "account": number, "label": label, "why": why})
    return {"links": links}


def read_forms(tasks: Sequence[Task], form: Form) -> dict[str, Any]:
    """Every account's answer as the form gives it: ``{"accounts": {slug: answer}}``."""
    return {
        "accounts": {
            task.slug: read_form(task, form, field_prefix(k)) for k, task in enumerate(tasks)
        }
    }


def _read_order(task: Task, form: Form, prefix: str) -> list[int | str]:
    """The places typed, as the order they give (sentences with no place after, in the
    order shown); the same place twice is refused."""
    places: list[tuple[int, int, int]] = []
    for shown, sentence in enumerate(task.items):
        value = _one(form, f"{prefix}rank-{sentence.index + 1}")
        if value and (not value.isdigit() or not 1 <= int(value) <= len(task.items)):
            raise Refused(f"give each sentence a place from 1 to {len(task.items)}: {value!r}")
        place = int(value) if value else len(task.items) + 1 + shown
        places.append((place, shown, sentence.index + 1))
    numbers = [p for p, _, _ in places if p <= len(task.items)]
    if len(numbers) != len(set(numbers)):
        raise Refused("give each sentence its own number: two sentences have the same place")
    return [number for _, _, number in sorted(places)]


def asked(task: Task) -> Asked:
    """What the task asks, as the answer reader checks it."""
    return Asked(
        record=frozenset(s.index for s in task.record),
        account=frozenset(s.index for s in task.account),
        labels=task.labels,
        items=tuple(s.index for s in task.items),
        quotes=frozenset(q.id for q in task.quotes),
        max_why=MAX_WHY,
    )


def _stored(kind: str, answer: Answer) -> dict[str, Any]:
    """An account's checked answer as the store keeps it (0-based)."""
    if kind == "order":
        return {"order": list(answer.order)}
    if kind == "quotes":
        return {"quotes": dict(answer.quotes)}
    return {
        "links": [
            {"source": list(a.source), "witness": list(a.witness), "label": a.label, "why": a.why}
            for a in answer.links
        ]
    }


def stored_answers(tasks: Sequence[Task], given: Any) -> dict[str, Any]:
    """Answers as a form or a JSON body gives them (``{"accounts": {slug: answer}}``),
    checked against what each account's task asks, as stored; Refused with the reason.
    An account the answer does not name is stored as answered with nothing."""
    if not isinstance(given, dict) or not isinstance(given.get("accounts"), dict):
        raise Refused('the answers are {"accounts": {"<account id>": {...}}}')
    unknown = sorted(set(given["accounts"]) - {t.slug for t in tasks})
    if unknown:
        raise Refused(f"this exercise asks about no account {unknown[0]!r}")
    out: dict[str, Any] = {}
    for task in tasks:
        part = given["accounts"].get(task.slug, {})
        try:
            out[task.slug] = _stored(task.kind, read_answer(task.kind, part, asked(task)))
        except AnswerError as error:
            raise Refused(f"{task.account_title}: {error}") from None
    return {"accounts": out}


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
