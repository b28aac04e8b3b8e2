"""Curation operations: confirm, remove and add links, labels, marks, notes, boundaries, revert.

Each operation is one function used by both the form routes and the JSON API, so the
pages and the API check the same rights and refuse the same things. :func:`run` reads
the dossier once (:func:`.access.load`, which checks the person may annotate it) and
runs the operation with the person and the checked dossier in one transaction with its
history row; an edit based on an old version raises :class:`Conflict` (409) carrying the
current state, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import errors
from ..collate import Document
from ..store import User
from ..store.dossiers import StaleEdit, find_document
from ..store.integrity import is_unique_violation
from ..store.models import Change, LinkDecision, SentenceMark
from ..store.models import Document as StoredDocument
from ..store.models import Dossier as StoredDossier
from . import access
from .comparisons import Account, DossierComparison, Library
from .curation import CurationError
from .edits import decide, delete_decision, edit_decision, fix_boundary, set_mark, set_notes
from .exchange import import_curation, read_import
from .history import Tracked, revert, snapshot


class Conflict(errors.Conflict):
    """An edit of an old version: carries the stored state to show or send back."""

    def __init__(self, message: str, current: dict[str, object]) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Done:
    """What an operation changed: the kind and id of the row, its version, a message."""

    target: str
    id: int | None
    version: int | None
    message: str


#: Reads the row a change was about, as stored now (for the 409 answer).
Reader = Callable[[Session], Tracked | None]


@dataclass
class Curating:
    """One operation's context: its transaction, the person and the checked dossier."""

    session: Session
    user: User
    dossier: access.Loaded
    library: Library
    reference: str | None = None
    #: Set by an operation before it changes a row: what it is and how to read it again.
    conflict: tuple[str, Reader] | None = None
    #: Whether a second row where one may be (two first marks at once) is a conflict too.
    duplicates: bool = False

    @property
    def who(self) -> str:
        """The name stored with the change."""
        return self.user.name

    def compared(self) -> DossierComparison:
        """The machine's comparison of the dossier (its sentences; people's links not needed)."""
        return self.library.machine(self.dossier.info, self.user, self.reference)


def run(
    library: Library,
    user: User,
    slug: str,
    operation: Callable[..., Done],
    *args: object,
    need: access.Need = access.Need.ANNOTATE,
    reference: str | None = None,
) -> Done:
    """Run one operation on a dossier this person may ``need``, in one transaction.

    Raises NotFound / Forbidden (from :func:`.access.load`), a refusal (nothing stored), or
    :class:`Conflict` with the row as stored now when the change lost to another one.
    """
    context: Curating | None = None
    try:
        with library.database.session() as session:
            loaded = access.load(session, slug, user, need)
            context = Curating(session, user, loaded, library, reference)
            return operation(context, *args)
    except (StaleEdit, StaleDataError, IntegrityError) as exc:
        if context is None or context.conflict is None:
            raise
        if isinstance(exc, IntegrityError) and not (
            context.duplicates and is_unique_violation(exc)
        ):
            raise
        raise _stale(library, context.conflict, exc) from None


def _stale(library: Library, conflict: tuple[str, Reader], exc: Exception) -> Conflict:
    """The conflict to report, with the row as stored now (read after the rollback).

    ``StaleEdit``: the version sent was old. Otherwise two edits of the same version
    raced, and the database let only the first one through.
    """
    what, read = conflict
    with library.database.session() as session:
        row = read(session)
        current = {**snapshot(row), "id": row.id, "version": row.version} if row else {}
    if isinstance(exc, StaleEdit):
        return Conflict(str(exc), current)
    return Conflict(
        f"the {what} was changed by someone else at the same moment; nothing was saved",
        current,
    )


_Row = TypeVar("_Row", LinkDecision, SentenceMark, StoredDossier, StoredDocument)
_Owned = TypeVar("_Owned", LinkDecision, Change)


def _by_id(model: type[_Row], row_id: int) -> Callable[[Session], _Row | None]:
    return lambda session: session.get(model, row_id)


# --- Reading the request's values -------------------------------------------------------


def _account(result: DossierComparison, slug: str) -> Account:
    if not slug:
        raise CurationError("say which account (account)")
    return result.account(slug)


