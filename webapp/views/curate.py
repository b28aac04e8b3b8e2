"""Curating a dossier: confirm, remove and add links, labels, marks, notes, boundaries, history.

Each operation is one function used by both the form routes here and the JSON API, so
the pages and the API check the same rights and refuse the same things. A change needs an
annotator among the dossier's owner and members (or an admin); it happens in one
transaction with its history row; an edit based on an old version gets 409 and the
current state, and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ..auth import database, local_path
from ..curation import (
    CurationError,
    NotInDossier,
    decide,
    delete_decision,
    edit_decision,
    fix_boundary,
    revert,
    set_mark,
    set_notes,
    snapshot,
)
from ..errors import is_unique_violation
from ..ids import query_id
from ..library import Account, DossierComparison, DossierInfo, NotFound, stored_dossier
from ..store.dossiers import DossierError, StaleEdit, find_document
from ..store.models import Change, LinkDecision, SentenceMark
from . import visible_comparison
from .manage import _edited

bp = Blueprint("curate", __name__)


class Conflict(Exception):
    """An edit of an old version: carries the stored state to show or send back."""

    def __init__(self, message: str, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Done:
    """What an operation changed: the kind and id of the row, its version, a message."""

    target: str
    id: int | None
    version: int | None
    message: str


# --- Operations shared by pages and API -------------------------------------------------


def _curated(slug: str) -> tuple[DossierInfo, DossierComparison]:
    info = _edited(slug)
    return info, visible_comparison(slug)


def _account(result: DossierComparison, slug: str) -> Account:
    if not slug:
        raise CurationError("say which account (account)")
    return result.account(slug)


def _indices(values: Any, side: str) -> list[int]:
    if isinstance(values, (str, int)):
        values = [values]
    try:
        return [int(v) for v in values or []]
    except (TypeError, ValueError):
        raise CurationError(f"{side} must be sentence numbers") from None


def _version(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CurationError("version must be a number") from None


def _row(session: Any, model: Any, row_id: int, dossier_id: int, what: str) -> Any:
    row = session.get(model, row_id)
    if row is None or row.dossier_id != dossier_id:
        raise NotFound(f"this dossier has no {what} {row_id}")
    return row


def _stale(what: Any, exc: Exception, model: Any, row_id: int) -> Conflict:
    """The conflict to report, with the row as stored now (read after the rollback).

    ``StaleEdit``: the version sent was old. ``StaleDataError``: two edits of the same
    version raced, and the database let only the first one through.
    """
    with database().session() as session:
        row = session.get(model, row_id)
        current = {**snapshot(row), "id": row.id, "version": row.version} if row else {}
    if isinstance(exc, StaleEdit):
        return Conflict(str(exc), current)
    return Conflict(
        f"the {what} was changed by someone else at the same moment; nothing was saved",
        current,
    )


def op_decide(slug: str, data: Mapping[str, Any]) -> Done:
    """Confirm or remove a machine link, or add one: account, source, witness sentence numbers.

    Sentence numbers are 1-based, as shown (R3, A5).
    """
    info, result = _curated(slug)
    account = _account(result, str(data.get("account", "")))
    source = [i - 1 for i in _indices(data.get("source"), "source")]
    witness = [j - 1 for j in _indices(data.get("witness"), "witness")]
    label = data.get("label") or None
    note = data.get("note") or ""
    if not isinstance(note, str) or (label is not None and not isinstance(label, str)):
        raise CurationError("label and note must be text")
    with database().session() as session:
        dossier = stored_dossier(session, slug)
        if dossier is None:
            raise NotFound(f"no dossier {slug!r}")
        row = decide(
            session,
            dossier,
            g.user.name,
            action=str(data.get("action") or "add"),
            record=(result.record_meta.id, result.record),
            account=(account.meta.id, account.document),
            source=source,
            witness=witness,
            label=label,
            note=note,
        )
        return Done("link", row.id, row.version, _decided(row.action))


def _decided(action: str) -> str:
    return {"add": "Link added.", "confirm": "Link confirmed.", "remove": "Link removed."}[action]


def op_edit_link(slug: str, decision_id: int, data: Mapping[str, Any]) -> Done:
    """Change the label or note of a decided link (with the version edited)."""
    info, _ = _curated(slug)
    changes = {k: v for k, v in data.items() if k in {"label", "note", "action"}}
    extra = sorted(set(data) - {"label", "note", "action", "version", "csrf_token"})
    if extra:
        raise CurationError(f"cannot change {', '.join(extra)} (editable: label, note, action)")
    try:
        with database().session() as session:
            row = _row(session, LinkDecision, decision_id, info.db_id, "link decision")
            edit_decision(session, row, g.user.name, _version(data.get("version")), changes)
            return Done("link", row.id, row.version, "Link saved.")
    except (StaleEdit, StaleDataError) as exc:
        raise _stale("link", exc, LinkDecision, decision_id) from None


def op_delete_link(slug: str, decision_id: int, version: Any) -> Done:
    """Withdraw a decision: the machine's proposal for those sentences applies again."""
    info, _ = _curated(slug)
    try:
        with database().session() as session:
            row = _row(session, LinkDecision, decision_id, info.db_id, "link decision")
            delete_decision(session, row, g.user.name, _version(version))
            return Done("link", decision_id, None, "Decision withdrawn.")
    except (StaleEdit, StaleDataError) as exc:
        raise _stale("link", exc, LinkDecision, decision_id) from None


