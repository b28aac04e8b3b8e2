"""Where the ids of the Web Annotation export lead (blueprint ``webanno``).

The export (``?format=webanno``, :mod:`webapp.export.webanno`) names its collection, its
page, every annotation and the documents its targets select from by URLs under the
dossier's; these routes answer them, to anyone who may read the dossier:

- ``/dossiers/<id>/annotations``: the AnnotationCollection (``?page=1``: its page);
- ``/dossiers/<id>/annotations/<annotation>``: one annotation;
- ``/dossiers/<id>/documents/<document>``: the document's stored text, the text the
  selectors' positions count in (``text/plain``).

Annotations are JSON-LD with the Web Annotation Protocol's media type. A target of one
sentence has that sentence's page as its id (``pages.sentence``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, g, request, url_for

from ..export.webanno import to_webanno
from ..library.documents import read_document
from ..library.exchange import build_export
from . import shares, visible_comparison
from .auth import database
from .curate import load_history

bp = Blueprint("webanno", __name__)

#: The media type of the Web Annotation Protocol (W3C, section 4).
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _collection(dossier_id: str) -> dict[str, Any]:
    """The dossier's Web Annotation export, as the export route writes it."""
    result = visible_comparison(dossier_id)
    url = url_for("pages.dossier", dossier_id=dossier_id, _external=True)
    return to_webanno(build_export(result, load_history(result.dossier.db_id), url))


def _json_ld(data: dict[str, Any]) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(body, content_type=MEDIA_TYPE)


@bp.get("/dossiers/<dossier_id>/annotations")
def collection(dossier_id: str) -> Response:
    """The dossier's links and quotation checks as a Web Annotation collection
    (``?page=1``: the one page holding every annotation)."""
    data = _collection(dossier_id)
    page = request.args.get("page")
    if page is None:
        return _json_ld(data)
    if page != "1":
        abort(404, description="the collection has one page: ?page=1")
    first: dict[str, Any] = data["first"]
    return _json_ld({"@context": data["@context"], **first, "partOf": data["id"]})


@bp.get("/dossiers/<dossier_id>/annotations/<annotation_id>")
def annotation(dossier_id: str, annotation_id: str) -> Response:
    """One annotation of the dossier's Web Annotation export, as JSON-LD."""
    data = _collection(dossier_id)
    wanted = f"{data['id']}/{quote(annotation_id, safe='')}"
    for item in data["first"]["items"]:
        if item["id"] == wanted:
            return _json_ld({"@context": data["@context"], **item})
    abort(404, description=f"the dossier has no annotation {annotation_id!r}")


@bp.get("/dossiers/<dossier_id>/documents/<document_id>")
def document_text(dossier_id: str, document_id: str) -> Response:
    """A document's stored text: what the annotations' selectors count in."""
    _, _, text = read_document(database(), g.user, dossier_id, document_id, shares())
    return Response(text, content_type="text/plain; charset=utf-8")
