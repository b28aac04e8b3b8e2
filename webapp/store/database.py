"""Connect to the database and bring its schema up to date with Alembic.

>>> db = connect("sqlite:///:memory:")
>>> db.upgrade()
>>> sorted(db.table_names())[:2]
['alembic_version', 'api_tokens']

SQLite connections get WAL journaling, foreign keys and a busy timeout, so a file shared
by several threads or processes neither corrupts nor fails at once on a lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, Pool, StaticPool

from . import exercise_models as exercise_models  # the exercise tables join the metadata
from . import hint_models as hint_models  # the exercises' extras join the metadata
from . import lti_models as lti_models  # the LTI launch tables join the metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (idempotent).

        On SQLite, foreign keys are off while the migrations run: a migration that copies a
        table (Alembic batch mode) drops the old one, and with foreign keys on that drop
        would first delete every row, cascading to the rows that refer to it. The foreign
        keys are checked afterwards and a violation fails the upgrade.
        """
        from alembic import command  # here: only an upgrade needs Alembic (0.3 s to import)
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as connection:
            if sqlite:  # outside any transaction, else SQLite ignores it
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    if sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise RuntimeError(f"the upgrade broke foreign keys: {broken[:5]}")
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()

    def table_names(self) -> list[str]:
        """Names of the tables that exist."""
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def connect(url: str) -> Database:
    """Open a database by SQLAlchemy URL; SQLite files get safe, concurrent settings."""
    connect_args: dict[str, object] = {}
    poolclass: type[Pool] | None = None  # None: the dialect's default pool
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": 15}
        if ":memory:" in url or url in {"sqlite://", "sqlite:///"}:
            poolclass = StaticPool
    engine = create_engine(url, connect_args=connect_args, poolclass=poolclass)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return Database(engine)


def _sqlite_pragmas(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
