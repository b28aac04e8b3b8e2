"""Fresh, migrated store databases for tests, on SQLite and on a real PostgreSQL server.

The store tests run once per backend in :data:`BACKENDS`::

    @pytest.fixture(params=BACKENDS)
    def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
        with open_database(request.param, tmp_path) as database:
            yield database

SQLite gets a new file in ``tmp_path``. PostgreSQL gets a schema of its own in the
database named by ``MEMCON_TEST_POSTGRES_URL`` (``scripts/test.sh`` sets it up), and every
connection of the test is pinned to that schema through libpq's ``options`` in the URL, so
the tables and Alembic's version table land there and tests never see each other's rows.
A test that leaves the schema as the migrations made it (the same tables, columns,
indexes, constraints, sequences and Alembic version) hands it on to the next test of its
process with every table emptied and every sequence restarted, which is what a new
migrated schema holds; any other is dropped (:func:`migrated_schema`;
``MEMCON_TEST_FRESH_SCHEMAS=1`` drops every one, as before). Without the variable the
PostgreSQL variants fail rather than skip, so a missing server is never mistaken for a
passing run.
"""

from __future__ import annotations

import atexit
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from webapp.store import Database, connect

from . import quick_start

#: The backends every portable store test runs on (the ids of the parametrised tests).
BACKENDS = ("sqlite", "postgresql")

#: Environment variable with the SQLAlchemy URL of the PostgreSQL test database.
POSTGRES_URL_VARIABLE = "MEMCON_TEST_POSTGRES_URL"

#: Prefix of the per-test schemas (left-overs of killed runs are easy to spot and drop).
SCHEMA_PREFIX = "memcon_test_"

MISSING_POSTGRES = (
    f"{POSTGRES_URL_VARIABLE} is not set, so the PostgreSQL variants of the store tests "
    "cannot run: run scripts/postgres.sh and export MEMCON_TEST_POSTGRES_URL, "
    "or use scripts/test.sh"
)


def postgres_url() -> str:
    """The URL of the PostgreSQL test database; fails the test if it is not configured."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        pytest.fail(MISSING_POSTGRES, pytrace=False)
    return url


def new_schema(url: str) -> str:
    """Create an empty schema; return a URL whose connections use only it.

    The schema goes first in ``search_path`` (added to any ``options`` the URL already has),
    so unqualified names, including Alembic's ``alembic_version``, resolve inside it.
    """
    name = SCHEMA_PREFIX + secrets.token_hex(6)
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    except OperationalError as exc:
        unreachable = str(exc.orig)
    else:
        unreachable = ""
    finally:
        admin.dispose()
    if unreachable:  # failed outside the ``except`` so the report shows no chained traceback
        where = make_url(url).render_as_string(hide_password=True)
        pytest.fail(
            f"cannot reach PostgreSQL at {where} ({POSTGRES_URL_VARIABLE}): {unreachable}\n"
            "run scripts/postgres.sh to install and start it",
            pytrace=False,
        )
    parsed = make_url(url)
    options = " ".join(str(v) for v in (parsed.query.get("options"), f"-csearch_path={name}") if v)
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def drop_schema(url: str, schema_url: str) -> None:
    """Drop the schema that :func:`new_schema` made for ``schema_url``, through ``url``."""
    name = str(make_url(schema_url).query["options"]).rsplit("-csearch_path=", 1)[1]
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.begin() as connection:
            # A test that leaked an open transaction must not make the clean-up hang.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    finally:
        admin.dispose()


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """Create an empty schema, yield a URL whose connections use only it, then drop it."""
    schema_url = new_schema(url)
    try:
        yield schema_url
    finally:
        drop_schema(url, schema_url)


@contextmanager
def migrated(url: str) -> Iterator[Database]:
    """Connect to ``url``, apply every migration, and close all connections afterwards."""
    database = connect(url)
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()


#: Set to ``1`` to give every PostgreSQL test a new schema, migrated for it, as before.
FRESH_VARIABLE = "MEMCON_TEST_FRESH_SCHEMAS"

#: What a newly migrated schema looks like in this process (None: not seen yet).
_fresh_shape: list[tuple[str, ...]] | None = None
#: Migrated, emptied schemas of this process, for the next tests (URLs; dropped at exit).
_spare: list[str] = []

_SHAPE_QUERIES = (
    "SELECT 'column', table_name, column_name, data_type, is_nullable, "
    "coalesce(column_default, '') FROM information_schema.columns "
    "WHERE table_schema = current_schema()",
    "SELECT 'index', tablename, indexname, replace(indexdef, current_schema() || '.', '') "
    "FROM pg_indexes "
    "WHERE schemaname = current_schema()",
    "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
    "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
    "SELECT 'sequence', sequencename, data_type::text, start_value::text FROM pg_sequences "
    "WHERE schemaname = current_schema()",
    "SELECT 'relation', relname, relkind::text FROM pg_class "
    "WHERE relnamespace = current_schema()::regnamespace",
    "SELECT 'trigger', tgrelid::regclass::text, tgname FROM pg_trigger t JOIN pg_class c "
    "ON c.oid = t.tgrelid "
    "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal",
    "SELECT 'type', typname FROM pg_type WHERE typnamespace = current_schema()::regnamespace",
    "SELECT 'function', proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace",
    "SELECT 'alembic', version_num FROM alembic_version",
)


def _shape(connection: Connection) -> list[tuple[str, ...]]:
    """Everything the migrations define in the connection's schema, sorted."""
    rows = [
        tuple(str(v) for v in row)
        for query in _SHAPE_QUERIES
        for row in connection.execute(text(query))
    ]
    return sorted(rows)


