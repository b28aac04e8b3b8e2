"""What a database refusal means, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a second row where only one may be (SQLite, PostgreSQL)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code == "23505" or "UNIQUE constraint failed" in str(exc.orig)
