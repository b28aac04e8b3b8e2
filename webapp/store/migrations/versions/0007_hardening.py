"""Hardening: ids never reused, one mark per sentence, session versions, token expiry.

- SQLite tables whose ids are referenced become ``AUTOINCREMENT`` (SQLite otherwise gives
  a deleted row's id to the next row, and a history entry naming the old row would name
  the new one). The tables are copied (Alembic batch mode) with foreign keys switched off
  by :meth:`webapp.store.database.Database.upgrade`, so no cascade fires.
- Duplicate marks of one sentence (two first marks sent at once) are merged, keeping the
  latest, before a unique constraint makes a second one impossible.
- Users get a session version (log-out and password changes end copied sessions) and the
  moment until which log-ins wait; API tokens a shown prefix, an expiry and a revocation.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 08:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Tables whose ids appear in URLs, the history or sessions, in foreign-key order.
AUTOINCREMENT = (
    "users",
    "api_tokens",
    "dossiers",
    "documents",
    "link_decisions",
    "sentence_marks",
    "changes",
)
MARK_KEY = ("dossier_id", "document_id", "account_id", "start", "end")


def _dedupe_marks() -> None:
    """Delete all but the newest mark of each sentence."""
    marks = sa.table("sentence_marks", sa.column("id"), *(sa.column(name) for name in MARK_KEY))
    newest = sa.select(sa.func.max(marks.c.id)).group_by(*(marks.c[name] for name in MARK_KEY))
    op.execute(marks.delete().where(marks.c.id.not_in(newest)))


def upgrade() -> None:
    _dedupe_marks()
    with op.batch_alter_table("sentence_marks") as batch:
        batch.create_unique_constraint("uq_sentence_marks", list(MARK_KEY))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("prefix", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # The partial index is dropped and made again: batch mode would copy it without
        # its WHERE clause.
        op.drop_index("ix_documents_one_record", "documents")
        for table in AUTOINCREMENT:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass
        op.create_index(
            "ix_documents_one_record",
            "documents",
            ["dossier_id"],
            unique=True,
            sqlite_where=sa.text("is_record"),
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
        batch.drop_column("prefix")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
        batch.drop_column("locked_until")
    with op.batch_alter_table("sentence_marks") as batch:
        batch.drop_constraint("uq_sentence_marks", type_="unique")
