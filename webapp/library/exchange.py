"""Exchange of curation: a curated dossier built for export, and one restored from a file.

The exports (webapp.export) write one :class:`CuratedDossier`; this module fills it from
a dossier's curated comparison and history, reads an uploaded JSON or TEI export back
(:func:`read_import`), and turns it into people's decisions, marks, notes and boundary
fixes (:func:`import_curation`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..collate import Sentence
from ..collate.vocabulary import MACHINE
from ..export.model import (
    CuratedDossier,
    ExportDocument,
    ExportLink,
    ExportMark,
    ExportQuote,
    HistoryEntry,
    RejectedLink,
)
from ..store.dossiers import find_document
from ..store.models import Change, LinkDecision, SentenceMark
from ..store.models import Dossier as StoredDossier
from ..store.roles import MAX_ID
from .comparisons import DocInfo, DossierComparison
from .curation import CurationError
from .history import record_change, snapshot


class ImportRefused(CurationError):
    """An import was refused: the file does not fit this dossier (the message says how)."""


def _iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _document(meta: DocInfo, text: str, sentences: Sequence[Sentence]) -> ExportDocument:
    return ExportDocument(
        id=meta.slug,
        title=meta.title,
        author=meta.author,
        date=meta.date,
        kind=meta.kind,
        provenance=meta.provenance,
        version=meta.version,
        text=text,
        sentences=tuple(sentences),
        splits=tuple(meta.splits),
        joins=tuple(meta.joins),
    )


def build_export(
    result: DossierComparison, history: Sequence[Change], url: str, now: datetime | None = None
) -> CuratedDossier:
    """Everything an export holds about a dossier, from its curated comparison."""
    links: list[ExportLink] = []
    rejected: list[RejectedLink] = []
    marks: list[ExportMark] = []
    quotes: list[ExportQuote] = []
    for account in result.accounts:
        r = account.result
        linked_source = {i for link in r.links for i in link.source}
        linked_witness = {j for link in r.links for j in link.witness}
        for number, link in enumerate(r.links, start=1):
            state = account.state(number - 1)
            links.append(
                ExportLink(
                    id=f"h{state.decision}" if state.decision else f"m-{account.slug}-{number}",
                    account=account.slug,
                    source=link.source,
                    witness=link.witness,
                    score=round(link.score, 4),
                    kind=link.kind,
                    moved=link.moved,
                    status=state.status,
                    resp=state.resp,
                    label=state.label,
                    note=state.note,
                    created=_iso(state.created),
                    diff=link.diff,
                    possible_move=link.possible_move,
                    tellings=tuple(replace(t, score=round(t.score, 4)) for t in link.tellings),
                )
            )
        quotes.extend(
            ExportQuote(account.slug, replace(q, similarity=round(q.similarity, 4)))
            for q in r.quotes
        )
        for rejection in account.curation.rejected:
            rejected.append(
                RejectedLink(
                    id=f"h{rejection.decision}",
                    account=account.slug,
                    source=rejection.source,
                    witness=rejection.witness,
                    resp=rejection.resp,
                    created=_iso(rejection.created),
                    note=rejection.note,
                )
            )
        for (side, index), mark in sorted(account.curation.marks.items()):
            linked = index in (linked_source if side == "record" else linked_witness)
            marks.append(
                ExportMark(
                    id=f"s{mark.id}",
                    document=result.record_meta.slug if side == "record" else account.slug,
                    account=account.slug,
                    index=index,
                    status="linked" if linked else ("omitted" if side == "record" else "added"),
                    significant=mark.significant,
                    note=mark.note,
                    resp=mark.resp,
                    created=_iso(mark.created),
                )
            )
    return CuratedDossier(
        id=result.dossier.id,
        title=result.dossier.title,
        date=result.dossier.date,
        description=result.dossier.description,
        url=url,
        note=result.dossier.notes,
        record=_document(result.record_meta, result.record.text, result.record.sentences),
        accounts=tuple(
            _document(a.meta, a.document.text, a.document.sentences) for a in result.accounts
        ),
        links=tuple(links),
        rejected=tuple(rejected),
        marks=tuple(marks),
        history=tuple(
            HistoryEntry(
                id=change.id,
                when=_iso(change.created_at) or "",
                who=change.user_name,
                target=f"{change.target} {change.target_id}",
                action=change.action,
                before=None if change.before is None else json.dumps(change.before, sort_keys=True),
                after=None if change.after is None else json.dumps(change.after, sort_keys=True),
            )
            for change in sorted(history, key=lambda c: c.id)
        ),
        exported=_iso(now or datetime.now(UTC)) or "",
        settings=dict(result.comparison.settings),
        quotes=tuple(quotes),
    )


def _when(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ImportRefused(f"{value!r} is not an ISO 8601 time") from None


#: What a history entry may name and do (as :func:`record_change` writes them).
_HISTORY_TARGETS = ("link", "mark", "dossier", "document")
_HISTORY_ACTIONS = ("create", "update", "delete", "revert")


def _imported_change(dossier_id: int, entry: HistoryEntry) -> Change:
    """A history row restored from an export, with its own time, person and states."""
    target, _, number = entry.target.partition(" ")
    number = "" if number == "None" else number
    valid_id = number.isdigit() and len(number) <= 10 and int(number) <= MAX_ID
    if target not in _HISTORY_TARGETS or not (valid_id or number == ""):
        raise ImportRefused(f"history entry {entry.id}: unknown target {entry.target!r}")
    if entry.action not in _HISTORY_ACTIONS:
        raise ImportRefused(f"history entry {entry.id}: unknown action {entry.action!r}")
    if not entry.who.strip() or len(entry.who) > 80:
        raise ImportRefused(f"history entry {entry.id}: a person's name of 1 to 80 characters")

    def state(text: str | None, which: str) -> dict[str, object] | None:
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise ImportRefused(f"history entry {entry.id}: {which} is not JSON") from None
        if not isinstance(value, dict):
            raise ImportRefused(f"history entry {entry.id}: {which} is not a JSON object")
        return value

    try:
        when = _when(entry.when)
    except ImportRefused as exc:
        raise ImportRefused(f"history entry {entry.id}: {exc}") from None
    return Change(
        dossier_id=dossier_id,
        user_name=entry.who,
        created_at=when,
        target=target,
        target_id=int(number) if number else None,
        action=entry.action,
        before=state(entry.before, "before"),
        after=state(entry.after, "after"),
        imported=True,
    )


def _clear(session: Session, dossier_id: int, who: str) -> None:
    """Delete the dossier's decisions and marks, each removal recorded in its history."""
    decisions = select(LinkDecision).where(LinkDecision.dossier_id == dossier_id)
    marks = select(SentenceMark).where(SentenceMark.dossier_id == dossier_id)
    rows: list[LinkDecision | SentenceMark] = [
        *session.scalars(decisions).all(),
        *session.scalars(marks).all(),
    ]
    for row in rows:
        record_change(session, dossier_id, who, row, "delete", snapshot(row))
    session.execute(delete(LinkDecision).where(LinkDecision.dossier_id == dossier_id))
    session.execute(delete(SentenceMark).where(SentenceMark.dossier_id == dossier_id))


