"""The teacher's exercise pages: set an exercise on a dossier's key, hand out its code,
close, reopen or delete it, the class dashboard and the CSV of scores.

Only the dossier's owner, its annotators and admins reach these pages (403 for other people
who may see the dossier, 404 for who may not, a log-in for a visitor); every form carries
a CSRF token. ``init_app`` registers these pages, the students' (exercises_student.py) and
the removal of client addresses from exercise requests (exercise_log.py).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..collate.vocabulary import LABELS
from ..errors import Refused
from ..library import exercise_hint_costs, exercise_stats, keys
from ..library import exercises as ex
from ..library.exercise_phrases import ANSWERS
from ..library.exercise_phrases import class_rows as phrase_rows
from ..library.exercise_scores import POOLED_SENTENCE
from ..library.exercise_tasks import KINDS, VERDICTS
from ..library.exercise_tour import shown as shown_stops
from ..store import User
from . import current_library, shares, visible_dossier
from .manage import _teacher_required

bp = Blueprint("exercises", __name__)


def _user() -> User:
    _teacher_required("its exercises and their results")
    user: User = g.user
    return user


def _number(name: str) -> int | None:
    value = request.form.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise Refused(f"{name.replace('_', ' ')} must be a sentence number (1, 2, ...)")
    return int(value)


def _deadline() -> datetime | None:
    value = request.form.get("deadline", "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise Refused(f"the deadline {value!r} is not a date and time") from None


def _spec() -> ex.Spec:
    """The new exercise as the form gives it."""
    labels = tuple(request.form.getlist("labels"))
    retention = request.form.get("retention_days", "").strip() or str(ex.DEFAULT_RETENTION_DAYS)
    if not retention.isdigit():
        raise Refused("keep submissions a whole number of days after closing")
    version = request.form.get("key_version", "").strip()
    return ex.Spec(
        kind=request.form.get("kind", ""),
        # checkboxes ``accounts``; ``account`` (one) is read too, as forms before sent it
        accounts=tuple(request.form.getlist("accounts") or request.form.getlist("account")),
        record_range=(_number("record_first"), _number("record_last")),
        account_range=(_number("account_first"), _number("account_last")),
        labels=labels if labels and set(labels) != set(LABELS) else None,  # none ticked: all
        reveal=request.form.get("reveal", "submit"),
        hints=request.form.get("hints", "hidden"),
        deadline=_deadline(),
        retention_days=int(retention),
        title=request.form.get("title", ""),
        key_version=int(version) if version.isdigit() else None,
        stops=request.form.get("stops", ""),
        phrases=request.form.get("phrases", ""),
        hint_points=exercise_hint_costs.points_of(request.form.get("hint_points", "")),
    )


@bp.get("/dossiers/<dossier_id>/exercises")
def exercise_list(dossier_id: str) -> ResponseReturnValue:
    """The dossier's exercises and the form that sets a new one on a key version."""
    user = _user()
    library = current_library()
    found = ex.list_exercises(library, user, dossier_id)
    versions = keys.list_keys(library, user, dossier_id, shares())
    return render_template(
        "exercises.html",
        dossier=visible_dossier(dossier_id),
        exercises=found,
        versions=versions,
        kinds=KINDS,
        reveals=ex.REVEALS,
        hints=ex.HINTS,
    )


@bp.post("/dossiers/<dossier_id>/exercises")
def create(dossier_id: str) -> ResponseReturnValue:
    """Set a new exercise; show its page with the code to hand out."""
    info = ex.create(current_library(), _user(), dossier_id, _spec())
    flash(f"The exercise is open: hand out the code {info.code}.")
    return redirect(url_for("exercises.exercise_view", exercise_id=info.id))


@bp.get("/exercises/<int:exercise_id>")
def exercise_view(exercise_id: int) -> ResponseReturnValue:
    """One exercise: its code and link, what it asks, close / reopen / delete."""
    info = ex.read(current_library(), _user(), exercise_id)
    link = url_for("exercise_student.task", code=info.code, _external=True)
    return render_template(
        "exercise.html", ex=info, link=link, kinds=KINDS, reveals=ex.REVEALS, phrase_answers=ANSWERS
    )


