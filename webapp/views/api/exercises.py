"""The student's side of exercises as JSON: the task, a submission, a receipt.

``GET /api/x/<code>`` is the task as data (each account's sentences by their page numbers,
the labels, the sentences to order, the quotations to judge), never the key;
``POST /api/x/<code>`` takes the answers in the shape the task page's form is read into
(``{"accounts": {"<account id>": {"links": [...]}}}``, 1-based numbers as the pages show)
and answers with the receipt code, and the scores and the key's breakdown when the reveal
policy allows; ``POST /api/x/<code>/receipt`` with the receipt
in the body (never in the URL, which logs keep) gives that submission back.

No account is needed and none is used: the exercise's code is the only key, so these
routes need no bearer token. They take no CSRF token either, and need none: a POST must
be ``Content-Type: application/json`` (415 otherwise), which no cross-site form can send
(a page elsewhere would need a CORS preflight, which this app never grants), and the
request acts on nobody's behalf (a cookie of the browser gives it no rights). Like the
pages, the routes are logged without the client's address (exercise_log.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import StringConstraints

from ...errors import Refused
from ...library import exercise_answers as answers
from ...library import exercise_hint_costs as costs
from ...library import exercise_phrases as phrases
from ...library import exercises as ex
from ...library.exercise_info import Part
from ...library.exercise_tasks import MAX_WHY, VERDICTS
from ...library.exercise_tour import shown as shown_stops
from .. import current_library
from ..exercises_student import Shown, shown_parts
from ..validation import Body, json_body
from .common import bp
from .schemas import Answer, Spec, documented, ref

_OBJECT: dict[str, Any] = {"type": "object"}
_ANSWERS_EXAMPLE = '{"pseudonym": "Ann", "answers": {"accounts": {"luke": {"order": [14, 7]}}}}'


class AnswerBody(Body):
    """``POST /api/x/<code>``: a pseudonym (optional) and the answers per account."""

    pseudonym: Annotated[str, StringConstraints(strict=True, max_length=200)] = ""
    answers: dict[str, Any]
    #: The hint attempt (``POST /api/x/<code>/attempts``) when the exercise's hints cost.
    attempt: Annotated[str, StringConstraints(strict=True, max_length=64)] | None = None


class ReceiptBody(Body):
    """``POST /api/x/<code>/receipt``: the receipt code given at submitting."""

    receipt: Annotated[str, StringConstraints(strict=True, max_length=40)]


def _json_only() -> None:
    """Refuse a POST that is not JSON: the content type is what keeps other sites out."""
    if request.mimetype != "application/json":
        raise Refused("send the answers as Content-Type: application/json", status=415)


def _sentences(sentences: Any) -> list[dict[str, Any]]:
    return [{"number": s.index + 1, "text": s.text} for s in sentences]


def _part_json(info: ex.ExerciseInfo, part: Part) -> dict[str, Any]:
    """What one account's task asks (nothing of the key's answers)."""
    task = part.task
    out: dict[str, Any] = {
        "id": part.slug,
        "title": task.account_title,
        "record": _sentences(task.record),
        "account": _sentences(task.account),
    }
    if info.kind == "align":
        out["labels"] = list(task.labels)
        if info.hints == "shown":
            out["hints"] = {str(j + 1): [i + 1 for i in rs] for j, rs in part.hints_for.items()}
    if info.kind == "order":
        out["items"] = _sentences(task.items)
    if info.kind == "quotes":
        out["quotes"] = [
            {"id": q.id, "sentence": q.sentence + 1, "text": q.text} for q in task.quotes
        ]
    return out


def _task_json(info: ex.ExerciseInfo) -> dict[str, Any]:
    closed = info.closed_on
    out: dict[str, Any] = {
        "code": info.code,
        "title": info.title,
        "kind": info.kind,
        "open": info.is_open,
        "closed_at": closed.isoformat() if closed else None,
        "deadline": info.deadline.isoformat() if info.deadline else None,
        "reveal": info.reveal,
        "record_title": info.task.record_title,
        "accounts": [_part_json(info, p) for p in info.parts],
        "verdicts": dict(VERDICTS) if info.kind == "quotes" else {},
        "limits": {"pseudonym": ex.MAX_PSEUDONYM, "why": MAX_WHY},
    }
    if info.extras.phrases:  # phrase-order questions (exercise_phrases.py), no key answers
        titles = {
            "record": info.task.record_title,
            **{p.slug: p.task.account_title for p in info.parts},
        }
        out["phrases"] = phrases.questions_json(info.extras.phrases, titles)
    if info.kind == "tour":
        out["stops"] = [
            _stop_json(stop, revealed) for stop, revealed in shown_stops(info.tour_at, info.stops)
        ]
    return out


def _stop_json(stop: Any, revealed: bool) -> dict[str, Any]:
    out = {
        "number": stop.number,
        "account_title": stop.account_title,
        "record": _sentences(stop.record),
        "account": _sentences(stop.account),
        "question": stop.question,
    }
    return {**out, "label": stop.label, "note": stop.note} if revealed else out


def _figures(rows: Any) -> list[dict[str, Any]]:
    return [{"name": e.name, "value": e.value, "shown": e.shown, "text": e.text} for e in rows]


def _breakdown(kind: str, row: Shown) -> list[dict[str, Any]]:
    """The key's verdict on each answer of one account (only when revealed)."""
    if kind == "order":
        return [
            {"sentence": o.sentence.index + 1, "first": o.first, "last": o.last,
             "given": o.given, "right": o.right, "notes": list(o.notes)}
            for o in row.order_rows
        ]  # fmt: skip
    if kind == "quotes":
        return [
            {"id": q.id, "sentence": q.sentence + 1, "verdict": q.verdict,
             "given": row.quotes.get(q.id), "note": q.note}
            for q in row.part.frozen.quotes if q.id in row.part.key.quotes
        ]  # fmt: skip
    return [
        {"status": r.status, "record": [i + 1 for i in r.source],
         "account": [j + 1 for j in r.witness], "key_label": r.key_label,
         "label": r.answer_label, "note": r.note}
        for r in row.scores.scores.breakdown
    ]  # fmt: skip


