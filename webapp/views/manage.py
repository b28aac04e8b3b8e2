"""Pages that change things: new dossiers, documents (upload or paste), sharing, members.

Every change needs a logged-in user with the right (owner or admin to manage, annotator
among owner and members to add documents), a CSRF token (forms), and happens in one
transaction: a refused or failed change leaves everything stored as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from ..collate.semantic import SemanticUnavailable
from ..ingest import IngestError, Limits, clean_scan
from ..ingest.corpus import KINDS
from ..library import DossierInfo, managing
from ..library import documents as texts
from ..library.documents import Upload, change_document, edit_form, save_document
from ..store import ROLES, VISIBILITIES
from ..store.dossiers import (
    EDITABLE,
    DossierError,
    StaleEdit,
    add_member,
    delete_document,
    remove_member,
    rename,
    set_record,
    set_visibility,
)
from ..store.models import Dossier as StoredDossier
from . import visible_dossier
from .auth import database
from .errors import http_status

bp = Blueprint("manage", __name__)


@bp.app_context_processor
def _choices() -> dict[str, object]:
    """The fixed lists the forms offer, and whether the person may create a dossier."""
    return {"visibilities": VISIBILITIES, "kinds": KINDS, "may_create": may_create()}


def may_create() -> bool:
    """Annotators and admins create dossiers (the rule :func:`new_dossier` checks)."""
    user = g.get("user")
    return user is not None and ROLES.index(user.role) >= ROLES.index("annotator")


#: What each visibility means, said after it is chosen ("link": the link is shown).
VISIBILITY_SAID = {
    "private": "The dossier is now private: only its owner and members can open it.",
    "public": "The dossier is now public: anyone can read it, without logging in.",
}


def _teacher_required(what: str) -> None:
    """Pages for a dossier's teachers only (answer keys, exercises, dashboards): a visitor who
    is not logged in, a student for instance, is refused with 403 and a log-in link."""
    if g.user is None and request.method == "GET":
        abort(403, description=f"only the dossier's owner, its annotators and admins see {what}")
    _login_required()


def _login_required(role: str = "reader") -> None:
    """Pages send anonymous visitors to log in; changes without a log-in get 401."""
    if g.user is None:
        if request.method == "GET":
            abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
        abort(401, description="log in first")
    if ROLES.index(g.user.role) < ROLES.index(role):
        abort(403, description=f"this needs the role {role} or above")


def _edited(slug: str) -> DossierInfo:
    """The dossier, if the current user may add documents to it."""
    _login_required()
    info = visible_dossier(slug)
    if not info.can_edit(g.user):
        abort(403, description="only annotators among the owner and members may add documents")
    return info


@bp.route("/dossiers/new", methods=["GET", "POST"])
def new_dossier() -> ResponseReturnValue:
    """Create a private dossier owned by the current annotator or admin."""
    _login_required("annotator")
    error = ""
    if request.method == "POST":
        try:
            slug = managing.create(
                database(),
                g.user,
                request.form.get("title", ""),
                request.form.get("description", ""),
            )
            flash("The dossier is created. Add its record and its accounts with Add a document.")
            return redirect(url_for("pages.dossier", dossier_id=slug))
        except DossierError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render_template("new_dossier.html", error=error, form=request.form), status


def _change(
    slug: str, change: managing.Change, message: str | Callable[[], str], hint: str = ""
) -> ResponseReturnValue:
    """Apply one change to a managed dossier in a transaction (the right checked there);
    a refusal is said on the dossier page (status 400), with ``hint`` on what to do."""
    _login_required()
    try:
        managing.change(database(), g.user, slug, change)
    except DossierError as exc:
        return refused(slug, str(exc), hint)
    said = message() if callable(message) else message
    if said:
        flash(said)
    return redirect(url_for("pages.dossier", dossier_id=slug))


def refused(slug: str, reason: str, hint: str = "") -> ResponseReturnValue:
    """The dossier page again with the reason a change was refused, status 400."""
    from .pages import dossier as dossier_page

    flash(f"Nothing was changed: {reason}.{' ' + hint if hint else ''}", "error")
    return dossier_page(slug), 400


@bp.post("/dossiers/<dossier_id>/rename")
def rename_dossier(dossier_id: str) -> ResponseReturnValue:
    """Change the title; the URL stays the same."""
    title = request.form.get("title", "")
    said = f"The dossier is renamed ‘{title.strip()}’; its address stays the same."
    return _change(dossier_id, lambda s, d: rename(d, title), said)


@bp.post("/dossiers/<dossier_id>/visibility")
def change_visibility(dossier_id: str) -> ResponseReturnValue:
    """Private, shared by a secret link (the link is shown to copy), or public."""
    choice = request.form.get("visibility", "")
    tokens: list[str | None] = []

    def share(session: Session, dossier: StoredDossier) -> None:
        set_visibility(dossier, choice)
        tokens.append(dossier.share_token)

    def said() -> str:
        if choice == "link" and tokens and tokens[0]:
            flash(url_for("pages.shared", token=tokens[0], _external=True), "share-link")
        return VISIBILITY_SAID.get(choice, "")

    return _change(dossier_id, share, said)


@bp.post("/dossiers/<dossier_id>/members")
def add_dossier_member(dossier_id: str) -> ResponseReturnValue:
    """Give another user access to the dossier (an unknown name: said on the page, 400)."""
    name = request.form.get("name", "").strip()
    said = f"{name} is now a member: they can open this dossier, and curate it if annotator."
    hint = "Check the spelling of the user name; an admin creates accounts."
    return _change(dossier_id, lambda s, d: add_member(s, d, name), said, hint)


@bp.post("/dossiers/<dossier_id>/members/remove")
def remove_dossier_member(dossier_id: str) -> ResponseReturnValue:
    """Take a member's access away (a private dossier disappears from their library)."""
    name = request.form.get("name", "").strip()
    said = f"{name} is no longer a member of this dossier."
    return _change(dossier_id, lambda s, d: remove_member(s, d, name), said)


