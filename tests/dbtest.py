"""Fresh, migrated store databases for tests, on SQLite and on a real PostgreSQL server.

The store tests run once per backend in :data:`BACKENDS`::

    @pytest.fixture(params=BACKENDS)
    def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
        with open_database(request.param, tmp_path) as database:
            yield database

SQLite gets a new file in ``tmp_path``. PostgreSQL gets a new, empty schema in the
database named by ``MEMCON_TEST_POSTGRES_URL`` (``scripts/test.sh`` sets it up), and every
connection of the test is pinned to that schema through libpq's ``options`` in the URL, so
the tables and Alembic's version table land there and tests never see each other's rows.
The schema is dropped afterwards. Without the variable the PostgreSQL variants fail rather
than skip, so a missing server is never mistaken for a passing run.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
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


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """Create an empty schema, yield a URL whose connections use only it, then drop it.

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
    if unreachable:  # failed outside the ``except`` so the report shows no chained traceback
        admin.dispose()
        where = make_url(url).render_as_string(hide_password=True)
        pytest.fail(
            f"cannot reach PostgreSQL at {where} ({POSTGRES_URL_VARIABLE}): {unreachable}\n"
            "run scripts/postgres.sh to install and start it",
            pytrace=False,
        )
    parsed = make_url(url)
    options = " ".join(str(v) for v in (parsed.query.get("options"), f"-csearch_path={name}") if v)
    try:
        yield parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # A test that leaked an open transaction must not make the clean-up hang.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@contextmanager
def migrated(url: str) -> Iterator[Database]:
    """Connect to ``url``, apply every migration, and close all connections afterwards."""
    database = connect(url)
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()


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
        with postgres_schema(postgres_url()) as url, migrated(url) as database:
            yield database
    else:
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def url_of(database: Database) -> str:
    """The full URL (password included) of ``database``, for code that connects by itself."""
    return database.engine.url.render_as_string(hide_password=False)
