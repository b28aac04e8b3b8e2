"""Exercises on several accounts: answers, scores, hints and tour stops kept per account.

An exercise's ``accounts`` was already a list (of one). What was stored for that one
account is now kept under its id, so that an exercise may ask about several:

- a submission's ``answers`` ``{"links": [...]}`` become ``{"accounts": {"<id>": {"links":
  [...]}}}`` (the same for ``order`` and ``quotes``); its ``scores`` keep the figures (now
  the overall ones) and gain ``"accounts": {"<id>": <the same figures>}``;
- an exercise's ``hint_pairs`` ``[[i, j], ...]`` become ``{"<id>": [[i, j], ...]}``;
- a guided tour's stops gain ``"account": "<id>"``.

Nothing stored is lost: going down puts the first account's answers back where the old
code reads them and keeps every account's under ``accounts`` (the old code ignores it), so
up, down and up again gives the same rows. Only the machine's hints of accounts after the
first are dropped going down (the old column holds one account's; they are suggestions,
drawn again when an exercise is set).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"  # chained after 0010 (exorder) when merged: one head
branch_labels = None
depends_on = None

_exercises = sa.table(
    "exercises",
    sa.column("id", sa.Integer()),
    sa.column("accounts", sa.JSON()),
    sa.column("hint_pairs", sa.JSON()),
    sa.column("tour", sa.JSON()),
)
_submissions = sa.table(
    "submissions",
    sa.column("id", sa.String()),
    sa.column("exercise_id", sa.Integer()),
    sa.column("answers", sa.JSON()),
    sa.column("scores", sa.JSON()),
)


def _firsts(bind: sa.Connection) -> dict[int, str]:
    """Each exercise's first account."""
    rows = bind.execute(sa.select(_exercises.c.id, _exercises.c.accounts))
    return {row.id: row.accounts[0] for row in rows}


def _exercise_up(first: str, hints: Any, tour: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if isinstance(hints, list):
        values["hint_pairs"] = {first: hints}
    if tour and any("account" not in stop for stop in tour.get("stops", [])):
        stops = [{"account": first, **stop} for stop in tour["stops"]]
        values["tour"] = {**tour, "stops": stops}
    return values


def _submission_up(first: str, answers: dict[str, Any], scores: dict[str, Any]) -> dict[str, Any]:
    kept = answers["accounts"] if "accounts" in answers else {first: answers}
    figures = {k: v for k, v in scores.items() if k != "accounts"}
    return {
        "answers": {"accounts": kept},
        "scores": {**figures, "accounts": scores.get("accounts", {first: figures})},
    }


def upgrade() -> None:
    bind = op.get_bind()
    firsts = _firsts(bind)
    rows = bind.execute(sa.select(_exercises.c.id, _exercises.c.hint_pairs, _exercises.c.tour))
    for row in rows.all():
        values = _exercise_up(firsts[row.id], row.hint_pairs, row.tour)
        if values:
            bind.execute(_exercises.update().where(_exercises.c.id == row.id).values(**values))
    found = bind.execute(
        sa.select(
            _submissions.c.id,
            _submissions.c.exercise_id,
            _submissions.c.answers,
            _submissions.c.scores,
        )
    )
    for sub in found.all():
        values = _submission_up(firsts[sub.exercise_id], sub.answers, sub.scores)
        bind.execute(_submissions.update().where(_submissions.c.id == sub.id).values(**values))


def downgrade() -> None:
    bind = op.get_bind()
    firsts = _firsts(bind)
    rows = bind.execute(sa.select(_exercises.c.id, _exercises.c.hint_pairs))
    for row in rows.all():
        if isinstance(row.hint_pairs, dict):
            first = row.hint_pairs.get(firsts[row.id], [])
            bind.execute(
                _exercises.update().where(_exercises.c.id == row.id).values(hint_pairs=first)
            )
    found = bind.execute(
        sa.select(_submissions.c.id, _submissions.c.exercise_id, _submissions.c.answers)
    )
    for sub in found.all():
        every = sub.answers.get("accounts")
        if isinstance(every, dict):
            back = {**every.get(firsts[sub.exercise_id], {}), "accounts": every}
            bind.execute(
                _submissions.update().where(_submissions.c.id == sub.id).values(answers=back)
            )
