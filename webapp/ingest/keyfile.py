"""Answer keys bundled beside a dossier's texts (``key.json``): read, check, and score with.

A key file is written by a teacher (here: the memcon project) by reading the texts. Its
format (documented in docs/exercises.md) gives, per account, the links (record and
account sentence numbers, 1-based as the pages show them, a label and a note, optionally
``"scored": false``), the record sentences the account leaves out, the account's linked
sentences in the record's order (ties as lists) and the quotations' verdicts. The
segmentation the key was written against is recorded as sentence counts, so a change of
segmenter that would shift the numbers is caught by :func:`check_key` instead of silently
scoring against the wrong sentences.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..collate import Document
from ..collate.answerkey import FrozenAccount, FrozenDocument, FrozenKey, FrozenLink, FrozenQuote
from ..collate.model import QUOTE_STATUSES
from ..collate.scoring import Key, KeyLink, key_order
from ..collate.vocabulary import LABELS
from ..errors import Refused

KEY_FILE = "key.json"
FORMAT = 1


class KeyFileError(Refused):
    """A key file is unusable or does not fit its texts; the message says where and why."""


@dataclass(frozen=True, slots=True)
class QuoteVerdict:
    """The key's verdict on one quotation: the account sentence (0-based) and the quoted
    words as the quotation finder reads them (without the marks)."""

    sentence: int
    text: str
    verdict: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class AccountKey:
    """The key of one account (0-based indices throughout)."""

    file: str
    links: tuple[KeyLink, ...]
    omitted: frozenset[int]
    order: tuple[tuple[int, ...], ...]
    quotes: tuple[QuoteVerdict, ...]

    def ranks(self) -> dict[int, float]:
        """Each ordered account sentence's rank (its group's place; a group ties)."""
        return {j: float(rank) for rank, group in enumerate(self.order) for j in group}

    def key(self, account: Document) -> Key:
        """The scoring key of this account, its quotations named by their offsets."""
        return Key(
            links=self.links,
            omitted=self.omitted,
            order=self.ranks(),
            quotes={quote_id(account, q): q.verdict for q in self.quotes},
        )


@dataclass(frozen=True, slots=True)
class KeyFile:
    """A dossier's bundled key: what it is, the teacher's note, one key per account."""

    about: str
    teacher_note: str
    record: str
    sentences: Mapping[str, int]
    accounts: tuple[AccountKey, ...]

    def account(self, file: str) -> AccountKey | None:
        """The key of the account stored in ``file``, if the key has one."""
        return next((a for a in self.accounts if a.file == file), None)


def quote_id(account: Document, quote: QuoteVerdict) -> str:
    """``start-end``: the offsets of the quoted words in the account's text (as the
    engine's quotation check gives them), found inside the quote's sentence."""
    sentence = account.sentences[quote.sentence]
    at = account.text.find(quote.text, sentence.start, sentence.end + len(quote.text))
    if at < 0 or at >= sentence.end:
        raise KeyFileError(
            f"quotation {quote.text[:40]!r} is not in {account.name} sentence {quote.sentence + 1}"
        )
    return f"{at}-{at + len(quote.text)}"


def read_key(folder: Path) -> KeyFile | None:
    """The folder's key file, or None if it has none; :class:`KeyFileError` if broken."""
    path = folder / KEY_FILE
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KeyFileError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    try:
        return _key_file(raw)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise KeyFileError(f"{path}: {exc}") from None


def _key_file(raw: dict[str, Any]) -> KeyFile:
    if raw.get("format") != FORMAT:
        raise ValueError(f"format {raw.get('format')!r} is not {FORMAT}")
    return KeyFile(
        about=str(raw.get("about", "")),
        teacher_note=str(raw.get("teacher_note", "")),
        record=str(raw["record"]),
        sentences={str(k): int(v) for k, v in raw["sentences"].items()},
        accounts=tuple(_account(entry) for entry in raw["accounts"]),
    )


def _numbers(values: Any) -> tuple[int, ...]:
    """1-based sentence numbers as sorted 0-based indices."""
    numbers = [values] if isinstance(values, int) else list(values)
    if not numbers or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in numbers):
        raise ValueError(f"sentence numbers must be whole numbers from 1: {values!r}")
    return tuple(sorted(n - 1 for n in numbers))


