"""Storage: SQLAlchemy 2 models, the database connection, migrations and queries.

SQLite file by default (WAL, foreign keys on, busy timeout), any SQLAlchemy URL
(PostgreSQL) for teams. The schema is created and upgraded by Alembic migrations.

Names are loaded on first use (PEP 562), so a light module such as :mod:`.roles` imports
without SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..collate.lazy import lazy_names

if TYPE_CHECKING:
    from .database import Database, connect
    from .models import (
        ApiToken,
        Base,
        ComparisonCache,
        Document,
        Dossier,
        Job,
        Member,
        User,
    )
    from .roles import ROLES, VISIBILITIES

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

#: Where each public name lives, relative to this package.
_HOMES = {
    "ROLES": ".roles",
    "VISIBILITIES": ".roles",
    "ApiToken": ".models",
    "Base": ".models",
    "ComparisonCache": ".models",
    "Database": ".database",
    "Document": ".models",
    "Dossier": ".models",
    "Job": ".models",
    "Member": ".models",
    "User": ".models",
    "connect": ".database",
}


__getattr__ = lazy_names(__name__, _HOMES)