@bp.post("/dossiers/<dossier_id>/record")
def choose_record(dossier_id: str) -> ResponseReturnValue:
    """Choose the document every account is compared with."""
    chosen = request.form.get("document", "")
    titles: list[str] = []

    def choose(session: Session, dossier: StoredDossier) -> None:
        set_record(dossier, chosen)
        titles.extend(d.title for d in dossier.documents if d.slug == chosen)

    def said() -> str:
        return f"‘{titles[0]}’ is now the record: every account is compared with it."

    return _change(dossier_id, choose, said)


@bp.post("/dossiers/<dossier_id>/settings")
def change_settings(dossier_id: str) -> ResponseReturnValue:
    """Switch the semantic scorer on or off (refused with 400 if its extra is missing)."""
    _login_required()
    on = request.form.get("semantic", "") in {"1", "true", "yes", "on"}
    try:
        texts.set_semantic(database(), g.user, dossier_id, on)
    except SemanticUnavailable as exc:
        return refused(dossier_id, str(exc))
    flash(
        "Sentences are now also compared by meaning."
        if on
        else "Sentences are now compared by their words and spelling only."
    )
    return redirect(url_for("pages.dossier", dossier_id=dossier_id))


@bp.post("/dossiers/<dossier_id>/delete")
def delete_dossier(dossier_id: str) -> ResponseReturnValue:
    """Delete a dossier with its documents (asks for a typed confirmation)."""
    _login_required()
    confirm = request.form.get("confirm", "").strip()
    try:
        title = managing.delete(database(), g.user, dossier_id, confirm)
    except DossierError as exc:
        return refused(dossier_id, str(exc))
    flash(f"The dossier ‘{title}’ is deleted, with its documents and curation.")
    return redirect(url_for("pages.library"))


