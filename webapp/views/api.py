"""JSON API mirroring the pages: dossiers, comparisons and phrase-order answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request, url_for

from ..auth import database
from ..collate import PhraseNotFound
from ..ingest import IngestError, clean_scan
from ..library import DossierInfo, NotFound, stored_dossier
from ..store import ROLES
from ..store.dossiers import DossierError, add_document, create_dossier
from . import current_library, shares, visible_comparison, visible_dossier
from .manage import document_text

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(message: str, status: int) -> tuple[Any, int]:
    return jsonify({"error": message, "status": status}), status


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound) -> tuple[Any, int]:
    return _error(str(exc), 404)


def _writer(role: str = "reader") -> None:
    """API changes need a bearer token (no cookie, hence no CSRF) and a role."""
    if g.user is None or not g.get("token_auth"):
        abort(401, description="changes through the API need Authorization: Bearer <token>")
    if ROLES.index(g.user.role) < ROLES.index(role):
        abort(403, description=f"this needs the role {role} or above")


def _dossier_json(info: DossierInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "title": info.title,
        "date": info.date,
        "description": info.description,
        "note": info.note,
        "visibility": info.visibility,
        "owner": info.owner,
        "record": info.record,
        "documents": [
            {
                "id": m.slug,
                "title": m.title,
                "author": m.author,
                "date": m.date,
                "kind": m.kind,
                "provenance": m.provenance,
                "reconstructed": m.reconstructed,
                "version": m.version,
                "record": m.slug == info.record,
            }
            for m in info.documents
        ],
    }


@bp.post("/dossiers")
def create() -> Any:
    """Create a private dossier: JSON ``{"title": ...}`` -> 201 ``{"id": ...}``."""
    _writer("annotator")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("title"), str):
        return _error('send JSON like {"title": "Zavidovo, 1993"}', 400)
    try:
        with database().session() as session:
            dossier = create_dossier(
                session, session.merge(g.user), body["title"], str(body.get("description", ""))
            )
            slug = dossier.slug
    except DossierError as exc:
        return _error(str(exc), 400)
    response = jsonify({"id": slug})
    response.status_code = 201
    response.headers["Location"] = url_for("api.dossier", dossier_id=slug)
    return response


@bp.get("/dossiers/<dossier_id>")
def dossier(dossier_id: str) -> Any:
    """One dossier with its documents (id, title, kind, version, which is the record)."""
    return jsonify(_dossier_json(visible_dossier(dossier_id)))


@bp.delete("/dossiers/<dossier_id>")
def delete(dossier_id: str) -> Any:
    """Delete a dossier (its owner or an admin)."""
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_manage(g.user):
        return _error("only the owner of the dossier or an admin may delete it", 403)
    with database().session() as session:
        row = stored_dossier(session, dossier_id)
        if row is not None:
            session.delete(row)
    return "", 204


@bp.post("/dossiers/<dossier_id>/documents")
def add(dossier_id: str) -> Any:
    """Add a document: multipart ``file`` (or ``text``), ``title``, ``kind`` -> 201."""
    _writer()
    info = visible_dossier(dossier_id)
    if not info.can_edit(g.user):
        return _error("only annotators among the owner and members may add documents", 403)
    form = request.form
    try:
        text, filename = document_text(request.files.get("file"), form.get("text", ""))
        if form.get("cleanup") in {"1", "true", "yes"}:
            text = clean_scan(text).text
        with database().session() as session:
            row = stored_dossier(session, dossier_id)
            if row is None:
                abort(404)
            document = add_document(
                session,
                row,
                title=form.get("title", "") or filename or "Untitled document",
                kind=form.get("kind", ""),
                text=text,
                author=form.get("author", ""),
                date=form.get("date", ""),
                provenance=form.get("provenance", ""),
                filename=filename,
            )
            slug, version = document.slug, document.version
    except IngestError as exc:
        status = 415 if "accepted" in str(exc) else 422
        return _error(str(exc), status)
    except DossierError as exc:
        return _error(str(exc), 400)
    response = jsonify({"id": slug, "version": version})
    response.status_code = 201
    return response


@bp.get("/me")
def me() -> Any:
    """Who the request is authenticated as (session or bearer token), or 401."""
    if g.user is None:
        return _error("not logged in: send Authorization: Bearer <token>", 401)
    return jsonify({"name": g.user.name, "role": g.user.role})


@bp.get("/dossiers")
def dossiers() -> Any:
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
def comparison(dossier_id: str) -> Any:
    """The engine's comparison JSON (schema 1) for the dossier, plus account ids."""
    result = visible_comparison(dossier_id)
    data = result.comparison.to_dict()
    data["dossier"] = {"id": result.dossier.id, "title": result.dossier.title}
    for witness, account in zip(data["witnesses"], result.accounts, strict=True):
        witness["id"] = account.slug
    data["source"]["id"] = result.record_meta.slug
    return jsonify(data)


@bp.get("/dossiers/<dossier_id>/order")
def order(dossier_id: str) -> Any:
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