def _significant(value: Any) -> bool | None:
    if value in (None, "", "unset"):
        return None
    if value in (True, "yes", "true", "1"):
        return True
    if value in (False, "no", "false", "0"):
        return False
    raise CurationError("significant must be yes, no or unset")


def op_mark(slug: str, data: Mapping[str, Any]) -> Done:
    """Mark a sentence (side record or account, 1-based number) significant or not, with a note."""
    info, result = _curated(slug)
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
    try:
        with database().session() as session:
            dossier = stored_dossier(session, slug)
            assert dossier is not None
            row = set_mark(
                session,
                dossier,
                g.user.name,
                document_id=document_id,
                account_id=account.meta.id,
                sentence=document.sentences[number - 1],
                significant=_significant(data.get("significant")),
                note=note,
                expected=_version(data.get("version")),
            )
            return Done("mark", row.id, row.version, "Mark saved.")
    except (StaleEdit, StaleDataError, IntegrityError) as exc:
        # IntegrityError: two first marks of one sentence at once; the first one is stored.
        if isinstance(exc, IntegrityError) and not is_unique_violation(exc):
            raise
        with database().session() as session:
            mark = session.scalar(
                select(SentenceMark).where(
                    SentenceMark.dossier_id == info.db_id,
                    SentenceMark.document_id == document_id,
                    SentenceMark.account_id == account.meta.id,
                    SentenceMark.start == document.sentences[number - 1].start,
                )
            )
            mark_id = mark.id if mark else 0
        raise _stale("mark", exc, SentenceMark, mark_id) from None


def op_notes(slug: str, notes: Any, version: Any) -> Done:
    """Change the dossier's notes (with the dossier version edited)."""
    info, _ = _curated(slug)
    if not isinstance(notes, str):
        raise CurationError("notes must be text")
    try:
        with database().session() as session:
            dossier = stored_dossier(session, slug)
            assert dossier is not None
            set_notes(session, dossier, g.user.name, notes, _version(version))
            session.flush()
            return Done("dossier", dossier.id, dossier.version, "Notes saved.")
    except (StaleEdit, StaleDataError) as exc:
        from ..store.models import Dossier

        raise _stale("dossier", exc, Dossier, info.db_id) from None


def op_boundary(slug: str, document_id: str, data: Mapping[str, Any]) -> Done:
    """Split a sentence where ``words`` begin in sentence ``index``, or join it to the previous."""
    info, result = _curated(slug)
    document = None
    if result.record_meta.slug == document_id:
        document = result.record
    else:
        for account in result.accounts:
            if account.slug == document_id:
                document = account.document
    if document is None:
        raise NotFound(f"dossier {slug!r} has no document {document_id!r}")
    action = data.get("action")
    (number,) = _indices(data.get("index"), "index")[:1] or [0]
    if not 1 <= number <= len(document.sentences):
        raise CurationError(f"there is no sentence {number}")
    sentence = document.sentences[number - 1]
    if action == "join":
        if number == 1:
            raise CurationError("the first sentence has no sentence before it to join")
        offset = sentence.start
    elif action == "split":
        words = str(data.get("words") or "").strip()
        place = sentence.text.find(words) if words else -1
        if place <= 0:
            raise CurationError(
                f"type the words where the new sentence begins, as they are in sentence {number}"
                " (not its first words)"
            )
        offset = sentence.start + place
    else:
        raise CurationError("action must be split or join")
    try:
        with database().session() as session:
            dossier = stored_dossier(session, slug)
            assert dossier is not None
            row = find_document(dossier, document_id)
            fix_boundary(
                session,
                row,
                g.user.name,
                action=action,
                offset=offset,
                sentences=document.sentences,
                expected=_version(data.get("version")),
            )
            session.flush()
            return Done("document", row.id, row.version, "Sentence boundary fixed.")
    except (StaleEdit, StaleDataError) as exc:
        from ..store.models import Document

        meta = next(d for d in info.documents if d.slug == document_id)
        raise _stale("document", exc, Document, meta.id) from None


