"""JSON API mirroring the pages: dossiers, comparisons and phrase-order answers."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from .auth import database
from ..collate import PhraseNotFound
from ..collate.semantic import SemanticUnavailable
from .ids import query_id
from ..ingest import IngestError
from ..library import DocInfo, DossierInfo, NotFound, access, managing, stored_dossier
from ..library.decisions import (
    Conflict,
    Done,
    op_boundary,
    op_decide,
    op_delete_link,
    op_edit_link,
    op_import,
    op_mark,
    op_notes,
    op_revert,
)
from ..library.documents import change_document, save_document, set_semantic
from ..store import ROLES
from ..store.dossiers import (
    DossierError,
    StaleEdit,
    delete_document,
    find_document,
)
from .validation import Boundary as BoundaryBody
from .validation import (
    DocumentEdit,
    LinkDecision,
    LinkEdit,
    Mark,
    MemberName,
    NewDossier,
    Notes,
    Settings,
    fields,
    json_body,
)
from . import current_library, shares, visible_comparison, visible_dossier
from .curate import curation_call, export_response, load_history
from .manage import limits, refusal_status, upload_of

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status}), status


def _writer(role: str = "reader") -> None:
    """API changes need a bearer token (no cookie, hence no CSRF) and a role."""
    if g.user is None or not g.get("token_auth"):
        abort(401, description="changes through the API need Authorization: Bearer <token>")
    if ROLES.index(g.user.role) < ROLES.index(role):
        abort(403, description=f"this needs the role {role} or above")


def _dossier_json(info: DossierInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "title": info.title,
        "date": info.date,
        "description": info.description,
        "note": info.note,
        "visibility": info.visibility,
        "owner": info.owner,
        "members": list(info.members),
        "version": info.version,
        "notes": info.notes,
        "record": info.record,
        "settings": {"semantic": bool(info.settings.get("semantic"))},
        "documents": [_document_json(info, m) for m in info.documents],
    }


def _document_json(info: DossierInfo, meta: DocInfo | str) -> dict[str, object]:
    if isinstance(meta, str):
        meta = _document_meta(info, meta)
    return {
        "id": meta.slug,
        "title": meta.title,
        "author": meta.author,
        "date": meta.date,
        "kind": meta.kind,
        "provenance": meta.provenance,
        "reconstructed": meta.reconstructed,
        "filename": meta.filename,
        "version": meta.version,
        "record": meta.slug == info.record,
    }


@bp.post("/dossiers")
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
def dossier(dossier_id: str) -> ResponseReturnValue:
    """One dossier with its documents (id, title, kind, version, which is the record)."""
    return jsonify(_dossier_json(visible_dossier(dossier_id)))


@bp.delete("/dossiers/<dossier_id>")
def delete(dossier_id: str) -> ResponseReturnValue:
    """Delete a dossier (its owner or an admin)."""
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_manage(g.user):
        return _error("only the owner of the dossier or an admin may delete it", 403)
    managing.delete(database(), g.user, dossier_id)
    return "", 204


@bp.post("/dossiers/<dossier_id>/members")
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
def delete_member(dossier_id: str, name: str) -> ResponseReturnValue:
    """Take a member's access away (owner or admin): 204, or 400 with the reason."""
    return _members(dossier_id, name, add=False)


def _members(dossier_id: str, name: str, *, add: bool) -> ResponseReturnValue:
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_manage(g.user):
        return _error("only the owner of the dossier or an admin may change its members", 403)
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
def settings(dossier_id: str) -> ResponseReturnValue:
    """Choose the scorer: JSON ``{"semantic": true}`` -> the settings (owner or admin).

    400 with the one-line reason, and nothing stored, when the extra is not installed.
    """
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_manage(g.user):
        return _error("only the owner of the dossier or an admin may change its settings", 403)
    body = json_body(Settings, '{"semantic": true}')
    try:
        set_semantic(database(), g.user, dossier_id, body.semantic)
    except SemanticUnavailable as exc:
        return _error(str(exc), 400)
    return jsonify({"semantic": body.semantic})


