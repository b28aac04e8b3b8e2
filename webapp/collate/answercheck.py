"""Check a student's answer before it is scored: every number must name a real sentence.

:func:`read_answer` reads an answer as a page's form or a JSON body gives it (page
numbers, 1-based) against what the task asked, so both paths refuse the same things with
the same reasons; :func:`check_answer` checks an engine-side answer against the texts.

>>> from webapp.collate.scoring import AnswerLink
>>> check_answer(Answer(links=(AnswerLink((0,), (5,)),)), n_record=3, n_account=2)
Traceback (most recent call last):
...
webapp.collate.answercheck.AnswerError: link 1: there is no account sentence 6 (the account has 2)

The scores themselves (:mod:`.scoring`) take any answer; an exercise submission must be
refused with a reason instead (a page or JSON answers 400 with the message), so nothing is
stored that names sentences the student never saw. Messages use 1-based numbers, as the
pages show sentences (R1, A1).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .model import QUOTE_STATUSES
from .scoring import Answer, AnswerLink
from .vocabulary import LABELS


class AnswerError(ValueError):
    """An answer that cannot be scored as given; the message says which part and why."""


def _numbers(indices: Iterable[int], side: str, size: int, where: str) -> None:
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            raise AnswerError(f"{where}: {index!r} is not a sentence number")
        if not 0 <= index < size:
            raise AnswerError(
                f"{where}: there is no {side} sentence {index + 1} (the {side} has {size})"
            )


def check_answer(
    answer: Answer,
    n_record: int,
    n_account: int,
    labels: Collection[str] = LABELS,
    quotes: Collection[str] | None = None,
) -> None:
    """Raise :class:`AnswerError` unless every part of ``answer`` fits the texts.

    A link needs a sentence on each side and a label from ``labels`` (or none); omitted
    sentences are record sentences; the order names each account sentence once; a
    quotation verdict is one of the engine's statuses, for a quotation in ``quotes``
    (when given: the ids the exercise asked about).
    """
    for number, link in enumerate(answer.links, 1):
        where = f"link {number}"
        if not link.source or not link.witness:
            raise AnswerError(f"{where}: choose a record and an account sentence")
        _numbers(link.source, "record", n_record, where)
        _numbers(link.witness, "account", n_account, where)
        if link.label is not None and link.label not in labels:
            raise AnswerError(f"{where}: unknown label {link.label!r} (choose {', '.join(labels)})")
    _numbers(answer.omitted, "record", n_record, "omitted")
    _numbers(answer.order, "account", n_account, "order")
    if len(set(answer.order)) != len(answer.order):
        raise AnswerError("order: each account sentence may come only once")
    for quote, verdict in answer.quotes.items():
        if quotes is not None and quote not in quotes:
            raise AnswerError(f"quotation {quote!r} is not one of this exercise's quotations")
        if verdict not in QUOTE_STATUSES:
            raise AnswerError(
                f"quotation {quote!r}: unknown verdict {verdict!r} "
                f"(choose {', '.join(QUOTE_STATUSES)})"
            )


# --- Reading an answer as a page or a program gives it ----------------------------------


@dataclass(frozen=True, slots=True)
class Asked:
    """What a task asks of one account, in the engine's 0-based indices: the record and
    account sentences it shows, the labels it offers, the sentences to order (in the order
    shown) and the quotation ids to judge."""

    record: frozenset[int]
    account: frozenset[int]
    labels: tuple[str, ...] = LABELS
    items: tuple[int, ...] = ()
    quotes: frozenset[str] = frozenset()
    max_why: int = 200


def _whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(f"{where}: {value!r} is not a sentence number")
    return value


def _asked(value: object, allowed: Collection[int], side: str, where: str) -> int:
    """A 1-based sentence number as given, 0-based, if the task shows that sentence."""
    number = _whole(value, where)
    if number - 1 not in allowed:
        raise AnswerError(f"{where}: {side} sentence {number} is not one of this task's")
    return number - 1


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise AnswerError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _link(row: object, asked: Asked, where: str) -> AnswerLink | None:
    """One given link: ``{"record": [3, 4], "account": 5, "label": ..., "why": ...}``."""
    if not isinstance(row, dict) or not set(row) <= {"record", "account", "label", "why"}:
        raise AnswerError(f"{where}: a link is {{record, account, label, why}}")
    account = _asked(row.get("account"), asked.account, "account", where)
    records = _list(row.get("record", []), where)
    source = sorted({_asked(v, asked.record, "record", where) for v in records})
    label, why = row.get("label"), row.get("why", "")
    if label is not None and label not in asked.labels:
        raise AnswerError(f"{where}: unknown label {label!r} (choose {', '.join(asked.labels)})")
    if not isinstance(why, str) or len(why.strip()) > asked.max_why:
        raise AnswerError(f"{where}: the why is a line of at most {asked.max_why} characters")
    if not source:
        return None  # an account sentence that tells no record sentence: nothing to store
    return AnswerLink(tuple(source), (account,), label, why.strip())


def _links(rows: list[Any], asked: Asked) -> tuple[AnswerLink, ...]:
    links: list[AnswerLink] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, 1):
        link = _link(row, asked, f"link {number}")
        account = row["account"] - 1
        if account in seen:
            raise AnswerError(f"link {number}: account sentence {account + 1} is linked twice")
        seen.add(account)
        if link is not None:
            links.append(link)
    return tuple(links)


def _order(rows: list[Any], asked: Asked) -> tuple[int, ...]:
    """The given order (1-based account sentences, first first); sentences left out come
    after, in the order the task shows them."""
    given = [_asked(v, asked.items, "account", f"order place {k}") for k, v in enumerate(rows, 1)]
    if len(set(given)) != len(given):
        raise AnswerError("order: give each sentence its own place: one comes twice")
    return (*given, *(j for j in asked.items if j not in given))


def _quotes(given: object, asked: Asked) -> dict[str, str]:
    if not isinstance(given, dict):
        raise AnswerError("quotes: expected an object of quotation id to verdict")
    for quote, verdict in given.items():
        if quote not in asked.quotes:
            raise AnswerError(f"quotation {quote!r} is not one of this exercise's quotations")
        if verdict not in QUOTE_STATUSES:
            choices = ", ".join(QUOTE_STATUSES)
            raise AnswerError(f"quotation {quote!r}: unknown verdict {verdict!r} ({choices})")
    return dict(given)


def read_answer(kind: str, given: object, asked: Asked) -> Answer:
    """One account's answer as a form or a JSON body gives it (1-based numbers, as pages
    show them) read against what the task asked: :class:`AnswerError` with the reason for
    anything the task could not have asked. ``kind``: ``align``, ``order`` or ``quotes``.

    >>> asked = Asked(record=frozenset({0, 1}), account=frozenset({0}))
    >>> read_answer("align", {"links": [{"record": [2], "account": 1}]}, asked).links
    (AnswerLink(source=(1,), witness=(0,), label=None, why=''),)
    """
    if not isinstance(given, dict):
        raise AnswerError("an account's answer is an object (links, order or quotes)")
    part = {"align": "links", "order": "order", "quotes": "quotes"}[kind]
    if not set(given) <= {part}:
        extra = ", ".join(sorted(set(given) - {part}))
        raise AnswerError(f"a {kind} task takes only {part!r}, not {extra}")
    if kind == "quotes":
        return Answer(quotes=_quotes(given.get(part, {}), asked))
    rows = _list(given.get(part, []), part)
    if kind == "order":
        return Answer(order=_order(rows, asked))
    return Answer(links=_links(rows, asked))
