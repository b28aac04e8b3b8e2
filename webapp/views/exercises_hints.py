"""Hints that cost points, on the student's side: the attempt a task page carries and the
hint a student asks for (``POST /x/<code>/hint/<account>/<n>``, both 1-based).

With scripts, ``static/exercise-hints.js`` posts the request with ``fetch`` and shows the
hint in place (JSON answer, also for refusals); without, the hint button submits the task
form to the same address and the answer is a 303 back to the task page, which shows the
hint. Either way the hint is recorded against the attempt on the server (see
:mod:`webapp.library.exercise_hint_costs`).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from ..errors import MemconError, status_of
from ..library import exercise_answers as answers
from ..library import exercise_hint_costs as costs
from ..library import exercises as ex
from . import current_library

bp = Blueprint("exercise_hints", __name__)

#: The session key holding, per exercise code, the student's open attempt.
ATTEMPTS = "exercise_attempts"


def attempt_of(info: ex.ExerciseInfo) -> tuple[str | None, costs.Shown]:
    """The attempt for a task page (kept in the student's own cookie) and the hints it
    revealed; ``(None, {})`` unless the exercise's hints cost points and it is open."""
    if info.hints != costs.POLICY or not info.is_open:
        return None, {}
    held = session.get(ATTEMPTS)
    held = held if isinstance(held, dict) else {}
    attempt, revealed = costs.attempt_for(current_library(), info, held.get(info.code))
    session[ATTEMPTS] = {**held, info.code: attempt}
    return attempt, revealed


def forget(code: str) -> None:
    """After a submission: the next task page gets a new attempt."""
    held = session.get(ATTEMPTS)
    if isinstance(held, dict) and code in held:
        session[ATTEMPTS] = {k: v for k, v in held.items() if k != code}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _words(records: tuple[int, ...]) -> str:
    return ", ".join(f"R{i + 1}" for i in records) or "none"


@bp.post("/x/<code>/hint/<part>/<number>")
def hint(code: str, part: str, number: str) -> ResponseReturnValue:
    """Reveal the hint of sentence ``number`` of account ``part`` (1-based) for the posted
    attempt, and count it."""
    attempt = request.form.get("attempt", "")
    try:
        info = answers.by_code(current_library(), code)
        shown = costs.reveal(current_library(), info, attempt, part, number)
    except MemconError as error:
        if not _wants_json():
            raise
        return jsonify({"error": str(error), "status": status_of(error)}), status_of(error)
    if not _wants_json():
        anchor = f"{info.parts[shown.part].prefix}a{shown.sentence + 1}"
        target = url_for("exercise_student.task", code=info.code, _anchor=anchor)
        return redirect(target, 303)
    return jsonify(
        {
            "account": shown.part + 1,
            "sentence": shown.sentence + 1,
            "records": [i + 1 for i in shown.records],
            "text": f"Hint: the machine suggests {_words(shown.records)} (it can be wrong)",
            "used": shown.used,
            "points": shown.points,
            "status": used_sentence(shown.used, shown.points),
        }
    )


def used_sentence(used: int, points: int) -> str:
    """What the hints used so far cost, in words (the task page and the JSON answer)."""
    hints = "1 hint" if used == 1 else f"{used} hints"
    return f"Hints used so far: {hints}, {used * points} points off your link score (of 100)."
