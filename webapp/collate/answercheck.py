"""Check a student's answer before it is scored: every number must name a real sentence.

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

from .model import QUOTE_STATUSES
from .scoring import Answer
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