@bp.route("/dossiers/<dossier_id>/documents/new", methods=["GET", "POST"])
def new_document(dossier_id: str) -> ResponseReturnValue:
    """Upload or paste a document; the scan clean-up can be previewed before saving."""
    form: dict[str, str] = dict(request.form.items())
    context: dict[str, object] = {"form": form, "error": ""}
    saving = request.method == "POST" and form.get("action") != "preview"
    if saving:  # the right is checked where the document is stored
        _login_required()
    else:  # the form, or a preview: the right checked here, nothing stored
        context["dossier"] = _edited(dossier_id)
    if request.method == "GET":
        return render_template("new_document.html", **context)
    try:
        if not saving:
            text, _ = document_text(request.files.get("file"), form.get("text", ""))
            cleanup = clean_scan(text) if form.get("cleanup") else None
            form["text"] = cleanup.text if cleanup else text
            form.pop("cleanup", None)  # the preview shows the cleaned text; save it as it is
            context.update(preview=True, changes=cleanup.changes if cleanup else ())
            return render_template("new_document.html", **context)
        save_document(
            database(), g.user, dossier_id, form, upload_of(request.files.get("file")), limits()
        )
    except (IngestError, DossierError) as exc:
        # A refused input (the right was checked first): the form again, with the reason.
        context.setdefault("dossier", visible_dossier(dossier_id))
        context["error"] = str(exc)
        return render_template("new_document.html", **context), refusal_status(exc)
    flash("Document added.")
    return redirect(url_for("pages.dossier", dossier_id=dossier_id))


@bp.route("/dossiers/<dossier_id>/documents/<document_id>/edit", methods=["GET", "POST"])
def edit_document(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Change a document's text or details; an edit of an older version is refused (409)."""
    _login_required()
    if request.method == "GET":
        info, meta, current = edit_form(database(), g.user, dossier_id, document_id)
        return render_template("edit_document.html", dossier=info, meta=meta, form=current)
    form = {field: request.form.get(field, "") for field in (*EDITABLE, "version")}
    try:
        change_document(database(), g.user, dossier_id, document_id, form)
    except (IngestError, DossierError) as exc:
        # A refused edit (the right was checked first): the form again, against what is
        # stored now.
        info, meta, current = edit_form(database(), g.user, dossier_id, document_id)
        stale = isinstance(exc, StaleEdit)
        return render_template(
            "edit_document.html",
            dossier=info,
            meta=meta,
            # On a conflict the form keeps what this person typed, against the new version.
            form={**form, "version": current["version"]} if stale else form,
            current=current if stale else None,
            error=str(exc),
        ), refusal_status(exc)
    flash("Document saved: the comparison uses the new version.")
    return redirect(url_for("pages.dossier", dossier_id=dossier_id, _anchor=f"doc-{document_id}"))


@bp.post("/dossiers/<dossier_id>/documents/<document_id>/delete")
def remove_document(dossier_id: str, document_id: str) -> ResponseReturnValue:
    """Delete one document of a dossier (the owner or an admin)."""
    return _change(
        dossier_id,
        lambda s, d: delete_document(s, d, document_id),
        "The document is deleted from the dossier.",
    )


def refusal_status(exc: Exception) -> int:
    """The HTTP status of a refused change: wrong type 415, too much text 413, unreadable
    422, stale 409, otherwise 400."""
    return http_status(exc) or 400


def limits() -> Limits:
    """The app's limits on uploads and texts."""
    configured: Limits = current_app.extensions["memcon.limits"]
    return configured


def upload_of(upload: FileStorage | None) -> Upload | None:
    """An uploaded file's name and bytes (None when no file was chosen)."""
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.read()


def document_text(upload: FileStorage | None, pasted: str) -> tuple[str, str]:
    """The text of an uploaded file, or else the pasted text, and the file's name (413 if
    either passes the app's limits)."""
    return texts.document_text(upload_of(upload), pasted, limits())
