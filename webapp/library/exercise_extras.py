"""The extras an exercise may carry beyond its type's task: phrase-order questions
(:mod:`.exercise_phrases`) and a cost per hint (:mod:`.exercise_hint_costs`).

The exercise modules call these few hooks (set, load, read a form, the figures, the CSV's
columns), so the extras live in their own modules and tables (migration 0010).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..collate.answerkey import FrozenAccount, FrozenKey
from ..collate.phrase_questions import Question
from . import exercise_hint_costs as costs
from . import exercise_phrases as phrases

Form = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Extras:
    """An exercise's phrase-order questions (with the key's answers: never on a student's
    page before the reveal) and what one hint costs (None: hints do not cost)."""

    phrases: tuple[Question, ...] = ()
    hint_points: int | None = None

    @property
    def figure_names(self) -> tuple[str, ...]:
        """The figures these extras add to a submission, after the type's own."""
        names = (phrases.FIGURE,) if self.phrases else ()
        return names + (costs.FIGURES if self.hint_points is not None else ())


def prepare(
    kind: str,
    hints: str,
    text: str,
    points: int | None,
    key: FrozenKey,
    accounts: Sequence[FrozenAccount],
) -> Extras:
    """A new exercise's extras, checked (Refused before anything is stored)."""
    costs.validate(kind, hints, points)
    return Extras(tuple(phrases.prepare(kind, text, key, accounts)), points)


def store(session: Session, exercise_id: int, extras: Extras) -> None:
    """Keep a new exercise's extras."""
    phrases.store(session, exercise_id, extras.phrases)
    costs.store(session, exercise_id, extras.hint_points)


def load(session: Session, exercise_id: int) -> Extras:
    """An exercise's extras."""
    return Extras(phrases.load(session, exercise_id), costs.load(session, exercise_id))


def read(extras: Extras, form: Form | None, given: Any) -> dict[str, Any]:
    """The answers to the extras a page's form (or a JSON body, ``given``) gives, merged
    into the stored answers; Refused for a value that cannot be an answer."""
    if form is not None:
        return phrases.read_form(extras.phrases, form)
    return phrases.read_given(extras.phrases, given)


def attempt(form: Form | None, given: Any) -> str:
    """The hint attempt a submission carries (a form field or the JSON's ``attempt``)."""
    if form is not None:
        return (form.get("attempt") or [""])[0]
    found = given.get("attempt") if isinstance(given, dict) else None
    return found if isinstance(found, str) else ""


def purge_idle(session: Session, moment: datetime) -> None:
    """Delete the extras' rows that expire before their exercise (idle hint attempts)."""
    costs.purge_idle(session, moment)


def figures(
    session: Session,
    info: costs.Hinted,
    answers: Mapping[str, Any],
    attempt: str,
    figures: Mapping[str, Any],
) -> dict[str, float | int | None]:
    """The extras' figures of a new submission (this closes its hint attempt)."""
    extras = info.extras
    assert isinstance(extras, Extras)
    found: dict[str, float | int | None] = dict(phrases.figures(extras.phrases, answers))
    found.update(costs.submit_figures(session, info, attempt, figures.get("link_f1")))
    return found
