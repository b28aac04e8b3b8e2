"""LTI 1.3 launches and used launch nonces (issue 14, part 8).

A launch row holds the platform's issuer, its opaque subject and context id, the
exercise (ON DELETE CASCADE: deleting an exercise deletes its launches) and the
submission made after it (ON DELETE SET NULL); no name, e-mail, address or browser.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_launches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "exercise_id",
            sa.Integer(),
            sa.ForeignKey("exercises.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("context_id", sa.String(255), nullable=True),
        sa.Column("launched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "submission_id",
            sa.String(32),
            sa.ForeignKey("submissions.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_lti_launches_exercise_id", "lti_launches", ["exercise_id"])
    op.create_index("ix_lti_launches_submission_id", "lti_launches", ["submission_id"])
    op.create_table(
        "lti_nonces",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_lti_nonces_expires_at", "lti_nonces", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_lti_nonces_expires_at", "lti_nonces")
    op.drop_table("lti_nonces")
    op.drop_index("ix_lti_launches_submission_id", "lti_launches")
    op.drop_index("ix_lti_launches_exercise_id", "lti_launches")
    op.drop_table("lti_launches")
