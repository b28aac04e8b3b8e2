"""Storage: SQLAlchemy 2 models, the database connection, migrations and queries.

SQLite file by default (WAL, foreign keys on, busy timeout), any SQLAlchemy URL
(PostgreSQL) for teams. The schema is created and upgraded by Alembic migrations.
"""

from .database import Database, connect
from .models import (
    ROLES,
    VISIBILITIES,
    ApiToken,
    Base,
    ComparisonCache,
    Document,
    Dossier,
    Job,
    Member,
    User,
)

__all__ = [
    "ROLES",
    "VISIBILITIES",
    "ApiToken",
    "Base",
    "ComparisonCache",
    "Database",
    "Document",
    "Dossier",
    "Job",
    "Member",
    "User",
    "connect",
]
