"""Exercises and submissions: a class's tasks on a dossier and the students' answers.

An exercise row (code unique among open exercises through ``open_code``, NULL once closed)
and its submissions (random string ids, a pseudonym, answers and scores as JSON, a salted
hash of the receipt code; no e-mail, name, address or user agent). Submissions go with
their exercise and exercises with their dossier (ON DELETE CASCADE).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossiers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("record_first", sa.Integer(), nullable=True),
        sa.Column("record_last", sa.Integer(), nullable=True),
        sa.Column("account_first", sa.Integer(), nullable=True),
        sa.Column("account_last", sa.Integer(), nullable=True),
        sa.Column("labels", sa.JSON(), nullable=True),
        sa.Column("hints", sa.String(16), nullable=False),
        sa.Column("hint_pairs", sa.JSON(), nullable=True),
        sa.Column("reveal", sa.String(16), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("open_code", sa.String(12), nullable=True, unique=True),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tour", sa.JSON(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_exercises_dossier_id", "exercises", ["dossier_id"])
    op.create_index("ix_exercises_code", "exercises", ["code"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "exercise_id",
            sa.Integer(),
            sa.ForeignKey("exercises.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("pseudonym", sa.String(40), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("receipt_hint", sa.String(4), nullable=False),
    )
    op.create_index("ix_submissions_exercise_id", "submissions", ["exercise_id"])


def downgrade() -> None:
    op.drop_index("ix_submissions_exercise_id", "submissions")
    op.drop_table("submissions")
    op.drop_index("ix_exercises_code", "exercises")
    op.drop_index("ix_exercises_dossier_id", "exercises")
    op.drop_table("exercises")
