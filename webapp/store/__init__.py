"""Storage: SQLAlchemy 2 models, the database connection, migrations and queries.

SQLite file by default (WAL, foreign keys on, busy timeout), any SQLAlchemy URL
(PostgreSQL) for teams. The schema is created and upgraded by Alembic migrations.

Names are loaded on first use (PEP 562), so a light module such as :mod:`.roles` imports
without SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    """Import the module that holds ``name`` when it is first asked for."""
    if name not in _HOMES:  # a submodule asked for as an attribute (``webapp.store.models``)
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value
