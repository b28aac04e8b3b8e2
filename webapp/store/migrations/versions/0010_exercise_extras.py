"""Exercise extras: phrase-order questions, hint costs, hint attempts and their reveals.

Four tables, each row going with its exercise (ON DELETE CASCADE): ``exercise_phrases``
(an order exercise's phrase pairs with the key's answers, frozen at creation),
``exercise_hint_costs`` (the points one hint costs), ``hint_attempts`` (random ids issued
with a task page; nothing personal) and ``hint_reveals`` (one row per hint revealed).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _exercise() -> sa.Column[int]:
    return sa.Column(
        "exercise_id",
        sa.Integer(),
        sa.ForeignKey("exercises.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "exercise_phrases",
        sa.Column("id", sa.Integer(), primary_key=True),
        _exercise(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.JSON(), nullable=False),
    )
    op.create_index("ix_exercise_phrases_exercise_id", "exercise_phrases", ["exercise_id"])
    op.create_table(
        "exercise_hint_costs",
        sa.Column(
            "exercise_id",
            sa.Integer(),
            sa.ForeignKey("exercises.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("points", sa.Integer(), nullable=False),
    )
    op.create_table(
        "hint_attempts",
        sa.Column("id", sa.String(32), primary_key=True),
        _exercise(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_hint_attempts_exercise_id", "hint_attempts", ["exercise_id"])
    op.create_table(
        "hint_reveals",
        sa.Column(
            "attempt_id",
            sa.String(32),
            sa.ForeignKey("hint_attempts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("account", sa.String(200), primary_key=True),
        sa.Column("sentence", sa.Integer(), primary_key=True),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hint_reveals")
    op.drop_index("ix_hint_attempts_exercise_id", "hint_attempts")
    op.drop_table("hint_attempts")
    op.drop_table("exercise_hint_costs")
    op.drop_index("ix_exercise_phrases_exercise_id", "exercise_phrases")
    op.drop_table("exercise_phrases")