def _given(stored: dict[str, Any]) -> dict[str, Any]:
    """An account's stored answer in the shape it was given (1-based)."""
    if "links" in stored:
        return {
            "links": [
                {"record": [i + 1 for i in a["source"]], "account": a["witness"][0] + 1,
                 "label": a.get("label"), "why": a.get("why", "")}
                for a in stored["links"]
            ]
        }  # fmt: skip
    if "order" in stored:
        return {"order": [j + 1 for j in stored["order"]]}
    return {"quotes": dict(stored.get("quotes", {}))}


def _submission_json(info: ex.ExerciseInfo, found: ex.SubmissionInfo) -> dict[str, Any]:
    """The submission; its scores and the key's breakdown only once the reveal policy
    allows (before, the answer is all: scores drawn from the key would let a student
    probe it by submitting again and again)."""
    scores, rows = shown_parts(info, found)
    revealed = info.revealed()
    given = found.answers.get("accounts", {})
    accounts = []
    for row in rows:
        account: dict[str, Any] = {
            "id": row.part.slug,
            "title": row.part.task.account_title,
            "answers": _given(given.get(row.part.slug, {})),
        }
        if revealed:
            account["scores"] = _figures(row.scores.shown)
            account["breakdown"] = _breakdown(info.kind, row)
        accounts.append(account)
    out: dict[str, Any] = {
        "exercise": info.code,
        "pseudonym": found.pseudonym,
        "submitted_at": found.submitted_at.isoformat(),
        "revealed": revealed,
        "accounts": accounts,
        **phrases.result_json(info.extras.phrases, found.answers, revealed),
        **costs.result_json(info.extras.hint_points, found.figures, revealed),
    }
    return {**out, "scores": _figures(scores.overall)} if revealed else out


_TASK = Answer("The task: each account's sentences and choices; never the key.", _OBJECT)
_NOT_JSON = Answer("The body is not Content-Type: application/json.", ref("Error"))
_SUBMISSION = Answer("The submission, its scores, and the key's breakdown once revealed.", _OBJECT)


@bp.get("/x/<code>")
@documented(Spec(answers={200: _TASK}, public=True))
def exercise_task(code: str) -> ResponseReturnValue:
    """An exercise's task as data, by its code: nothing of the key.

    Answers 200 also for a closed exercise (``open`` is false; a POST then answers 410).
    """
    return jsonify(_task_json(answers.by_code(current_library(), code)))


@bp.post("/x/<code>")
@documented(
    Spec(
        body=AnswerBody.model_json_schema(),
        answers={201: Answer("The receipt code (shown once) and the submission.", _OBJECT),
                 410: Answer("The exercise is closed: no more answers are taken.", _OBJECT),
                 415: _NOT_JSON},
        public=True,
    )
)  # fmt: skip
def exercise_submit(code: str) -> ResponseReturnValue:
    """Submit answers to an exercise: 201 with the receipt code and, when the reveal policy
    allows, the scores and the key's breakdown.

    The body: ``{"pseudonym": "Ann", "answers": {"accounts": {"<account id>": A}}}``
    where ``A`` is ``{"links": [{"record": [3, 4], "account": 5, "label": "paraphrase",
    "why": "..."}]}`` (align), ``{"order": [14, 7]}`` (account sentences in the record's
    order) or ``{"quotes": {"<quotation id>": "altered"}}``; numbers as the task gives them.
    When the exercise's hints cost points, ``"attempt"`` (from ``POST
    /api/x/<code>/attempts``) goes beside ``"answers"``: its hints are charged as the task
    page's are, and the answer's ``"hints"`` says how many and what they cost.
    """
    _json_only()
    body = json_body(AnswerBody, _ANSWERS_EXAMPLE)
    library = current_library()
    made = answers.submit_given(library, code, body.pseudonym, body.answers, attempt=body.attempt)
    info, found = answers.by_receipt(library, code, made.receipt)
    return jsonify({"receipt": made.receipt, **_submission_json(info, found)}), 201


@bp.post("/x/<code>/receipt")
@documented(
    Spec(
        body=ReceiptBody.model_json_schema(),
        answers={200: _SUBMISSION, 415: _NOT_JSON},
        public=True,
    )
)
def exercise_receipt(code: str) -> ResponseReturnValue:
    """The one submission a receipt code names (the code in the body, not the URL)."""
    _json_only()
    body = json_body(ReceiptBody, '{"receipt": "ABCD-EFGH-JKMN-PQRS"}')
    info, found = answers.by_receipt(current_library(), code, body.receipt)
    return jsonify(_submission_json(info, found))