def op_revert(slug: str, change_id: int) -> Done:
    """Undo one recorded change (itself recorded)."""
    info, _ = _curated(slug)
    with database().session() as session:
        change = _row(session, Change, change_id, info.db_id, "change")
        try:
            done = revert(session, change, g.user.name)
        except NotInDossier as exc:
            raise NotFound(str(exc)) from None
        return Done(done.target, done.target_id, None, f"Change {change_id} reverted.")


# --- Form routes ------------------------------------------------------------------------


def _back(slug: str, account: str | None = None, anchor: str | None = None) -> Response:
    target = local_path(request.form.get("next"), "")
    if target:
        return redirect(target)
    if account:
        return redirect(
            url_for("pages.compare_view", dossier_id=slug, account=account, _anchor=anchor)
        )
    return redirect(url_for("pages.dossier", dossier_id=slug))


def _form_call(slug: str, operation: Any, *args: Any) -> Response:
    try:
        done: Done = operation(*args)
    except NotFound as exc:
        abort(404, description=str(exc))
    except Conflict as exc:
        abort(
            409, description=f"{exc} Stored now: {_describe(exc.current)}. Your change: {_mine()}"
        )
    except DossierError as exc:
        abort(400, description=str(exc))
    flash(done.message)
    return _back(slug, request.form.get("account"), request.form.get("anchor"))


def _describe(state: Mapping[str, Any]) -> str:
    shown = {
        k: v for k, v in state.items() if k in {"label", "note", "significant", "notes", "version"}
    }
    return ", ".join(f"{k}: {v!r}" for k, v in shown.items()) or "(deleted)"


def _mine() -> str:
    mine = {k: v for k, v in request.form.items() if k in {"label", "note", "significant", "notes"}}
    return ", ".join(f"{k}: {v!r}" for k, v in mine.items()) or "(no text)"


def _form_data() -> dict[str, Any]:
    data: dict[str, Any] = dict(request.form.items())
    data["source"] = request.form.getlist("source")
    data["witness"] = request.form.getlist("witness")
    return data


@bp.post("/dossiers/<dossier_id>/links")
def add_link(dossier_id: str) -> Response:
    """Confirm, remove or add a link (action) from the compare view."""
    return _form_call(dossier_id, op_decide, dossier_id, _form_data())


@bp.post("/dossiers/<dossier_id>/links/<int:decision_id>")
def edit_link(dossier_id: str, decision_id: int) -> Response:
    """Change a decided link's label and note."""
    data = {k: v for k, v in request.form.items() if k not in {"account", "anchor", "next"}}
    return _form_call(dossier_id, op_edit_link, dossier_id, decision_id, data)


@bp.post("/dossiers/<dossier_id>/links/<int:decision_id>/delete")
def delete_link(dossier_id: str, decision_id: int) -> Response:
    """Withdraw a decision."""
    version = request.form.get("version")
    return _form_call(dossier_id, op_delete_link, dossier_id, decision_id, version)


@bp.post("/dossiers/<dossier_id>/marks")
def mark(dossier_id: str) -> Response:
    """Mark an omitted or added sentence significant or not, with a note."""
    return _form_call(dossier_id, op_mark, dossier_id, dict(request.form.items()))


@bp.post("/dossiers/<dossier_id>/notes")
def notes(dossier_id: str) -> Response:
    """Change the dossier's notes."""
    form = request.form
    return _form_call(dossier_id, op_notes, dossier_id, form.get("notes", ""), form.get("version"))


@bp.route("/dossiers/<dossier_id>/documents/<document_id>/sentences", methods=["GET", "POST"])
def sentences(dossier_id: str, document_id: str) -> Any:
    """Fix a document's sentence boundaries: split a sentence, or join it to the previous."""
    if request.method == "POST":
        return _form_call(
            dossier_id, op_boundary, dossier_id, document_id, dict(request.form.items())
        )
    info, result = _curated(dossier_id)
    documents = {result.record_meta.slug: (result.record_meta, result.record)}
    documents.update({a.slug: (a.meta, a.document) for a in result.accounts})
    if document_id not in documents:
        abort(404, description=f"dossier {dossier_id!r} has no document {document_id!r}")
    meta, document = documents[document_id]
    return render_template("sentences.html", dossier=info, meta=meta, document=document)


