"""The answer_keys table on SQLite and PostgreSQL: bundled keys, unique versions, cascade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from webapp.collate.answerkey import FrozenKey
from webapp.ingest.corpus import bundled_dossiers
from webapp.store import Database, Dossier
from webapp.store.bundled import load_bundled
from webapp.store.models import AnswerKey

from .dbtest import BACKENDS, open_database


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with open_database(request.param, tmp_path) as database:
        yield database


def _temptation(db: Database) -> int:
    with db.session() as session:
        load_bundled(session, bundled_dossiers())
        found = session.scalar(select(Dossier.id).where(Dossier.slug == "temptation"))
        assert found is not None
        return found


def test_bundled_keys_are_stored_once_as_version_one(db: Database) -> None:
    dossier_id = _temptation(db)
    with db.session() as session:
        assert load_bundled(session, bundled_dossiers()) == 0  # a second start adds nothing
        rows = session.scalars(select(AnswerKey).where(AnswerKey.dossier_id == dossier_id)).all()
        assert [(r.version, r.source) for r in rows] == [(1, "bundled")]
        key = FrozenKey.from_dict(rows[0].data)
        documents = {d.slug: d for d in session.get_one(Dossier, dossier_id).documents}
        luke = key.account("temptation-luke")
        assert luke is not None and luke.document_id == documents["temptation-luke"].id
        assert len(luke.links) == 11 and luke.sentences[10].text.startswith("He led him")
        keyed = session.scalar(select(func.count(func.distinct(AnswerKey.dossier_id))))
        assert keyed == 3


def test_two_keys_of_one_version_are_refused_and_keys_go_with_their_dossier(db: Database) -> None:
    dossier_id = _temptation(db)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            AnswerKey(dossier_id=dossier_id, version=1, source="curation", frozen_by="x", data={})
        )
    with db.session() as session:
        session.execute(delete(Dossier).where(Dossier.id == dossier_id))
    with db.session() as session:
        left = session.scalar(
            select(func.count()).select_from(AnswerKey).where(AnswerKey.dossier_id == dossier_id)
        )
        assert left == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0008_adds_the_table_to_a_database_with_rows_and_goes_back(
    backend: str, tmp_path: Path
) -> None:
    """A database of revision 0007 with a dossier: upgraded, the dossier stays and keys can
    be stored; downgraded to 0007, the table is gone and the dossier is still there."""
    from contextlib import nullcontext

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect, text

    from webapp.store import connect
    from webapp.store.database import MIGRATIONS

    from .dbtest import postgres_schema, postgres_url

    where: Any = (
        postgres_schema(postgres_url())
        if backend == "postgresql"
        else nullcontext(f"sqlite:///{tmp_path / 'old.db'}")
    )
    with where as url:
        database = connect(url)
        try:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            with database.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "0007")
                connection.exec_driver_sql(
                    "INSERT INTO dossiers (slug, title, date, description, note, visibility,"
                    " variants, phrases, notes, settings, bundled, version, created_at,"
                    " updated_at) VALUES ('d', 'D', '', '', '', 'private', '{}', '[]', '',"
                    " '{}', false, 1, '2026-01-01', '2026-01-01')"
                )
            assert "answer_keys" not in database.table_names()
            database.upgrade()
            assert "answer_keys" in database.table_names()
            with database.session() as session:
                session.add(AnswerKey(dossier_id=1, version=1, source="curation", data={}))
            with database.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.downgrade(config, "0007")
            assert "answer_keys" not in inspect(database.engine).get_table_names()
            with database.engine.connect() as connection:
                assert connection.execute(text("SELECT slug FROM dossiers")).scalars().all() == [
                    "d"
                ]
        finally:
            database.dispose()
