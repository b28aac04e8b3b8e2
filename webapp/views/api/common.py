"""The JSON API's blueprint and what its routes share: errors as JSON, the bearer-token
check of changes, dossiers and documents as JSON."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify
from werkzeug.wrappers import Response

from ...library import DocInfo, DossierInfo
from ...library.documents import document_meta
from ...store import ROLES

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
        meta = document_meta(info, meta)
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