@bp.get("/dossiers/<dossier_id>/history")
def history(dossier_id: str) -> str:
    """Every recorded change of the dossier, newest first (``?target=link&id=3`` for one)."""
    from . import visible_dossier

    info = visible_dossier(dossier_id)
    target = request.args.get("target")
    target_id = query_id("id")
    changes = load_history(info.db_id, target, target_id)
    return render_template(
        "history.html", dossier=info, changes=changes, target=target, target_id=target_id
    )


def load_history(
    dossier_id: int, target: str | None = None, target_id: int | None = None
) -> list[Change]:
    """The dossier's changes, newest first, optionally of one target."""
    with database().session() as session:
        query = select(Change).where(Change.dossier_id == dossier_id)
        if target:
            query = query.where(Change.target == target)
        if target_id is not None:  # imported changes name rows of another dossier
            query = query.where(Change.target_id == target_id, Change.imported.is_(False))
        rows = session.scalars(query.order_by(Change.id.desc())).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


@bp.post("/dossiers/<dossier_id>/history/<int:change_id>/revert")
def revert_change(dossier_id: str, change_id: int) -> Response:
    """Undo one change."""
    return _form_call(dossier_id, op_revert, dossier_id, change_id)


# --- Exports and imports ----------------------------------------------------------------

EXPORT_FORMATS = ("json", "csv", "tei", "webanno", "html")


def export_response(dossier_id: str, fmt: str) -> Response:
    """The dossier's curated comparison in one format, as a download (HTML: a page)."""
    from ..exporting import build_export

    if fmt not in EXPORT_FORMATS:
        raise CurationError(f"unknown format {fmt!r} (choose {', '.join(EXPORT_FORMATS)})")
    result = visible_comparison(dossier_id)
    history = load_history(result.dossier.db_id)
    url = url_for("pages.dossier", dossier_id=dossier_id, _external=True)
    curated = build_export(result, history, url)
    if fmt == "html":
        from . import present

        page = render_template(
            "report_curated.html", result=result, curated=curated, history=history, present=present
        )
        return Response(page, mimetype="text/html")
    from ..export import FORMATS

    write, mimetype, extension = FORMATS[fmt]
    body = write(curated)
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if "charset=" in mimetype:  # as given: werkzeug would add a second charset to text/*
        response = Response(body, content_type=mimetype)
    else:
        response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{dossier_id}.{extension.lstrip(".")}"'
    )
    return response


@bp.get("/dossiers/<dossier_id>/export")
def export(dossier_id: str) -> Response:
    """Download the curated comparison: ?format=json|csv|tei|webanno|html."""
    try:
        return export_response(dossier_id, request.args.get("format", "json"))
    except CurationError as exc:
        abort(400, description=str(exc))


def read_import(filename: str, data: bytes) -> Any:
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


def op_import(slug: str, filename: str, data: bytes) -> Done:
    """Replace the dossier's curation with an uploaded export (owner or admin)."""
    from ..exporting import import_curation

    info = _managed_dossier(slug)
    if not data.strip():
        raise CurationError("choose a JSON or TEI export of memcon to import")
    try:
        curated = read_import(filename, data)
    except ValueError as exc:
        raise CurationError(str(exc)) from None
    with database().session() as session:
        dossier = stored_dossier(session, slug)
        assert dossier is not None
        counts = import_curation(session, dossier, curated, g.user.name)
    del info
    return Done(
        "dossier",
        None,
        None,
        f"Imported {counts['links']} links, {counts['rejected']} removals and "
        f"{counts['marks']} marks, with {counts['history']} changes of history.",
    )


def _managed_dossier(slug: str) -> DossierInfo:
    from .manage import _managed

    return _managed(slug)


@bp.post("/dossiers/<dossier_id>/import")
def import_file(dossier_id: str) -> Response:
    """Restore a curated alignment from a JSON or TEI export."""
    upload = request.files.get("file")
    name = upload.filename or "" if upload else ""
    data = upload.read() if upload else b""
    return _form_call(dossier_id, op_import, dossier_id, name, data)
