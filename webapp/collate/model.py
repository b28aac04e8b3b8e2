"""Plain, serialisable data types of a comparison: sentences, links, quotations, results.

Every type here is a frozen dataclass of plain values, so a :class:`Comparison` can be
cached, sent as JSON (``to_dict``) and rebuilt without loss.

Invariants:

* offsets are code-point offsets into the text as stored; ``end`` is exclusive and
  ``text[start:end] == sentence.text``;
* sentence indices are 0-based and dense within a document;
* every source sentence of a witness result is in exactly one link or in ``omitted``;
  every witness sentence is in exactly one link or in ``added``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 2

#: Schemas :meth:`Comparison.from_dict` reads (schema 1 is upgraded on reading).
READABLE_SCHEMAS = (1, 2)

#: Changes whenever the engine gives other results for the same input (new link decisions,
#: quotation statuses): part of the web app's cache keys, so stored results are recomputed.
ENGINE_VERSION = "2.6"

#: Link kinds, from closest to loosest.
LINK_KINDS = ("verbatim", "close", "paraphrase", "partial")

#: Quotation check outcomes.
QUOTE_STATUSES = ("exact", "altered", "not_found")

#: Statuses of quotations that are not verbatim in the record (shown and counted together).
NOT_VERBATIM = ("altered", "not_found")

#: Phrase-order verdicts.
ORDER_VERDICTS = ("kept", "inverted", "missing")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document with its exact place in the text.

    >>> text = "One. Two."
    >>> s = Sentence(index=1, start=5, end=9, text="Two.")
    >>> text[s.start:s.end] == s.text
    True
    """

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``index``, ``start``, ``end``, ``text``."""
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff: ``op`` is ``equal``, ``delete`` or ``insert``.

    ``delete`` text is in the source only, ``insert`` text in the witness only.
    """

    op: str
    text: str

    def to_list(self) -> list[str]:
        """Return ``[op, text]`` for JSON."""
        return [self.op, self.text]


@dataclass(frozen=True, slots=True)
class Telling:
    """One telling of a link's record passage: a run of its account sentences, at most
    one unlinked sentence apart (:data:`.tellings.TELLING_GAP`).

    Judged on its own against the link's whole record side: ``score``, ``kind``, ``diff``,
    and its own order flags (``moved``: off the order-preserving chain on sure evidence,
    ``possible_move``: off it on weak evidence), as for a :class:`Link`.
    """

    witness: tuple[int, ...]
    score: float
    kind: str
    moved: bool = False
    possible_move: bool = False
    diff: tuple[DiffOp, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the telling."""
        return {
            "witness": list(self.witness),
            "score": round(self.score, 4),
            "kind": self.kind,
            "moved": self.moved,
            "possible_move": self.possible_move,
            "diff": [op.to_list() for op in self.diff],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Telling:
        """Rebuild a telling from :meth:`to_dict` output."""
        return cls(
            witness=tuple(data["witness"]),
            score=float(data["score"]),
            kind=data["kind"],
            moved=bool(data["moved"]),
            possible_move=bool(data.get("possible_move", False)),
            diff=tuple(DiffOp(op, text) for op, text in data.get("diff", ())),
        )


@dataclass(frozen=True, slots=True)
class Link:
    """A correspondence between source sentences and witness sentences.

    ``source`` and ``witness`` are sorted tuples of sentence indices (1:1, 1:n or n:1).
    ``score`` is in [0, 1]; ``kind`` is one of :data:`LINK_KINDS`; ``moved`` is true when
    the link lies outside the longest order-preserving chain; ``shared`` lists the
    content words both sides have (the evidence shown to a reader). ``possible_move`` is
    true for a link off that chain whose move rests on weak, uncorroborated evidence (no
    moved neighbour in its block, no shared phrase, no shared quotation): then ``moved``
    is false, and the reader is shown a possible move, not a finding.

    ``tellings`` is empty unless the account side holds more than one run of sentences
    (a passage told twice, :mod:`.tellings`): then it holds each run judged on
    its own; ``moved`` is true only when every telling is moved, and ``score``/``kind``
    are those of the best telling (``diff`` and ``shared`` stay those of the whole link).
    """

    source: tuple[int, ...]
    witness: tuple[int, ...]
    score: float
    kind: str
    moved: bool = False
    diff: tuple[DiffOp, ...] = ()
    shared: tuple[str, ...] = ()
    possible_move: bool = False
    tellings: tuple[Telling, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the link (``tellings`` only when there are some)."""
        out: dict[str, Any] = {
            "source": list(self.source),
            "witness": list(self.witness),
            "score": round(self.score, 4),
            "kind": self.kind,
            "moved": self.moved,
            "diff": [op.to_list() for op in self.diff],
            "shared": list(self.shared),
            "possible_move": self.possible_move,
        }
        if self.tellings:
            out["tellings"] = [t.to_dict() for t in self.tellings]
        return out


@dataclass(frozen=True, slots=True)
class QuoteChange:
    """Words an altered quotation changed: the record's words and the account's instead.

    ``record`` is empty for words the account inserted, ``account`` for words it dropped;
    both are normalised (case and marks folded) like :attr:`Quote.match`.
    """

    record: str
    account: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"record": ..., "account": ...}``."""
        return {"record": self.record, "account": self.account}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span of a witness and what the record has of it.

    ``start``/``end`` are offsets of the quoted words (without the quotation marks) in
    the witness text; ``status`` is one of :data:`QUOTE_STATUSES`; ``source`` is the
    record sentence index where it was found, or ``None``; ``match`` is the record's
    wording of the closest passage (empty when not found); ``changes`` lists the words an
    ``altered`` quotation changed.
    """

    witness: int
    start: int
    end: int
    text: str
    status: str
    source: int | None
    similarity: float
    match: str = ""
    changes: tuple[QuoteChange, ...] = ()

    @property
    def verbatim(self) -> bool:
        """Whether the quoted words are in the record as quoted (status ``exact``)."""
        return self.status not in NOT_VERBATIM

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the quotation check."""
        return {
            "witness": self.witness,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "status": self.status,
            "source": self.source,
            "similarity": round(self.similarity, 4),
            "match": self.match,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class Rendering:
    """Two words read as one in a comparison: the record's and the account's rendering of
    it, learned from the pair's own confident links (:mod:`.lexicon`)."""

    record: str
    account: str

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form of the rendering."""
        return {"record": self.record, "account": self.account}


@dataclass(frozen=True, slots=True)
class OrderStats:
    """How far a witness keeps the record's order.

    ``kendall_tau`` is the rank correlation of linked positions (1.0 = same order,
    -1.0 = reversed; ``None`` with fewer than two links); ``moved`` counts moved links;
    ``kept_in_order`` counts links on the longest order-preserving chain.
    """

    kendall_tau: float | None
    moved: int
    kept_in_order: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the order statistics."""
        tau = None if self.kendall_tau is None else round(self.kendall_tau, 4)
        return {"kendall_tau": tau, "moved": self.moved, "kept_in_order": self.kept_in_order}


