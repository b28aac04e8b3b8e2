"""Checks and helpers every export format shares: what a well-formed curated dossier is.

Exporters check a dossier before writing it (so that a broken one fails loudly instead of
producing a file that cannot be read back) and importers check what they rebuilt. Messages
name the place in model terms, e.g. ``links[3].label: 'fiction' is not a label``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ..collate import LINK_KINDS, QUOTE_STATUSES, Sentence
from .model import (
    LABELS,
    LINK_STATUSES,
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportQuote,
    RejectedLink,
)

#: What an :class:`~.model.ExportMark` may say of its sentence.
MARK_STATUSES = ("omitted", "added", "linked")
#: Operations of a word-level diff (see :class:`webapp.collate.DiffOp`).
DIFF_OPS = ("equal", "delete", "insert")
#: At most this many problems are listed in one error message.
MAX_PROBLEMS = 10


def label_problem(value: object) -> str | None:
    """Why ``value`` cannot be a link's label (``None`` when it can)."""
    if value is None or (isinstance(value, str) and value in LABELS):
        return None
    return f"{value!r} is not a label (one of {', '.join(LABELS)})"


def status_problem(value: object) -> str | None:
    """Why ``value`` cannot be a link's status."""
    if isinstance(value, str) and value in LINK_STATUSES:
        return None
    return f"{value!r} is not a link status (one of {', '.join(LINK_STATUSES)})"


def kind_problem(value: object) -> str | None:
    """Why ``value`` cannot be a link's machine kind."""
    if isinstance(value, str) and value in LINK_KINDS:
        return None
    return f"{value!r} is not a link kind (one of {', '.join(LINK_KINDS)})"


def mark_status_problem(value: object) -> str | None:
    """Why ``value`` cannot be a mark's status."""
    if isinstance(value, str) and value in MARK_STATUSES:
        return None
    return f"{value!r} is not a mark status (one of {', '.join(MARK_STATUSES)})"


