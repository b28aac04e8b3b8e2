"""The JSON API's reading side: who is asking, the dossiers one may see, a comparison and
an order question."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from ...collate import PhraseNotFound
from .. import current_library, shares, visible_comparison
from .common import _error, bp
from .schemas import REFERENCE, SHARE, Answer, Query, Spec, array, documented, ref


@bp.get("/me")
@documented(
    Spec(answers={200: Answer("The user.", ref("Me")), 401: Answer("Not logged in.", ref("Error"))})
)
def me() -> ResponseReturnValue:
    """Who the request is authenticated as (session or bearer token), or 401."""
    if g.user is None:
        return _error("not logged in: send Authorization: Bearer <token>", 401)
    return jsonify({"name": g.user.name, "role": g.user.role})


@bp.get("/dossiers")
@documented(
    Spec(
        query=(SHARE,),
        answers={200: Answer("The dossiers you may see.", array(ref("DossierSummary")))},
    )
)
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
@documented(
    Spec(
        query=(REFERENCE, SHARE),
        answers={200: Answer("The comparison.", ref("Comparison"))},
        computes=True,
    )
)
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
@documented(
    Spec(
        query=(
            Query("a", "A phrase of the record.", required=True),
            Query("b", "Another phrase of the record.", required=True),
            REFERENCE,
            SHARE,
        ),
        answers={
            200: Answer("The answer per account.", ref("Order")),
            422: Answer("A phrase not found in the record.", ref("Error")),
        },
        computes=True,
    )
)
def order(dossier_id: str) -> ResponseReturnValue:
    """Does phrase ``a`` come before phrase ``b`` in each account? kept/inverted/both/missing."""
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
