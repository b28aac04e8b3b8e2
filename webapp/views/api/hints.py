"""Hints that cost points, in the students' JSON: an attempt and a hint.

``POST /api/x/<code>/attempts`` issues a new attempt (a random id, never one handed out
before: a JSON client holds no cookie, so each call is a new go); ``POST
/api/x/<code>/hints`` with ``{"attempt", "account", "sentence"}`` reveals the machine's
suggestion for that account sentence, records it against the attempt and answers with the
cost so far; ``POST /api/x/<code>`` with ``{"attempt": ...}`` beside the answers is charged
for the attempt's hints. The rules are the task page's (:mod:`webapp.library.
exercise_hint_costs`): a hint revealed twice costs once, an attempt submits once. As the
other /api/x routes: no token, no CSRF, JSON only, logged without the client's address.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import Field, StringConstraints

from ...library import exercise_answers as answers
from ...library import exercise_hint_costs as costs
from .. import current_library
from ..exercises_hints import used_sentence
from ..validation import Body, json_body
from .common import bp
from .exercises import _json_only
from .schemas import Answer, Spec, documented, ref

_ATTEMPT = Annotated[str, StringConstraints(strict=True, max_length=64)]
_ERROR = ref("Error")
_OBJECT: dict[str, Any] = {"type": "object"}
_REFUSED = Answer("A policy whose hints cost nothing, or an unknown or used attempt.", _ERROR)
_CLOSED = Answer("The exercise is closed: no more attempts or hints.", _ERROR)
_NOT_JSON = Answer("The body is not Content-Type: application/json.", _ERROR)


class HintBody(Body):
    """``POST /api/x/<code>/hints``: the attempt, the account's id, the sentence (1-based)."""

    attempt: _ATTEMPT
    account: Annotated[str, StringConstraints(strict=True, max_length=200)]
    sentence: Annotated[int, Field(strict=True, description="1-based, as the task numbers it")]


def _cost(used: int, points: int) -> dict[str, Any]:
    return {"used": used, "points": points, "cost": used * points}


@bp.post("/x/<code>/attempts")
@documented(
    Spec(
        answers={
            201: Answer("A new attempt id and what a hint costs.", _OBJECT),
            400: _REFUSED,
            410: _CLOSED,
            415: _NOT_JSON,
        },
        public=True,
    )
)
def exercise_attempt(code: str) -> ResponseReturnValue:
    """A new attempt at an exercise whose hints cost points: send it with each hint asked
    for and with the submission (``{"attempt": ..., "answers": ...}``). Each call gives a
    new one; the body may be empty (``{}``)."""
    _json_only()
    info = answers.by_code(current_library(), code)
    attempt = costs.issue(current_library(), info)
    return jsonify({"attempt": attempt, **_cost(0, info.extras.hint_points or 0)}), 201


@bp.post("/x/<code>/hints")
@documented(
    Spec(
        body=HintBody.model_json_schema(),
        answers={
            200: Answer("The hint (the machine's suggestion) and the cost so far.", _OBJECT),
            400: _REFUSED,
            410: _CLOSED,
            415: _NOT_JSON,
        },
        public=True,
    )
)
def exercise_hint(code: str) -> ResponseReturnValue:
    """Reveal the hint of one account sentence for an attempt and count it (asking again
    costs nothing more): the suggested record sentences (1-based), the hints used and the
    points they take off the link score (of 100)."""
    _json_only()
    body = json_body(HintBody, '{"attempt": "...", "account": "temptation-luke", "sentence": 3}')
    library = current_library()
    info = answers.by_code(library, code)
    shown = costs.reveal_of(library, info, body.attempt, body.account, body.sentence)
    return jsonify(
        {
            "account": info.parts[shown.part].slug,
            "sentence": shown.sentence + 1,
            "records": [i + 1 for i in shown.records],
            **_cost(shown.used, shown.points),
            "text": used_sentence(shown.used, shown.points),
        }
    )