def _number(value: object) -> int:
    """``int(value)`` for what a form or a JSON body can hold; TypeError for the rest."""
    if isinstance(value, str | bytes | int | float):
        return int(value)
    raise TypeError(f"not a number: {value!r}")


def _indices(values: object, side: str) -> list[int]:
    if isinstance(values, (str, int)):
        values = [values]
    try:
        if not values:
            return []
        if not isinstance(values, Iterable):
            raise TypeError(f"not a list: {values!r}")
        return [_number(v) for v in values]
    except (TypeError, ValueError):
        raise CurationError(f"{side} must be sentence numbers") from None


def _version(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return _number(value)
    except (TypeError, ValueError):
        raise CurationError("version must be a number") from None


def _significant(value: object) -> bool | None:
    if value in (None, "", "unset"):
        return None
    if value in (True, "yes", "true", "1"):
        return True
    if value in (False, "no", "false", "0"):
        return False
    raise CurationError("significant must be yes, no or unset")


def _row(context: Curating, model: type[_Owned], row_id: int, what: str) -> _Owned:
    row = context.session.get(model, row_id)
    if row is None or row.dossier_id != context.dossier.info.db_id:
        raise errors.NotFound(f"this dossier has no {what} {row_id}")
    return row


# --- Operations -------------------------------------------------------------------------


def op_decide(context: Curating, data: Mapping[str, object]) -> Done:
    """Confirm or remove a machine link, or add one: account, source, witness sentence numbers.

    Sentence numbers are 1-based, as shown (R3, A5).
    """
    result = context.compared()
    account = _account(result, str(data.get("account", "")))
    source = [i - 1 for i in _indices(data.get("source"), "source")]
    witness = [j - 1 for j in _indices(data.get("witness"), "witness")]
    label = data.get("label") or None
    note = data.get("note") or ""
    if not isinstance(note, str) or (label is not None and not isinstance(label, str)):
        raise CurationError("label and note must be text")
    row = decide(
        context.session,
        context.dossier.row,
        context.who,
        action=str(data.get("action") or "add"),
        record=(result.record_meta.id, result.record),
        account=(account.meta.id, account.document),
        source=source,
        witness=witness,
        label=label,
        note=note,
    )
    return Done("link", row.id, row.version, _DECIDED[row.action])


_DECIDED = {"add": "Link added.", "confirm": "Link confirmed.", "remove": "Link removed."}


def op_edit_link(context: Curating, decision_id: int, data: Mapping[str, object]) -> Done:
    """Change the label or note of a decided link (with the version edited)."""
    changes = {k: v for k, v in data.items() if k in {"label", "note", "action"}}
    extra = sorted(set(data) - {"label", "note", "action", "version", "csrf_token"})
    if extra:
        raise CurationError(f"cannot change {', '.join(extra)} (editable: label, note, action)")
    context.conflict = ("link", _by_id(LinkDecision, decision_id))
    row = _row(context, LinkDecision, decision_id, "link decision")
    edit_decision(context.session, row, context.who, _version(data.get("version")), changes)
    return Done("link", row.id, row.version, "Link saved.")


def op_delete_link(context: Curating, decision_id: int, version: object) -> Done:
    """Withdraw a decision: the machine's proposal for those sentences applies again."""
    context.conflict = ("link", _by_id(LinkDecision, decision_id))
    row = _row(context, LinkDecision, decision_id, "link decision")
    delete_decision(context.session, row, context.who, _version(version))
    return Done("link", decision_id, None, "Decision withdrawn.")


def op_mark(context: Curating, data: Mapping[str, object]) -> Done:
    """Mark a sentence (side record or account, 1-based number) significant or not, with a note."""
    result = context.compared()
    account = _account(result, str(data.get("account", "")))
    side = data.get("side")
    if side not in ("record", "account"):
        raise CurationError("side must be record or account")
    (number,) = _indices(data.get("index"), "index")[:1] or [0]
    document = result.record if side == "record" else account.document
    if not 1 <= number <= len(document.sentences):
        raise CurationError(f"there is no {side} sentence {number}")
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise CurationError("note must be text")
    document_id = result.record_meta.id if side == "record" else account.meta.id
    sentence = document.sentences[number - 1]

    def stored(session: Session) -> SentenceMark | None:
        return session.scalar(
            select(SentenceMark).where(
                SentenceMark.dossier_id == context.dossier.info.db_id,
                SentenceMark.document_id == document_id,
                SentenceMark.account_id == account.meta.id,
                SentenceMark.start == sentence.start,
            )
        )

    # Two first marks of one sentence at once: the first one is stored, this one is a 409.
    context.conflict, context.duplicates = ("mark", stored), True
    row = set_mark(
        context.session,
        context.dossier.row,
        context.who,
        document_id=document_id,
        account_id=account.meta.id,
        sentence=sentence,
        significant=_significant(data.get("significant")),
        note=note,
        expected=_version(data.get("version")),
    )
    return Done("mark", row.id, row.version, "Mark saved.")


def op_notes(context: Curating, notes: object, version: object) -> Done:
    """Change the dossier's notes (with the dossier version edited)."""
    if not isinstance(notes, str):
        raise CurationError("notes must be text")
    dossier = context.dossier.row
    context.conflict = ("dossier", _by_id(StoredDossier, dossier.id))
    set_notes(context.session, dossier, context.who, notes, _version(version))
    context.session.flush()
    return Done("dossier", dossier.id, dossier.version, "Notes saved.")


def sentences_of(result: DossierComparison, document_id: str) -> Document:
    """The engine's document (with people's boundary fixes) of one of the dossier's texts."""
    if result.record_meta.slug == document_id:
        return result.record
    for account in result.accounts:
        if account.slug == document_id:
            return account.document
    raise errors.NotFound(f"dossier {result.dossier.id!r} has no document {document_id!r}")


def _boundary_offset(document: Document, data: Mapping[str, object]) -> int:
    """Where the boundary to fix is: the start of sentence ``index``, or ``words`` in it."""
    (number,) = _indices(data.get("index"), "index")[:1] or [0]
    if not 1 <= number <= len(document.sentences):
        raise CurationError(f"there is no sentence {number}")
    sentence = document.sentences[number - 1]
    action = data.get("action")
    if action == "join":
        if number == 1:
            raise CurationError("the first sentence has no sentence before it to join")
        return sentence.start
    if action == "split":
        words = str(data.get("words") or "").strip()
        place = sentence.text.find(words) if words else -1
        if place <= 0:
            raise CurationError(
                f"type the words where the new sentence begins, as they are in sentence {number}"
                " (not its first words)"
            )
        return sentence.start + place
    raise CurationError("action must be split or join")


def op_boundary(context: Curating, document_id: str, data: Mapping[str, object]) -> Done:
    """Split a sentence where ``words`` begin in sentence ``index``, or join it to the previous."""
    document = sentences_of(context.compared(), document_id)
    offset = _boundary_offset(document, data)
    row = find_document(context.dossier.row, document_id)
    context.conflict = ("document", _by_id(StoredDocument, row.id))
    fix_boundary(
        context.session,
        row,
        context.who,
        action=str(data.get("action")),
        offset=offset,
        sentences=document.sentences,
        expected=_version(data.get("version")),
    )
    context.session.flush()
    return Done("document", row.id, row.version, "Sentence boundary fixed.")


def op_revert(context: Curating, change_id: int) -> Done:
    """Undo one recorded change (itself recorded)."""
    change = _row(context, Change, change_id, "change")
    done = revert(context.session, change, context.who)
    return Done(done.target, done.target_id, None, f"Change {change_id} reverted.")


def op_import(context: Curating, filename: str, data: bytes) -> Done:
    """Replace the dossier's curation with an uploaded export (run with ``need=OWN``)."""
    if not data.strip():
        raise CurationError("choose a JSON or TEI export of memcon to import")
    try:
        curated = read_import(filename, data)
    except ValueError as exc:
        raise CurationError(str(exc)) from None
    counts = import_curation(context.session, context.dossier.row, curated, context.who)
    return Done(
        "dossier",
        None,
        None,
        f"Imported {counts['links']} links, {counts['rejected']} removals and "
        f"{counts['marks']} marks, with {counts['history']} changes of history.",
    )