@bp.post("/exercises/<int:exercise_id>/close")
def close(exercise_id: int) -> ResponseReturnValue:
    """Close the exercise: no more answers; a reveal-after-close shows the key's verdicts."""
    ex.set_state(current_library(), _user(), exercise_id, "closed")
    flash("The exercise is closed: students can no longer submit.")
    return redirect(url_for("exercises.exercise_view", exercise_id=exercise_id))


@bp.post("/exercises/<int:exercise_id>/reopen")
def reopen(exercise_id: int) -> ResponseReturnValue:
    """Open the exercise again (with a new code if its own was taken meanwhile)."""
    info = ex.set_state(current_library(), _user(), exercise_id, "open")
    flash(f"The exercise is open again under the code {info.code}.")
    return redirect(url_for("exercises.exercise_view", exercise_id=exercise_id))


@bp.post("/exercises/<int:exercise_id>/delete")
def delete(exercise_id: int) -> ResponseReturnValue:
    """Delete the exercise and every submission to it."""
    slug = ex.remove(current_library(), _user(), exercise_id)
    flash("The exercise and all its submissions are deleted.")
    return redirect(url_for("exercises.exercise_list", dossier_id=slug))


@bp.get("/exercises/<int:exercise_id>/dashboard")
def dashboard(exercise_id: int) -> ResponseReturnValue:
    """The class's results: figures, most-missed and wrong links, labels, the heat map."""
    user = _user()
    info = ex.read(current_library(), user, exercise_id)
    found = ex.submissions(current_library(), user, info.id)
    return render_template(
        "exercise_dashboard.html",
        ex=info,
        board=exercise_stats.dashboard(info, found),
        submissions=found,
        verdicts=VERDICTS,
        pooled=POOLED_SENTENCE,
        phrase_rows=phrase_rows(info.extras.phrases, [s.answers for s in found]),
        phrase_answers=ANSWERS,
    )


@bp.get("/exercises/<int:exercise_id>/tour")
def tour(exercise_id: int) -> ResponseReturnValue:
    """A guided tour on the projector: the current stop, its answer once revealed."""
    info = ex.read(current_library(), _user(), exercise_id)
    if info.kind != "tour":
        raise Refused("this exercise is not a guided tour")
    return render_template(
        "exercise_tour.html", ex=info, shown=shown_stops(info.tour_at, info.stops)
    )


@bp.post("/exercises/<int:exercise_id>/tour/<any(next, back):way>")
def tour_step(exercise_id: int, way: str) -> ResponseReturnValue:
    """Reveal the answer or go on to the next stop (``next``), or go back (``back``)."""
    ex.step_tour(current_library(), _user(), exercise_id, 1 if way == "next" else -1)
    return redirect(url_for("exercises.tour", exercise_id=exercise_id))


@bp.get("/exercises/<int:exercise_id>/worksheet")
def worksheet(exercise_id: int) -> ResponseReturnValue:
    """The printable worksheet: the task on paper, no answers of the key on it."""
    info = ex.read(current_library(), _user(), exercise_id)
    return render_template(
        "exercise_worksheet.html", ex=info, verdicts=VERDICTS, phrase_answers=ANSWERS
    )


@bp.get("/exercises/<int:exercise_id>/submissions.csv")
def export(exercise_id: int) -> ResponseReturnValue:
    """Every submission's scores as CSV: the pseudonym is the only name in it."""
    user = _user()
    info = ex.read(current_library(), user, exercise_id)
    out = io.StringIO()
    csv.writer(out).writerows(ex.csv_rows(info, ex.submissions(current_library(), user, info.id)))
    name = f"exercise-{info.id}-{info.code}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def init_app(app: Flask) -> None:
    """Register the teacher's and the students' pages, and keep client addresses out of
    the exercise routes' request logs."""
    from . import exercise_log, exercises_hints, exercises_student

    app.register_blueprint(bp)
    app.register_blueprint(exercises_student.bp)
    app.register_blueprint(exercises_hints.bp)
    exercise_log.init_app(app)
