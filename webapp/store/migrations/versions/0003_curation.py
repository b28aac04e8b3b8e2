"""Curation: link decisions, sentence marks, change history, dossier notes, boundary fixes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _people_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_by", sa.String(80), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("notes", sa.Text(), nullable=False, server_default=""))
    op.add_column("documents", sa.Column("splits", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("documents", sa.Column("joins", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "link_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossiers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "record_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("source_spans", sa.JSON(), nullable=False),
        sa.Column("witness_spans", sa.JSON(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("witness_text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_people_columns(),
    )
    op.create_index("ix_link_decisions_dossier_id", "link_decisions", ["dossier_id"])
    op.create_table(
        "sentence_marks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossiers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_people_columns(),
    )
    op.create_index("ix_sentence_marks_dossier_id", "sentence_marks", ["dossier_id"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "dossier_id",
            sa.Integer(),
            sa.ForeignKey("dossiers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_name", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reverts", sa.Integer(), nullable=True),
    )
    op.create_index("ix_changes_target", "changes", ["dossier_id", "target", "target_id"])


def downgrade() -> None:
    op.drop_table("changes")
    op.drop_table("sentence_marks")
    op.drop_table("link_decisions")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("joins")
        batch.drop_column("splits")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("notes")