def import_curation(
    session: Session, dossier: StoredDossier, curated: CuratedDossier, who: str
) -> dict[str, int]:
    """Replace a dossier's curation with an imported one; return what was restored.

    The texts must be the stored ones (a curation refers to their offsets); the decisions
    keep the names and times of the people who made them; the file's history is restored
    (marked imported) and the import itself is recorded after it. Raises
    :class:`ImportRefused` (nothing changed) when the file does not fit.
    """
    documents = {d.slug: d for d in dossier.documents}
    for exported in (curated.record, *curated.accounts):
        stored = documents.get(exported.id)
        if stored is None:
            raise ImportRefused(f"the file has a document {exported.id!r} this dossier does not")
        if stored.text != exported.text:
            raise ImportRefused(
                f"the text of {exported.id!r} in the file differs from the stored one; "
                "import into a dossier with the same texts"
            )
    spans: dict[str, tuple[Sentence, ...]] = {
        d.id: d.sentences for d in (curated.record, *curated.accounts)
    }
    record = documents[curated.record.id]

    def offsets(document: str, indices: Sequence[int]) -> list[list[int]]:
        sentences = spans[document]
        try:
            return [[sentences[i].start, sentences[i].end] for i in indices]
        except IndexError:
            raise ImportRefused(f"a sentence number of {document!r} is out of range") from None

    # The file's history first, as it was (marked imported: never reverted here).
    counts = {"links": 0, "rejected": 0, "marks": 0, "history": 0}
    for entry in sorted(curated.history, key=lambda e: e.id):
        session.add(_imported_change(dossier.id, entry))
        counts["history"] += 1
    session.flush()
    # Clear the current curation (each removal recorded), then restore the file's.
    _clear(session, dossier.id, who)
    for exported in (curated.record, *curated.accounts):
        document = documents[exported.id]
        if list(document.splits or []) != list(exported.splits) or list(
            document.joins or []
        ) != list(exported.joins):
            before = snapshot(document)
            document.splits = list(exported.splits)
            document.joins = list(exported.joins)
            record_change(session, dossier.id, who, document, "update", before)
    if dossier.notes != curated.note:
        before = snapshot(dossier)
        dossier.notes = curated.note
        record_change(session, dossier.id, who, dossier, "update", before)
    decided: list[tuple[str, str, ExportLink | RejectedLink]] = [
        (link.account, "confirm" if link.status == "confirmed" else "add", link)
        for link in curated.links
        if link.status != "machine"
    ]
    decided += [(r.account, "remove", r) for r in curated.rejected]
    for account_id, action, item in decided:
        account = documents[account_id]
        source = offsets(curated.record.id, item.source)
        witness = offsets(account_id, item.witness)
        created = _when(item.created)
        row = LinkDecision(
            dossier_id=dossier.id,
            record_id=record.id,
            account_id=account.id,
            action=action,
            source_spans=source,
            witness_spans=witness,
            source_text=" ".join(record.text[a:b] for a, b in source),
            witness_text=" ".join(account.text[a:b] for a, b in witness),
            label=getattr(item, "label", None),
            note=item.note,
            created_by=item.resp,
            updated_by=item.resp,
            created_at=created,
            updated_at=created,
        )
        session.add(row)
        record_change(session, dossier.id, who, row, "create", None)
        counts["rejected" if action == "remove" else "links"] += 1
    for mark in curated.marks:
        ((start, end),) = offsets(mark.document, [mark.index])
        created = _when(mark.created)
        row_mark = SentenceMark(
            dossier_id=dossier.id,
            document_id=find_document(dossier, mark.document).id,
            account_id=documents[mark.account].id,
            start=start,
            end=end,
            text=documents[mark.document].text[start:end],
            significant=mark.significant,
            note=mark.note,
            created_by=mark.resp,
            updated_by=mark.resp,
            created_at=created,
            updated_at=created,
        )
        session.add(row_mark)
        record_change(session, dossier.id, who, row_mark, "create", None)
        counts["marks"] += 1
    return counts


def read_import(filename: str, data: bytes) -> CuratedDossier:
    """Parse an uploaded JSON or TEI export into a curated dossier (ValueError if not one)."""
    from ..export import from_json, from_tei

    head = data.lstrip()[:1]
    if filename.lower().endswith(".json") or head in (b"{", b"["):
        if b"\x00" in data or b"\\u0000" in data:
            raise ValueError(f"{filename}: contains NUL characters (U+0000), which are refused")
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{filename}: is not valid JSON ({exc})") from None
        except RecursionError:
            raise ValueError(f"{filename}: is JSON nested too deeply to be an export") from None
        if not isinstance(parsed, dict):
            raise ValueError(f"{filename}: is not a memcon JSON export")
        return from_json(parsed)
    if filename.lower().endswith((".xml", ".tei")) or head == b"<":
        return from_tei(data)
    raise ValueError(f"{filename}: is neither a JSON nor a TEI export of memcon")


__all__ = ["MACHINE", "ImportRefused", "build_export", "import_curation", "read_import"]
