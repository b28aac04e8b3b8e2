"""The JSON API of curation: links decided, edited and withdrawn, marks, notes, sentence
boundaries, history and revert, export and import of curation.

Sentence fields (a link's ``source`` and ``witness``, ``omitted``, ``added``, a mark's
``index``) are 1-based sentence numbers, the same in what is read and what is sent, and
the same as the R3 / A5 the pages show. Changes need a bearer token, or, from a page of
this site, the session cookie together with the page's CSRF token in ``X-CSRFToken``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import abort, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from ...library import access
from ...library.decisions import (
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
from ...notes import NoteError, check_note, render_note
from ...store.dossiers import (
    DossierError,
)
from .. import visible_comparison, visible_dossier
from ..auth import csrf
from ..curate import curation_call, export_response, load_history
from ..ids import query_id
from ..validation import Boundary as BoundaryBody
from ..validation import (
    LinkDecision,
    LinkEdit,
    Mark,
    Notes,
    fields,
    json_body,
)
from .common import _error, _writer, bp

# --- Who may change: a token, or a page's session with its CSRF token -------------------


def _curator() -> None:
    """Let a change through for a bearer token, or for a page's session and CSRF token.

    The page sends its session cookie (``SameSite=Lax``) and the CSRF token of the page in
    the ``X-CSRFToken`` header, checked by Flask-WTF as for a form; a cookie alone is never
    enough, so no other site can make changes in someone's name.
    """
    if g.get("token_auth") or g.user is None:
        _writer()  # a token's role is checked; no one at all is 401
        return
    if not request.headers.get("X-CSRFToken"):
        abort(
            403,
            description="a change from a page needs its CSRF token in the X-CSRFToken header "
            "(or use Authorization: Bearer <token>)",
        )
    try:
        csrf.protect()
    except CSRFError as exc:
        abort(403, description=f"the CSRF token was refused: {exc.description}")


def _numbers(indices: Iterable[int]) -> list[int]:
    """0-based sentence indices as the 1-based numbers the API reads and writes."""
    return [i + 1 for i in indices]


# --- Curation -----------------------------------------------------------------------------


def _curation_call(
    dossier_id: str,
    operation: Callable[..., Done],
    *args: object,
    status: int = 200,
    need: access.Need = access.Need.ANNOTATE,
) -> ResponseReturnValue:
    """Run a curation operation for a token's user or a page; 409 carries the stored state."""
    _curator()
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
    """The curated links of every account, with who decided and each decision's version.

    Sentence numbers are 1-based, as ``POST`` takes them: a link read here can be sent back.
    """
    result = visible_comparison(dossier_id)
    accounts = []
    for account in result.accounts:
        items = []
        for index, link in enumerate(account.result.links):
            state = account.state(index)
            items.append(
                {
                    **link.to_dict(),
                    "source": _numbers(link.source),
                    "witness": _numbers(link.witness),
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
                "omitted": _numbers(account.result.omitted),
                "added": _numbers(account.result.added),
                "rejected": [
                    {
                        "decision": r.decision,
                        "version": r.version,
                        "source": _numbers(r.source),
                        "witness": _numbers(r.witness),
                        "resp": r.resp,
                    }
                    for r in account.curation.rejected
                ],
                "marks": [
                    {
                        "side": side,
                        "index": index + 1,
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


@bp.post("/notes/preview")
def preview_note() -> ResponseReturnValue:
    """A note's Markdown as the pages will show it: JSON ``note`` -> ``html`` (sanitised)."""
    _curator()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("note"), str):
        return _error('send JSON {"note": "..."} with the note\'s text', 400)
    try:
        text = check_note(body["note"])
    except NoteError as exc:
        return _error(str(exc), 400)
    return jsonify({"html": str(render_note(text))})
