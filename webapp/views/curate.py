"""Curating a dossier, the form routes: confirm, remove and add links, marks, notes, boundaries.

Each route parses the form and runs one operation of :mod:`webapp.library.decisions`
(shared with the JSON API, so both check the same rights and refuse the same things),
then sends the person back with a message; a refusal is a page with its reason and status.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from .. import errors
from ..library import access, decisions
from ..library.curation import CurationError
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
from ..library.history import dossier_changes
from ..library.history_page import read_history, revert_advice
from ..store.models import Change
from . import current_library, shares, visible_comparison, visible_dossier
from .auth import database, local_path
from .ids import query_id
from .manage import _login_required

bp = Blueprint("curate", __name__)


def curation_call(
    slug: str,
    operation: Callable[..., Done],
    *args: object,
    need: access.Need = access.Need.ANNOTATE,
) -> Done:
    """Run one curation operation for the current person (pages and API alike)."""
    reference = request.args.get("reference") or None
    return decisions.run(
        current_library(), g.user, slug, operation, *args, need=need, reference=reference
    )


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


def _form_call(
    slug: str,
    operation: Callable[..., Done],
    *args: object,
    need: access.Need = access.Need.ANNOTATE,
    said: Callable[[Done], str] | None = None,
) -> Response:
    """Run an operation for a form; the person goes back with a message (``said`` makes
    it), or sees the refusal's reason with its status."""
    _login_required()
    try:
        done = curation_call(slug, operation, *args, need=need)
    except Conflict as exc:
        abort(
            409,
            description=f"{_sentence(str(exc))} Stored now: {_describe(exc.current)}. "
            f"Yours: {_mine()}. Reload the page to see the stored version, then make your "
            "change again.",
        )
    except errors.MemconError as exc:
        abort(errors.status_of(exc), description=str(exc))
    flash(said(done) if said else PLAIN.get(done.message, done.message))
    return _back(slug, request.form.get("account"), request.form.get("anchor"))


#: The operations' messages as the pages say them (the API keeps the short ones).
PLAIN = {
    "Link removed.": "Link removed: these sentences are no longer linked.",
    "Link saved.": "The link's label and note are saved.",
    "Decision withdrawn.": "Decision withdrawn: the machine's proposal applies again.",
    "Notes saved.": "The dossier's notes are saved.",
    "Sentence boundary fixed.": (
        "Sentence boundary fixed: the comparison now uses the new sentences."
    ),
}
_FIELD_NAMES = {"label": "label", "note": "note", "significant": "significant", "notes": "notes"}


def _sentence(text: str) -> str:
    """A message as a sentence: capital first letter, full stop at the end."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _describe(state: Mapping[str, object]) -> str:
    if not state:
        return "nothing (it was deleted)"
    shown = [
        f"{name} '{state[key]}'" if state[key] not in (None, "") else f"no {name}"
        for key, name in _FIELD_NAMES.items()
        if key in state
    ]
    return ", ".join(shown) or "a newer version"


def _mine() -> str:
    mine = [
        f"{name} '{request.form[key]}'" if request.form[key] else f"no {name}"
        for key, name in _FIELD_NAMES.items()
        if key in request.form
    ]
    return ", ".join(mine) or "no text"


def _form_data() -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = dict(request.form.items())
    data["source"] = request.form.getlist("source")
    data["witness"] = request.form.getlist("witness")
    return data


@bp.post("/dossiers/<dossier_id>/links")
def add_link(dossier_id: str) -> Response:
    """Confirm, remove or add a link (action) from the compare view."""
    return _form_call(dossier_id, op_decide, _form_data())


@bp.post("/dossiers/<dossier_id>/links/<int:decision_id>")
def edit_link(dossier_id: str, decision_id: int) -> Response:
    """Change a decided link's label and note."""
    data = {k: v for k, v in request.form.items() if k not in {"account", "anchor", "next"}}
    return _form_call(dossier_id, op_edit_link, decision_id, data)


@bp.post("/dossiers/<dossier_id>/links/<int:decision_id>/delete")
def delete_link(dossier_id: str, decision_id: int) -> Response:
    """Withdraw a decision."""
    version = request.form.get("version")
    return _form_call(dossier_id, op_delete_link, decision_id, version)


@bp.post("/dossiers/<dossier_id>/marks")
def mark(dossier_id: str) -> Response:
    """Mark an omitted or added sentence significant or not, with a note."""
    return _form_call(dossier_id, op_mark, dict(request.form.items()))


@bp.post("/dossiers/<dossier_id>/notes")
def notes(dossier_id: str) -> Response:
    """Change the dossier's notes."""
    form = request.form
    return _form_call(dossier_id, op_notes, form.get("notes", ""), form.get("version"))


@bp.route("/dossiers/<dossier_id>/documents/<document_id>/sentences", methods=["GET", "POST"])
def sentences(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Fix a document's sentence boundaries: split a sentence, or join it to the previous."""
    if request.method == "POST":
        return _form_call(dossier_id, op_boundary, document_id, dict(request.form.items()))
    _login_required()
    reference = request.args.get("reference") or None
    result = current_library().comparison(
        dossier_id, g.user, shares(), reference, need=access.Need.ANNOTATE
    )
    document = decisions.sentences_of(result, document_id)
    meta = next(d for d in result.dossier.documents if d.slug == document_id)
    return render_template("sentences.html", dossier=result.dossier, meta=meta, document=document)


@bp.get("/dossiers/<dossier_id>/history")
def history(dossier_id: str) -> str:
    """Every recorded change of the dossier in words, newest first (``?target=link&id=3``
    for one row's), each with its before / after and what a revert would do."""
    info = visible_dossier(dossier_id)
    target = request.args.get("target")
    target_id = query_id("id")
    page = read_history(database(), info, target, target_id)
    return render_template(
        "history.html", dossier=info, page=page, target=target, target_id=target_id
    )


def load_history(
    dossier_id: int, target: str | None = None, target_id: int | None = None
) -> list[Change]:
    """The dossier's changes, newest first, optionally of one target."""
    return dossier_changes(database(), dossier_id, target, target_id)


@bp.post("/dossiers/<dossier_id>/history/<int:change_id>/revert")
def revert_change(dossier_id: str, change_id: int) -> Response:
    """Undo one change; the message says what it did, or why nothing visible changed."""
    _login_required()
    info = visible_dossier(dossier_id)
    advice = revert_advice(database(), info, change_id)

    def said(done: Done) -> str:
        told = f"Change #{change_id} reverted."
        if advice is not None and advice.nothing_visible:
            return f"{told} Nothing visible changed. {advice.note}"
        latest = read_history(database(), info).entries
        if latest and latest[0].described.change.reverts == change_id:
            told += f" {latest[0].described.line}"
        return told

    return _form_call(dossier_id, op_revert, change_id, said=said)


# --- Exports and imports ----------------------------------------------------------------

EXPORT_FORMATS = ("json", "csv", "tei", "webanno", "html")


def export_response(dossier_id: str, fmt: str) -> Response:
    """The dossier's curated comparison in one format, as a download (HTML: a page)."""
    from ..library.exchange import build_export

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


@bp.post("/dossiers/<dossier_id>/import")
def import_file(dossier_id: str) -> Response:
    """Restore a curated alignment from a JSON or TEI export."""
    upload = request.files.get("file")
    name = upload.filename or "" if upload else ""
    data = upload.read() if upload else b""
    return _form_call(dossier_id, op_import, name, data, need=access.Need.OWN)
