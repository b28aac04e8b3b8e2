"""The history of a dossier in words: one sentence per change, and its fields before and after.

A change is stored as JSON snapshots (document ids, character offsets). People read
"ada labelled R13 → A5 in Christopher's memoir as 'reordering'": account titles and
1-based sentence numbers (R for the record's side of a link, A for the account's), found
again in the texts as they are now. Where a passage is no longer in the text (an edit
removed it) the change quotes the passage it stored instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..collate import Document
from ..collate.carry import sentences_for_spans
from ..store.models import Change
from .comparisons import document_of
from .history_sentences import DECIDED, quoted, sentence_of, snippet
from .infos import DossierInfo

#: The fields of each kind of row, as people name them, in the order shown.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "link": (
        ("action", "Decision"),
        ("label", "Label"),
        ("note", "Note"),
        ("needs_review", "To review"),
    ),
    "mark": (("significant", "Significant"), ("note", "Note"), ("needs_review", "To review")),
    "dossier": (("notes", "Notes"),),
    "document": (
        ("title", "Title"),
        ("kind", "Kind"),
        ("author", "Author"),
        ("date", "Date"),
        ("provenance", "Provenance"),
        ("text", "Text"),
        ("splits", "Sentence splits"),
        ("joins", "Sentence joins"),
    ),
}


@dataclass(frozen=True, slots=True)
class Text:
    """One document of the dossier as it is now: its title, segmented text, role."""

    title: str
    document: Document
    is_record: bool
    slug: str = ""

    @property
    def name(self) -> str:
        """How a sentence names the document: the record is called so."""
        return f"the record, {self.title}" if self.is_record else self.title


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a change, before and after, in words ("—" for nothing)."""

    name: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Described:
    """A change told in words: the sentence, what it was about, its fields' change."""

    change: Change
    sentence: str
    subject: str
    fields: tuple[FieldChange, ...]
    #: Where the compare view shows it now: the account's slug and the sentence's anchor.
    place: tuple[str, str] | None = None

    @property
    def line(self) -> str:
        """The sentence with its full stop (none added after one that has it)."""
        ends = self.sentence.rstrip("’”)")
        return self.sentence if ends.endswith((".", "!", "?")) else self.sentence + "."


def dossier_texts(info: DossierInfo, texts: Mapping[int, str]) -> dict[int, Text]:
    """The dossier's documents segmented as the compare view segments them, by database id."""
    return {
        meta.id: Text(
            meta.title, document_of(meta, texts[meta.id]), meta.slug == info.record, meta.slug
        )
        for meta in info.documents
        if meta.id in texts
    }


def numbers(prefix: str, indices: Sequence[int]) -> str:
    """0-based sentence indices as people cite them: R3, R3–R5, R3, R7."""
    runs: list[list[int]] = []
    for i in sorted(set(indices)):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    cited = (f"{prefix}{r[0] + 1}" + (f"–{prefix}{r[-1] + 1}" if len(r) > 1 else "") for r in runs)
    return ", ".join(cited)


def locate(text: Text | None, spans: Sequence[Sequence[int]], stored: object) -> list[int]:
    """The sentences (0-based) of ``text`` that stored spans cover, if the passage is still
    there: at the same offsets, or else found by its words; [] if it is gone."""
    if text is None or not spans:
        return []
    body = text.document.text
    pairs = [(int(a), int(b)) for a, b in spans]
    passage = " ".join(body[a:b] for a, b in pairs if 0 <= a < b <= len(body))
    wanted = str(stored or "")
    if not wanted or " ".join(passage.split()) == " ".join(wanted.split()):
        return list(sentences_for_spans(text.document.sentences, pairs))
    first = body.find(wanted[: max(b - a for a, b in pairs)].strip())
    if first < 0:
        return []
    return list(sentences_for_spans(text.document.sentences, [(first, first + len(wanted))]))


def link_ref(state: Mapping[str, Any], texts: Mapping[int, Text]) -> str:
    """ "R3 → A2 in Christopher's memoir", or the stored passages quoted when gone."""
    record = texts.get(int(state.get("record_id") or 0))
    account = texts.get(int(state.get("account_id") or 0))
    source = locate(record, state.get("source_spans") or [], state.get("source_text"))
    witness = locate(account, state.get("witness_spans") or [], state.get("witness_text"))
    left = numbers("R", source) if source else quoted(state.get("source_text")) or "?"
    right = numbers("A", witness) if witness else quoted(state.get("witness_text")) or "?"
    where = f" in {account.title}" if account is not None else ""
    if record is not None and not record.is_record:
        where += f" (against {record.title})"
    return f"{left} → {right}{where}"


