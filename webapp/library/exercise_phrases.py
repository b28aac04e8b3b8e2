"""Phrase-order questions of a "predict the order" exercise: set, stored, answered, scored.

The teacher writes the pairs (``phrase A | phrase B``, one a line) when setting the
exercise. Each phrase is looked up in the frozen record, word for word, and the key's
answers are computed then from the frozen key (:mod:`webapp.collate.phrase_questions`) and
stored with the exercise in ``exercise_phrases``: later curation, later keys and the
machine never change them. A phrase not in the record refuses the whole exercise (400,
naming the phrase); nothing is stored then.

A student answers each question for the record (before / after) and for each account
(before / after / both / not told in this account; "both" only on questions set since
the key could answer it, see :meth:`~webapp.collate.phrase_questions.Question.choices`);
form fields are ``phrase-<n>-<text>``, ``n``
1-based as the page numbers the questions, ``text`` ``record`` or the account's slug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..collate import phrase_questions as asking
from ..collate.answerkey import FrozenAccount, FrozenKey
from ..collate.phrase_questions import ANSWERS as ANSWERS
from ..collate.phrase_questions import PhraseScore, Question
from ..errors import Refused
from ..store.hint_models import ExercisePhrase

#: The figure a submission stores for its phrase questions (a share, as the others are).
FIGURE = "phrase_accuracy"


def prepare(
    kind: str, text: str, key: FrozenKey, accounts: Sequence[FrozenAccount]
) -> list[Question]:
    """The questions of a new exercise with the key's answers; Refused (400) for a pair that
    cannot be asked, or for pairs on another task than predict the order."""
    if not text.strip():
        return []
    if kind != "order":
        raise Refused("phrase-order questions belong to a predict-the-order exercise")
    record = [s.text for s in key.record.sentences]
    texts = [
        (a.slug, [(link.source, link.witness) for link in a.links], [s.text for s in a.sentences])
        for a in accounts
    ]
    try:
        return asking.questions(text, record, texts)
    except asking.PhraseError as error:
        raise Refused(f"phrase-order questions: {error}") from None


def store(session: Session, exercise_id: int, asked: Sequence[Question]) -> None:
    """Keep the questions with the exercise, in the teacher's order."""
    for position, q in enumerate(asked):
        session.add(
            ExercisePhrase(exercise_id=exercise_id, position=position, question=q.to_dict())
        )
    session.flush()


def load(session: Session, exercise_id: int) -> tuple[Question, ...]:
    """The exercise's questions, in the teacher's order."""
    rows = session.scalars(
        select(ExercisePhrase)
        .where(ExercisePhrase.exercise_id == exercise_id)
        .order_by(ExercisePhrase.position)
    )
    return tuple(Question.from_dict(row.question) for row in rows)


def read_form(asked: Sequence[Question], form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The student's answers as stored (``{"phrases": {"0": {"record": "before"}}}``,
    0-based question numbers); Refused for a value the page could not have sent."""
    if not asked:
        return {}
    given: dict[str, dict[str, str]] = {}
    for n, q in enumerate(asked):
        for text in q.expected:
            values = form.get(f"phrase-{n + 1}-{text}") or [""]
            if len(values) > 1 or (values[0] and values[0] not in q.choices(text)):
                raise Refused(f"the answer was tampered with: question {n + 1} for {text!r}")
            if values[0]:
                given.setdefault(str(n), {})[text] = values[0]
    return {"phrases": given}


def read_given(asked: Sequence[Question], given: Any) -> dict[str, Any]:
    """The answers a JSON body gives (``{"phrases": {"1": {"record": "before"}}}``, 1-based
    question numbers as the page shows them), read as a form's would be."""
    found = given.get("phrases", {}) if isinstance(given, dict) else {}
    if not isinstance(found, dict) or not all(isinstance(v, dict) for v in found.values()):
        raise Refused('phrase answers are {"phrases": {"<question>": {"<text>": "before"}}}')
    numbers = {str(n + 1) for n in range(len(asked))}
    unknown = sorted(set(found) - numbers)
    if unknown:
        raise Refused(f"this exercise asks no phrase question {unknown[0]!r}")
    form = {f"phrase-{n}-{text}": [str(v)] for n, part in found.items() for text, v in part.items()}
    for name in form:
        n, text = name.split("-", 2)[1:]
        if text not in asked[int(n) - 1].expected:
            raise Refused(f"phrase question {n} asks about no text {text!r}")
    return read_form(asked, form)


def score(asked: Sequence[Question], answers: Mapping[str, Any]) -> PhraseScore:
    """The stored answers scored against the frozen questions."""
    return asking.score(asked, answers.get("phrases", {}))


def figures(asked: Sequence[Question], answers: Mapping[str, Any]) -> dict[str, float | None]:
    """The figure stored with a submission (none when the exercise asks no phrase pair)."""
    return {FIGURE: score(asked, answers).accuracy} if asked else {}


def class_rows(
    asked: Sequence[Question], found: Sequence[Mapping[str, Any]]
) -> list[tuple[int, str, str, int]]:
    """The dashboard's table: per question (0-based) and text, the key's answer and how many
    of the submissions' answers (``found``: their stored answers) agree with it."""
    scored = [score(asked, answers) for answers in found]
    rows = []
    for k, row in enumerate(scored[0].rows if scored else ()):
        right = sum(s.rows[k].right for s in scored)
        rows.append((row.question, row.text, row.expected, right))
    return rows


def questions_json(asked: Sequence[Question], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """The questions as the students' JSON gives them: the phrases and, per text, its id,
    title and the answers it may take; never the key's answers."""
    return [
        {
            "number": n + 1,
            "a": q.a,
            "b": q.b,
            "texts": [
                {"id": text, "title": titles.get(text, text), "choices": list(q.choices(text))}
                for text in q.expected
            ],
        }
        for n, q in enumerate(asked)
    ]


def result_json(
    asked: Sequence[Question], answers: Mapping[str, Any], revealed: bool
) -> dict[str, Any]:
    """A submission's phrase answers as the students' JSON gives them (1-based questions);
    the accuracy and each question's key answer only once the reveal policy allows."""
    if not asked:
        return {}
    found = score(asked, answers)
    given = {str(int(k) + 1): dict(v) for k, v in answers.get("phrases", {}).items()}
    out: dict[str, Any] = {"phrases": given}
    if revealed:
        out["phrase_accuracy"] = found.accuracy
        out["phrase_breakdown"] = [
            {"question": r.question + 1, "text": r.text, "given": r.given, "key": r.expected}
            for r in found.rows
        ]
    return out
