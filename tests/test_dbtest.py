"""The PostgreSQL schemas the store tests get: each starts migrated and empty, even reused.

:func:`tests.dbtest.migrated_schema` hands a schema an earlier test left on to the next
one, emptied; these tests check that the next test cannot tell (no rows, ids from 1, the
head revision) and that a schema whose shape a test changed is dropped, never reused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from webapp.store import Database, User
from webapp.store.users import create_user

from . import dbtest
from .dbtest import open_database, postgres_schema, postgres_url


def _add_user(database: Database, name: str) -> int:
    with database.session() as session:
        user = create_user(session, name, "a long enough password", "reader")
        session.flush()
        return int(user.id)


def test_a_reused_schema_has_no_rows_and_its_ids_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(dbtest.FRESH_VARIABLE, raising=False)  # reuse on, whatever the run
    with open_database("postgresql", tmp_path) as database:
        first_url = dbtest.url_of(database)
        first = _add_user(database, "olga")
        _add_user(database, "ada")
    assert first_url in dbtest._spare  # left as migrated: kept for the next test
    with open_database("postgresql", tmp_path) as database:
        assert dbtest.url_of(database) == first_url  # the same schema, reused
        with database.session() as session:
            assert session.query(User).count() == 0
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert _add_user(database, "rob") == first  # the sequence restarted
    assert revision == _head_revision()


def _head_revision() -> str:
    """The revision of a new schema, migrated here (not one of the reused ones)."""
    with (
        postgres_schema(postgres_url()) as url,
        dbtest.migrated(url) as database,
        database.engine.connect() as connection,
    ):
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


def test_a_schema_whose_shape_a_test_changed_is_dropped(tmp_path: Path) -> None:
    with open_database("postgresql", tmp_path) as database:
        url = dbtest.url_of(database)
        with database.engine.begin() as connection:
            connection.execute(text("ALTER TABLE users ADD COLUMN leftover integer"))
    assert url not in dbtest._spare
    with open_database("postgresql", tmp_path) as database:
        assert dbtest.url_of(database) != url
        with database.engine.connect() as connection:
            columns = connection.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'users'"
                )
            ).scalars()
            assert "leftover" not in set(columns)
