"""The student's exercise pages: no account, no e-mail; a code, a pseudonym, the task.

``/x`` asks for the code; ``/x/<code>`` shows the task (never the key's answers, never a
classmate's work) and takes the answers; the answer page shows the scores, each with its
sentence, the per-link breakdown with the key's notes when the reveal policy allows, and a
receipt code; ``/x/<code>/receipt`` brings exactly that submission back. The exercise
routes' requests are logged without the client's address (see exercise_log.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from ..library import exercise_answers as answers
from ..library import exercise_phrases as phrases
from ..library import exercises as ex
from ..library.exercise_info import Part
from ..library.exercise_scores import POOLED_SENTENCE, AccountScores, ExerciseScores
from ..library.exercise_tasks import KINDS, VERDICTS, OrderRow, order_rows
from ..library.exercise_tour import shown as shown_stops
from . import current_library
from .exercises_hints import attempt_of, forget
from .lti import note_submission as note_lti_submission

bp = Blueprint("exercise_student", __name__)

#: The session key that carries a new receipt code to the page that shows it once.
JUST_SUBMITTED = "exercise_receipt"


@bp.get("/x")
def enter() -> ResponseReturnValue:
    """Ask for the code (a code given in the query goes straight to its task)."""
    code = ex.normal_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("exercise_student.task", code=code))
    return render_template("exercise_enter.html")


@bp.get("/x/<code>")
def task(code: str) -> ResponseReturnValue:
    """The task: the sentences in range and what to do with them."""
    info = answers.by_code(current_library(), code)
    if ex.normal_code(code) != code:
        return redirect(url_for("exercise_student.task", code=ex.normal_code(code)))
    attempt, revealed = attempt_of(info)
    return render_template(
        "exercise_task.html",
        attempt=attempt,
        revealed=revealed,
        phrase_answers=phrases.ANSWERS,
        tour=shown_stops(info.tour_at, info.stops),
        ex=info,
        kinds=KINDS,
        verdicts=VERDICTS,
        max_pseudonym=ex.MAX_PSEUDONYM,
    )


@dataclass(frozen=True, slots=True)
class Shown:
    """One account of a result page: its part, its scores, the order breakdown, the whys."""

    part: Part
    scores: AccountScores
    order_rows: list[OrderRow]
    whys_of: dict[int, str]
    quotes: dict[str, str]


def _whys(given: dict[str, Any]) -> dict[int, str]:
    """The student's one-line why of each account sentence they linked."""
    return {a["witness"][0]: a["why"] for a in given.get("links", []) if a.get("why")}


def shown_parts(
    info: ex.ExerciseInfo, found: ex.SubmissionInfo
) -> tuple[ExerciseScores, list[Shown]]:
    """The submission's scores and what the result page shows of each account."""
    scores = info.scores(found.answers)
    given = found.answers.get("accounts", {})
    rows = []
    for part, account in zip(info.parts, scores.accounts, strict=True):
        mine = given.get(part.slug, {})
        order = order_rows(part.frozen, part.key, mine.get("order", []))
        rows.append(Shown(part, account, order, _whys(mine), mine.get("quotes", {})))
    return scores, rows


def _result(info: ex.ExerciseInfo, found: ex.SubmissionInfo, receipt: str | None) -> str:
    scores, rows = shown_parts(info, found)
    return render_template(
        "exercise_result.html",
        ex=info,
        sub=found,
        scores=scores,
        rows=rows,
        receipt=receipt,
        revealed=info.revealed(),
        verdicts=VERDICTS,
        kinds=KINDS,
        pooled=POOLED_SENTENCE,
        phrase_score=phrases.score(info.extras.phrases, found.answers)
        if info.extras.phrases
        else None,
        phrase_answers=phrases.ANSWERS,
    )


@bp.post("/x/<code>")
def submit(code: str) -> ResponseReturnValue:
    """Score and store the answers, then show them (303: a reload does not submit twice).

    The receipt code rides to the next page in the student's own session cookie, which
    that page empties: it is shown once and stored nowhere on the server.
    """
    form = request.form.to_dict(flat=False)
    made = answers.submit(current_library(), code, request.form.get("pseudonym", ""), form)
    note_lti_submission(made.submission.id)  # beside its LTI launch, if any (LTI may be off)
    session[JUST_SUBMITTED] = {"code": ex.normal_code(code), "receipt": made.receipt}
    forget(ex.normal_code(code))
    return redirect(url_for("exercise_student.done", code=ex.normal_code(code)), 303)


@bp.get("/x/<code>/done")
def done(code: str) -> ResponseReturnValue:
    """The answer just submitted, with its receipt code; later: the receipt form."""
    held = session.pop(JUST_SUBMITTED, None)
    if not isinstance(held, dict) or held.get("code") != code:
        return redirect(url_for("exercise_student.receipt_form", code=code))
    info, found = answers.by_receipt(current_library(), code, str(held["receipt"]))
    return _result(info, found, str(held["receipt"]))


@bp.get("/x/<code>/receipt")
def receipt_form(code: str) -> ResponseReturnValue:
    """Ask for a receipt code."""
    return render_template("exercise_receipt.html", ex=answers.by_code(current_library(), code))


@bp.post("/x/<code>/receipt")
def receipt(code: str) -> ResponseReturnValue:
    """The one submission the receipt code names (posted, so it stays out of URLs)."""
    info, found = answers.by_receipt(current_library(), code, request.form.get("receipt", ""))
    return _result(info, found, None)
