"""LTI launches in the store, on SQLite and PostgreSQL: migration 0012 up and down, a launch
recorded with its single-use nonce, nonces pruned after expiry, a submission tied, and the
launches going with their exercise (and their dossier); plus the extra being optional."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import delete, inspect, select

from webapp.errors import NotFound, Refused
from webapp.library import Library, lti
from webapp.library import exercise_answers as answers
from webapp.library import exercises as ex
from webapp.store import Database, Dossier, User
from webapp.store.lti_models import LtiLaunch, LtiNonce

from .dbtest import BACKENDS
from .exercisedb import bundled_database, count_rows, user_named
from .test_exercises_store import ORDER, PERFECT
from .test_store import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with bundled_database(request.param, tmp_path) as database:
        yield database


def _tess(db: Database) -> User:
    return user_named(db, "tess")


def _count(db: Database, model: type) -> int:
    return count_rows(db, model)


def _launch(code: str, nonce: str = "n" * 32, expires: datetime | None = None) -> lti.Launch:
    return lti.Launch(
        issuer="https://lms.example.edu",
        subject="sub-1",
        context_id="ctx-1",
        code=code,
        nonce=nonce,
        expires_at=expires or datetime.now(UTC) + timedelta(minutes=5),
    )


def test_migration_0012_goes_up_and_down(db: Database) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        tables = set(inspect(connection).get_table_names())
        assert not {"lti_launches", "lti_nonces"} & tables and "exercises" in tables
        command.upgrade(config, "0012")
        assert {"lti_launches", "lti_nonces"} <= set(inspect(connection).get_table_names())


def test_a_launch_uses_its_nonce_once_and_expired_nonces_are_pruned(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), "temptation", ORDER)
    first = lti.record_launch(library, _launch(made.code.lower()))
    assert (first.exercise_id, first.code) == (made.id, made.code)
    with pytest.raises(Refused, match="already used") as replayed:
        lti.record_launch(library, _launch(made.code))
    assert replayed.value.status == 401
    with pytest.raises(NotFound):
        lti.record_launch(library, _launch("ZZZZZZ", nonce="m" * 32))
    assert (_count(db, LtiLaunch), _count(db, LtiNonce)) == (1, 1)  # the refusals stored nothing
    past = datetime.now(UTC) - timedelta(seconds=1)
    with db.session() as session:
        session.add(LtiNonce(nonce="old" * 10, expires_at=past))
    lti.record_launch(library, _launch(made.code, nonce="k" * 32))
    with db.session() as session:
        kept = set(session.scalars(select(LtiNonce.nonce)))
    assert kept == {"n" * 32, "k" * 32}


def test_a_submission_is_tied_to_its_own_exercises_launch_only(db: Database) -> None:
    library = Library(db)
    tess = _tess(db)
    made = ex.create(library, tess, "temptation", ORDER)
    other = ex.create(library, tess, "temptation", ORDER)
    launched = lti.record_launch(library, _launch(made.code))
    elsewhere = answers.submit(library, other.code, "Ann", PERFECT)
    assert not lti.tie_submission(library, launched.id, elsewhere.submission.id)
    assert not lti.tie_submission(library, "no-such-launch", elsewhere.submission.id)
    mine = answers.submit(library, made.code, "Ann", PERFECT)
    assert lti.tie_submission(library, launched.id, mine.submission.id)
    with db.session() as session:
        assert session.get_one(LtiLaunch, launched.id).submission_id == mine.submission.id
    ex.remove(library, tess, made.id)
    assert _count(db, LtiLaunch) == 0


def test_launches_go_with_their_dossier(db: Database) -> None:
    library = Library(db)
    made = ex.create(library, _tess(db), "temptation", ORDER)
    lti.record_launch(library, _launch(made.code))
    with db.session() as session:
        session.execute(delete(Dossier).where(Dossier.slug == "temptation"))
    assert _count(db, LtiLaunch) == 0


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "MEMCON_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin"},
    )


def test_the_lti_extra_is_needed_only_when_lti_is_on(tmp_path: Path) -> None:
    off = _python(
        "import sys; from webapp.app import create_app; create_app({'TESTING': True,"
        " 'DATABASE_URL': 'sqlite://'}); print('jwt' in sys.modules)",
        tmp_path,
    )
    assert off.returncode == 0 and off.stdout.strip() == "False", off.stderr
    platforms = tmp_path / "platforms.json"
    platforms.write_text(json.dumps({"platforms": []}), encoding="utf-8")
    missing = _python(
        "import sys; sys.modules['jwt'] = None; from webapp.app import create_app;"
        f" create_app({{'DATABASE_URL': 'sqlite://', 'LTI_PLATFORMS': {str(platforms)!r}}})",
        tmp_path,
    )
    assert missing.returncode != 0 and "pip install 'memcon[lti]'" in missing.stderr