def score_problem(value: object) -> str | None:
    """Why ``value`` cannot be a score: a finite number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not a number"
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        return f"{value!r} is not in [0, 1]"
    return None


def indices_problem(indices: Sequence[object], count: int, side: str) -> str | None:
    """Why ``indices`` cannot be one side of a link into a document of ``count`` sentences."""
    if not indices:
        return "a link needs at least one sentence on each side"
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            return f"{index!r} is not a sentence index"
        if not 0 <= index < count:
            return f"sentence index {index} is out of range ({side} has {count} sentences)"
    if len(set(indices)) != len(indices):
        return f"a sentence index is repeated in {list(indices)}"
    return None


def sentences_problem(text: str, sentences: Sequence[Sentence]) -> str | None:
    """Why ``sentences`` do not segment ``text``: dense indices, ascending, within the text.

    Sentences may leave gaps (whitespace between them) but may not overlap, so every
    format can wrap each one in place.
    """
    previous_end = 0
    for position, sentence in enumerate(sentences):
        where = f"sentences[{position}]"
        if sentence.index != position:
            return f"{where}.index: {sentence.index} should be {position} (0-based, dense)"
        if not previous_end <= sentence.start <= sentence.end <= len(text):
            return (
                f"{where}: offsets {sentence.start}..{sentence.end} overlap the previous "
                f"sentence or leave the text ({len(text)} characters)"
            )
        if text[sentence.start : sentence.end] != sentence.text:
            return f"{where}.text: does not match the document text at {sentence.start}"
        previous_end = sentence.end
    return None


def offsets_problem(offsets: Iterable[object], length: int) -> str | None:
    """Why ``offsets`` (a document's splits or joins) are not offsets into its text."""
    for offset in offsets:
        if isinstance(offset, bool) or not isinstance(offset, int):
            return f"{offset!r} is not an offset"
        if not 0 <= offset <= length:
            return f"offset {offset} is outside the text ({length} characters)"
    return None


def dossier_problems(d: CuratedDossier) -> list[str]:
    """Every problem that would stop ``d`` from being exported and read back faithfully."""
    problems: list[str] = []
    documents = {d.record.id: d.record}
    problems += _document_problems("record", d.record)
    for n, account in enumerate(d.accounts):
        if account.id in documents:
            problems.append(f"accounts[{n}].id: {account.id!r} is used by another document")
        documents[account.id] = account
        problems += _document_problems(f"accounts[{n}]", account)
    accounts = {a.id: a for a in d.accounts}
    seen: set[str] = set()
    for n, link in enumerate(d.links):
        problems += _link_problems(f"links[{n}]", link, d.record, accounts, seen)
        for field, problem in (
            ("score", score_problem(link.score)),
            ("kind", kind_problem(link.kind)),
            ("status", status_problem(link.status)),
            ("label", label_problem(link.label)),
        ):
            if problem:
                problems.append(f"links[{n}].{field}: {problem}")
        if not isinstance(link.moved, bool):
            problems.append(f"links[{n}].moved: {link.moved!r} is not true or false")
        if not isinstance(link.possible_move, bool) or (link.moved and link.possible_move):
            problems.append(
                f"links[{n}].possible_move: {link.possible_move!r} (true or false, and "
                "never true for a moved link)"
            )
        for k, op in enumerate(link.diff):
            if op.op not in DIFF_OPS:
                problems.append(f"links[{n}].diff[{k}]: {op.op!r} is not a diff operation")
        problems += tellings_problems(f"links[{n}]", link)
    seen = set()
    for n, rejected in enumerate(d.rejected):
        problems += _link_problems(f"rejected[{n}]", rejected, d.record, accounts, seen)
    seen = set()
    for n, mark in enumerate(d.marks):
        where = f"marks[{n}]"
        if mark.id in seen:
            problems.append(f"{where}.id: {mark.id!r} is used twice")
        seen.add(mark.id)
        document = documents.get(mark.document)
        if document is None:
            problems.append(f"{where}.document: {mark.document!r} is not a document")
        elif not 0 <= mark.index < len(document.sentences):
            problems.append(f"{where}.index: {mark.index} is out of range")
        if mark.account not in accounts:
            problems.append(f"{where}.account: {mark.account!r} is not an account")
        if problem := mark_status_problem(mark.status):
            problems.append(f"{where}.status: {problem}")
        if mark.significant not in (None, True, False):
            problems.append(f"{where}.significant: {mark.significant!r} is not true, false or null")
    for n, entry in enumerate(d.history):
        if isinstance(entry.id, bool) or not isinstance(entry.id, int):
            problems.append(f"history[{n}].id: {entry.id!r} is not an integer")
    for n, quote in enumerate(d.quotes):
        if problem := quote_problem(quote, accounts, len(d.record.sentences)):
            problems.append(f"quotes[{n}]: {problem}")
    return problems


def tellings_problems(where: str, link: ExportLink) -> list[str]:
    """Problems of a link's tellings: none, or two or more runs that split its account
    side in order, each with a score, a kind and order flags as a link has."""
    if not link.tellings:
        return []
    problems = []
    if len(link.tellings) < 2:
        problems.append(f"{where}.tellings: a passage told once has no tellings")
    joined = tuple(j for t in link.tellings for j in t.witness)
    if joined != link.witness or not all(t.witness for t in link.tellings):
        problems.append(f"{where}.tellings: their sentences should be the link's witness, in order")
    for k, t in enumerate(link.tellings):
        for field, problem in (("score", score_problem(t.score)), ("kind", kind_problem(t.kind))):
            if problem:
                problems.append(f"{where}.tellings[{k}].{field}: {problem}")
        if not isinstance(t.moved, bool) or not isinstance(t.possible_move, bool):
            problems.append(f"{where}.tellings[{k}]: moved and possible_move are true or false")
        elif t.moved and t.possible_move:
            problems.append(f"{where}.tellings[{k}].possible_move: never true for a moved telling")
        if any(op.op not in DIFF_OPS for op in t.diff):
            problems.append(f"{where}.tellings[{k}].diff: an operation is not a diff operation")
    return problems


def check_dossier(d: CuratedDossier) -> None:
    """Raise ``ValueError`` listing what is wrong with ``d`` (nothing happens when it is fine)."""
    problems = dossier_problems(d)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        listed = "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise ValueError(f"dossier {d.id!r}: {listed}")


def linked(d: CuratedDossier, account: str) -> tuple[set[int], set[int]]:
    """The record and account sentence indices that the links of ``account`` cover."""
    record: set[int] = set()
    witness: set[int] = set()
    for link in d.links:
        if link.account == account:
            record.update(link.source)
            witness.update(link.witness)
    return record, witness


def sentence_numbers(indices: Iterable[int]) -> str:
    """1-based sentence numbers as a person reads them: ``(2, 3)`` -> ``"3 4"``."""
    return " ".join(str(i + 1) for i in indices)


def _document_problems(where: str, document: ExportDocument) -> list[str]:
    problems = []
    if isinstance(document.version, bool) or not isinstance(document.version, int):
        problems.append(f"{where}.version: {document.version!r} is not an integer")
    if problem := sentences_problem(document.text, document.sentences):
        problems.append(f"{where}.{problem}")
    for name, offsets in (("splits", document.splits), ("joins", document.joins)):
        if problem := offsets_problem(offsets, len(document.text)):
            problems.append(f"{where}.{name}: {problem}")
    return problems


def _link_problems(
    where: str,
    link: ExportLink | RejectedLink,
    record: ExportDocument,
    accounts: dict[str, ExportDocument],
    seen: set[str],
) -> list[str]:
    """Problems of the fields links and rejected links share: id, account, both sides."""
    problems = []
    if link.id in seen:
        problems.append(f"{where}.id: {link.id!r} is used twice")
    seen.add(link.id)
    account = accounts.get(link.account)
    if account is None:
        problems.append(f"{where}.account: {link.account!r} is not an account")
    if problem := indices_problem(link.source, len(record.sentences), "the record"):
        problems.append(f"{where}.source: {problem}")
    if account is not None and (
        problem := indices_problem(link.witness, len(account.sentences), account.id)
    ):
        problems.append(f"{where}.witness: {problem}")
    return problems


def quote_problem(
    quote: ExportQuote, documents: dict[str, ExportDocument], n_record: int
) -> str | None:
    """Why ``quote`` is not a quotation check of one of the accounts (``None`` when it is)."""
    account = documents.get(quote.account)
    if account is None:
        return f"{quote.account!r} is not an account of the dossier"
    q = quote.quote
    if q.status not in QUOTE_STATUSES:
        return f"status {q.status!r} is not one of {', '.join(QUOTE_STATUSES)}"
    if not 0 <= q.witness < len(account.sentences):
        return f"witness {q.witness} is not a sentence of {account.id!r}"
    if q.source is not None and not 0 <= q.source < n_record:
        return f"source {q.source} is not a record sentence"
    if (q.source is None) != (q.status == "not_found"):
        return "a quotation has a source sentence exactly when it is found (exact or altered)"
    if not 0 <= q.start <= q.end <= len(account.text) or account.text[q.start : q.end] != q.text:
        return f"offsets {q.start}..{q.end} do not hold its text in {account.id!r}"
    if score_problem(q.similarity):
        return f"similarity: {score_problem(q.similarity)}"
    return None