def mark_ref(state: Mapping[str, Any], texts: Mapping[int, Text]) -> str:
    """ "the omission of R5 from Christopher's memoir", "the addition A7 in …"."""
    document = texts.get(int(state.get("document_id") or 0))
    account = texts.get(int(state.get("account_id") or 0))
    on_account = state.get("document_id") == state.get("account_id")
    span = [[state.get("start", 0), state.get("end", 0)]]
    found = locate(document, span, state.get("text"))
    cited = numbers("A" if on_account else "R", found) if found else quoted(state.get("text"))
    title = account.title if account is not None else "the account"
    if on_account:
        return f"the addition {cited} in {title}"
    return f"the omission of {cited} from {title}"


def document_name(change: Change, texts: Mapping[int, Text]) -> str:
    """The document a change was about, as named now (or by its stored title)."""
    text = texts.get(change.target_id or 0) if not change.imported else None
    if text is not None:
        return text.name
    state = change.after or change.before or {}
    return f"the document ‘{state.get('title', '?')}’"


def subject(change: Change, texts: Mapping[int, Text]) -> str:
    """What the change was about, in a few words."""
    state = change.after or change.before or {}
    if change.target == "link":
        return link_ref(state, texts)
    if change.target == "mark":
        return mark_ref(state, texts)
    if change.target == "document":
        return document_name(change, texts)
    return "the dossier's notes"


def place(change: Change, texts: Mapping[int, Text]) -> tuple[str, str] | None:
    """The account and sentence anchor of a link or mark in the compare view (against the
    dossier's record), if its sentences are still in the texts."""
    state = change.after or change.before or {}
    account = texts.get(int(state.get("account_id") or 0))
    if change.target not in ("link", "mark") or account is None or account.is_record:
        return None
    if change.target == "link":
        record = texts.get(int(state.get("record_id") or 0))
        if record is None or not record.is_record:
            return None
        found = locate(record, state.get("source_spans") or [], state.get("source_text"))
        return (account.slug, f"{account.slug}-r{found[0] + 1}") if found else None
    document = texts.get(int(state.get("document_id") or 0))
    side = "a" if document is account else "r"
    span = [[state.get("start", 0), state.get("end", 0)]]
    found = locate(document, span, state.get("text"))
    return (account.slug, f"{account.slug}-{side}{found[0] + 1}") if found else None


def shown(field: str, value: object) -> str:
    """A field's value in words for the before / after view."""
    if value is None or value == "" or value == []:
        return "—"
    if field == "action":
        return DECIDED.get(str(value), str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in ("splits", "joins") and isinstance(value, list):
        return f"{len(value)} (at characters {', '.join(str(v) for v in value[:6])})"
    if field in ("text", "note", "notes", "provenance") and len(str(value)) > 120:
        return snippet(value, 20) + f" ({len(str(value).split())} words)"
    return str(value)


def field_changes(change: Change) -> tuple[FieldChange, ...]:
    """The fields a change set (a creation: every field it gave; a deletion: every field
    it took away), in words."""
    before, after = change.before or {}, change.after or {}
    rows = []
    for key, name in FIELDS.get(change.target, ()):
        old, new = before.get(key), after.get(key)
        if old == new or (not old and not new and (key == "needs_review" or None in (old, new))):
            continue
        rows.append(FieldChange(name, shown(key, old), shown(key, new)))
    return tuple(rows)


def describe(change: Change, texts: Mapping[int, Text]) -> Described:
    """One change in words (an imported change: about another dossier's rows, so by its
    stored passages only)."""
    known = {} if change.imported else texts
    about = subject(change, known)
    return Described(
        change, sentence_of(change, about), about, field_changes(change), place(change, known)
    )


def describe_all(changes: Sequence[Change], texts: Mapping[int, Text]) -> list[Described]:
    """Every change in words, in the order given."""
    return [describe(change, texts) for change in changes]
