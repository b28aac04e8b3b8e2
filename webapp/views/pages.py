"""HTML pages: the library, a dossier's overview, and the compare view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..collate import OrderAnswer, PhraseNotFound
from ..library import DossierComparison, NotFound, slug
from . import current_library, present

bp = Blueprint("pages", __name__)


def _comparison(dossier_id: str) -> DossierComparison:
    try:
        return current_library().comparison(dossier_id, request.args.get("reference") or None)
    except NotFound as exc:
        abort(404, description=str(exc))


@bp.get("/")
def library() -> str:
    """Every dossier with its date, provenance and each account's coverage of the record."""
    entries = [current_library().comparison(d.id) for d in current_library().dossiers()]
    return render_template("library.html", entries=entries, present=present)


@bp.get("/dossiers/<dossier_id>")
def dossier(dossier_id: str) -> str:
    """A dossier's record, its accounts with their counts, and a coverage strip each."""
    result = _comparison(dossier_id)
    return render_template("dossier.html", result=result, present=present, slug=slug)


@bp.get("/dossiers/<dossier_id>/compare")
def compare_view(dossier_id: str) -> str:
    """The record beside one or several accounts, with connectors, lists and charts."""
    result = _comparison(dossier_id)
    wanted = request.args.getlist("account")
    known = {a.slug for a in result.accounts}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        abort(404, description=f"dossier {dossier_id!r} has no account {unknown[0]!r}")
    shown = [a for a in result.accounts if not wanted or a.slug in wanted]
    a = request.args.get("a", "").strip()
    b = request.args.get("b", "").strip()
    answer: OrderAnswer | None = None
    order_error = ""
    if a and b:
        try:
            answer = result.order(a, b)
        except PhraseNotFound as exc:
            order_error = str(exc)
    elif a or b:
        order_error = "Type two phrases of the record to compare their order."
    return render_template(
        "compare.html",
        result=result,
        shown=shown,
        selected={acc.slug for acc in shown},
        phrase_a=a,
        phrase_b=b,
        answer=answer,
        order_error=order_error,
        present=present,
        reference=request.args.get("reference", ""),
        zip=zip,
    )