def _tables(connection: Connection) -> list[str]:
    """The schema's tables but Alembic's own."""
    query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    return [t for t in connection.execute(text(query)).scalars() if t != "alembic_version"]


def _empty(connection: Connection) -> bool:
    """Whether every table of the schema (Alembic's aside) has no row."""
    return not any(
        connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{t}")')).scalar()
        for t in _tables(connection)
    )


def _reset_for_reuse(url: str) -> bool:
    """Empty the schema of ``url`` and restart its sequences if the test left it as the
    migrations made it (then True); False: it must be dropped."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            shape = _shape(connection)
            if _fresh_shape is None or shape != _fresh_shape:
                return False
            tables = ", ".join(f'"{t}"' for t in _tables(connection))
            if tables:
                connection.execute(text(f"TRUNCATE {tables} CASCADE"))
            for name in connection.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
            ).scalars():
                connection.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))
        return True
    except Exception:  # noqa: BLE001 - a schema that cannot be emptied is simply dropped
        return False
    finally:
        engine.dispose()


def _first_shape(url: str) -> None:
    """Record what a new migrated schema looks like; reuse stays off if it holds rows."""
    global _fresh_shape
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if _empty(connection):
                _fresh_shape = _shape(connection)
    finally:
        engine.dispose()


@atexit.register
def _drop_spares() -> None:
    """Drop the schemas kept for later tests when the process ends."""
    while _spare:
        drop_schema(postgres_url(), _spare.pop())


def _fresh_schemas() -> bool:
    return os.environ.get(FRESH_VARIABLE, "").strip() in {"1", "true", "yes"}


@contextmanager
def migrated_schema() -> Iterator[str]:
    """The URL of a migrated PostgreSQL schema with no rows, for one test.

    A schema left by an earlier test of this process, emptied, if there is one (see the
    module); otherwise a new one, migrated here. Afterwards it is kept for the next test if
    the test left its shape as the migrations made it, else dropped.
    """
    server = postgres_url()
    if _spare:
        url = _spare.pop()
    else:
        url = new_schema(server)
        try:
            with migrated(url):
                pass
            if _fresh_shape is None:
                _first_shape(url)
        except BaseException:
            drop_schema(server, url)
            raise
    try:
        yield url
    finally:
        if not _fresh_schemas() and _reset_for_reuse(url):
            _spare.append(url)
        else:
            drop_schema(server, url)


@contextmanager
def open_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database on ``backend`` (one of :data:`BACKENDS`) for one test."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'memcon.db'}"
        if quick_start.enabled():
            quick_start.seed(url)  # a migrated copy: the upgrade finds it at the head
        with migrated(url) as database:
            yield database
    elif backend == "postgresql":
        with migrated_schema() as url, migrated(url) as database:
            yield database
    else:
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def url_of(database: Database) -> str:
    """The full URL (password included) of ``database``, for code that connects by itself."""
    return database.engine.url.render_as_string(hide_password=False)