def _account(raw: dict[str, Any]) -> AccountKey:
    links = tuple(
        KeyLink(
            source=_numbers(link["record"]),
            witness=_numbers(link["account"]),
            label=link.get("label"),
            note=str(link.get("note", "")),
            scored=bool(link.get("scored", True)),
        )
        for link in raw["links"]
    )
    quotes = tuple(
        QuoteVerdict(
            _numbers(q["sentence"])[0], str(q["text"]), str(q["verdict"]), q.get("note", "")
        )
        for q in raw.get("quotes", [])
    )
    return AccountKey(
        file=str(raw["file"]),
        links=links,
        omitted=frozenset(_numbers(raw["omitted"])) if raw.get("omitted") else frozenset(),
        order=tuple(_numbers(group) for group in raw.get("order", [])),
        quotes=quotes,
    )


def check_key(key: KeyFile, documents: Mapping[str, Document]) -> None:
    """Check a key against the texts it was written for (``documents`` by file name).

    Raises :class:`KeyFileError` saying what does not fit: a segmentation other than the
    one recorded, a sentence that does not exist, a sentence in two links, an omitted
    sentence that is linked, an order that is not the record's order of the links, an
    unknown label or verdict, a quotation not in its sentence.
    """
    for file, count in key.sentences.items():
        if file not in documents:
            raise KeyFileError(f"the key names {file!r}, which is not a text of the dossier")
        found = len(documents[file].sentences)
        if found != count:
            raise KeyFileError(f"{file}: the key expects {count} sentences, the text has {found}")
    record = documents[key.record]
    for account in key.accounts:
        if account.file not in documents or account.file == key.record:
            raise KeyFileError(f"the key's account {account.file!r} is not an account here")
        _check_account(account, len(record.sentences), documents[account.file])


def _check_account(account: AccountKey, n_record: int, document: Document) -> None:
    where = account.file
    seen: dict[tuple[str, int], int] = {}
    for number, link in enumerate(account.links, 1):
        if link.label is not None and link.label not in LABELS:
            raise KeyFileError(f"{where} link {number}: unknown label {link.label!r}")
        for side, indices, size in (
            ("record", link.source, n_record),
            ("account", link.witness, len(document.sentences)),
        ):
            for index in indices:
                if index >= size:
                    raise KeyFileError(f"{where} link {number}: no {side} sentence {index + 1}")
                if (side, index) in seen:
                    raise KeyFileError(
                        f"{where}: {side} sentence {index + 1} is in links "
                        f"{seen[(side, index)]} and {number}"
                    )
                seen[(side, index)] = number
    for index in account.omitted:
        if index >= n_record or ("record", index) in seen:
            raise KeyFileError(f"{where}: omitted record sentence {index + 1} is linked or absent")
    _check_order(account)
    for quote in account.quotes:
        if quote.verdict not in QUOTE_STATUSES:
            raise KeyFileError(f"{where}: unknown quotation verdict {quote.verdict!r}")
        if quote.sentence >= len(document.sentences):
            raise KeyFileError(f"{where}: no account sentence {quote.sentence + 1} for a quote")
        quote_id(document, quote)


def _check_order(account: AccountKey) -> None:
    """The written order must be the record's order of the linked account sentences
    (sentences of one record sentence tied in one group)."""
    ranks = key_order(account.links)
    expected: list[tuple[int, ...]] = []
    for rank in sorted(set(ranks.values())):
        expected.append(tuple(sorted(j for j, r in ranks.items() if r == rank)))
    if list(account.order) != expected:
        shown = [[j + 1 for j in group] for group in expected]
        raise KeyFileError(
            f"{account.file}: the order is not the record's order of the links (expected {shown})"
        )


#: Who stands behind a bundled key's links (the project, not the machine or a curator).
BUNDLED = "bundled"


def frozen(
    key: KeyFile,
    documents: Mapping[str, Document],
    ids: Mapping[str, tuple[int | None, int | None]] | None = None,
) -> FrozenKey:
    """The key as a frozen snapshot, after :func:`check_key`; ``ids`` gives each file's
    stored document id and version. Slugs are the file names without their extension,
    as the bundled dossiers are stored."""
    check_key(key, documents)
    ids = ids or {}

    def part(file: str) -> tuple[str, Document, int | None, int | None]:
        return (file.rsplit(".", 1)[0], documents[file], *ids.get(file, (None, None)))

    accounts = []
    for account in key.accounts:
        document = documents[account.file]
        quotes = []
        for q in account.quotes:
            start, end = (int(n) for n in quote_id(document, q).split("-"))
            quotes.append(FrozenQuote(q.sentence, start, end, q.text, q.verdict, q.note))
        links = (
            FrozenLink(k.source, k.witness, k.label, k.note, k.scored, BUNDLED)
            for k in account.links
        )
        accounts.append(
            FrozenAccount.build(*part(account.file), links, omitted=account.omitted, quotes=quotes)
        )
    return FrozenKey(FrozenDocument.of(*part(key.record)), tuple(accounts))
