"""A frozen answer key: a self-contained snapshot of a dossier's alignment, as JSON.

A key is frozen from a curated alignment (or from a bundled ``key.json``) and stored as is:
later curation, re-alignment or edits of the texts never change it. So it carries the
sentences it speaks of (spans and texts of the record and of each account, as they were
when it was frozen), each account's links (with label, note, who stood behind the link and
whether it is scored), the record sentences left out, the account's linked sentences in the
record's order (ties grouped) and the quotations' verdicts.

>>> from webapp.collate import Document
>>> record = Document.from_text("r", "One. Two.")
>>> account = Document.from_text("a", "Two.")
>>> frozen = FrozenAccount.build("a", account, 7, 1, (FrozenLink((1,), (0,), "verbatim"),),
...                           omitted=(0,))
>>> key = FrozenKey(FrozenDocument.of("r", record, 6, 1), (frozen,))
>>> FrozenKey.from_dict(key.to_dict()) == key, frozen.order, frozen.key().omitted
(True, ((0,),), frozenset({0}))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .document import Document
from .model import Sentence
from .scoring import Key, KeyLink, key_order

#: The snapshot format; :meth:`FrozenKey.from_dict` refuses any other.
FORMAT = 1


@dataclass(frozen=True, slots=True)
class FrozenLink:
    """One link of a key (0-based sentence indices); ``status`` says who stood behind it
    when it was frozen (machine, confirmed, added, or bundled for a shipped key)."""

    source: tuple[int, ...]
    witness: tuple[int, ...]
    label: str | None = None
    note: str = ""
    scored: bool = True
    status: str = "machine"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "source": list(self.source),
            "witness": list(self.witness),
            "label": self.label,
            "note": self.note,
            "scored": self.scored,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class FrozenQuote:
    """The key's verdict on one quotation of the account (offsets of the quoted words)."""

    sentence: int
    start: int
    end: int
    text: str
    verdict: str
    note: str = ""

    @property
    def id(self) -> str:
        """The quotation's id in the scores: ``start-end`` in the account's text."""
        return f"{self.start}-{self.end}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class FrozenDocument:
    """A document as the key saw it: its slug, title, stored id and version, sentences."""

    slug: str
    title: str
    document_id: int | None
    document_version: int | None
    sentences: tuple[Sentence, ...]

    @classmethod
    def of(
        cls, slug: str, document: Document, doc_id: int | None, version: int | None
    ) -> FrozenDocument:
        """The snapshot of an engine document."""
        return cls(slug, document.name, doc_id, version, tuple(document.sentences))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "slug": self.slug,
            "title": self.title,
            "document_id": self.document_id,
            "document_version": self.document_version,
            "sentences": [s.to_dict() for s in self.sentences],
        }


@dataclass(frozen=True, slots=True)
class FrozenAccount(FrozenDocument):
    """One account's key: the document, links, omissions, order and quotation verdicts."""

    links: tuple[FrozenLink, ...] = ()
    omitted: tuple[int, ...] = ()
    order: tuple[tuple[int, ...], ...] = ()
    quotes: tuple[FrozenQuote, ...] = ()

    @classmethod
    def build(
        cls,
        slug: str,
        document: Document,
        doc_id: int | None,
        version: int | None,
        links: Iterable[FrozenLink],
        *,
        omitted: Iterable[int] = (),
        quotes: Iterable[FrozenQuote] = (),
    ) -> FrozenAccount:
        """An account's key with its order derived from the links (see :func:`grouped`)."""
        links = tuple(links)
        return cls(
            slug,
            document.name,
            doc_id,
            version,
            tuple(document.sentences),
            links,
            tuple(sorted(omitted)),
            grouped(links),
            tuple(quotes),
        )

    def key(self) -> Key:
        """The scoring key of this account."""
        return Key(
            links=tuple(
                KeyLink(k.source, k.witness, k.label, k.note, k.scored) for k in self.links
            ),
            omitted=frozenset(self.omitted),
            order={j: float(rank) for rank, group in enumerate(self.order) for j in group},
            quotes={q.id: q.verdict for q in self.quotes},
        )

    def flagged(self, flags: dict[int, bool]) -> FrozenAccount:
        """A copy with links (by 0-based position) flagged scored or not scored."""
        links = tuple(
            replace(link, scored=flags.get(k, link.scored)) for k, link in enumerate(self.links)
        )
        return replace(self, links=links)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            **FrozenDocument.to_dict(self),
            "links": [link.to_dict() for link in self.links],
            "omitted": list(self.omitted),
            "order": [list(group) for group in self.order],
            "quotes": [q.to_dict() for q in self.quotes],
        }


@dataclass(frozen=True, slots=True)
class FrozenKey:
    """A whole dossier's key: the record as frozen and one key per account."""

    record: FrozenDocument
    accounts: tuple[FrozenAccount, ...]

    def account(self, slug: str) -> FrozenAccount | None:
        """The key of the account with this slug, if the key has it."""
        return next((a for a in self.accounts if a.slug == slug), None)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form that is stored."""
        return {
            "format": FORMAT,
            "record": self.record.to_dict(),
            "accounts": [a.to_dict() for a in self.accounts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FrozenKey:
        """Rebuild a key from :meth:`to_dict`; ``ValueError`` for another format."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unsupported answer key format {data.get('format')!r}")
        return cls(_document(data["record"]), tuple(_account(a) for a in data["accounts"]))


def grouped(links: Iterable[FrozenLink | KeyLink]) -> tuple[tuple[int, ...], ...]:
    """The linked account sentences in the record's order, sentences of one record
    sentence tied in one group."""
    ranks = key_order(KeyLink(link.source, link.witness) for link in links)
    return tuple(
        tuple(sorted(j for j, r in ranks.items() if r == rank))
        for rank in sorted(set(ranks.values()))
    )


def _sentences(rows: list[dict[str, Any]]) -> tuple[Sentence, ...]:
    return tuple(Sentence(r["index"], r["start"], r["end"], r["text"]) for r in rows)


def _document(data: dict[str, Any]) -> FrozenDocument:
    return FrozenDocument(
        data["slug"],
        data["title"],
        data.get("document_id"),
        data.get("document_version"),
        _sentences(data["sentences"]),
    )


def _account(data: dict[str, Any]) -> FrozenAccount:
    base = _document(data)
    return FrozenAccount(
        base.slug,
        base.title,
        base.document_id,
        base.document_version,
        base.sentences,
        links=tuple(
            FrozenLink(
                tuple(k["source"]),
                tuple(k["witness"]),
                k.get("label"),
                k.get("note", ""),
                bool(k.get("scored", True)),
                k.get("status", "machine"),
            )
            for k in data["links"]
        ),
        omitted=tuple(data["omitted"]),
        order=tuple(tuple(group) for group in data["order"]),
        quotes=tuple(
            FrozenQuote(
                q["sentence"], q["start"], q["end"], q["text"], q["verdict"], q.get("note", "")
            )
            for q in data["quotes"]
        ),
    )
