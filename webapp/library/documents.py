"""A dossier's documents: read an upload or pasted text, add it, change it; the scorer setting.

Each change reads the dossier once (:func:`.access.load` checks the person's right) and
happens in one transaction: a refused or failed change leaves everything stored as it
was. Editing a text carries people's decisions to the new text (:func:`.history.carry_over`)
and records the edit in the dossier's history.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from ..collate.semantic import check_available
from ..errors import NotFound
from ..ingest import Limits, clean_scan, read_upload
from ..store import Database, User
from ..store import Document as StoredDocument
from ..store import Dossier as StoredDossier
from ..store.dossiers import (
    EDITABLE,
    ConcurrentEdit,
    DossierError,
    add_document,
    delete_document,
    find_document,
    update_document,
)
from .access import Need, load
from .history import carry_over, record_change, snapshot
from .infos import DocInfo, DossierInfo

#: An uploaded file: its name and its bytes.
Upload = tuple[str, bytes]

_YES = {"1", "true", "yes", "on"}


def document_text(upload: Upload | None, pasted: str, limits: Limits) -> tuple[str, str]:
    """The text of an uploaded file, or else the pasted text, and the file's name.

    Neither may pass the app's limits on text and pages (:class:`TooLarge`, 413).
    """
    if upload is not None and upload[0]:
        filename, data = upload
        return read_upload(filename, data, limits), filename
    if pasted.strip():
        limits.check_chars(len(pasted), "the pasted text")
        return pasted.replace("\r\n", "\n").replace("\r", "\n"), ""
    raise DossierError("choose a file or paste the text")


def save_document(
    database: Database,
    user: User,
    slug: str,
    form: Mapping[str, str],
    upload: Upload | None,
    limits: Limits,
) -> tuple[str, int]:
    """Read, optionally clean up, and store a new document in one transaction.

    Returns the document's id and version; raises :class:`IngestError` or
    :class:`DossierError` having stored nothing.
    """
    with database.session() as session:
        dossier = load(session, slug, user, Need.ANNOTATE, action="add documents").row
        text, filename = document_text(upload, form.get("text", ""), limits)
        if form.get("cleanup") in _YES:
            text = clean_scan(text).text
        document = add_document(
            session,
            dossier,
            title=form.get("title", "") or filename or "Untitled document",
            kind=form.get("kind", ""),
            text=text,
            author=form.get("author", ""),
            date=form.get("date", ""),
            provenance=form.get("provenance", ""),
            filename=filename,
        )
        return document.slug, document.version


def document_meta(dossier: DossierInfo, document_id: str) -> DocInfo:
    """The dossier's document with this id, or :class:`NotFound`."""
    meta = next((d for d in dossier.documents if d.slug == document_id), None)
    if meta is None:
        raise NotFound(f"dossier {dossier.id!r} has no document {document_id!r}")
    return meta


def _stored(row: StoredDossier, info: DossierInfo, document_id: str) -> StoredDocument:
    """The stored document (NotFound if the dossier has none with this id)."""
    document_meta(info, document_id)
    return find_document(row, document_id)


def read_document(
    database: Database,
    user: User | None,
    slug: str,
    document_id: str,
    shares: Collection[str] = (),
) -> tuple[DossierInfo, DocInfo, str]:
    """One document of a dossier this person may see: the dossier, the document, its text."""
    with database.session() as session:
        loaded = load(session, slug, user, Need.READ, shares)
        text = _stored(loaded.row, loaded.info, document_id).text
        return loaded.info, document_meta(loaded.info, document_id), text


def edit_form(
    database: Database, user: User, slug: str, document_id: str
) -> tuple[DossierInfo, DocInfo, dict[str, str]]:
    """What the edit form shows: the dossier, the document, and its editable fields as
    stored now with its ``version``; the person must be one who may change it."""
    with database.session() as session:
        loaded = load(session, slug, user, Need.ANNOTATE, action="edit its documents")
        stored = _stored(loaded.row, loaded.info, document_id)
        current = {field: getattr(stored, field) for field in EDITABLE}
        current["version"] = str(stored.version)
        return loaded.info, document_meta(loaded.info, document_id), current


def remove_document(database: Database, user: User, slug: str, document_id: str) -> None:
    """Delete one document (the owner or an admin); NotFound if there is no such document."""
    with database.session() as session:
        loaded = load(session, slug, user, Need.OWN, action="delete its documents")
        _stored(loaded.row, loaded.info, document_id)
        delete_document(session, loaded.row, document_id)


def change_document(
    database: Database, user: User, slug: str, document_id: str, form: Mapping[str, Any]
) -> int:
    """Apply edits (with the ``version`` they were made on) to a document; the new version."""
    try:
        with database.session() as session:
            loaded = load(session, slug, user, Need.ANNOTATE, action="edit its documents")
            dossier = loaded.row
            document = _stored(dossier, loaded.info, document_id)
            expected, changes = _edits(form)
            old_text = document.text
            before = snapshot(document)
            if update_document(document, expected, changes):
                # People's decisions refer to the text: carry them to the new one (or list
                # them for review), and record the edit in the dossier's history.
                if document.text != old_text:
                    carry_over(session, document, old_text)
                record_change(session, dossier.id, user.name, document, "update", before)
            session.flush()
            return document.version
    except StaleDataError:  # both passed the version check; the database took the first
        raise ConcurrentEdit(f"document {document_id!r}") from None


def _edits(form: Mapping[str, Any]) -> tuple[int, dict[str, str]]:
    """The version an edit was made on, and the changed fields (each must be text)."""
    try:
        expected = int(form.get("version", ""))
    except (TypeError, ValueError):
        raise DossierError("say which version you edited (version)") from None
    changes = {k: v for k, v in form.items() if k != "version"}
    for field, value in changes.items():
        if not isinstance(value, str):
            raise DossierError(f"{field} must be text")
    return expected, changes


def set_semantic(database: Database, user: User, slug: str, on: bool) -> None:
    """Store the dossier's choice of scorer; switching it on needs the extra installed.

    Raises :class:`SemanticUnavailable` (and stores nothing) when the extra is missing.
    The setting is part of the comparison's cache key, so the next view recomputes.
    """
    with database.session() as session:
        dossier = load(session, slug, user, Need.OWN, action="change its settings").row
        if on:
            check_available()
        settings = {k: v for k, v in (dossier.settings or {}).items() if k != "semantic"}
        if on:
            settings["semantic"] = True
        dossier.settings = settings  # a new dict, so the JSON column sees the change