@dataclass(frozen=True, slots=True)
class WitnessResult:
    """What one account did with the record: links, omissions, additions, order, quotes."""

    name: str
    sentences: tuple[Sentence, ...]
    links: tuple[Link, ...]
    omitted: tuple[int, ...]
    added: tuple[int, ...]
    order: OrderStats
    quotes: tuple[Quote, ...]
    #: The words read as one because the pair's confident links render one by the other,
    #: when links were found through them (else empty).
    lexicon: tuple[Rendering, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the witness result (``lexicon`` only when not empty)."""
        out: dict[str, Any] = {
            "name": self.name,
            "sentences": [s.to_dict() for s in self.sentences],
            "links": [link.to_dict() for link in self.links],
            "omitted": list(self.omitted),
            "added": list(self.added),
            "order": self.order.to_dict(),
            "quotes": [q.to_dict() for q in self.quotes],
        }
        if self.lexicon:
            out["lexicon"] = [r.to_dict() for r in self.lexicon]
        return out


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The record side of a comparison: its name and sentences."""

    name: str
    sentences: tuple[Sentence, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the source."""
        return {"name": self.name, "sentences": [s.to_dict() for s in self.sentences]}


@dataclass(frozen=True, slots=True)
class Comparison:
    """The whole result: the record and one :class:`WitnessResult` per account, in order."""

    source: SourceInfo
    witnesses: tuple[WitnessResult, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the versioned JSON form documented in the README."""
        return {
            "schema": self.schema,
            "source": self.source.to_dict(),
            "witnesses": [w.to_dict() for w in self.witnesses],
            "settings": dict(self.settings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        """Rebuild a comparison from :meth:`to_dict` output (e.g. a stored result).

        >>> from webapp.collate import Document, compare
        >>> record = Document.from_text("r", "A b c. D e f.")
        >>> c = compare(record, [Document.from_text("w", "D e f.")])
        >>> Comparison.from_dict(c.to_dict()) == c
        True
        """
        if data.get("schema") not in READABLE_SCHEMAS:
            raise ValueError(f"unsupported comparison schema {data.get('schema')!r}")
        return cls(
            source=SourceInfo(data["source"]["name"], _sentences(data["source"]["sentences"])),
            witnesses=tuple(_witness(w) for w in data["witnesses"]),
            settings=dict(data.get("settings", {})),
        )


def _sentences(rows: list[dict[str, Any]]) -> tuple[Sentence, ...]:
    return tuple(Sentence(r["index"], r["start"], r["end"], r["text"]) for r in rows)


def _witness(data: dict[str, Any]) -> WitnessResult:
    order = data["order"]
    return WitnessResult(
        name=data["name"],
        sentences=_sentences(data["sentences"]),
        links=tuple(
            Link(
                source=tuple(k["source"]),
                witness=tuple(k["witness"]),
                score=float(k["score"]),
                kind=k["kind"],
                moved=bool(k["moved"]),
                diff=tuple(DiffOp(op, text) for op, text in k["diff"]),
                shared=tuple(k.get("shared", ())),
                possible_move=bool(k.get("possible_move", False)),
                tellings=tuple(Telling.from_dict(t) for t in k.get("tellings", ())),
            )
            for k in data["links"]
        ),
        omitted=tuple(data["omitted"]),
        added=tuple(data["added"]),
        order=OrderStats(order["kendall_tau"], order["moved"], order["kept_in_order"]),
        quotes=tuple(
            Quote(
                witness=q["witness"],
                start=q["start"],
                end=q["end"],
                text=q["text"],
                # Schema 1 called an altered quotation "close" (and listed no changes).
                status="altered" if q["status"] == "close" else q["status"],
                source=q["source"],
                similarity=float(q["similarity"]),
                match=q.get("match", ""),
                changes=tuple(QuoteChange(c["record"], c["account"]) for c in q.get("changes", ())),
            )
            for q in data["quotes"]
        ),
        lexicon=tuple(Rendering(r["record"], r["account"]) for r in data.get("lexicon", ())),
    )
