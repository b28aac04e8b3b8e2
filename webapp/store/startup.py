"""One process at a time migrates the schema and loads the bundled dossiers.

Several WSGI workers (gunicorn ``--workers 4``) or machines start at once against the same
database; without a lock two of them would both create the tables or insert the same
bundled dossier, and one would fail to start. PostgreSQL gets an advisory lock (held across
machines), a SQLite file a lock file beside it (processes on one machine share the file).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from .database import Database

#: The advisory-lock key on PostgreSQL: any fixed 64-bit number that names "memcon start-up".
ADVISORY_KEY = 0x6D656D636F6E  # "memcon"


@contextmanager
def startup_lock(database: Database) -> Iterator[None]:
    """Hold the start-up lock of this database while the block runs."""
    engine = database.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
                connection.commit()
        return
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield  # an in-memory database belongs to one process
        return
    lock = Path(f"{path}.lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
