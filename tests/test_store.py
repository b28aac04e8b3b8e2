"""The store: migrations, bundled dossiers, users, tokens, login slow-down, versions."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from webapp.dossiers import bundled_dossiers
from webapp.store import Database, Document, Dossier, User, connect
from webapp.store.bundled import load_bundled, record_of
from webapp.store.users import (
    UserError,
    check_login,
    create_user,
    delay_for,
    new_token,
    user_for_token,
)

from .conftest import CliResult


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = connect(f"sqlite:///{tmp_path / 'memcon.db'}")
    database.upgrade()
    yield database
    database.dispose()


def test_migrations_are_idempotent_and_sqlite_is_configured(db: Database) -> None:
    db.upgrade()
    assert {"users", "api_tokens", "dossiers", "documents", "comparison_cache"} <= set(
        db.table_names()
    )
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_bundled_dossiers_load_once_with_their_texts(db: Database) -> None:
    bundled = bundled_dossiers()
    with db.session() as session:
        assert load_bundled(session, bundled) == len(bundled)
    with db.session() as session:
        assert load_bundled(session, bundled) == 0
        zavidovo = session.scalar(select(Dossier).where(Dossier.slug == "zavidovo-1993"))
        assert zavidovo is not None and zavidovo.visibility == "public" and zavidovo.bundled
        source = next(d for d in bundled if d.id == "zavidovo-1993")
        record = record_of(zavidovo)
        assert record is not None and record.filename == source.record
        assert record.text == source.text(source.record_meta)
        assert [d.filename for d in zavidovo.documents] == [m.file for m in source.documents]


def test_record_falls_back_to_first_memcon_then_first_document(db: Database) -> None:
    with db.session() as session:
        dossier = Dossier(slug="d", title="D")
        dossier.documents.append(Document(slug="a", title="A", kind="memoir", text="A."))
        dossier.documents.append(
            Document(slug="m", title="M", kind="memcon", text="M.", position=1)
        )
        session.add(dossier)
        session.flush()
        assert record_of(dossier).slug == "m"  # type: ignore[union-attr]
        dossier.documents[1].kind = "article"
        assert record_of(dossier).slug == "a"  # type: ignore[union-attr]
        dossier.documents[1].is_record = True
        assert record_of(dossier).slug == "m"  # type: ignore[union-attr]


def test_a_dossier_has_at_most_one_record(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        dossier = Dossier(slug="two", title="Two records")
        for slug in ("a", "b"):
            dossier.documents.append(
                Document(slug=slug, title=slug, kind="memcon", text="x", is_record=True)
            )
        session.add(dossier)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_users_are_hashed_and_checked(db: Database) -> None:
    with db.session() as session:
        user = create_user(session, "ada", "correct horse", "annotator")
        assert user.password_hash != "correct horse" and "correct horse" not in user.password_hash
    with db.session() as session:
        assert check_login(session, "ada", "correct horse").user is not None
        assert check_login(session, "ada", "wrong").user is None
        assert check_login(session, "nobody", "correct horse").user is None


@pytest.mark.parametrize(
    ("name", "password", "role", "reason"),
    [
        ("ada", "long enough", "reader", "exists already"),
        ("bob", "short", "reader", "at least 8"),
        ("bob", "long enough", "emperor", "unknown role"),
        ("  ", "long enough", "reader", "1 to 80"),
    ],
)
def test_bad_users_are_refused(
    db: Database, name: str, password: str, role: str, reason: str
) -> None:
    with db.session() as session:
        create_user(session, "ada", "long enough")
    with pytest.raises(UserError, match=reason), db.session() as session:
        create_user(session, name, password, role)


def test_repeated_failed_logins_must_wait(db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with db.session() as session:
        create_user(session, "ada", "correct horse")
    with db.session() as session:
        for _ in range(3):
            result = check_login(session, "ada", "wrong", now)
        assert result.retry_after == delay_for(3) == 2
        # Even the right password is refused while the wait runs.
        blocked = check_login(session, "ada", "correct horse", now + timedelta(seconds=1))
        assert blocked.user is None and blocked.retry_after >= 1
        later = check_login(session, "ada", "correct horse", now + timedelta(seconds=3))
        assert later.user is not None
        assert later.user.failed_logins == 0
    assert delay_for(20) == 300


def test_api_tokens_are_stored_hashed(db: Database) -> None:
    with db.session() as session:
        user = create_user(session, "ada", "correct horse")
        token = new_token(session, user)
    with db.session() as session:
        found = user_for_token(session, token)
        assert found is not None and found.name == "ada"
        assert user_for_token(session, token + "x") is None
        assert token not in str(session.execute(text("SELECT token_hash FROM api_tokens")).all())


def test_a_stale_edit_is_refused_and_changes_nothing(db: Database) -> None:
    with db.session() as session:
        session.add(Dossier(slug="d", title="Original"))
    first, second = db.sessions(), db.sessions()
    try:
        a = first.scalar(select(Dossier).where(Dossier.slug == "d"))
        b = second.scalar(select(Dossier).where(Dossier.slug == "d"))
        assert a is not None and b is not None
        a.title = "First edit"
        first.commit()
        b.title = "Second edit, based on the old version"
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with db.session() as session:
        stored = session.scalar(select(Dossier).where(Dossier.slug == "d"))
        assert stored is not None and (stored.title, stored.version) == ("First edit", 2)


def test_cli_creates_users_and_tokens(
    memcon,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MEMCON_DATABASE_URL", url)
    monkeypatch.setenv("MEMCON_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    created: CliResult = memcon("create-user", "ada", "--role", "admin", "--password-stdin")
    assert created.code == 0, created.err
    assert created.out == "created admin 'ada'\n"
    token: CliResult = memcon("token", "ada")
    assert token.code == 0 and len(token.out.strip()) >= 40
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    again: CliResult = memcon("create-user", "ada", "--password-stdin")
    assert again.code == 2 and "exists already" in again.err
    missing: CliResult = memcon("token", "nobody")
    assert missing.code == 2 and "no user 'nobody'" in missing.err
    database = connect(url)
    with database.session() as session:
        user = user_for_token(session, token.out.strip())
        assert user is not None and user.role == "admin"
        assert session.scalar(select(func.count()).select_from(User)) == 1
    database.dispose()