@bp.post("/dossiers/<dossier_id>/documents")
def add(dossier_id: str) -> ResponseReturnValue:
    """Add a document: multipart ``file`` (or ``text``), ``title``, ``kind`` -> 201."""
    _editable(dossier_id)
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
def document(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """One document with its details, version and full text."""
    info = visible_dossier(dossier_id)
    meta = _document_meta(info, document_id)
    with database().session() as session:
        row = stored_dossier(session, dossier_id)
        text = find_document(row, document_id).text if row is not None else ""
    return jsonify({**_document_json(info, meta), "text": text})


@bp.patch("/dossiers/<dossier_id>/documents/<document_id>")
def edit(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Change a document: JSON with ``version`` (the one edited) and the changed fields."""
    info = _editable(dossier_id)
    _document_meta(info, document_id)
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
def remove(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Delete a document (the dossier's owner or an admin)."""
    _writer()
    info = visible_dossier(dossier_id)
    _document_meta(info, document_id)
    if not info.can_manage(g.user):
        return _error("only the owner of the dossier or an admin may delete documents", 403)
    managing.change(database(), g.user, dossier_id, lambda s, d: delete_document(s, d, document_id))
    return "", 204


def _editable(dossier_id: str) -> DossierInfo:
    """The dossier, if the token's user may add and change its documents."""
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_edit(g.user):
        abort(403, description="only annotators among the owner and members may change documents")
    return info


def _document_meta(info: DossierInfo, document_id: str) -> DocInfo:
    meta = next((d for d in info.documents if d.slug == document_id), None)
    if meta is None:
        raise NotFound(f"dossier {info.id!r} has no document {document_id!r}")
    return meta


@bp.get("/me")
def me() -> ResponseReturnValue:
    """Who the request is authenticated as (session or bearer token), or 401."""
    if g.user is None:
        return _error("not logged in: send Authorization: Bearer <token>", 401)
    return jsonify({"name": g.user.name, "role": g.user.role})


@bp.get("/dossiers")
def dossiers() -> ResponseReturnValue:
    """Every dossier: id, title, date, description, provenance note and documents."""
    return jsonify(
        [
            {
                "id": d.id,
                "title": d.title,
                "date": d.date,
                "description": d.description,
                "note": d.note,
                "record": d.record,
                "documents": [
                    {
                        "id": m.slug,
                        "title": m.title,
                        "author": m.author,
                        "date": m.date,
                        "kind": m.kind,
                        "provenance": m.provenance,
                        "reconstructed": m.reconstructed,
                    }
                    for m in d.documents
                ],
            }
            for d in current_library().visible(g.user, shares())
        ]
    )


@bp.get("/dossiers/<dossier_id>/comparison")
def comparison(dossier_id: str) -> ResponseReturnValue:
    """The engine's comparison JSON (schema 1) for the dossier, plus account ids."""
    result = visible_comparison(dossier_id)
    data = result.comparison.to_dict()
    data["dossier"] = {"id": result.dossier.id, "title": result.dossier.title}
    for witness, account in zip(data["witnesses"], result.accounts, strict=True):
        witness["id"] = account.slug
    data["source"]["id"] = result.record_meta.slug
    return jsonify(data)


@bp.get("/dossiers/<dossier_id>/order")
def order(dossier_id: str) -> ResponseReturnValue:
    """Does phrase ``a`` come before phrase ``b`` in each account? kept/inverted/missing."""
    result = visible_comparison(dossier_id)
    a = request.args.get("a", "").strip()
    b = request.args.get("b", "").strip()
    if not a or not b:
        return _error("give two phrases of the record as ?a=...&b=...", 400)
    try:
        answer = result.order(a, b)
    except PhraseNotFound as exc:
        return _error(str(exc), 422)
    data = answer.to_dict()
    for entry, account in zip(data["accounts"], result.accounts, strict=True):
        entry["id"] = account.slug
    return jsonify(data)


# --- Curation -----------------------------------------------------------------------------


def _curation_call(
    dossier_id: str,
    operation: Callable[..., Done],
    *args: object,
    status: int = 200,
    need: access.Need = access.Need.ANNOTATE,
) -> ResponseReturnValue:
    """Run a curation operation for a token's user; 409 carries the stored state."""
    _writer()
    try:
        done = curation_call(dossier_id, operation, *args, need=need)
    except Conflict as exc:
        return jsonify({"error": str(exc), "status": 409, "current": exc.current}), 409
    except DossierError as exc:
        return _error(str(exc), 400)
    body = {"target": done.target, "id": done.id, "version": done.version, "message": done.message}
    return jsonify(body), status


_LINK = '{"account": "...", "source": [3], "witness": [5]}'


@bp.get("/dossiers/<dossier_id>/links")
def links(dossier_id: str) -> ResponseReturnValue:
    """The curated links of every account, with who decided and each decision's version."""
    result = visible_comparison(dossier_id)
    accounts = []
    for account in result.accounts:
        items = []
        for index, link in enumerate(account.result.links):
            state = account.state(index)
            items.append(
                {
                    **link.to_dict(),
                    "number": index + 1,
                    "status": state.status,
                    "resp": state.resp,
                    "decision": state.decision,
                    "version": state.version,
                    "label": state.label,
                    "note": state.note,
                }
            )
        accounts.append(
            {
                "id": account.slug,
                "links": items,
                "omitted": list(account.result.omitted),
                "added": list(account.result.added),
                "rejected": [
                    {
                        "decision": r.decision,
                        "version": r.version,
                        "source": list(r.source),
                        "witness": list(r.witness),
                        "resp": r.resp,
                    }
                    for r in account.curation.rejected
                ],
                "marks": [
                    {
                        "side": side,
                        "index": index,
                        "id": m.id,
                        "version": m.version,
                        "significant": m.significant,
                        "note": m.note,
                        "resp": m.resp,
                    }
                    for (side, index), m in sorted(account.curation.marks.items())
                ],
            }
        )
    review = [
        {"target": r.target, "id": r.id, "version": r.version, "account": r.account, "text": r.text}
        for r in result.review
    ]
    return jsonify({"accounts": accounts, "review": review})


@bp.post("/dossiers/<dossier_id>/links")
def decide_link(dossier_id: str) -> ResponseReturnValue:
    """Add, confirm or remove a link: JSON account, source, witness (1-based), action."""
    return _curation_call(dossier_id, op_decide, fields(json_body(LinkDecision, _LINK)), status=201)


@bp.patch("/dossiers/<dossier_id>/links/<int:decision_id>")
def edit_link(dossier_id: str, decision_id: int) -> ResponseReturnValue:
    """Change a decision's label or note: JSON with ``version``."""
    body = fields(json_body(LinkEdit, '{"version": 1, "label": "paraphrase"}'))
    return _curation_call(dossier_id, op_edit_link, decision_id, body)


@bp.delete("/dossiers/<dossier_id>/links/<int:decision_id>")
def withdraw_link(dossier_id: str, decision_id: int) -> ResponseReturnValue:
    """Withdraw a decision: ``?version=N``."""
    return _curation_call(dossier_id, op_delete_link, decision_id, request.args.get("version"))


@bp.post("/dossiers/<dossier_id>/marks")
def mark_sentence(dossier_id: str) -> ResponseReturnValue:
    """Mark a sentence: JSON account, side, index (1-based), significant, note, version."""
    example = '{"account": "...", "side": "record", "index": 3, "significant": "yes"}'
    return _curation_call(dossier_id, op_mark, fields(json_body(Mark, example)))


@bp.put("/dossiers/<dossier_id>/notes")
def dossier_notes(dossier_id: str) -> ResponseReturnValue:
    """Change the dossier's notes: JSON notes, version (the dossier's)."""
    body = json_body(Notes, '{"notes": "...", "version": 1}')
    return _curation_call(dossier_id, op_notes, body.notes, body.version)


@bp.post("/dossiers/<dossier_id>/documents/<document_id>/boundaries")
def boundaries(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Split or join sentences: JSON action, index (1-based), words (for split), version."""
    body = fields(json_body(BoundaryBody, '{"action": "join", "index": 4, "version": 1}'))
    return _curation_call(dossier_id, op_boundary, document_id, body)


@bp.get("/dossiers/<dossier_id>/history")
def history(dossier_id: str) -> ResponseReturnValue:
    """Every recorded change, newest first (``?target=link&id=3`` for one item)."""
    info = visible_dossier(dossier_id)
    changes = load_history(info.db_id, request.args.get("target"), query_id("id"))
    return jsonify(
        [
            {
                "id": c.id,
                "when": c.created_at.isoformat(),
                "who": c.user_name,
                "target": c.target,
                "target_id": c.target_id,
                "action": c.action,
                "before": c.before,
                "after": c.after,
                "reverts": c.reverts,
            }
            for c in changes
        ]
    )


@bp.post("/dossiers/<dossier_id>/history/<int:change_id>/revert")
def revert_change(dossier_id: str, change_id: int) -> ResponseReturnValue:
    """Undo one change."""
    return _curation_call(dossier_id, op_revert, change_id)


@bp.get("/dossiers/<dossier_id>/export")
def export(dossier_id: str) -> ResponseReturnValue:
    """The curated comparison: ``?format=json|csv|tei|webanno|html``."""
    try:
        return export_response(dossier_id, request.args.get("format", "json"))
    except DossierError as exc:
        return _error(str(exc), 400)


@bp.post("/dossiers/<dossier_id>/import")
def import_curation(dossier_id: str) -> ResponseReturnValue:
    """Restore a curated alignment: multipart ``file`` (JSON or TEI), or a JSON body."""
    upload = request.files.get("file")
    if upload is not None:
        name, data = upload.filename or "upload", upload.read()
    else:
        name, data = "body.json", request.get_data()
    return _curation_call(dossier_id, op_import, name, data, need=access.Need.OWN)
