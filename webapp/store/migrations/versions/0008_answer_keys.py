"""Answer keys: frozen, versioned snapshots of a dossier's alignment for exercises.

One row per key version of a dossier (unique together); the snapshot is JSON. Rows go with
their dossier (ON DELETE CASCADE). Ids are never reused on SQLite (AUTOINCREMENT), as for
the other tables whose ids may be named elsewhere.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossiers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("frozen_by", sa.String(80), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.UniqueConstraint("dossier_id", "version", name="uq_answer_keys_version"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_answer_keys_dossier_id", "answer_keys", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_answer_keys_dossier_id", "answer_keys")
    op.drop_table("answer_keys")
