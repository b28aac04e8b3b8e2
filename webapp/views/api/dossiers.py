"""The JSON API of owners and editors: create and delete dossiers, members, settings, and
add, change and remove documents."""

from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ...collate.semantic import SemanticUnavailable
from ...ingest import IngestError
from ...library import managing
from ...library.documents import (
    change_document,
    read_document,
    remove_document,
    save_document,
    set_semantic,
)
from ...store.dossiers import (
    DossierError,
    StaleEdit,
)
from .. import shares, visible_dossier
from ..auth import database
from ..manage import limits, refusal_status, upload_of
from ..validation import (
    DocumentEdit,
    MemberName,
    NewDossier,
    Settings,
    fields,
    json_body,
)
from .common import _document_json, _dossier_json, _error, _writer, bp
from .schemas import SHARE, Answer, Spec, documented, ref

_OWNER = "the dossier's owner or an admin"
_ANNOTATORS = "an annotator among the dossier's owner and members, or an admin"
_GONE = {204: Answer("Done; no body.")}
_UPLOAD: dict[str, object] = {
    "type": "object",
    "required": ["title", "kind"],
    "properties": {
        "file": {"type": "string", "contentMediaType": "application/octet-stream"},
        "text": {"type": "string"},
        "title": {"type": "string"},
        "kind": {"type": "string"},
        "author": {"type": "string"},
        "date": {"type": "string"},
        "provenance": {"type": "string"},
    },
}


@bp.post("/dossiers")
@documented(
    Spec(
        body=NewDossier,
        answers={201: Answer("Created (Location: its URL).", ref("Created"))},
        role="annotator",
    )
)
def create() -> ResponseReturnValue:
    """Create a private dossier: JSON ``{"title": ...}`` -> 201 ``{"id": ...}``."""
    _writer("annotator")
    body = json_body(NewDossier, '{"title": "Zavidovo, 1993"}')
    try:
        slug = managing.create(database(), g.user, body.title, body.description)
    except DossierError as exc:
        return _error(str(exc), 400)
    response = jsonify({"id": slug})
    response.status_code = 201
    response.headers["Location"] = url_for("api.dossier", dossier_id=slug)
    return response


@bp.get("/dossiers/<dossier_id>")
@documented(Spec(query=(SHARE,), answers={200: Answer("The dossier.", ref("Dossier"))}))
def dossier(dossier_id: str) -> ResponseReturnValue:
    """One dossier with its documents (id, title, kind, version, which is the record)."""
    return jsonify(_dossier_json(visible_dossier(dossier_id)))


@bp.delete("/dossiers/<dossier_id>")
@documented(Spec(answers=_GONE, rights=_OWNER))
def delete(dossier_id: str) -> ResponseReturnValue:
    """Delete a dossier (its owner or an admin)."""
    _writer()
    managing.delete(database(), g.user, dossier_id)
    return "", 204


@bp.post("/dossiers/<dossier_id>/members")
@documented(
    Spec(
        body=MemberName,
        answers={201: Answer("The members now.", ref("Members"))},
        rights=_OWNER,
    )
)
def post_member(dossier_id: str) -> ResponseReturnValue:
    """Give a user access: JSON ``{"name": ...}`` (or a form) -> 201 with the members."""
    _writer()
    if request.is_json:
        return _members(dossier_id, json_body(MemberName, '{"name": "olga"}').name, add=True)
    name = request.form.get("name")
    if name is None:
        return _error('send JSON like {"name": "olga"} (or a form field name)', 400)
    return _members(dossier_id, name, add=True)


@bp.delete("/dossiers/<dossier_id>/members/<name>")
@documented(Spec(answers=_GONE, rights=_OWNER))
def delete_member(dossier_id: str, name: str) -> ResponseReturnValue:
    """Take a member's access away (owner or admin): 204, or 400 with the reason."""
    return _members(dossier_id, name, add=False)


def _members(dossier_id: str, name: str, *, add: bool) -> ResponseReturnValue:
    _writer()
    try:
        members = managing.members(database(), g.user, dossier_id, name, add=add)
    except DossierError as exc:
        return _error(str(exc), 400)
    if not add:
        return "", 204
    response = jsonify({"members": members})
    response.status_code = 201
    return response


@bp.put("/dossiers/<dossier_id>/settings")
@documented(
    Spec(
        body=Settings,
        answers={200: Answer("The settings now.", ref("SettingsAnswer"))},
        rights=_OWNER,
    )
)
def settings(dossier_id: str) -> ResponseReturnValue:
    """Choose the scorer: JSON ``{"semantic": true}`` -> the settings (owner or admin).

    400 with the one-line reason, and nothing stored, when the extra is not installed.
    """
    _writer()
    body = json_body(Settings, '{"semantic": true}')
    try:
        set_semantic(database(), g.user, dossier_id, body.semantic)
    except SemanticUnavailable as exc:
        return _error(str(exc), 400)
    return jsonify({"semantic": body.semantic})


@bp.post("/dossiers/<dossier_id>/documents")
@documented(
    Spec(
        body=_UPLOAD,
        media="multipart/form-data",
        answers={
            201: Answer("Stored (Location: its URL).", ref("Created")),
            413: Answer("Too large: nothing stored.", ref("Error")),
            415: Answer("A file of a kind not read.", ref("Error")),
            422: Answer("A file that cannot be read.", ref("Error")),
        },
        rights=_ANNOTATORS,
    )
)
def add(dossier_id: str) -> ResponseReturnValue:
    """Add a document: multipart ``file`` (or ``text``), ``title``, ``kind`` -> 201."""
    _writer()
    try:
        upload = upload_of(request.files.get("file"))
        slug, version = save_document(
            database(), g.user, dossier_id, request.form, upload, limits()
        )
    except (IngestError, DossierError) as exc:
        return _error(str(exc), refusal_status(exc))
    response = jsonify({"id": slug, "version": version})
    response.status_code = 201
    response.headers["Location"] = url_for("api.document", dossier_id=dossier_id, document_id=slug)
    return response


@bp.get("/dossiers/<dossier_id>/documents/<document_id>")
@documented(
    Spec(
        query=(SHARE,),
        answers={200: Answer("The document with its text.", ref("DocumentWithText"))},
    )
)
def document(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """One document with its details, version and full text."""
    info, meta, text = read_document(database(), g.user, dossier_id, document_id, shares())
    return jsonify({**_document_json(info, meta), "text": text})


@bp.patch("/dossiers/<dossier_id>/documents/<document_id>")
@documented(
    Spec(
        body=DocumentEdit,
        answers={
            200: Answer("The new version.", ref("Created")),
            409: Answer("Based on an old version: nothing changed.", ref("Conflict")),
        },
        rights=_ANNOTATORS,
    )
)
def edit(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Change a document: JSON with ``version`` (the one edited) and the changed fields."""
    _writer()
    body = json_body(DocumentEdit, '{"version": 1, "text": "..."}')
    try:
        version = change_document(database(), g.user, dossier_id, document_id, fields(body))
    except DossierError as exc:
        if isinstance(exc, StaleEdit):
            current = _document_json(visible_dossier(dossier_id), document_id)
            return jsonify({"error": str(exc), "status": 409, "current": current}), 409
        return _error(str(exc), refusal_status(exc))
    return jsonify({"id": document_id, "version": version})


@bp.delete("/dossiers/<dossier_id>/documents/<document_id>")
@documented(Spec(answers=_GONE, rights=_OWNER))
def remove(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Delete a document (the dossier's owner or an admin)."""
    _writer()
    remove_document(database(), g.user, dossier_id, document_id)
    return "", 204
