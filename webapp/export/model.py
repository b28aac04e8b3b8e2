"""A curated dossier as exports see it: texts, sentences, links with who decided, notes, history.

Plain frozen dataclasses of plain values, built by the web app from the store and the
engine, and rebuilt by the importers, so every format is written from (and read back into)
the same structure. Offsets are code-point offsets into ``ExportDocument.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..collate.model import DiffOp, Quote, Sentence, Telling
from ..collate.vocabulary import LABELS, LINK_STATUSES, MACHINE

__all__ = [
    "LABELS",
    "LINK_STATUSES",
    "MACHINE",
    "CuratedDossier",
    "ExportDocument",
    "ExportLink",
    "ExportMark",
    "ExportQuote",
    "HistoryEntry",
    "RejectedLink",
]


@dataclass(frozen=True, slots=True)
class ExportDocument:
    """One document of the dossier (the record or an account) with its sentences."""

    id: str  # the document's slug, unique in the dossier (e.g. "zavidovo-1993-memcon")
    title: str
    author: str
    date: str
    kind: str  # memcon, memoir, article, speech, ...
    provenance: str
    version: int
    text: str
    sentences: tuple[Sentence, ...]
    #: Sentence boundaries a person added (offsets where a sentence now starts) ...
    splits: tuple[int, ...] = ()
    #: ... and removed (offsets where the segmenter had started a sentence).
    joins: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportLink:
    """One link of the curated alignment between the record and one account."""

    id: str  # stable within the dossier, e.g. "h12" (a person's decision) or "m-<account>-3"
    account: str  # ExportDocument.id of the account
    source: tuple[int, ...]  # record sentence indices
    witness: tuple[int, ...]  # account sentence indices
    score: float  # the machine's score in [0, 1] (1.0 for a link only a person made)
    kind: str  # the machine's kind: verbatim, close, paraphrase, partial
    moved: bool
    status: str  # one of LINK_STATUSES
    resp: str  # MACHINE, or the user name of the person who decided
    label: str | None = None  # one of LABELS, given by a person
    note: str = ""  # the note's Markdown-like source text ("" when none)
    created: str | None = None  # ISO 8601 time of the person's decision
    diff: tuple[DiffOp, ...] = ()
    #: Off the record's order on weak evidence only (then ``moved`` is false).
    possible_move: bool = False
    #: A passage told twice: each run of ``witness`` judged on its own order (the engine's
    #: :class:`~webapp.collate.Telling`, in account order); empty when told once.
    tellings: tuple[Telling, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportQuote:
    """The machine's check of one quotation of an account: exact, altered or not found.

    ``quote`` is the engine's :class:`~webapp.collate.Quote` (``witness`` indexes the
    account's sentences, ``start``/``end`` its text, ``source`` the record's sentences).
    """

    account: str  # ExportDocument.id of the account
    quote: Quote


@dataclass(frozen=True, slots=True)
class RejectedLink:
    """A machine link a person removed (kept so that the removal survives re-alignment)."""

    id: str
    account: str
    source: tuple[int, ...]
    witness: tuple[int, ...]
    resp: str
    created: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExportMark:
    """A person's mark on one sentence: significance (omissions, additions) and a note."""

    id: str
    document: str  # ExportDocument.id
    account: str  # the account this mark belongs to (for a record sentence: whose omission)
    index: int  # sentence index in ``document``
    status: str  # "omitted", "added" or "linked" (what the alignment says of the sentence)
    significant: bool | None
    note: str
    resp: str
    created: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change: who, when, what, and the states before and after (JSON text)."""

    id: int
    when: str  # ISO 8601
    who: str
    target: str  # what changed and its row id in the exporting dossier, e.g. "link 12"
    action: str  # create, update, delete, revert
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class CuratedDossier:
    """Everything an export holds about one dossier."""

    id: str
    title: str
    date: str
    description: str
    url: str  # absolute URL of the dossier page (used in Web Annotation targets)
    note: str  # the dossier's note (Markdown-like source)
    record: ExportDocument
    accounts: tuple[ExportDocument, ...]
    links: tuple[ExportLink, ...]
    rejected: tuple[RejectedLink, ...] = ()
    marks: tuple[ExportMark, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    exported: str = ""  # ISO 8601 time of the export
    quotes: tuple[ExportQuote, ...] = ()
    settings: dict[str, object] = field(default_factory=dict)

    def account(self, account_id: str) -> ExportDocument:
        """The account document with this id."""
        for document in self.accounts:
            if document.id == account_id:
                return document
        raise KeyError(account_id)
