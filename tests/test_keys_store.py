"""The answer_keys table on SQLite and PostgreSQL: bundled keys, unique versions, cascade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
