"""Background comparisons in the pages and the API: progress, cancel, compute again.

A page whose comparison is being computed in the background answers with a progress
page (``202``) at its own URL; ``static/job.js`` polls ``GET /api/jobs/<job_id>`` every
second and reloads the page when the job ends (without JavaScript the page refreshes
itself every few seconds). The API answers ``202`` with the job and a ``Location``.

Who may cancel a job, or compute a cancelled or failed one again: whoever may edit the
dossier (annotators among its owner and members, admins), and the logged-in person who
started the job. Anyone who may read the dossier may follow its progress.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from ..library import DossierInfo, NotFound
from ..library.jobs import STAGES, JobInfo, Jobs, Pending
from . import visible_dossier
from .auth import local_path

bp = Blueprint("jobs", __name__)
api_bp = Blueprint("jobs_api", __name__, url_prefix="/api")


def current_jobs() -> Jobs:
    """The app's background comparisons."""
    from flask import current_app

    jobs: Jobs = current_app.extensions["memcon.jobs"]
    return jobs


def init_app(app: Flask) -> None:
    """Answer :class:`Pending` with a progress page, or with 202 under ``/api/``."""
    app.register_error_handler(Pending, _pending)


def may_act(job: JobInfo, dossier: DossierInfo) -> bool:
    """Whether the current person may cancel the job or compute it again."""
    user = g.user
    if user is None:
        return False
    return dossier.can_edit(user) or (bool(job.created_by) and job.created_by == user.name)


def panel(job: JobInfo, dossier: DossierInfo) -> dict[str, object]:
    """What the progress panel (templates/_job.html) needs."""
    order = list(STAGES)
    current = order.index(job.stage) if job.stage in order else -1
    states = {}
    for index, name in enumerate(order):
        if job.status == "done" or index < current:
            states[name] = "done"
        elif index == current:
            states[name] = "current" if job.active else "stopped"
        else:
            states[name] = "todo"
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return {
        "job": job,
        "stages": STAGES,
        "states": states,
        "can_act": may_act(job, dossier),
        "poll_url": url_for("jobs_api.job", job_id=job.id, share=request.args.get("share")),
        "here": here,
    }


def _pending(exc: Pending) -> ResponseReturnValue:
    job = exc.job
    if request.path.startswith("/api/"):
        body: dict[str, object] = {
            "job": job.id,
            "status": job.status,
            "stage": job.stage,
            "progress": round(job.progress, 4),
        }
        location = url_for("jobs_api.job", job_id=job.id)
        if request.method == "GET" and job.active:
            response = jsonify(body)
            response.status_code = 202
        else:
            if job.active:
                reason = f"the comparison is still being computed (job {job.id}); try again"
            else:
                reason = (
                    f"the comparison's job {job.id} was {job.status}; "
                    f"POST /api/jobs/{job.id}/retry computes it again"
                )
            response = jsonify({**body, "error": reason, "status": 409, "job_status": job.status})
            response.status_code = 409
        response.headers["Location"] = location
        if job.active:
            response.headers["Retry-After"] = "1"
        return response
    if request.method != "GET":  # never answer a form with a page that reloads itself
        flash("The comparison is still being computed; nothing was changed.")
        return redirect(url_for("pages.dossier", dossier_id=exc.dossier.id), 303)
    page = render_template("job.html", dossier=exc.dossier, **panel(job, exc.dossier))
    return page, 202 if job.active else 200


def _visible(job_id: str) -> tuple[JobInfo, DossierInfo]:
    """The job, if its dossier is visible to the current person (else 404, saying no more)."""
    job = current_jobs().get(job_id)
    if job is None or not job.dossier:
        raise NotFound(f"no job {job_id!r}")
    try:
        return job, visible_dossier(job.dossier)
    except NotFound:
        raise NotFound(f"no job {job_id!r}") from None


# --- Pages -------------------------------------------------------------------------------


@bp.post("/jobs/<job_id>/cancel")
def cancel(job_id: str) -> Response:
    """Cancel a background comparison (a form with a CSRF token), then go back."""
    job, dossier = _visible(job_id)
    if not may_act(job, dossier):
        abort(403, description="only people who may edit the dossier, or who started it, may")
    if job.active:
        current_jobs().cancel(job_id, g.user.name)
        flash("The comparison was cancelled.")
    back = url_for("pages.dossier", dossier_id=dossier.id)
    return redirect(local_path(request.form.get("next"), back), 303)


@bp.post("/jobs/<job_id>/retry")
def retry(job_id: str) -> Response:
    """Compute a cancelled or failed comparison again, then go back to the page."""
    job, dossier = _visible(job_id)
    if not may_act(job, dossier):
        abort(403, description="only people who may edit the dossier, or who started it, may")
    current_jobs().retry(job_id, g.user)
    back = url_for("pages.dossier", dossier_id=dossier.id)
    return redirect(local_path(request.form.get("next"), back), 303)


# --- API ---------------------------------------------------------------------------------


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status}), status


@api_bp.get("/jobs/<job_id>")
def job(job_id: str) -> Response:
    """A background comparison: status, stage, progress, message, who started it."""
    found, _ = _visible(job_id)
    return jsonify(found.to_dict())


@api_bp.post("/jobs/<job_id>/cancel")
def cancel_api(job_id: str) -> ResponseReturnValue:
    """Cancel a queued or running job (a bearer token of someone who may): the job."""
    found, dossier = _token_job(job_id)
    if not found.active:
        return _error(f"the job is already {found.status}", 409)
    cancelled = current_jobs().cancel(job_id, g.user.name)
    assert cancelled is not None
    return jsonify(cancelled.to_dict())


@api_bp.post("/jobs/<job_id>/retry")
def retry_api(job_id: str) -> ResponseReturnValue:
    """Compute a cancelled or failed job's comparison again: 202 with the new job."""
    found, _ = _token_job(job_id)
    if found.active:
        return _error(f"the job is still {found.status}", 409)
    again = current_jobs().retry(job_id, g.user)
    assert again is not None
    response = jsonify(again.to_dict())
    response.status_code = 202
    response.headers["Location"] = url_for("jobs_api.job", job_id=again.id)
    return response


def _token_job(job_id: str) -> tuple[JobInfo, DossierInfo]:
    if g.user is None or not g.get("token_auth"):
        abort(401, description="changes through the API need Authorization: Bearer <token>")
    found, dossier = _visible(job_id)
    if not may_act(found, dossier):
        abort(403, description="only people who may edit the dossier, or who started it, may")
    return found, dossier
